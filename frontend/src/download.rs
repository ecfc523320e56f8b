//! Saving what the API answered (text, or a workbook's bytes) as a file on the user's machine.

/// Saves text as a file through a temporary link.
pub fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence(&parts) {
        save(name, &blob);
    }
}

/// Saves bytes (an XLSX workbook) as a file through a temporary link.
pub fn download_bytes(name: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts) {
        save(name, &blob);
    }
}

/// Offers a blob for download under `name`.
fn save(name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document())
        && let Ok(element) = document.create_element("a")
    {
        use wasm_bindgen::JsCast;
        if let Ok(anchor) = element.dyn_into::<web_sys::HtmlAnchorElement>() {
            anchor.set_href(&url);
            anchor.set_download(name);
            anchor.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

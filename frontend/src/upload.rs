//! File uploads with progress (XMLHttpRequest: `fetch` reports no upload progress).

use koppel_api_types::Problem;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{File, ProgressEvent, XmlHttpRequest};
use yew::Callback;

use crate::api::{self, ClientError};

fn failed(error: wasm_bindgen::JsValue) -> ClientError {
    ClientError::Network(format!("{error:?}"))
}

/// `PUT`s `file` to `path`, reporting progress in percent.
pub async fn put_file(path: &str, file: &File, progress: Callback<u32>) -> Result<(), ClientError> {
    let token = api::fresh_access_token().await?;
    let xhr = XmlHttpRequest::new().map_err(failed)?;
    xhr.open("PUT", &api::url(path)).map_err(failed)?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}"))
        .map_err(failed)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(failed)?;
    let kind = file.type_();
    if !kind.is_empty() {
        xhr.set_request_header("Content-Type", &kind)
            .map_err(failed)?;
    }
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() && event.total() > 0.0 {
            progress.emit((event.loaded() / event.total() * 100.0).round() as u32);
        }
    });
    xhr.upload()
        .map_err(failed)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let finished = js_sys::Promise::new(&mut |resolve, _reject| {
        xhr.set_onloadend(Some(&resolve));
    });
    xhr.send_with_opt_blob(Some(file)).map_err(failed)?;
    // Resolves on success, error and abort alike; the status says which.
    let _ = wasm_bindgen_futures::JsFuture::from(finished).await;
    drop(on_progress);
    let status = xhr.status().map_err(failed)?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => Err(ClientError::Problem(api::localized(problem))),
        Err(_) if status == 0 => Err(ClientError::Network("upload failed".to_owned())),
        Err(_) => Err(ClientError::Network(format!("HTTP {status}"))),
    }
}

//! Buttons that download an export as a spreadsheet: CSV as Excel in Dutch opens it, or an Excel
//! workbook (XLSX) with real dates and numbers.

use yew::prelude::*;

use crate::api;
use crate::components::status::Outcome;
use crate::session::use_lang;

/// Properties of [`Spreadsheet`].
#[derive(Properties, PartialEq)]
pub struct SpreadsheetProps {
    /// The export's API path, without a query.
    pub path: AttrValue,
    /// The file name without extension.
    pub file: AttrValue,
    /// What is exported, as the buttons say it.
    pub title: AttrValue,
}

/// Two download buttons for one export, and why a download failed.
#[component]
pub fn Spreadsheet(props: &SpreadsheetProps) -> Html {
    let lang = use_lang();
    let outcome = use_state(Outcome::default);
    let download = |xlsx: bool| {
        let (path, file) = (props.path.clone(), props.file.clone());
        clone!(outcome);
        Callback::from(move |_: MouseEvent| {
            clone!(path, file, outcome);
            wasm_bindgen_futures::spawn_local(async move {
                let failed = if xlsx {
                    api::get_bytes(&format!("{path}?format=xlsx"))
                        .await
                        .map(|bytes| {
                            crate::download::download_bytes(&format!("{file}.xlsx"), &bytes)
                        })
                } else {
                    api::get_text(&format!("{path}?dialect=excel_nl"))
                        .await
                        .map(|text| crate::download::download(&format!("{file}-excel.csv"), &text))
                };
                if let Err(error) = failed {
                    outcome.set(Outcome::Failed(error));
                }
            });
        })
    };
    html! {
        <div class="actions">
            <button type="button" onclick={download(true)}>{ format!("{}: {}", props.title, lang.t("Excel-werkmap (.xlsx)", "Excel workbook (.xlsx)")) }</button>
            <button type="button" onclick={download(false)}>{ format!("{}: {}", props.title, lang.t("CSV voor Excel", "CSV for Excel")) }</button>
            { outcome.view(lang, &[]) }
        </div>
    }
}

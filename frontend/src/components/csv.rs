//! CSV imports from a file input: the file is sent as `text/csv`; the answer says how many rows
//! were imported, or lists every bad row (nothing is imported then).

use koppel_api_types::ImportResponse;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::status::Outcome;
use crate::i18n::Lang;

/// The `change` handler of a file input that imports the chosen CSV file into `path`.
pub fn import_on_change(
    path: String,
    outcome: UseStateHandle<Outcome>,
    done: fn(Lang, usize) -> String,
    lang: Lang,
    after: Callback<()>,
) -> Callback<Event> {
    Callback::from(move |event: Event| {
        let input = event.target_unchecked_into::<HtmlInputElement>();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Choosing the same file again (after fixing it) fires `change` again.
        input.set_value("");
        clone!(path, outcome, after);
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            match api::post_text::<ImportResponse>(&path, "text/csv", text).await {
                Ok(report) => {
                    outcome.set(Outcome::Done(done(lang, report.imported)));
                    after.emit(());
                }
                Err(error) => outcome.set(Outcome::Failed(error)),
            }
        });
    })
}

/// Every bad row (or field) of a refused change under `heading`, or the outcome's usual message.
pub fn row_errors(lang: Lang, outcome: &Outcome, testid: &'static str, heading: &str) -> Html {
    match outcome {
        Outcome::Failed(ClientError::Problem(problem)) if !problem.errors.is_empty() => html! {
            <div class="alert" role="alert" data-testid={testid}>
                <p>{ heading.to_owned() }</p>
                <ul>{ for problem.errors.iter().map(|e| html! { <li><strong>{ e.field.clone() }</strong>{ ": " }{ e.message.clone() }</li> }) }</ul>
            </div>
        },
        other => other.view(lang, &[]),
    }
}

/// [`row_errors`] for an import: nothing was imported.
pub fn import_result(lang: Lang, outcome: &Outcome, testid: &'static str) -> Html {
    row_errors(
        lang,
        outcome,
        testid,
        lang.t(
            "Niets geïmporteerd. Verbeter deze rijen:",
            "Nothing imported. Fix these rows:",
        ),
    )
}

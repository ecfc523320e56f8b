//! Loading, error and empty states, the same on every page.

use yew::prelude::*;

use crate::api::ClientError;
use crate::hooks::Loaded;
use crate::i18n::Lang;

/// A polite "loading" line for screen readers and eyes.
pub fn loading(lang: Lang) -> Html {
    html! { <p class="loading" role="status">{ lang.texts().loading }</p> }
}

/// An API error as an alert.
pub fn error_box(lang: Lang, error: &ClientError) -> Html {
    html! { <div class="alert" role="alert">{ error.message(lang.texts()) }</div> }
}

/// A muted line for empty lists.
pub fn empty(text: &str) -> Html {
    html! { <p class="muted">{ text.to_owned() }</p> }
}

/// Renders loaded data with `view`, or the loading or error state.
pub fn show<R>(lang: Lang, loaded: &Loaded<R>, view: impl FnOnce(&R) -> Html) -> Html {
    match loaded {
        None => loading(lang),
        Some(Err(error)) => error_box(lang, error),
        Some(Ok(data)) => view(data),
    }
}

/// The outcome of the last action on a form: nothing, a success message, or an error.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Outcome {
    /// Nothing done yet.
    #[default]
    None,
    /// The request is under way; its button is disabled meanwhile.
    Busy,
    /// Done; the message says what.
    Done(String),
    /// Refused or failed.
    Failed(ClientError),
}

impl Outcome {
    /// The message next to a form: a status for success, an alert for errors not tied to one of
    /// `fields` (those are shown next to their input).
    pub fn view(&self, lang: Lang, fields: &[&str]) -> Html {
        match self {
            Self::None => html! {},
            Self::Busy => {
                html! { <p class="muted" role="status">{ lang.t("Bezig…", "Working…") }</p> }
            }
            Self::Done(message) => {
                html! { <p class="success" role="status">{ message.clone() }</p> }
            }
            Self::Failed(error) if fields.iter().any(|f| error.field(f).is_some()) => {
                html! { <div class="alert" role="alert">{ lang.t("Controleer de gemarkeerde velden.", "Please check the marked fields.") }</div> }
            }
            Self::Failed(error) => error_box(lang, error),
        }
    }

    /// Whether a request is under way (to disable its button).
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Busy)
    }

    /// The API's message for one field.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Failed(error) => error.field(name),
            _ => None,
        }
    }
}

/// Asks the user to confirm an action that cannot be undone; `question` names its consequence.
pub fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|window| window.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Runs an API call for a form or button: busy meanwhile (a second click is ignored), then on
/// success shows `done` and calls `after` (to reload), on failure shows the API's problem.
pub fn run<R: 'static>(
    outcome: UseStateHandle<Outcome>,
    call: impl std::future::Future<Output = Result<R, ClientError>> + 'static,
    done: String,
    after: Callback<()>,
) {
    if outcome.is_busy() {
        return;
    }
    settle(
        outcome,
        Box::pin(async move { call.await.map(|_| ()) }),
        done,
        after,
    );
}

/// [`run`]'s part that does not depend on the answer's type, compiled once.
fn settle(
    outcome: UseStateHandle<Outcome>,
    call: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ClientError>>>>,
    done: String,
    after: Callback<()>,
) {
    outcome.set(Outcome::Busy);
    wasm_bindgen_futures::spawn_local(async move {
        match call.await {
            Ok(()) => {
                outcome.set(Outcome::Done(done));
                after.emit(());
            }
            Err(error) => outcome.set(Outcome::Failed(error)),
        }
    });
}

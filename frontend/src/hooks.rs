//! Loading API data into components.

use std::rc::Rc;

use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::session::{Auth, SessionAction, SessionHandle};

/// What a component shows while data loads: nothing yet, the data, or why it failed.
pub type Loaded<R> = Option<Result<Rc<R>, ClientError>>;

/// Loads `path` when it (or `version`) changes; bump `version` to reload after a change.
/// Nothing is asked while the sign-in of a new page is still being resumed (a deep link would
/// otherwise ask without a token); it loads once the sign-in is known. An ended sign-in signs
/// the session out.
#[hook]
pub fn use_get<R: DeserializeOwned + 'static>(path: String, version: u32) -> Loaded<R> {
    let state = use_state(|| None::<Result<Rc<R>, ClientError>>);
    let session = use_context::<SessionHandle>();
    let checking = session
        .as_ref()
        .is_some_and(|session| matches!(session.auth, Auth::Checking));
    {
        let state = state.clone();
        use_effect_with((path, version, checking), move |(path, _, checking)| {
            if *checking {
                return;
            }
            fetch(
                path.clone(),
                session,
                Box::new(move |answer| {
                    let loaded = match answer {
                        Ok(text) => api::parse::<R>(&text).map(Rc::new),
                        Err(error) => Err(error),
                    };
                    state.set(Some(loaded));
                }),
            );
        });
    }
    (*state).clone()
}

/// [`use_get`]'s request, the same for every answer type (so compiled once): hands the answer's
/// body to `deliver`, after signing the session out if the sign-in has ended.
fn fetch(
    path: String,
    session: Option<SessionHandle>,
    deliver: Box<dyn FnOnce(Result<String, ClientError>)>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let answer = api::get_body(&path).await;
        if matches!(answer, Err(ClientError::SignedOut))
            && let Some(session) = session
        {
            session.dispatch(SessionAction::SignedOut);
        }
        deliver(answer);
    });
}

/// A counter to reload data after a change.
#[hook]
pub fn use_version() -> (u32, Callback<()>) {
    let version = use_state(|| 0u32);
    let bump = {
        let version = version.clone();
        Callback::from(move |()| version.set(version.wrapping_add(1)))
    };
    (*version, bump)
}

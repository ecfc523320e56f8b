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
            let path = path.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = api::get::<R>(&path).await.map(Rc::new);
                if matches!(outcome, Err(ClientError::SignedOut))
                    && let Some(session) = session
                {
                    session.dispatch(SessionAction::SignedOut);
                }
                state.set(Some(outcome));
            });
        });
    }
    (*state).clone()
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

//! Activate an invited account from the mail link: choose a password, then signed in.

use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError};
use crate::components::field::Field;
use crate::route::Route;
use crate::session::{SessionAction, SessionHandle};

#[derive(Deserialize)]
struct ActivationQuery {
    token: String,
}

/// The activation page.
#[component]
pub fn ActivatePage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let token = use_location()
        .and_then(|location| location.query::<ActivationQuery>().ok())
        .map(|query| query.token)
        .filter(|token| !token.is_empty());
    let password = use_state(String::new);
    let repeat = use_state(String::new);
    let error = use_state(|| None::<ClientError>);
    let mismatch = use_state(|| false);
    let busy = use_state(|| false);
    let navigator = use_navigator();
    let texts = session.lang.texts();

    let Some(token) = token else {
        return html! {
            <section class="card narrow">
                <h1>{ texts.activate_title }</h1>
                <div class="alert" role="alert">{ texts.activation_link_missing }</div>
            </section>
        };
    };

    let onsubmit = {
        let (password, repeat, error, mismatch, busy) = (
            password.clone(),
            repeat.clone(),
            error.clone(),
            mismatch.clone(),
            busy.clone(),
        );
        let session = session.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *password != *repeat {
                mismatch.set(true);
                return;
            }
            mismatch.set(false);
            busy.set(true);
            let (token, password, error, busy) = (
                token.clone(),
                (*password).clone(),
                error.clone(),
                busy.clone(),
            );
            let (session, navigator) = (session.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match api::activate(&token, &password).await {
                    Ok(()) => api::me().await,
                    Err(failure) => Err(failure),
                };
                busy.set(false);
                match outcome {
                    Ok(me) => {
                        session.dispatch(SessionAction::SignedIn(me));
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Home);
                        }
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |value: String| handle.set(value))
    };
    let password_error = error.as_ref().and_then(|error| error.field("password"));
    let general = error
        .as_ref()
        .filter(|error| error.field("password").is_none())
        .map(|error| error.message(texts));

    html! {
        <section class="card narrow" aria-labelledby="activate-title">
            <h1 id="activate-title">{ texts.activate_title }</h1>
            <p class="muted">{ texts.activate_intro }</p>
            if let Some(message) = general {
                <div class="alert" role="alert">{ message }</div>
            }
            <form {onsubmit} novalidate=true>
                <Field id="new-password" label={texts.new_password} kind="password" autocomplete="new-password"
                    value={(*password).clone()} on_change={set(&password)}
                    hint={texts.password_hint} error={password_error} />
                <Field id="repeat-password" label={texts.repeat_password} kind="password" autocomplete="new-password"
                    value={(*repeat).clone()} on_change={set(&repeat)}
                    error={mismatch.then(|| texts.passwords_differ.to_owned())} />
                <button class="primary" type="submit" disabled={*busy}>{ texts.activate_submit }</button>
            </form>
        </section>
    }
}

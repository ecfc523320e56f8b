//! Activate an invited account from the mail link, or reset a forgotten password from the reset
//! mail's link: choose a password, then signed in. And the page that asks for a reset link.

use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError};
use crate::components::field::Field;
use crate::route::Route;
use crate::session::{SessionAction, SessionHandle, use_lang};

#[derive(Deserialize)]
struct ActivationQuery {
    token: String,
}

/// Properties of [`ActivatePage`].
#[derive(Properties, PartialEq)]
pub struct ActivateProps {
    /// A password reset (`/reset`) rather than an activation (`/activate`).
    #[prop_or_default]
    pub reset: bool,
}

/// The activation and password-reset page.
#[component]
pub fn ActivatePage(props: &ActivateProps) -> Html {
    let reset = props.reset;
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
    let lang = session.lang;
    let title = if reset {
        lang.t("Nieuw wachtwoord kiezen", "Choose a new password")
    } else {
        texts.activate_title
    };

    let Some(token) = token else {
        return html! {
            <section class="card narrow">
                <h1>{ title }</h1>
                <div class="alert" role="alert">{ texts.activation_link_missing }</div>
            </section>
        };
    };

    let onsubmit = {
        clone!(password, repeat, error, mismatch, busy);
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
            clone!(session, navigator);
            wasm_bindgen_futures::spawn_local(async move {
                let result = if reset {
                    api::reset_password(&token, &password).await
                } else {
                    api::activate(&token, &password).await
                };
                let outcome = match result {
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
            <h1 id="activate-title">{ title }</h1>
            <p class="muted">{ if reset { lang.t("Kies een nieuw wachtwoord. Daarna ben je ingelogd en eindigen je andere sessies.", "Choose a new password. You are then signed in and your other sessions end.") } else { texts.activate_intro } }</p>
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
                <button class="primary" type="submit" disabled={*busy}>{ if reset { lang.t("Wachtwoord opslaan en inloggen", "Save password and sign in") } else { texts.activate_submit } }</button>
            </form>
        </section>
    }
}

/// Ask for a reset link.
#[component]
pub fn ForgotPage() -> Html {
    let lang = use_lang();
    let texts = lang.texts();
    let email = use_state(String::new);
    let error = use_state(|| None::<ClientError>);
    let sent = use_state(|| false);
    let busy = use_state(|| false);
    let onsubmit = {
        clone!(email, error, sent, busy);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let (address, error, sent, busy) =
                ((*email).clone(), error.clone(), sent.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::request_password_reset(&address).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        error.set(None);
                        sent.set(true);
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };
    let email_error = error.as_ref().and_then(|error| error.field("email"));
    let general = error
        .as_ref()
        .filter(|error| error.field("email").is_none())
        .map(|error| error.message(texts));
    html! {
        <section class="card narrow" aria-labelledby="forgot-title">
            <h1 id="forgot-title">{ lang.t("Wachtwoord vergeten", "Forgot your password") }</h1>
            if *sent {
                <p class="success" role="status">{ lang.t("Als dit adres bij Koppel bekend is, krijg je binnen een paar minuten een mail met een link om een nieuw wachtwoord te kiezen. De link is een uur geldig.", "If this address is known to Koppel, you will get a mail with a link to choose a new password within a few minutes. The link is valid for one hour.") }</p>
            } else {
                <p class="muted">{ lang.t("Vul je e-mailadres in. Je krijgt een mail met een link om een nieuw wachtwoord te kiezen.", "Enter your e-mail address. You will get a mail with a link to choose a new password.") }</p>
                if let Some(message) = general {
                    <div class="alert" role="alert">{ message }</div>
                }
                <form {onsubmit} novalidate=true>
                    <Field id="email" label={texts.email} kind="email" autocomplete="username"
                        value={(*email).clone()} on_change={let email = email.clone(); Callback::from(move |v: String| email.set(v))} error={email_error} />
                    <button class="primary" type="submit" disabled={*busy}>{ lang.t("Stuur de link", "Send the link") }</button>
                </form>
            }
            <p><Link<Route> to={Route::Login}>{ lang.t("Terug naar inloggen", "Back to sign-in") }</Link<Route>></p>
        </section>
    }
}

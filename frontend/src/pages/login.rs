//! Sign in with e-mail address and password.

use yew::prelude::*;
use yew_router::prelude::*;

use koppel_api_types::ProblemCode;

use crate::api::{self, ClientError};
use crate::components::field::Field;
use crate::route::Route;
use crate::session::{Auth, SessionAction, SessionHandle};

/// The sign-in page.
#[component]
pub fn LoginPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let email = use_state(String::new);
    let password = use_state(String::new);
    // The second step, for accounts with two-factor sign-in: the app's code.
    let asks_code = use_state(|| false);
    let code = use_state(String::new);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let navigator = use_navigator();
    let texts = session.lang.texts();

    if let Auth::SignedIn(_) = session.auth {
        return html! { <Redirect<Route> to={Route::Home} /> };
    }

    let onsubmit = {
        let (email, password, error, busy) =
            (email.clone(), password.clone(), error.clone(), busy.clone());
        clone!(asks_code, code);
        let session = session.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let (email, password, error, busy) = (
                (*email).clone(),
                (*password).clone(),
                error.clone(),
                busy.clone(),
            );
            let one_time_code = asks_code.then(|| (*code).clone());
            let asks_code = asks_code.clone();
            let session = session.clone();
            let navigator = navigator.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match api::login(&email, &password, one_time_code.as_deref()).await {
                    Ok(()) => api::me().await,
                    Err(failure) => Err(failure),
                };
                busy.set(false);
                match outcome {
                    Ok(me) => {
                        error.set(None);
                        session.dispatch(SessionAction::SignedIn(me));
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Home);
                        }
                    }
                    Err(failure) => {
                        if let ClientError::Problem(problem) = &failure
                            && problem.code == ProblemCode::SecondFactorRequired
                        {
                            // Ask for the code; say nothing wrong on the first ask.
                            if !*asks_code {
                                asks_code.set(true);
                                error.set(None);
                                return;
                            }
                        }
                        error.set(Some(failure));
                    }
                }
            });
        })
    };

    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |value: String| handle.set(value))
    };
    let field_error = |name: &str| error.as_ref().and_then(|error| error.field(name));
    let general = error
        .as_ref()
        .filter(|error| error.field("email").is_none() && error.field("password").is_none())
        .map(|error| error.message(texts));

    html! {
        <section class="card narrow" aria-labelledby="login-title">
            <h1 id="login-title">{ texts.login_title }</h1>
            <p class="muted">{ texts.login_intro }</p>
            if let Some(message) = general {
                <div class="alert" role="alert">{ message }</div>
            }
            <form {onsubmit} novalidate=true>
                <Field id="email" label={texts.email} kind="email" autocomplete="username"
                    value={(*email).clone()} on_change={set(&email)} error={field_error("email")} />
                <Field id="password" label={texts.password} kind="password" autocomplete="current-password"
                    value={(*password).clone()} on_change={set(&password)} error={field_error("password")} />
                if *asks_code {
                    <p class="muted" role="status">{ session.lang.t(
                        "Je account gebruikt tweestapsverificatie. Vul de code van 6 cijfers uit je authenticator-app in, of een herstelcode.",
                        "Your account uses two-step verification. Enter the 6-digit code from your authenticator app, or a recovery code.") }</p>
                    <Field id="one_time_code" label={session.lang.t("Code", "Code")} kind="text" autocomplete="one-time-code"
                        value={(*code).clone()} on_change={set(&code)} error={field_error("one_time_code")} />
                }
                <button class="primary" type="submit" disabled={*busy}>
                    { if *busy { texts.signing_in } else { texts.login_submit } }
                </button>
            </form>
            <p><Link<Route> to={Route::Forgot}>{ session.lang.t("Wachtwoord vergeten?", "Forgot your password?") }</Link<Route>></p>
        </section>
    }
}

//! Two-step verification on the account page: enrol an authenticator app with a QR code drawn
//! by the server (never by an outside service), confirm it with a code, keep the recovery
//! codes, or turn it off when the account does not have to use it.

use koppel_api_types::{
    ConfirmTwoFactorRequest, MeResponse, RecoveryCodesResponse, TurnOffTwoFactorRequest,
    TwoFactorEnrolment,
};
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::field::Field;
use crate::session::{SessionAction, SessionHandle};

/// Props: the signed-in user.
#[derive(Properties, PartialEq)]
pub struct TwoFactorProps {
    /// Who is signed in.
    pub me: MeResponse,
}

/// The QR code as an image source: the server's SVG as a data URL (allowed by the CSP).
fn qr_source(svg: &str) -> Option<String> {
    let encoded = web_sys::window()?.btoa(svg).ok()?;
    Some(format!("data:image/svg+xml;base64,{encoded}"))
}

/// Reads the account again so every page sees the new state.
async fn reload(session: &SessionHandle) {
    if let Ok(me) = api::me().await {
        session.dispatch(SessionAction::SignedIn(me));
    }
}

/// The two-step verification section.
#[component]
pub fn TwoFactorSettings(props: &TwoFactorProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let texts = lang.texts();
    let enrolment = use_state(|| None::<TwoFactorEnrolment>);
    let code = use_state(String::new);
    let password = use_state(String::new);
    let recovery = use_state(|| None::<Vec<String>>);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let status = &props.me.two_factor;

    let start = {
        clone!(enrolment, recovery, error, busy);
        Callback::from(move |_| {
            clone!(enrolment, recovery, error, busy);
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<TwoFactorEnrolment, _> =
                    api::post("/me/two-factor", &serde_json::json!({})).await;
                busy.set(false);
                match result {
                    Ok(started) => {
                        recovery.set(None);
                        error.set(None);
                        enrolment.set(Some(started));
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };

    let confirm = {
        clone!(enrolment, code, recovery, error, busy);
        let session = session.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = ConfirmTwoFactorRequest {
                code: (*code).trim().to_owned(),
            };
            clone!(enrolment, code, recovery, error, busy);
            let session = session.clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<RecoveryCodesResponse, _> =
                    api::post("/me/two-factor/confirm", &request).await;
                busy.set(false);
                match result {
                    Ok(codes) => {
                        error.set(None);
                        enrolment.set(None);
                        code.set(String::new());
                        recovery.set(Some(codes.recovery_codes));
                        reload(&session).await;
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };

    let turn_off = {
        clone!(password, recovery, error, busy);
        let session = session.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = TurnOffTwoFactorRequest {
                current_password: (*password).clone(),
            };
            clone!(password, recovery, error, busy);
            let session = session.clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<(), _> = api::post("/me/two-factor/off", &request).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        error.set(None);
                        password.set(String::new());
                        recovery.set(None);
                        reload(&session).await;
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };

    let field = |name: &str| error.as_ref().and_then(|error| error.field(name));
    let general = error
        .as_ref()
        .filter(|error| error.field("code").is_none() && error.field("current_password").is_none())
        .map(|error| error.message(texts));
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |value: String| handle.set(value))
    };

    html! {
        <section aria-labelledby="two-factor-title" data-testid="two-factor">
            <h2 id="two-factor-title">{ lang.t("Tweestapsverificatie", "Two-step verification") }</h2>
            if status.required && !status.enabled {
                <div class="alert" role="alert">{ lang.t(
                    "Je account moet tweestapsverificatie gebruiken. Zet het hieronder aan; tot dan kun je niets anders doen.",
                    "Your account must use two-step verification. Turn it on below; until then you can do nothing else.") }</div>
            }
            <p class="muted">{ if status.enabled {
                lang.t("Aan: bij het inloggen vragen we ook een code uit je authenticator-app.",
                    "On: signing in also asks for a code from your authenticator app.")
            } else {
                lang.t("Uit: inloggen vraagt alleen je wachtwoord. Met een authenticator-app (zoals FreeOTP, Aegis of Google Authenticator) is je account beter beschermd.",
                    "Off: signing in asks only for your password. An authenticator app (such as FreeOTP, Aegis or Google Authenticator) protects your account better.")
            } }</p>
            if status.enabled {
                <p class="muted" data-testid="recovery-codes-left">{ lang.t("Ongebruikte herstelcodes: {n}.", "Unused recovery codes: {n}.").replace("{n}", &status.recovery_codes_left.to_string()) }</p>
            }
            if let Some(message) = general {
                <div class="alert" role="alert">{ message }</div>
            }
            if let Some(codes) = (*recovery).clone() {
                <div class="success" role="status">
                    <p>{ lang.t("Tweestapsverificatie staat aan. Bewaar deze herstelcodes op een veilige plek: elke code werkt één keer als je je telefoon kwijt bent. Ze worden niet nog eens getoond.",
                        "Two-step verification is on. Keep these recovery codes somewhere safe: each works once if you lose your phone. They are not shown again.") }</p>
                    <ul class="recovery-codes" data-testid="recovery-codes">
                        { for codes.iter().map(|code| html! { <li><code>{ code }</code></li> }) }
                    </ul>
                </div>
            }
            if let Some(started) = (*enrolment).clone() {
                <div class="enrolment">
                    <p>{ lang.t("Scan deze QR-code met je authenticator-app, of typ de sleutel over. Vul daarna de code van 6 cijfers in die de app toont.",
                        "Scan this QR code with your authenticator app, or type in the key. Then enter the 6-digit code the app shows.") }</p>
                    if let Some(source) = qr_source(&started.qr_code_svg) {
                        <img class="qr" src={source} width="200" height="200"
                            alt={lang.t("QR-code met de sleutel voor je authenticator-app", "QR code with the key for your authenticator app")} />
                    }
                    <p>{ lang.t("Sleutel: ", "Key: ") }<code data-testid="totp-secret">{ &started.secret }</code></p>
                    <form onsubmit={confirm} novalidate=true>
                        <Field id="code" label={lang.t("Code uit de app", "Code from the app")} kind="text" autocomplete="one-time-code"
                            value={(*code).clone()} on_change={set(&code)} error={field("code")} />
                        <button class="primary" type="submit" disabled={*busy}>{ lang.t("Bevestigen", "Confirm") }</button>
                    </form>
                </div>
            } else {
                <button type="button" onclick={start} disabled={*busy}>{
                    if status.enabled { lang.t("Nieuwe app koppelen", "Link a new app") }
                    else { lang.t("Tweestapsverificatie aanzetten", "Turn on two-step verification") }
                }</button>
            }
            if status.enabled && !status.required {
                <form onsubmit={turn_off} novalidate=true class="stacked">
                    <Field id="off_password" label={lang.t("Wachtwoord, om uit te zetten", "Password, to turn it off")} kind="password" autocomplete="current-password"
                        value={(*password).clone()} on_change={set(&password)} error={field("current_password")} />
                    <button type="submit" disabled={*busy}>{ lang.t("Tweestapsverificatie uitzetten", "Turn off two-step verification") }</button>
                </form>
            }
        </section>
    }
}

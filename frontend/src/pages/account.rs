//! The signed-in user's account: change the password (the account's other sign-ins end),
//! two-step verification, the personal calendar feed, and a download of their own data.

use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::calendar_feed::CalendarFeed;
use crate::components::field::Field;
use crate::components::two_factor::TwoFactorSettings;
use crate::session::{SessionHandle, signed_in};

/// The account page.
#[component]
pub fn AccountPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let texts = lang.texts();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let repeat = use_state(String::new);
    let error = use_state(|| None::<ClientError>);
    let done = use_state(|| false);
    let busy = use_state(|| false);
    let onsubmit = {
        clone!(current, new, repeat, error, done, busy);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            if *new != *repeat {
                error.set(Some(ClientError::local_field(
                    "repeat",
                    lang.t(
                        "De twee nieuwe wachtwoorden zijn niet gelijk.",
                        "The two new passwords differ.",
                    ),
                )));
                return;
            }
            busy.set(true);
            let request = koppel_api_types::ChangePasswordRequest {
                current_password: (*current).clone(),
                new_password: (*new).clone(),
            };
            clone!(current, new, repeat, error, done, busy);
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::change_password(&request).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        error.set(None);
                        done.set(true);
                        current.set(String::new());
                        new.set(String::new());
                        repeat.set(String::new());
                    }
                    Err(failure) => {
                        done.set(false);
                        error.set(Some(failure));
                    }
                }
            });
        })
    };
    let export_error = use_state(|| None::<ClientError>);
    let download_data = {
        let export_error = export_error.clone();
        Callback::from(move |_: MouseEvent| {
            let export_error = export_error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_text("/me/export").await {
                    Ok(text) => {
                        export_error.set(None);
                        crate::download::download("koppel-mijn-gegevens.json", &text);
                    }
                    Err(failure) => export_error.set(Some(failure)),
                }
            });
        })
    };
    let field = |name: &str| error.as_ref().and_then(|error| error.field(name));
    let general = error
        .as_ref()
        .filter(|error| {
            ["current_password", "new_password", "repeat"]
                .iter()
                .all(|name| error.field(name).is_none())
        })
        .map(|error| error.message(texts));
    signed_in(&session, |me| {
        html! {
            <section class="card narrow" aria-labelledby="account-title">
                <h1 id="account-title">{ lang.t("Mijn account", "My account") }</h1>
                <h2>{ lang.t("Wachtwoord wijzigen", "Change password") }</h2>
                <p class="muted">{ lang.t("Je blijft hier ingelogd; op andere apparaten word je uitgelogd.", "You stay signed in here; your other devices are signed out.") }</p>
                if *done {
                    <p class="success" role="status" data-testid="password-changed">{ lang.t("Je wachtwoord is gewijzigd.", "Your password has been changed.") }</p>
                }
                if let Some(message) = general.clone() {
                    <div class="alert" role="alert">{ message }</div>
                }
                <form onsubmit={onsubmit.clone()} novalidate=true>
                    <Field id="current_password" label={lang.t("Huidig wachtwoord", "Current password")} kind="password" autocomplete="current-password"
                        value={(*current).clone()} on_change={let current = current.clone(); Callback::from(move |v: String| current.set(v))} error={field("current_password")} />
                    <Field id="new_password" label={lang.t("Nieuw wachtwoord", "New password")} kind="password" autocomplete="new-password"
                        hint={lang.t("Minstens 12 tekens.", "At least 12 characters.")}
                        value={(*new).clone()} on_change={let new = new.clone(); Callback::from(move |v: String| new.set(v))} error={field("new_password")} />
                    <Field id="repeat" label={lang.t("Herhaal nieuw wachtwoord", "Repeat new password")} kind="password" autocomplete="new-password"
                        value={(*repeat).clone()} on_change={let repeat = repeat.clone(); Callback::from(move |v: String| repeat.set(v))} error={field("repeat")} />
                    <button class="primary" type="submit" disabled={*busy}>{ lang.t("Wachtwoord wijzigen", "Change password") }</button>
                </form>
                <TwoFactorSettings me={me.clone()} />
                <CalendarFeed />
                <h2>{ lang.t("Mijn gegevens", "My data") }</h2>
                <p class="muted">{ lang.t(
                    "Download alles wat Koppel van jou bewaart: je account, je profiel en per ronde je voorkeuren, gesprekken, rangorde, veto's en koppeling (JSON).",
                    "Download everything Koppel keeps of yours: your account, your profile and per round your preferences, interviews, ranking, vetoes and coupling (JSON).") }</p>
                if let Some(message) = export_error.as_ref().map(|e| e.message(texts)) {
                    <div class="alert" role="alert">{ message }</div>
                }
                <button type="button" onclick={download_data.clone()}>{ lang.t("Mijn gegevens downloaden", "Download my data") }</button>
            </section>
        }
    })
}

//! The personal calendar feed on the account page: make a secret address to subscribe to in a
//! calendar app (deadlines, placement start, planned interviews), make a new one, or revoke it.

use koppel_api_types::CalendarFeedResponse;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::hooks::{use_get, use_version};
use crate::session::use_lang;

/// The calendar section.
#[component]
pub fn CalendarFeed() -> Html {
    let lang = use_lang();
    let texts = lang.texts();
    let (version, reload) = use_version();
    let status = use_get::<CalendarFeedResponse>("/me/calendar-feed".to_owned(), version);
    let made = use_state(|| None::<String>);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let active = status
        .as_ref()
        .and_then(|loaded| loaded.as_ref().ok())
        .is_some_and(|status| status.active);

    let make = {
        let (made, error, busy, reload) =
            (made.clone(), error.clone(), busy.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (made, error, busy, reload) =
                (made.clone(), error.clone(), busy.clone(), reload.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<CalendarFeedResponse, _> =
                    api::post("/me/calendar-feed", &serde_json::json!({})).await;
                busy.set(false);
                match result {
                    Ok(feed) => {
                        error.set(None);
                        made.set(feed.url);
                        reload.emit(());
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };
    let revoke = {
        let (made, error, busy, reload) =
            (made.clone(), error.clone(), busy.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (made, error, busy, reload) =
                (made.clone(), error.clone(), busy.clone(), reload.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<(), _> = api::delete("/me/calendar-feed").await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        error.set(None);
                        made.set(None);
                        reload.emit(());
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };
    html! {
        <>
            <h2>{ lang.t("Agenda", "Calendar") }</h2>
            <p class="muted">{ lang.t(
                "Abonneer je agenda-app op je koppelingsrondes: deadlines, start van de opleidingsplaats en geplande kennismakingsgesprekken. Houd de link voor jezelf: wie hem heeft, ziet deze data.",
                "Subscribe your calendar app to your coupling rounds: deadlines, placement start and planned interviews. Keep the link to yourself: whoever has it sees these dates.") }</p>
            if let Some(message) = error.as_ref().map(|e| e.message(texts)) {
                <div class="alert" role="alert">{ message }</div>
            }
            if let Some(url) = made.as_ref() {
                <label for="calendar-url">{ lang.t("Je agenda-link (alleen nu te zien)", "Your calendar link (shown only now)") }</label>
                <input id="calendar-url" type="text" readonly=true value={url.clone()} data-testid="calendar-url" />
            } else if active {
                <p data-testid="calendar-active">{ lang.t(
                    "Je hebt een agenda-link. Kwijt? Maak een nieuwe: de oude werkt dan niet meer.",
                    "You have a calendar link. Lost it? Make a new one: the old one then stops working.") }</p>
            }
            <div class="actions">
                <button type="button" disabled={*busy} onclick={make}>
                    { if active { lang.t("Nieuwe agenda-link maken", "Make a new calendar link") } else { lang.t("Agenda-link maken", "Make a calendar link") } }
                </button>
                if active {
                    <button type="button" class="danger" disabled={*busy} onclick={revoke}>{ lang.t("Agenda-link intrekken", "Revoke the calendar link") }</button>
                }
            </div>
        </>
    }
}

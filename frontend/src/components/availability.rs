//! A trainer's availability requests: before a round the O-team asks whether they can take a
//! trainee; they answer here (the request mail links to `/availability`): available or not, for
//! which years, one trainee or two (duo practice), and a note.

use koppel_api_types::{
    AvailabilityAnswerRequest, MyAvailabilityRequest, MyAvailabilityRequestList,
};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::use_lang;

/// Props: whether to say so when there are no requests (the page does, the home page does not).
#[derive(Properties, PartialEq)]
pub struct AvailabilityProps {
    /// Show "no requests" when there are none.
    #[prop_or_default]
    pub show_empty: bool,
}

/// Every request to the signed-in trainer, each with its form.
#[component]
pub fn MyAvailability(props: &AvailabilityProps) -> Html {
    let lang = use_lang();
    let texts = lang.texts();
    let (version, reload) = use_version();
    let list =
        use_get::<MyAvailabilityRequestList>("/me/availability-requests".to_owned(), version);
    match list {
        None => html! {},
        Some(Err(error)) => {
            html! { <div class="alert" role="alert">{ error.message(texts) }</div> }
        }
        Some(Ok(list)) if list.items.is_empty() => {
            if props.show_empty {
                html! { <section class="card"><p class="muted">{ lang.t("Er is je nog niets gevraagd over je beschikbaarheid.", "Nobody has asked for your availability yet.") }</p></section> }
            } else {
                html! {}
            }
        }
        Some(Ok(list)) => html! {
            <>
                { for list.items.iter().map(|item| html! {
                    <AvailabilityForm key={item.round_id.to_string()} item={item.clone()} on_saved={reload.clone()} />
                }) }
            </>
        },
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    item: MyAvailabilityRequest,
    on_saved: Callback<()>,
}

fn round_label(lang: Lang, item: &MyAvailabilityRequest) -> String {
    format!(
        "{} {} {}",
        lang.t("Koppelingsronde", "Coupling round"),
        lang.month(&item.start_month),
        item.start_year
    )
}

#[component]
fn AvailabilityForm(props: &FormProps) -> Html {
    let lang = use_lang();
    let texts = lang.texts();
    let item = &props.item;
    let current = &item.availability;
    let available = use_state(|| current.available.unwrap_or(true));
    let years = use_state(|| {
        if current.training_years.is_empty() {
            item.offered_years.clone()
        } else {
            current.training_years.clone()
        }
    });
    let capacity = use_state(|| current.capacity.unwrap_or(1));
    let note = use_state(|| current.note.clone().unwrap_or_default());
    let error = use_state(|| None::<ClientError>);
    let saved = use_state(|| false);
    let busy = use_state(|| false);
    let round = item.round_id;
    let onsubmit = {
        let (available, years, capacity, note, error, saved, busy, on_saved) = (
            available.clone(),
            years.clone(),
            capacity.clone(),
            note.clone(),
            error.clone(),
            saved.clone(),
            busy.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = AvailabilityAnswerRequest {
                available: *available,
                training_years: (*years).clone(),
                capacity: *capacity,
                note: Some((*note).clone()).filter(|n| !n.trim().is_empty()),
            };
            let (error, saved, busy, on_saved) =
                (error.clone(), saved.clone(), busy.clone(), on_saved.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<MyAvailabilityRequest, _> =
                    api::put(&format!("/rounds/{round}/availability/mine"), &request).await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        error.set(None);
                        saved.set(true);
                        on_saved.emit(());
                    }
                    Err(failure) => {
                        saved.set(false);
                        error.set(Some(failure));
                    }
                }
            });
        })
    };
    let field = |name: &str| error.as_ref().and_then(|e| e.field(name));
    let title_id = format!("availability-{round}");
    html! {
        <section class="card narrow" aria-labelledby={title_id.clone()} data-testid="availability-request">
            <h2 id={title_id}>{ format!("{}: {}", lang.t("Beschikbaarheid", "Availability"), round_label(lang, item)) }</h2>
            <p class="muted">{ format!("{} {}.", lang.t("De opleidingsplaatsen beginnen", "The placements start"), lang.date(item.placement_start)) }
                if current.answered_at.is_none() { { " " }<strong>{ lang.t("Je hebt nog niet geantwoord.", "You have not answered yet.") }</strong> }
            </p>
            if *saved {
                <p class="success" role="status">{ lang.t("Je antwoord is opgeslagen; het O-team ziet het.", "Your answer has been saved; the O-team sees it.") }</p>
            }
            if let Some(message) = error.as_ref().filter(|e| e.field("training_years").is_none() && e.field("capacity").is_none() && e.field("note").is_none()).map(|e| e.message(texts)) {
                <div class="alert" role="alert">{ message }</div>
            }
            if !item.open {
                <p class="muted">{ lang.t("Stap 1 van deze ronde is voorbij; je antwoord kan niet meer veranderen.", "Step 1 of this round is over; your answer can no longer change.") }</p>
            }
            <form onsubmit={onsubmit} novalidate=true>
                <fieldset disabled={!item.open}>
                    <legend>{ lang.t("Kun je in deze ronde een aios opleiden?", "Can you train a trainee in this round?") }</legend>
                    <label class="inline"><input type="radio" name={format!("available-{round}")} checked={*available}
                        onchange={let available = available.clone(); Callback::from(move |_| available.set(true))} />{ lang.t("Ja, ik ben beschikbaar", "Yes, I am available") }</label>
                    <label class="inline"><input type="radio" name={format!("available-{round}")} checked={!*available}
                        onchange={let available = available.clone(); Callback::from(move |_| available.set(false))} />{ lang.t("Nee, deze ronde niet", "No, not this round") }</label>
                </fieldset>
                if *available {
                    <fieldset disabled={!item.open} aria-describedby={field("training_years").map(|_| format!("years-{round}-error"))}>
                        <legend>{ lang.t("Voor welk opleidingsjaar?", "For which training year?") }</legend>
                        { for item.offered_years.iter().map(|year| {
                            let year = *year;
                            let checked = years.contains(&year);
                            let years = years.clone();
                            html! {
                                <label class="inline"><input type="checkbox" checked={checked} onchange={Callback::from(move |event: Event| {
                                    let input: HtmlInputElement = event.target_unchecked_into();
                                    let mut next: Vec<u8> = (*years).iter().copied().filter(|y| *y != year).collect();
                                    if input.checked() { next.push(year); next.sort(); }
                                    years.set(next);
                                })} />{ format!("{} {year}", lang.t("Jaar", "Year")) }</label>
                            }
                        }) }
                        if let Some(message) = field("training_years") { <p class="field-error" id={format!("years-{round}-error")}>{ message }</p> }
                    </fieldset>
                    <label for={format!("capacity-{round}")}>{ lang.t("Hoeveel aios?", "How many trainees?") }</label>
                    <select id={format!("capacity-{round}")} disabled={!item.open} onchange={let capacity = capacity.clone(); Callback::from(move |event: Event| {
                        let select: HtmlSelectElement = event.target_unchecked_into();
                        capacity.set(select.value().parse().unwrap_or(1));
                    })}>
                        <option value="1" selected={*capacity == 1}>{ lang.t("Eén aios", "One trainee") }</option>
                        <option value="2" selected={*capacity == 2}>{ lang.t("Twee aios (duopraktijk)", "Two trainees (duo practice)") }</option>
                    </select>
                    if let Some(message) = field("capacity") { <p class="field-error">{ message }</p> }
                }
                <label for={format!("note-{round}")}>{ lang.t("Toelichting voor het O-team (optioneel)", "Note for the O-team (optional)") }</label>
                <textarea id={format!("note-{round}")} maxlength="1000" disabled={!item.open} value={(*note).clone()}
                    oninput={let note = note.clone(); Callback::from(move |event: InputEvent| {
                        let area: HtmlTextAreaElement = event.target_unchecked_into();
                        note.set(area.value());
                    })} />
                if let Some(message) = field("note") { <p class="field-error">{ message }</p> }
                if item.open {
                    <button class="primary" type="submit" disabled={*busy}>{ lang.t("Antwoord opslaan", "Save answer") }</button>
                }
            </form>
        </section>
    }
}

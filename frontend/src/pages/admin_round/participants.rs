//! The round's participants: adding and withdrawing trainees and trainers, their availability.

use koppel_api_types::{
    AddRoundTraineeRequest, AddRoundTrainerRequest, AvailabilityRequestRequest,
    AvailabilityRequestsSent, CandidateTrainerListResponse, DueTraineeListResponse,
    SetCapacityRequest, TrainerAvailability,
};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self};
use crate::components::status::{Outcome, empty, run, show};
use crate::i18n::Lang;
use crate::session::use_lang;

#[derive(Properties, PartialEq)]
pub(super) struct ParticipantsProps {
    pub(super) round: Uuid,
    /// Whether trainers' availability can be asked (draft and step 1).
    pub(super) asking: bool,
    pub(super) due: crate::hooks::Loaded<DueTraineeListResponse>,
    pub(super) candidates: crate::hooks::Loaded<CandidateTrainerListResponse>,
    pub(super) on_change: Callback<()>,
}

#[component]
pub(super) fn Participants(props: &ParticipantsProps) -> Html {
    let lang = use_lang();
    let outcome = use_state(Outcome::default);
    let round = props.round;
    let add_trainee = |id: Uuid| {
        let (outcome, on_change) = (outcome.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let request = AddRoundTraineeRequest { trainee_id: id };
            run(
                outcome.clone(),
                async move { api::post::<_, ()>(&format!("/rounds/{round}/trainees"), &request).await },
                lang.t(
                    "Toegevoegd; de aios krijgt een mail.",
                    "Added; the trainee gets a mail.",
                )
                .to_owned(),
                on_change.clone(),
            );
        })
    };
    let add_trainer = |id: Uuid| {
        let (outcome, on_change) = (outcome.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let request = AddRoundTrainerRequest {
                trainer_id: id,
                capacity: None,
            };
            run(
                outcome.clone(),
                async move { api::post::<_, ()>(&format!("/rounds/{round}/trainers"), &request).await },
                lang.t(
                    "Toegevoegd; de opleider krijgt een mail.",
                    "Added; the trainer gets a mail.",
                )
                .to_owned(),
                on_change.clone(),
            );
        })
    };
    let set_capacity = |id: Uuid| {
        let (outcome, on_change) = (outcome.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let target: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let capacity = target.value().parse().unwrap_or(1);
            let request = SetCapacityRequest { capacity };
            run(
                outcome.clone(),
                async move {
                    api::put::<_, ()>(&format!("/rounds/{round}/trainers/{id}"), &request).await
                },
                lang.t("Aantal plaatsen opgeslagen.", "Number of places saved.")
                    .to_owned(),
                on_change.clone(),
            );
        })
    };
    let ask = |remind: bool| {
        let (outcome, on_change) = (outcome.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let request = AvailabilityRequestRequest { remind };
            let (outcome2, on_change) = (outcome.clone(), on_change.clone());
            outcome.set(Outcome::Busy);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, AvailabilityRequestsSent>(
                    &format!("/rounds/{round}/availability-requests"),
                    &request,
                )
                .await
                {
                    Ok(sent) => {
                        outcome2.set(Outcome::Done(match (lang, remind) {
                            (Lang::Nl, false) => format!(
                                "{} opleiders gevraagd naar hun beschikbaarheid.",
                                sent.sent
                            ),
                            (Lang::Nl, true) => format!("{} herinneringen verstuurd.", sent.sent),
                            (Lang::En, false) => {
                                format!("{} trainers asked for their availability.", sent.sent)
                            }
                            (Lang::En, true) => format!("{} reminders sent.", sent.sent),
                        }));
                        on_change.emit(());
                    }
                    Err(error) => outcome2.set(Outcome::Failed(error)),
                }
            });
        })
    };
    html! {
        <section class="card" id="participants" aria-labelledby="participants-title">
            <h2 id="participants-title">{ lang.t("Deelnemers", "Participants") }</h2>
            { outcome.view(lang, &[]) }
            <div class="two-columns">
                <div>
                    <h3>{ lang.t("Aios die aan de beurt zijn (A-team)", "Trainees due (A-team)") }</h3>
                    { show(lang, &props.due, |list| {
                        if list.items.is_empty() { return empty(lang.t("Geen aios aan de beurt voor deze ronde.", "No trainees due for this round.")); }
                        html! {
                            <ul class="plain" data-testid="due-trainees">
                                { for list.items.iter().map(|t| html! {
                                    <li key={t.trainee_id.to_string()} class="item">
                                        <span>{ t.name.clone() }{ format!(" · {} {}", lang.t("jaar", "year"), t.training_year) }</span>
                                        if t.added {
                                            <span class="badge small">{ lang.t("doet mee", "taking part") }</span>
                                        } else {
                                            <button type="button" onclick={add_trainee(t.trainee_id)} aria-label={format!("{} {}", lang.t("Toevoegen:", "Add:"), t.name)}>{ lang.t("Toevoegen", "Add") }</button>
                                        }
                                    </li>
                                }) }
                            </ul>
                        }
                    }) }
                </div>
                <div>
                    <h3>{ lang.t("Beschikbare opleiders in continuïteitsvolgorde (O-team)", "Available trainers in continuity order (O-team)") }</h3>
                    if props.asking {
                        <div class="actions">
                            <button type="button" disabled={outcome.is_busy()} onclick={ask(false)}>{ lang.t("Beschikbaarheid vragen", "Ask for availability") }</button>
                            <button type="button" disabled={outcome.is_busy()} onclick={ask(true)}>{ lang.t("Herinnering beschikbaarheid", "Remind about availability") }</button>
                        </div>
                    }
                    { show(lang, &props.candidates, |list| {
                        if list.items.is_empty() { return empty(lang.t("Geen geschikte opleiders.", "No eligible trainers.")); }
                        html! {
                            <ul class="plain" data-testid="candidate-trainers">
                                { for list.items.iter().map(|t| html! {
                                    <li key={t.trainer_id.to_string()} class="item">
                                        <span><span class="rank">{ format!("{}.", t.continuity_rank) }</span>{ " " }{ t.name.clone() }
                                            if t.large_scale_structure { { " " }<span class="badge small">{ lang.t("grootschalig", "large-scale") }</span> }
                                            <span class="muted">{ match t.last_trainee_end { Some(d) => format!(" · {} {}", lang.t("laatste aios tot", "last trainee until"), lang.date(d)), None => format!(" · {}", lang.t("nog geen aios gehad", "no trainee yet")) } }</span>
                                            { availability_view(lang, t.availability.as_ref()) }
                                        </span>
                                        if t.added {
                                            <span class="badge small">{ lang.t("doet mee", "taking part") }</span>
                                            <label class="inline">{ lang.t("Plaatsen", "Places") }{ " " }
                                                <select aria-label={format!("{} {}", lang.t("Plaatsen voor", "Places for"), t.name)}
                                                    onchange={set_capacity(t.trainer_id)}>
                                                    { for (1..=4u32).map(|n| html! {
                                                        <option value={n.to_string()} selected={t.capacity == Some(n)}>{ if n == 2 { format!("2 ({})", lang.t("duopraktijk", "duo practice")) } else { n.to_string() } }</option>
                                                    }) }
                                                </select>
                                            </label>
                                        } else {
                                            <button type="button" onclick={add_trainer(t.trainer_id)} aria-label={format!("{} {}", lang.t("Toevoegen:", "Add:"), t.name)}>{ lang.t("Toevoegen", "Add") }</button>
                                        }
                                    </li>
                                }) }
                            </ul>
                        }
                    }) }
                </div>
            </div>
        </section>
    }
}

/// A trainer's availability answer in words, or that they have not answered or were not asked.
pub(super) fn availability_view(lang: Lang, availability: Option<&TrainerAvailability>) -> Html {
    let Some(a) = availability else {
        return html! {};
    };
    let text = match a.available {
        None => lang
            .t(
                "beschikbaarheid: nog geen antwoord",
                "availability: no answer yet",
            )
            .to_owned(),
        Some(false) => lang.t("niet beschikbaar", "not available").to_owned(),
        Some(true) => {
            let years = a
                .training_years
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(lang.t(" en ", " and "));
            let places = a.capacity.unwrap_or(1);
            format!(
                "{} {years}, {places} {}",
                lang.t("beschikbaar voor jaar", "available for year"),
                if places == 1 {
                    lang.t("aios", "trainee")
                } else {
                    lang.t("aios (duopraktijk)", "trainees (duo practice)")
                }
            )
        }
    };
    html! {
        <span class="availability" data-testid="availability">
            { " · " }{ text }
            if let Some(note) = a.note.as_ref() { <span class="muted">{ format!(" — “{note}”") }</span> }
        </span>
    }
}

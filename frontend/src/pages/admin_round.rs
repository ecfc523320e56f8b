//! Coordinators: one round through all its steps: phase, participants, progress and reminders,
//! the interview proposal, coupling runs, withdrawals and manual couplings, vetoes and the audit
//! log.

use std::collections::HashMap;
use std::rc::Rc;

use koppel_api_types::{
    AddRoundTraineeRequest, AddRoundTrainerRequest, AuditLogResponse, AvailabilityRequestRequest,
    AvailabilityRequestsSent, CandidateTrainerListResponse, CouplingRunListResponse,
    CouplingRunRequest, DueTraineeListResponse, HoldRequest, ManualCouplingRequest,
    ProgressResponse, ProposalAdjustmentRequest, ReminderRequest, ReminderResponse, RoundResponse,
    SetCapacityRequest, TrainerAvailability, TransitionRequest, VetoListResponse,
    WithdrawalRequest,
};
use serde::Deserialize;
use uuid::Uuid;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::chart::RankChart;
use crate::components::explain::{Alternative, sentence};
use crate::components::round_message::RoundMessage;
use crate::components::status::{Outcome, confirmed, empty, run, show};
use crate::components::timeline::{Timeline, round_title};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::{SessionHandle, signed_in};

const NEXT: [(&str, &str); 6] = [
    ("draft", "profiles"),
    ("profiles", "preferences"),
    ("preferences", "interviews"),
    ("interviews", "coupling"),
    ("coupling", "published"),
    ("published", "closed"),
];

/// Properties of [`AdminRoundPage`].
#[derive(Properties, PartialEq)]
pub struct AdminRoundProps {
    /// Round id.
    pub id: String,
}

/// The coordinators' round page.
#[component]
pub fn AdminRoundPage(props: &AdminRoundProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (version, reload) = use_version();
    let round = use_get::<RoundResponse>(format!("/rounds/{}", props.id), version);
    let due =
        use_get::<DueTraineeListResponse>(format!("/rounds/{}/due-trainees", props.id), version);
    let candidates = use_get::<CandidateTrainerListResponse>(
        format!("/rounds/{}/candidate-trainers", props.id),
        version,
    );
    let mut names: HashMap<Uuid, String> = HashMap::new();
    if let Some(Ok(due)) = &due {
        names.extend(due.items.iter().map(|t| (t.trainee_id, t.name.clone())));
    }
    if let Some(Ok(candidates)) = &candidates {
        names.extend(
            candidates
                .items
                .iter()
                .map(|t| (t.trainer_id, t.name.clone())),
        );
    }
    let names = Rc::new(names);
    let taking_part = ParticipantLists {
        trainees: match &due {
            Some(Ok(due)) => due
                .items
                .iter()
                .filter(|t| t.added)
                .map(|t| (t.trainee_id, t.name.clone()))
                .collect(),
            _ => Vec::new(),
        },
        trainers: match &candidates {
            Some(Ok(c)) => c
                .items
                .iter()
                .filter(|t| t.added)
                .map(|t| (t.trainer_id, t.name.clone()))
                .collect(),
            _ => Vec::new(),
        },
    };
    signed_in(&session, |me| {
        let role = me.role;
        show(lang, &round, |round| {
            let phase = round.phase.as_str();
            let id = round.id;
            html! {
                <>
                    <PhaseCard round={round.clone()} on_change={reload.clone()} />
                    <nav class="card subnav" aria-label={lang.t("Onderdelen van de ronde", "Parts of the round")}>
                        <a href="#participants">{ lang.t("Deelnemers", "Participants") }</a>
                        <a href="#progress">{ lang.t("Voortgang", "Progress") }</a>
                        if phase == "preferences" {
                            <a href="#proposal">{ lang.t("Gesprekken", "Interviews") }</a>
                        }
                        if matches!(phase, "coupling" | "published" | "closed") {
                            <a href="#runs">{ lang.t("Koppeling", "Coupling") }</a>
                        }
                        if matches!(phase, "coupling" | "published") {
                            <a href="#changes">{ lang.t("Uitval en handmatig", "Drop-outs and manual") }</a>
                        }
                        <a href="#message">{ lang.t("Bericht", "Message") }</a>
                        <a href="#vetoes">{ lang.t("Veto's", "Vetoes") }</a>
                        <a href="#audit">{ lang.t("Logboek", "Audit log") }</a>
                    </nav>
                    <Participants round={id} asking={matches!(phase, "draft" | "profiles")} due={due.clone()} candidates={candidates.clone()} on_change={reload.clone()} />
                    <Progress round={id} version={version} />
                    if phase == "preferences" {
                        <Proposal round={id} names={names.clone()} trainers={taking_part.trainers.clone()} on_change={reload.clone()} />
                    }
                    if matches!(phase, "coupling" | "published" | "closed") {
                        <Runs round={id} phase={round.phase.clone()} version={version} names={names.clone()} on_change={reload.clone()} />
                    }
                    if matches!(phase, "coupling" | "published") {
                        <Changes round={id} people={taking_part.clone()} on_change={reload.clone()} />
                    }
                    <RoundMessage round={id} {role} on_sent={reload.clone()} />
                    <Vetoes round={id} names={names.clone()} version={version} />
                    <Audit round={id} version={version} />
                </>
            }
        })
    })
}

#[derive(Properties, PartialEq)]
struct PhaseProps {
    round: RoundResponse,
    on_change: Callback<()>,
}

#[component]
fn PhaseCard(props: &PhaseProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let outcome = use_state(Outcome::default);
    let round = &props.round;
    let next = NEXT
        .iter()
        .find(|(from, _)| *from == round.phase)
        .map(|(_, to)| *to);
    let move_to = |to: &'static str| {
        let (outcome, on_change, id) = (outcome.clone(), props.on_change.clone(), round.id);
        Callback::from(move |_: MouseEvent| {
            let question = if to == "cancelled" {
                lang.t(
                    "De ronde annuleren? Dit kan niet ongedaan worden gemaakt.",
                    "Cancel the round? This cannot be undone.",
                )
                .to_owned()
            } else {
                format!(
                    "{} {}? {}",
                    lang.t("Naar fase", "Move to phase"),
                    lang.phase(to),
                    lang.t(
                        "Terug naar de vorige fase kan niet.",
                        "There is no going back to the previous phase."
                    ),
                )
            };
            if !confirmed(&question) {
                return;
            }
            let request = TransitionRequest { to: to.to_owned() };
            run(
                outcome.clone(),
                async move {
                    api::post::<_, RoundResponse>(&format!("/rounds/{id}/transitions"), &request)
                        .await
                },
                format!(
                    "{} {}",
                    lang.t("Nu in fase:", "Now in phase:"),
                    lang.phase(to)
                ),
                on_change.clone(),
            );
        })
    };
    let hold = |held: bool| {
        let (outcome, on_change, id) = (outcome.clone(), props.on_change.clone(), round.id);
        Callback::from(move |_: MouseEvent| {
            let request = HoldRequest { held };
            run(
                outcome.clone(),
                async move {
                    api::put::<_, RoundResponse>(&format!("/rounds/{id}/hold"), &request).await
                },
                if held {
                    lang.t("De kalender staat stil.", "The calendar is on hold.")
                        .to_owned()
                } else {
                    lang.t("De kalender loopt weer.", "The calendar runs again.")
                        .to_owned()
                },
                on_change.clone(),
            );
        })
    };
    html! {
        <section class="card" aria-labelledby="round-title">
            <h1 id="round-title">{ round_title(lang, round) }</h1>
            <Timeline round={round.clone()} />
            <p class="muted">{ format!("{} {} · {} {}", round.trainees, lang.t("aios", "trainees"), round.trainers, lang.t("opleiders", "trainers")) }</p>
            <div class="actions">
                if let Some(to) = next {
                    <button type="button" class="primary" disabled={outcome.is_busy()} onclick={move_to(to)}>
                        { format!("{} {}", lang.t("Naar", "Move to"), lang.phase(to)) }
                    </button>
                }
                if !matches!(round.phase.as_str(), "closed" | "cancelled") {
                    <button type="button" disabled={outcome.is_busy()} onclick={hold(!round.held)} data-testid="hold">
                        { if round.held { lang.t("Kalender hervatten", "Resume the calendar") } else { lang.t("Kalender pauzeren", "Hold the calendar") } }
                    </button>
                    <button type="button" class="danger" disabled={outcome.is_busy()} onclick={move_to("cancelled")}>{ lang.t("Ronde annuleren", "Cancel round") }</button>
                }
            </div>
            if !matches!(round.phase.as_str(), "closed" | "cancelled") {
                <p class="muted" data-testid="calendar-status">{
                    if round.held {
                        lang.t("De kalender staat stil: stappen openen niet vanzelf en er gaan geen herinneringen.",
                            "The calendar is on hold: steps do not open by themselves and no reminders go.")
                    } else {
                        lang.t("De kalender loopt: stap 1 tot en met 3 openen op hun datum (stap 3 zodra het gespreksvoorstel gepubliceerd is); deelnemers krijgen bericht en een herinnering vóór elke deadline. De koppelingsstap en publiceren doe je zelf.",
                            "The calendar runs: steps 1 to 3 open on their dates (step 3 once the interview proposal is published); participants are told and reminded before each deadline. Opening the coupling step and publishing stay with you.")
                    }
                }</p>
            }
            { outcome.view(lang, &[]) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ParticipantsProps {
    round: Uuid,
    /// Whether trainers' availability can be asked (draft and step 1).
    asking: bool,
    due: crate::hooks::Loaded<DueTraineeListResponse>,
    candidates: crate::hooks::Loaded<CandidateTrainerListResponse>,
    on_change: Callback<()>,
}

#[component]
fn Participants(props: &ParticipantsProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
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
fn availability_view(lang: Lang, availability: Option<&TrainerAvailability>) -> Html {
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

#[derive(Properties, PartialEq)]
struct VersionedProps {
    round: Uuid,
    version: u32,
}

fn step_name(lang: Lang, step: &str) -> &'static str {
    match step {
        "activation" => lang.t("Account geactiveerd", "Account activated"),
        "profiles" => lang.t("Profiel ingevuld", "Profile filled in"),
        "preferences" => lang.t("Voorkeuren opgegeven", "Preferences submitted"),
        "final_ranking" => lang.t("Definitieve rangorde", "Final ranking"),
        _ => lang.t("Stap", "Step"),
    }
}

#[component]
fn Progress(props: &VersionedProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (own, reload) = use_version();
    let progress = use_get::<ProgressResponse>(
        format!("/rounds/{}/progress", props.round),
        props.version.wrapping_add(own),
    );
    let outcome = use_state(Outcome::default);
    let round = props.round;
    html! {
        <section class="card" id="progress" aria-labelledby="progress-title">
            <h2 id="progress-title">{ lang.t("Voortgang", "Progress") }</h2>
            { outcome.view(lang, &[]) }
            { show(lang, &progress, |p| html! {
                <div class="steps">
                    { for p.steps.iter().map(|step| {
                        let remind = {
                            let (outcome, reload, step) = (outcome.clone(), reload.clone(), step.step.clone());
                            Callback::from(move |_: MouseEvent| {
                                let request = ReminderRequest { step: step.clone() };
                                let outcome2 = outcome.clone();
                                let reload = reload.clone();
                                wasm_bindgen_futures::spawn_local(async move {
                                    match api::post::<_, ReminderResponse>(&format!("/rounds/{round}/reminders"), &request).await {
                                        Ok(r) => { outcome2.set(Outcome::Done(match lang { Lang::Nl => format!("{} herinneringen verstuurd.", r.sent), Lang::En => format!("{} reminders sent.", r.sent) })); reload.emit(()); }
                                        Err(e) => outcome2.set(Outcome::Failed(e)),
                                    }
                                });
                            })
                        };
                        let total = step.done.len() + step.not_done.len();
                        html! {
                            <div class="step" key={step.step.clone()}>
                                <h3>{ step_name(lang, &step.step) }</h3>
                                <p>
                                    <meter min="0" max={total.max(1).to_string()} value={step.done.len().to_string()} aria-hidden="true"></meter>
                                    { format!(" {}/{} {}", step.done.len(), total, lang.t("klaar", "done")) }
                                    if let Some(deadline) = step.deadline { { format!(" · deadline {}", lang.date(deadline)) } }
                                </p>
                                if !step.not_done.is_empty() {
                                    <details>
                                        <summary>{ format!("{} ({})", lang.t("Nog niet klaar", "Not done yet"), step.not_done.len()) }</summary>
                                        <ul>{ for step.not_done.iter().map(|p| html! { <li key={p.id.to_string()}>{ p.name.clone() }</li> }) }</ul>
                                    </details>
                                    <button type="button" disabled={outcome.is_busy()} onclick={remind}>{ lang.t("Stuur herinnering", "Send reminder") }</button>
                                }
                            </div>
                        }
                    }) }
                </div>
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ProposalProps {
    round: Uuid,
    names: Rc<HashMap<Uuid, String>>,
    /// The round's trainers, to choose from when adjusting.
    trainers: Vec<(Uuid, String)>,
    on_change: Callback<()>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ProposalRow {
    trainee: String,
    trainers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ProposalView {
    interviews: Vec<ProposalRow>,
}

fn name(names: &HashMap<Uuid, String>, id: &str) -> String {
    id.parse::<Uuid>()
        .ok()
        .and_then(|id| names.get(&id).cloned())
        .unwrap_or_else(|| id.to_owned())
}

#[component]
fn Proposal(props: &ProposalProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let proposal = use_state(|| None::<ProposalView>);
    let outcome = use_state(Outcome::default);
    // The trainee being adjusted and the trainers chosen for them.
    let editing = use_state(|| None::<(String, Vec<Uuid>)>);
    let round = props.round;
    let generate = {
        let (proposal, outcome) = (proposal.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            let (proposal, outcome) = (proposal.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, ProposalView>(
                    &format!("/rounds/{round}/interview-proposal"),
                    &(),
                )
                .await
                {
                    Ok(view) => {
                        outcome.set(Outcome::Done(
                            lang.t(
                                "Voorstel berekend. Controleer het en publiceer het.",
                                "Proposal computed. Check it and publish it.",
                            )
                            .to_owned(),
                        ));
                        proposal.set(Some(view));
                    }
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let publish = {
        let (outcome, on_change) = (outcome.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            if !confirmed(lang.t(
                "Het voorstel publiceren? Alle aios en opleiders krijgen meteen een mail met hun gesprekken; daarna kan het voorstel niet meer veranderen.",
                "Publish the proposal? Every trainee and trainer gets a mail with their interviews at once; after that the proposal cannot change.",
            )) {
                return;
            }
            run(
                outcome.clone(),
                async move {
                    api::post::<_, ()>(&format!("/rounds/{round}/interview-proposal/publish"), &())
                        .await
                },
                lang.t(
                    "Gepubliceerd: aios en opleiders krijgen een mail met hun gesprekken.",
                    "Published: trainees and trainers get a mail with their interviews.",
                )
                .to_owned(),
                on_change.clone(),
            );
        })
    };
    let save_edit = {
        let (editing, outcome, proposal) = (editing.clone(), outcome.clone(), proposal.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some((trainee, ids)) = (*editing).clone() else {
                return;
            };
            let request = ProposalAdjustmentRequest { trainer_ids: ids };
            let (editing, outcome, proposal) = (editing.clone(), outcome.clone(), proposal.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, ProposalView>(
                    &format!("/rounds/{round}/interview-proposal/trainees/{trainee}"),
                    &request,
                )
                .await
                {
                    Ok(view) => {
                        proposal.set(Some(view));
                        editing.set(None);
                        outcome.set(Outcome::Done(lang.t("Aangepast.", "Adjusted.").to_owned()));
                    }
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    html! {
        <section class="card" id="proposal" aria-labelledby="proposal-title">
            <h2 id="proposal-title">{ lang.t("Gespreksvoorstel", "Interview proposal") }</h2>
            <p class="muted">{ lang.t("Koppel stelt per aios vier opleiders voor, met elke opleider minstens één keer en zo dat een volledige koppeling mogelijk blijft. Je kunt paren aanpassen voordat je publiceert.", "Koppel proposes four trainers per trainee, every trainer at least once, such that a complete coupling stays possible. You can adjust pairs before publishing.") }</p>
            <div class="actions">
                <button type="button" onclick={generate}>{ lang.t("Voorstel berekenen", "Compute proposal") }</button>
                if proposal.is_some() {
                    <button type="button" class="primary" disabled={outcome.is_busy()} onclick={publish}>{ lang.t("Voorstel publiceren", "Publish proposal") }</button>
                }
            </div>
            { outcome.view(lang, &["trainer_ids"]) }
            if let Some(error) = outcome.field("trainer_ids") { <p class="field-error" role="alert">{ error }</p> }
            if let Some(view) = &*proposal {
                <div class="table-wrap">
                    <table data-testid="proposal">
                        <thead><tr><th scope="col">{ lang.t("Aios", "Trainee") }</th><th scope="col">{ lang.t("Gesprekken", "Interviews") }</th><th scope="col"><span class="sr-only">{ lang.t("Aanpassen", "Adjust") }</span></th></tr></thead>
                        <tbody>
                            { for view.interviews.iter().map(|row| {
                                let trainers: Vec<String> = row.trainers.iter().map(|t| name(&props.names, t)).collect();
                                let chosen: Vec<Uuid> = row.trainers.iter().filter_map(|t| t.parse().ok()).collect();
                                let start = { let (editing, trainee) = (editing.clone(), row.trainee.clone()); Callback::from(move |_: MouseEvent| editing.set(Some((trainee.clone(), chosen.clone())))) };
                                let is_editing = editing.as_ref().is_some_and(|(t, _)| *t == row.trainee);
                                let trainee_name = name(&props.names, &row.trainee);
                                html! {
                                    <tr key={row.trainee.clone()}>
                                        <th scope="row">{ name(&props.names, &row.trainee) }</th>
                                        <td>
                                            if is_editing {
                                                <form onsubmit={save_edit.clone()}>
                                                    <fieldset class="choices">
                                                        <legend>{ format!("{} {trainee_name}", lang.t("Gesprekken van", "Interviews of")) }</legend>
                                                        { for props.trainers.iter().map(|(id, trainer)| {
                                                            let id = *id;
                                                            let checked = editing.as_ref().is_some_and(|(_, ids)| ids.contains(&id));
                                                            let toggle = {
                                                                let editing = editing.clone();
                                                                Callback::from(move |_: Event| {
                                                                    if let Some((trainee, mut ids)) = (*editing).clone() {
                                                                        if let Some(at) = ids.iter().position(|x| *x == id) { ids.remove(at); } else { ids.push(id); }
                                                                        editing.set(Some((trainee, ids)));
                                                                    }
                                                                })
                                                            };
                                                            html! { <label class="check" key={id.to_string()}><input type="checkbox" {checked} onchange={toggle} />{ trainer.clone() }</label> }
                                                        }) }
                                                    </fieldset>
                                                    <button type="submit">{ lang.t("Opslaan", "Save") }</button>
                                                </form>
                                            } else {
                                                { trainers.join(", ") }
                                            }
                                        </td>
                                        <td>
                                            if !is_editing {
                                                <button type="button" onclick={start} aria-label={format!("{} {trainee_name}", lang.t("Aanpassen:", "Adjust:"))}>{ lang.t("Aanpassen", "Adjust") }</button>
                                            }
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RunsProps {
    round: Uuid,
    phase: String,
    version: u32,
    names: Rc<HashMap<Uuid, String>>,
    on_change: Callback<()>,
}

#[component]
fn Runs(props: &RunsProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (own, reload) = use_version();
    let runs = use_get::<CouplingRunListResponse>(
        format!("/rounds/{}/coupling-runs", props.round),
        props.version.wrapping_add(own),
    );
    let objective = use_state(|| "total".to_owned());
    let outcome = use_state(Outcome::default);
    let round = props.round;
    let start = {
        let (objective, outcome, reload) = (objective.clone(), outcome.clone(), reload.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = CouplingRunRequest {
                objective: Some((*objective).clone()),
                keep_published: None,
            };
            run(
                outcome.clone(),
                async move {
                    api::post::<_, serde_json::Value>(
                        &format!("/rounds/{round}/coupling-runs"),
                        &request,
                    )
                    .await
                },
                lang.t("Koppeling berekend.", "Coupling computed.")
                    .to_owned(),
                reload.clone(),
            );
        })
    };
    let publish = |run_id: Uuid| {
        let (outcome, on_change) = (outcome.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            if !confirmed(lang.t(
                "Deze koppeling publiceren? Iedereen krijgt meteen de uitslag per mail.",
                "Publish this coupling? Everyone gets the result by mail at once.",
            )) {
                return;
            }
            run(
                outcome.clone(),
                async move {
                    api::post::<_, serde_json::Value>(
                        &format!("/rounds/{round}/coupling-runs/{run_id}/publish"),
                        &(),
                    )
                    .await
                },
                lang.t(
                    "Gepubliceerd: iedereen krijgt de uitslag per mail.",
                    "Published: everyone gets the result by mail.",
                )
                .to_owned(),
                on_change.clone(),
            );
        })
    };
    html! {
        <section class="card" id="runs" aria-labelledby="runs-title">
            <h2 id="runs-title">{ lang.t("Koppeling", "Coupling") }</h2>
            <form onsubmit={start} class="row">
                <div class="field">
                    <label for="objective">{ lang.t("Doel", "Objective") }</label>
                    <select id="objective" onchange={let objective = objective.clone(); Callback::from(move |e: Event| objective.set(e.target_unchecked_into::<HtmlSelectElement>().value()))}>
                        <option value="total" selected={*objective == "total"}>{ objective_name(lang, "total") }</option>
                        <option value="minimax" selected={*objective == "minimax"}>{ objective_name(lang, "minimax") }</option>
                    </select>
                </div>
                <button type="submit" class="primary">{ lang.t("Koppeling berekenen", "Compute coupling") }</button>
            </form>
            { outcome.view(lang, &[]) }
            { show(lang, &runs, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog geen berekeningen.", "No runs yet.")); }
                html! {
                    <div class="runs" data-testid="runs">
                        { for list.items.iter().enumerate().map(|(index, r)| html! {
                            <article class="run" key={r.id.to_string()} aria-label={format!("{} {}", lang.t("Berekening", "Run"), index + 1)}>
                                <h3>{ format!("{} {} · {}", lang.t("Berekening", "Run"), index + 1, objective_name(lang, &r.objective)) }</h3>
                                <dl class="stats">
                                    <dt>{ lang.t("Gekoppeld", "Coupled") }</dt><dd>{ r.matched }</dd>
                                    <dt>{ lang.t("Niet gekoppeld", "Unmatched") }</dt><dd>{ r.unmatched }</dd>
                                    <dt>{ lang.t("Slechtste keuze", "Worst rank") }</dt><dd>{ r.worst_rank }</dd>
                                    <dt>{ lang.t("Blokkerende paren", "Blocking pairs") }</dt><dd>{ r.blocking_pairs }</dd>
                                </dl>
                                <div class="charts">
                                    <RankChart title={lang.t("Aios: kregen keuze", "Trainees: got choice")} rank_label={lang.t("keuze", "choice")} values={r.trainee_rank_distribution.clone()} />
                                    <RankChart title={lang.t("Opleiders: kregen keuze", "Trainers: got choice")} rank_label={lang.t("keuze", "choice")} values={r.trainer_rank_distribution.clone()} />
                                </div>
                                <details>
                                    <summary>{ lang.t("Koppelingen, blokkerende paren en uitleg", "Couplings, blocking pairs and explanations") }</summary>
                                    <RunDetail round={round} run={r.id} names={props.names.clone()} />
                                </details>
                                if let Some(at) = r.published_at {
                                    <p class="success">{ format!("{} {}", lang.t("Gepubliceerd op", "Published on"), lang.moment(at)) }</p>
                                } else if props.phase == "coupling" || props.phase == "published" {
                                    <button type="button" class="primary" disabled={outcome.is_busy()} onclick={publish(r.id)}>{ lang.t("Deze koppeling publiceren", "Publish this coupling") }</button>
                                }
                            </article>
                        }) }
                    </div>
                }
            }) }
        </section>
    }
}

/// The trainees and trainers taking part, by id and name.
#[derive(Debug, Clone, PartialEq)]
struct ParticipantLists {
    trainees: Vec<(Uuid, String)>,
    trainers: Vec<(Uuid, String)>,
}

#[derive(Properties, PartialEq)]
struct ChangesProps {
    round: Uuid,
    people: ParticipantLists,
    on_change: Callback<()>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Pair {
    trainee: String,
    trainer: String,
    trainee_rank: u32,
    trainer_rank: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Unmatched {
    trainee: String,
    reason: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ExplainedAlternative {
    trainer: String,
    trainee_rank: u32,
    possible: bool,
    matched_change: i64,
    total_rank_change: i64,
    worst_rank_change: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Explained {
    trainee: String,
    trainee_rank: Option<u32>,
    alternatives: Vec<ExplainedAlternative>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RunResult {
    assignments: Vec<Pair>,
    unmatched_trainees: Vec<Unmatched>,
    blocking_pairs: Vec<Pair>,
    explanations: Vec<Explained>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RunDetailResponse {
    result: RunResult,
}

#[derive(Properties, PartialEq)]
struct RunDetailProps {
    round: Uuid,
    run: Uuid,
    names: Rc<HashMap<Uuid, String>>,
}

/// A run's couplings with both sides' ranks, who stayed unmatched and why, the blocking pairs
/// and the matcher's explanations.
#[component]
fn RunDetail(props: &RunDetailProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let detail = use_get::<RunDetailResponse>(
        format!("/rounds/{}/coupling-runs/{}", props.round, props.run),
        0,
    );
    let n = |id: &str| name(&props.names, id);
    show(lang, &detail, |d| {
        let r = &d.result;
        html! {
            <div class="run-detail">
                <div class="table-wrap"><table>
                    <thead><tr>
                        <th scope="col">{ lang.t("Aios", "Trainee") }</th><th scope="col">{ lang.t("Opleider", "Trainer") }</th>
                        <th scope="col">{ lang.t("Keuze aios", "Trainee's choice") }</th><th scope="col">{ lang.t("Keuze opleider", "Trainer's choice") }</th>
                    </tr></thead>
                    <tbody>{ for r.assignments.iter().map(|a| html! {
                        <tr><td>{ n(&a.trainee) }</td><td>{ n(&a.trainer) }</td><td>{ a.trainee_rank }</td><td>{ a.trainer_rank }</td></tr>
                    }) }</tbody>
                </table></div>
                if !r.unmatched_trainees.is_empty() {
                    <h4>{ lang.t("Niet gekoppeld", "Unmatched") }</h4>
                    <ul>{ for r.unmatched_trainees.iter().map(|u| html! { <li>{ n(&u.trainee) }{ ": " }{ u.reason.clone() }</li> }) }</ul>
                }
                <h4>{ lang.t("Blokkerende paren", "Blocking pairs") }</h4>
                if r.blocking_pairs.is_empty() {
                    <p class="muted">{ lang.t("Geen: geen aios en opleider hadden elkaar allebei liever gehad dan wat ze kregen.", "None: no trainee and trainer both preferred each other to what they got.") }</p>
                } else {
                    <ul>{ for r.blocking_pairs.iter().map(|b| html! { <li>{ format!("{} – {}", n(&b.trainee), n(&b.trainer)) }</li> }) }</ul>
                }
                <h4>{ lang.t("Uitleg", "Explanations") }</h4>
                if r.explanations.is_empty() {
                    <p class="muted">{ lang.t("Iedereen kreeg de eerste keus.", "Everyone got their first choice.") }</p>
                } else {
                    <ul>{ for r.explanations.iter().map(|e| {
                        let got = match (e.trainee_rank, lang) {
                            (Some(rank), Lang::Nl) => format!("kreeg keuze {rank}."),
                            (Some(rank), Lang::En) => format!("got choice {rank}."),
                            (None, _) => lang.t("niet gekoppeld.", "not coupled.").to_owned(),
                        };
                        let sentences: Vec<String> = e.alternatives.iter().map(|a| {
                            let trainer = n(&a.trainer);
                            sentence(lang, &Alternative {
                                trainer: &trainer,
                                rank: a.trainee_rank,
                                possible: a.possible,
                                more_uncoupled: u32::try_from(-a.matched_change.min(0)).unwrap_or(0),
                                total_rank_change: Some(a.total_rank_change),
                                worst_rank_change: Some(a.worst_rank_change),
                                worse_for_group: a.total_rank_change > 0 || a.worst_rank_change > 0,
                            })
                        }).collect();
                        html! { <li><strong>{ n(&e.trainee) }</strong>{ " " }{ got }{ " " }{ sentences.join(" ") }</li> }
                    }) }</ul>
                }
            </div>
        }
    })
}

#[component]
fn Changes(props: &ChangesProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let who = use_state(String::new);
    let reason = use_state(String::new);
    let trainee = use_state(String::new);
    let trainer = use_state(String::new);
    let manual_reason = use_state(String::new);
    let outcome = use_state(Outcome::default);
    let manual_outcome = use_state(Outcome::default);
    let round = props.round;
    let select = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let withdraw = {
        let (who, reason, outcome, on_change) = (
            who.clone(),
            reason.clone(),
            outcome.clone(),
            props.on_change.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // `trainee:<id>` or `trainer:<id>`.
            let (side, id) = who.split_once(':').unwrap_or_default();
            let id = id.parse::<Uuid>().ok();
            let request = WithdrawalRequest {
                trainee_id: if side == "trainee" { id } else { None },
                trainer_id: if side == "trainer" { id } else { None },
                reason: (*reason).clone(),
            };
            if id.is_some()
                && !confirmed(lang.t(
                    "Uitval vastleggen? De deelnemer doet niet meer mee aan deze ronde; dit kan niet ongedaan worden gemaakt.",
                    "Record the drop-out? The participant no longer takes part in this round; this cannot be undone.",
                ))
            {
                return;
            }
            run(
                outcome.clone(),
                async move {
                    api::post::<_, serde_json::Value>(
                        &format!("/rounds/{round}/withdrawals"),
                        &request,
                    )
                    .await
                },
                lang.t("Uitval vastgelegd.", "Withdrawal recorded.")
                    .to_owned(),
                on_change.clone(),
            );
        })
    };
    let manual = {
        let (trainee, trainer, manual_reason, outcome, on_change) = (
            trainee.clone(),
            trainer.clone(),
            manual_reason.clone(),
            manual_outcome.clone(),
            props.on_change.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Ok(trainee_id), Ok(trainer_id)) =
                (trainee.parse::<Uuid>(), trainer.parse::<Uuid>())
            else {
                outcome.set(Outcome::Failed(ClientError::local(lang.t(
                    "Kies een aios en een opleider.",
                    "Choose a trainee and a trainer.",
                ))));
                return;
            };
            let request = ManualCouplingRequest {
                trainee_id,
                trainer_id,
                reason: (*manual_reason).clone(),
            };
            run(
                outcome.clone(),
                async move {
                    api::post::<_, serde_json::Value>(
                        &format!("/rounds/{round}/manual-couplings"),
                        &request,
                    )
                    .await
                },
                lang.t(
                    "Handmatige koppeling vastgelegd.",
                    "Manual coupling recorded.",
                )
                .to_owned(),
                on_change.clone(),
            );
        })
    };
    let options = |placeholder: &'static str, people: &[(Uuid, String)]| {
        html! {
            <>
                <option value="">{ placeholder }</option>
                { for people.iter().map(|(id, n)| html! { <option value={id.to_string()}>{ n.clone() }</option> }) }
            </>
        }
    };
    html! {
        <section class="card" id="changes" aria-labelledby="changes-title">
            <h2 id="changes-title">{ lang.t("Uitval en handmatige koppeling", "Drop-outs and manual coupling") }</h2>
            { outcome.view(lang, &["reason"]) }
            <div class="two-columns">
                <form onsubmit={withdraw}>
                    <h3>{ lang.t("Deelnemer valt uit", "A participant drops out") }</h3>
                    <div class="field">
                        <label for="withdraw-who">{ lang.t("Wie", "Who") }</label>
                        <select id="withdraw-who" onchange={select(&who)}>
                            <option value="">{ lang.t("Kies…", "Choose…") }</option>
                            <optgroup label={lang.t("Aios", "Trainees")}>
                                { for props.people.trainees.iter().map(|(id, n)| html! { <option value={format!("trainee:{id}")}>{ n.clone() }</option> }) }
                            </optgroup>
                            <optgroup label={lang.t("Opleiders", "Trainers")}>
                                { for props.people.trainers.iter().map(|(id, n)| html! { <option value={format!("trainer:{id}")}>{ n.clone() }</option> }) }
                            </optgroup>
                        </select>
                    </div>
                    <div class="field">
                        <label for="withdraw-reason">{ lang.t("Reden", "Reason") }</label>
                        <input id="withdraw-reason" value={(*reason).clone()} oninput={text(&reason)} />
                        if let Some(error) = outcome.field("reason") { <p class="field-error">{ error }</p> }
                    </div>
                    <button type="submit" disabled={outcome.is_busy()}>{ lang.t("Uitval vastleggen", "Record drop-out") }</button>
                </form>
                <form onsubmit={manual}>
                    <h3>{ lang.t("Handmatig koppelen", "Couple by hand") }</h3>
                    <div class="field">
                        <label for="manual-trainee">{ lang.t("Aios", "Trainee") }</label>
                        <select id="manual-trainee" onchange={select(&trainee)}>{ options(lang.t("Kies…", "Choose…"), &props.people.trainees) }</select>
                        if let Some(error) = manual_outcome.field("trainee_id") { <p class="field-error">{ error }</p> }
                    </div>
                    <div class="field">
                        <label for="manual-trainer">{ lang.t("Opleider", "Trainer") }</label>
                        <select id="manual-trainer" onchange={select(&trainer)}>{ options(lang.t("Kies…", "Choose…"), &props.people.trainers) }</select>
                        if let Some(error) = manual_outcome.field("trainer_id") { <p class="field-error">{ error }</p> }
                    </div>
                    <div class="field">
                        <label for="manual-reason">{ lang.t("Reden", "Reason") }</label>
                        <input id="manual-reason" value={(*manual_reason).clone()} oninput={text(&manual_reason)} />
                        if let Some(error) = manual_outcome.field("reason") { <p class="field-error">{ error }</p> }
                    </div>
                    <p class="muted">{ lang.t("De regels (veto's, jaar 1/3, grootschalige structuur) gelden ook hier.", "The rules (vetoes, year 1/3, large-scale structure) apply here too.") }</p>
                    { manual_outcome.view(lang, &["reason", "trainee_id", "trainer_id"]) }
                    <button type="submit" disabled={manual_outcome.is_busy()}>{ lang.t("Koppelen", "Couple") }</button>
                </form>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct VetoesProps {
    round: Uuid,
    names: Rc<HashMap<Uuid, String>>,
    version: u32,
}

#[component]
fn Vetoes(props: &VetoesProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let vetoes =
        use_get::<VetoListResponse>(format!("/rounds/{}/vetoes", props.round), props.version);
    let n = |id: &Uuid| {
        props
            .names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    html! {
        <section class="card" id="vetoes" aria-labelledby="vetoes-title">
            <h2 id="vetoes-title">{ lang.t("Veto's", "Vetoes") }</h2>
            { show(lang, &vetoes, |list| {
                if list.items.is_empty() { return empty(lang.t("Geen veto's.", "No vetoes.")); }
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr>
                            <th scope="col">{ lang.t("Aios", "Trainee") }</th><th scope="col">{ lang.t("Opleider", "Trainer") }</th>
                            <th scope="col">{ lang.t("Door", "By") }</th><th scope="col">{ lang.t("Reden", "Reason") }</th><th scope="col">{ lang.t("Wanneer", "When") }</th>
                        </tr></thead>
                        <tbody>{ for list.items.iter().map(|v| html! {
                            <tr key={v.id.to_string()}>
                                <td>{ n(&v.trainee_id) }</td><td>{ n(&v.trainer_id) }</td><td>{ crate::components::veto::veto_party(lang, &v.declared_by) }</td>
                                <td>{ crate::components::veto::veto_reason(lang, &v.category, v.relationship.as_deref()) }</td>
                                <td>{ lang.moment(v.created_at) }</td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                }
            }) }
        </section>
    }
}

#[component]
fn Audit(props: &VersionedProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let audit =
        use_get::<AuditLogResponse>(format!("/rounds/{}/audit", props.round), props.version);
    html! {
        <section class="card" id="audit" aria-labelledby="audit-title">
            <h2 id="audit-title">{ lang.t("Logboek", "Audit log") }</h2>
            { show(lang, &audit, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog niets gebeurd.", "Nothing happened yet.")); }
                html! {
                    <ol class="audit">{ for list.items.iter().map(|e| html! {
                        <li><time datetime={e.created_at.to_rfc3339()}>{ lang.moment(e.created_at) }</time>{ " " }<code>{ e.action.clone() }</code>{ " " }{ e.summary.clone() }</li>
                    }) }</ol>
                }
            }) }
        </section>
    }
}

/// A coupling objective in words.
fn objective_name(lang: Lang, objective: &str) -> &'static str {
    match objective {
        "minimax" => lang.t(
            "Slechtste keuze zo goed mogelijk (minimax)",
            "Best possible worst choice (minimax)",
        ),
        _ => lang.t(
            "Zo hoog mogelijke voorkeuren in totaal",
            "Best preferences in total",
        ),
    }
}

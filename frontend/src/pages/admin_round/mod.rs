//! Coordinators: one round through all its steps: phase, participants, progress and reminders,
//! the interview proposal, coupling runs, withdrawals and manual couplings, vetoes and the audit
//! log.
//!
//! The page ([`AdminRoundPage`]) holds the phase card and one component per section, each in
//! its own module.

mod changes;
mod participants;
mod progress;
mod proposal;
mod run_detail;
mod runs;
mod vetoes;

use std::collections::HashMap;
use std::rc::Rc;

use koppel_api_types::{
    CandidateTrainerListResponse, DueTraineeListResponse, HoldRequest, RoundResponse,
    TransitionRequest,
};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self};
use crate::components::round_message::RoundMessage;
use crate::components::spreadsheet::Spreadsheet;
use crate::components::status::{Outcome, confirmed, run, show};
use crate::components::timeline::{Timeline, round_title};
use crate::hooks::{use_get, use_version};
use crate::session::{SessionHandle, signed_in, use_lang};
use changes::Changes;
use participants::Participants;
use progress::{Audit, Progress};
use proposal::Proposal;
use runs::Runs;
use vetoes::Vetoes;

pub(super) const NEXT: [(&str, &str); 6] = [
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
pub(super) struct PhaseProps {
    pub(super) round: RoundResponse,
    pub(super) on_change: Callback<()>,
}

#[component]
pub(super) fn PhaseCard(props: &PhaseProps) -> Html {
    let lang = use_lang();
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
            <h2>{ lang.t("Spreadsheets", "Spreadsheets") }</h2>
            <Spreadsheet path={format!("/rounds/{}/preferences/export", round.id)} file="voorkeuren" title={lang.t("Voorkeuren", "Preferences")} />
            <Spreadsheet path={format!("/rounds/{}/final-rankings/export", round.id)} file="eindrangschikkingen" title={lang.t("Eindrangschikkingen", "Final rankings")} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct VersionedProps {
    pub(super) round: Uuid,
    pub(super) version: u32,
}

pub(super) fn name(names: &HashMap<Uuid, String>, id: &str) -> String {
    id.parse::<Uuid>()
        .ok()
        .and_then(|id| names.get(&id).cloned())
        .unwrap_or_else(|| id.to_owned())
}

/// The trainees and trainers taking part, by id and name.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ParticipantLists {
    pub(super) trainees: Vec<(Uuid, String)>,
    pub(super) trainers: Vec<(Uuid, String)>,
}

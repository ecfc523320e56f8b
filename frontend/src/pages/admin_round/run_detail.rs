//! One coupling run: its couplings with both sides' ranks, who stayed unmatched and why, the
//! blocking pairs and the matcher's explanations.

use std::collections::HashMap;
use std::rc::Rc;

use serde::Deserialize;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::explain::{Alternative, sentence};
use crate::components::spreadsheet::Spreadsheet;
use crate::components::status::show;
use crate::hooks::use_get;
use crate::i18n::Lang;
use crate::session::use_lang;

use super::name;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct Pair {
    pub(super) trainee: String,
    pub(super) trainer: String,
    pub(super) trainee_rank: u32,
    pub(super) trainer_rank: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct Unmatched {
    pub(super) trainee: String,
    pub(super) reason: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct ExplainedAlternative {
    pub(super) trainer: String,
    pub(super) trainee_rank: u32,
    pub(super) possible: bool,
    pub(super) matched_change: i64,
    pub(super) total_rank_change: i64,
    pub(super) worst_rank_change: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct Explained {
    pub(super) trainee: String,
    pub(super) trainee_rank: Option<u32>,
    pub(super) alternatives: Vec<ExplainedAlternative>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct RunResult {
    pub(super) assignments: Vec<Pair>,
    pub(super) unmatched_trainees: Vec<Unmatched>,
    pub(super) blocking_pairs: Vec<Pair>,
    pub(super) explanations: Vec<Explained>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct RunDetailResponse {
    pub(super) result: RunResult,
}

#[derive(Properties, PartialEq)]
pub(super) struct RunDetailProps {
    pub(super) round: Uuid,
    pub(super) run: Uuid,
    pub(super) names: Rc<HashMap<Uuid, String>>,
}

/// A run's couplings with both sides' ranks, who stayed unmatched and why, the blocking pairs
/// and the matcher's explanations.
#[component]
pub(super) fn RunDetail(props: &RunDetailProps) -> Html {
    let lang = use_lang();
    let detail = use_get::<RunDetailResponse>(
        format!("/rounds/{}/coupling-runs/{}", props.round, props.run),
        0,
    );
    let n = |id: &str| name(&props.names, id);
    show(lang, &detail, |d| {
        let r = &d.result;
        html! {
            <div class="run-detail">
                <Spreadsheet path={format!("/rounds/{}/coupling-runs/{}/export", props.round, props.run)} file="koppeling" title={lang.t("Koppeling", "Coupling")} />
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

//! Coupling runs: start one with an objective, compare them, publish one.

use std::collections::HashMap;
use std::rc::Rc;

use koppel_api_types::{CouplingRunListResponse, CouplingRunRequest};
use uuid::Uuid;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api::{self};
use crate::components::chart::RankChart;
use crate::components::status::{Outcome, confirmed, empty, run, show};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::use_lang;

use super::run_detail::RunDetail;

#[derive(Properties, PartialEq)]
pub(super) struct RunsProps {
    pub(super) round: Uuid,
    pub(super) phase: String,
    pub(super) version: u32,
    pub(super) names: Rc<HashMap<Uuid, String>>,
    pub(super) on_change: Callback<()>,
}

#[component]
pub(super) fn Runs(props: &RunsProps) -> Html {
    let lang = use_lang();
    let (own, reload) = use_version();
    let runs = use_get::<CouplingRunListResponse>(
        format!("/rounds/{}/coupling-runs", props.round),
        props.version.wrapping_add(own),
    );
    let objective = use_state(|| "total".to_owned());
    let outcome = use_state(Outcome::default);
    let round = props.round;
    let start = {
        clone!(objective, outcome, reload);
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

/// A coupling objective in words.
pub(super) fn objective_name(lang: Lang, objective: &str) -> &'static str {
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

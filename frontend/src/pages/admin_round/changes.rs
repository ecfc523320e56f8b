//! Changes after publication: withdrawals and manual couplings.

use koppel_api_types::{ManualCouplingRequest, WithdrawalRequest};
use uuid::Uuid;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::status::{Outcome, confirmed, run};
use crate::session::use_lang;

use super::ParticipantLists;

#[derive(Properties, PartialEq)]
pub(super) struct ChangesProps {
    pub(super) round: Uuid,
    pub(super) people: ParticipantLists,
    pub(super) on_change: Callback<()>,
}

#[component]
pub(super) fn Changes(props: &ChangesProps) -> Html {
    let lang = use_lang();
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

//! The interviews: who meets whom, and the dates agreed.

use koppel_api_types::{InterviewUpdateRequest, MyInterviewsResponse};
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::status::{Outcome, empty, show};
use crate::hooks::{use_get, use_version};
use crate::session::use_lang;

use super::SideProps;
use super::profiles::TraineeProfile;

/// The interviews with contact details; trainees record them as planned and held.
#[component]
pub(super) fn Interviews(props: &SideProps) -> Html {
    let lang = use_lang();
    let (version, reload) = use_version();
    let interviews = use_get::<MyInterviewsResponse>(
        format!("/rounds/{}/interviews/mine", props.round),
        version,
    );
    let open = use_state(|| None::<Uuid>);
    html! {
        <section class="card" aria-labelledby="interviews-title">
            <h2 id="interviews-title">{ lang.t("Je gesprekken", "Your interviews") }</h2>
            { show(lang, &interviews, |list| {
                if list.items.is_empty() {
                    return empty(lang.t("Er zijn (nog) geen gesprekken voor je.", "There are no interviews for you (yet)."));
                }
                html! {
                    <ul class="plain cards" data-testid="interviews">
                        { for list.items.iter().map(|item| {
                            let other = if props.trainee { item.trainer_id } else { item.trainee_id };
                            let toggle = { let open = open.clone(); Callback::from(move |_: MouseEvent| open.set(if *open == Some(other) { None } else { Some(other) })) };
                            html! {
                                <li key={other.to_string()} class="item">
                                    <div>
                                        <strong>{ item.name.clone() }</strong>
                                        <div><a href={format!("mailto:{}", item.email)}>{ item.email.clone() }</a></div>
                                        if let Some(practice) = &item.practice {
                                            <div class="muted">{ practice.clone() }</div>
                                        }
                                    </div>
                                    if props.trainee {
                                        <InterviewDates round={props.round} trainer={item.trainer_id} name={item.name.clone()}
                                            planned={item.planned_on} held={item.held_on} on_saved={reload.clone()} />
                                    } else {
                                        <button type="button" onclick={toggle} aria-expanded={(*open == Some(other)).to_string()}>{ lang.t("Profiel", "Profile") }</button>
                                        if *open == Some(other) {
                                            <TraineeProfile institute={props.institute} trainee={other} />
                                        }
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct DatesProps {
    pub(super) round: Uuid,
    pub(super) trainer: Uuid,
    pub(super) name: String,
    pub(super) planned: Option<chrono::NaiveDate>,
    pub(super) held: Option<chrono::NaiveDate>,
    pub(super) on_saved: Callback<()>,
}

#[component]
pub(super) fn InterviewDates(props: &DatesProps) -> Html {
    let lang = use_lang();
    let planned = use_state(|| props.planned.map(|d| d.to_string()).unwrap_or_default());
    let held = use_state(|| props.held.map(|d| d.to_string()).unwrap_or_default());
    let outcome = use_state(Outcome::default);
    let key = props.trainer.to_string();
    let onsubmit = {
        clone!(planned, held, outcome);
        let (round, trainer, on_saved) = (props.round, props.trainer, props.on_saved.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = InterviewUpdateRequest {
                planned_on: planned.parse().ok(),
                held_on: held.parse().ok(),
            };
            clone!(outcome, on_saved);
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, serde_json::Value>(
                    &format!("/rounds/{round}/interviews/{trainer}"),
                    &request,
                )
                .await
                {
                    Ok(_) => {
                        outcome.set(Outcome::Done(lang.t("Opgeslagen.", "Saved.").to_owned()));
                        on_saved.emit(());
                    }
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let date_input = |id: String,
                      label: &'static str,
                      state: &UseStateHandle<String>,
                      error: Option<String>| {
        let state2 = state.clone();
        html! {
            <div class="field inline">
                <label for={id.clone()}>{ label }</label>
                <input id={id} type="date" value={(**state).clone()}
                    oninput={Callback::from(move |e: InputEvent| state2.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                    aria-invalid={error.is_some().then_some("true")} />
                if let Some(error) = error {
                    <p class="field-error">{ error }</p>
                }
            </div>
        }
    };
    html! {
        <form class="dates" {onsubmit} aria-label={format!("{} {}", lang.t("Gesprek met", "Interview with"), props.name)}>
            { date_input(format!("planned-{key}"), lang.t("Gepland op", "Planned on"), &planned, outcome.field("planned_on")) }
            { date_input(format!("held-{key}"), lang.t("Gehouden op", "Held on"), &held, outcome.field("held_on")) }
            <button type="submit">{ lang.t("Opslaan", "Save") }</button>
            { outcome.view(lang, &["planned_on", "held_on"]) }
        </form>
    }
}

//! The other side's profile, as a participant sees it.

use koppel_api_types::{TraineeProfileResponse, TrainerProfileResponse};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::status::show;
use crate::hooks::use_get;
use crate::session::use_lang;

#[derive(Properties, PartialEq)]
pub(super) struct TrainerProfileProps {
    pub(super) institute: Uuid,
    pub(super) trainer: Uuid,
}

/// A trainer's learning plan and practice, read when needed.
#[component]
pub(super) fn TrainerProfile(props: &TrainerProfileProps) -> Html {
    let lang = use_lang();
    let profile = use_get::<TrainerProfileResponse>(
        format!(
            "/institutes/{}/trainers/{}/profile",
            props.institute, props.trainer
        ),
        0,
    );
    html! {
        <div class="profile">
            { show(lang, &profile, |p| html! {
                <>
                    <h4>{ lang.t("Leerwerkplan", "Learning plan") }</h4>
                    <p class="prewrap">{ if p.learning_plan.is_empty() { lang.t("(nog niet ingevuld)", "(not written yet)").to_owned() } else { p.learning_plan.clone() } }</p>
                    <h4>{ lang.t("Praktijk", "Practice") }</h4>
                    <p class="prewrap">{ p.practice_description.clone() }</p>
                </>
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct TraineeProfileProps {
    pub(super) institute: Uuid,
    pub(super) trainee: Uuid,
}

/// A trainee's profile, for the trainers proposed to them.
#[component]
pub(super) fn TraineeProfile(props: &TraineeProfileProps) -> Html {
    let lang = use_lang();
    let profile = use_get::<TraineeProfileResponse>(
        format!(
            "/institutes/{}/trainees/{}/profile",
            props.institute, props.trainee
        ),
        0,
    );
    html! {
        <div class="profile">
            { show(lang, &profile, |p| html! {
                <>
                    <h4>{ lang.t("Introductie", "Introduction") }</h4>
                    <p class="prewrap">{ p.introduction.clone() }</p>
                    <h4>{ lang.t("Ervaring", "Experience") }</h4>
                    <p class="prewrap">{ p.experience.clone() }</p>
                    <h4>{ lang.t("Leerwensen", "Learning wishes") }</h4>
                    <p class="prewrap">{ p.learning_wishes.clone() }</p>
                </>
            }) }
        </div>
    }
}

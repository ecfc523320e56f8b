//! A trainee's or trainer's rounds on the home page: each with its timeline and what they still
//! have to do in its current step.

use koppel_api_types::{
    FinalRankingResponse, MeResponse, PreferencesResponse, Role, RoundListResponse, RoundResponse,
    TraineeProfileResponse, TrainerProfileResponse,
};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::status::show;
use crate::components::timeline::{Timeline, round_title};
use crate::hooks::use_get;
use crate::route::Route;
use crate::session::use_lang;

/// Properties of [`MyRounds`].
#[derive(Properties, PartialEq)]
pub struct MeProps {
    /// The signed-in user.
    pub me: MeResponse,
}

/// The rounds a trainee or trainer takes part in.
#[component]
pub fn MyRounds(props: &MeProps) -> Html {
    let lang = use_lang();
    let rounds = use_get::<RoundListResponse>("/me/rounds".to_owned(), 0);
    let next = lang.texts().next_step(props.me.role);
    show(lang, &rounds, |list| {
        if list.items.is_empty() {
            return html! { <section class="card"><p>{ next }</p>
            <Link<Route> to={Route::Profile}>{ lang.t("Naar je profiel", "To your profile") }</Link<Route>></section> };
        }
        html! {
            { for list.items.iter().map(|round| html! {
                <section class="card" aria-label={round_title(lang, round)} key={round.id.to_string()}>
                    <h2>{ round_title(lang, round) }</h2>
                    <Timeline round={round.clone()} />
                    <Todo round={round.clone()} role={props.me.role} />
                    <Link<Route> to={Route::Round { id: round.id.to_string() }} classes="button primary">
                        { lang.t("Open de ronde", "Open the round") }
                    </Link<Route>>
                </section>
            }) }
        }
    })
}

/// Properties of [`Todo`].
#[derive(Properties, PartialEq)]
struct TodoProps {
    round: RoundResponse,
    role: Role,
}

/// What the user still has to do in the round's current step.
#[component]
fn Todo(props: &TodoProps) -> Html {
    let lang = use_lang();
    let id = props.round.id;
    let trainee = props.role == Role::Trainee;
    let phase = props.round.phase.as_str();
    // What the step asks, and where to see whether it is done.
    let (task, path) = match (phase, trainee) {
        ("draft" | "profiles", true) => (
            lang.t("Schrijf je profiel (en voeg je cv en foto toe).", "Write your profile (and add your CV and photo)."),
            "/me/trainee-profile".to_owned(),
        ),
        ("draft" | "profiles", false) => (
            lang.t("Werk je leerwerkplan en praktijkbeschrijving bij.", "Update your learning plan and practice description."),
            "/me/trainer-profile".to_owned(),
        ),
        ("preferences", true) => (
            lang.t("Rangschik de opleiders van je voorkeur.", "Rank the trainers you prefer."),
            format!("/rounds/{id}/preferences/mine"),
        ),
        ("preferences", false) => (
            lang.t("De aios kiezen nu hun voorkeuren. Je hoort wie je spreekt zodra de gesprekken bekend zijn.", "Trainees are ranking trainers. You will hear whom you meet once the interviews are published."),
            String::new(),
        ),
        ("interviews", _) => (
            lang.t("Voer de gesprekken en geef je definitieve rangorde op.", "Hold the interviews and submit your final ranking."),
            format!("/rounds/{id}/final-ranking/mine"),
        ),
        ("coupling", _) => (
            lang.t("De koppeling wordt berekend. Je krijgt een mail met de uitslag.", "The coupling is being computed. You will get a mail with the result."),
            String::new(),
        ),
        ("published" | "closed", _) => (
            lang.t("De uitslag is bekend: bekijk je koppeling.", "The result is out: see your coupling."),
            String::new(),
        ),
        _ => (lang.t("Niets te doen.", "Nothing to do."), String::new()),
    };
    html! {
        <div class="todo">
            <h3>{ lang.t("Wat je nog moet doen", "What you still have to do") }</h3>
            <p data-testid="todo">{ task }</p>
            if !path.is_empty() {
                <Done path={path} />
            }
        </div>
    }
}

/// Properties of [`Done`].
#[derive(Properties, PartialEq)]
struct DoneProps {
    path: String,
}

/// Whether the step behind `path` is done.
#[component]
fn Done(props: &DoneProps) -> Html {
    let lang = use_lang();
    let value = use_get::<serde_json::Value>(props.path.clone(), 0);
    let done = match &value {
        Some(Ok(v)) => {
            let path = props.path.as_str();
            if path.ends_with("preferences/mine") {
                serde_json::from_value::<PreferencesResponse>((**v).clone())
                    .is_ok_and(|p| !p.trainer_ids.is_empty())
            } else if path.ends_with("final-ranking/mine") {
                serde_json::from_value::<FinalRankingResponse>((**v).clone())
                    .is_ok_and(|r| !r.counterpart_ids.is_empty())
            } else if path.ends_with("trainee-profile") {
                serde_json::from_value::<TraineeProfileResponse>((**v).clone())
                    .is_ok_and(|p| !p.introduction.is_empty())
            } else {
                serde_json::from_value::<TrainerProfileResponse>((**v).clone())
                    .is_ok_and(|p| !p.learning_plan.is_empty())
            }
        }
        _ => false,
    };
    if value.is_none() {
        return html! {};
    }
    if done {
        html! { <p class="success">{ "✓ " }{ lang.t("Gedaan. Je kunt het tot de deadline nog aanpassen.", "Done. You can still change it until the deadline.") }</p> }
    } else {
        html! { <p class="warning">{ lang.t("Nog niet gedaan.", "Not done yet.") }</p> }
    }
}

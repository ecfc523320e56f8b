//! A round as a trainee or trainer takes part in it: step 2 ranking (drag and drop or keyboard),
//! the interviews, the final ranking, vetoes and the result with its explanation.
//!
//! The page ([`RoundPage`]) shows the participant's round with one component per step, each in
//! its own module.

mod final_ranking;
mod interviews;
mod preferences;
mod profiles;
mod result;
mod veto;

use koppel_api_types::{MeResponse, Role, RoundListResponse, RoundResponse};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::status::{empty, show};
use crate::components::timeline::{Timeline, round_title};
use crate::hooks::use_get;
use crate::route::Route;
use crate::session::{SessionHandle, signed_in, use_lang};
use final_ranking::FinalRanking;
use interviews::Interviews;
use preferences::Preferences;
use result::Result;
use veto::Veto;

/// Properties of [`RoundPage`].
#[derive(Properties, PartialEq)]
pub struct RoundPageProps {
    /// Round id.
    pub id: String,
}

/// The round page of a trainee or trainer.
#[component]
pub fn RoundPage(props: &RoundPageProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let rounds = use_get::<RoundListResponse>("/me/rounds".to_owned(), 0);
    let id = props.id.clone();
    signed_in(&session, |me| {
        show(lang, &rounds, |list| {
            match list.items.iter().find(|r| r.id.to_string() == id) {
                Some(round) => html! { <ParticipantRound round={round.clone()} me={me.clone()} /> },
                None => {
                    html! { <section class="card">{ empty(lang.t("Je doet niet mee aan deze ronde.", "You are not taking part in this round.")) }</section> }
                }
            }
        })
    })
}

#[derive(Properties, PartialEq)]
pub(super) struct ParticipantProps {
    pub(super) round: RoundResponse,
    pub(super) me: MeResponse,
}

#[component]
pub(super) fn ParticipantRound(props: &ParticipantProps) -> Html {
    let lang = use_lang();
    let round = &props.round;
    let trainee = props.me.role == Role::Trainee;
    let institute = props
        .me
        .institute
        .as_ref()
        .map(|i| i.id)
        .unwrap_or_default();
    let phase = round.phase.as_str();
    html! {
        <>
            <section class="card" aria-labelledby="round-title">
                <h1 id="round-title">{ round_title(lang, round) }</h1>
                <Timeline round={round.clone()} />
            </section>
            {
                match (phase, trainee) {
                    ("draft" | "profiles", _) => html! {
                        <section class="card">
                            <h2>{ lang.t("Stap 1: profielen", "Step 1: profiles") }</h2>
                            <p>{ if trainee { lang.t("Schrijf je profiel: opleiders lezen het voor de gesprekken.", "Write your profile: trainers read it before the interviews.") } else { lang.t("Werk je leerwerkplan bij: aios lezen het als ze rangschikken.", "Update your learning plan: trainees read it when they rank.") } }</p>
                            <Link<Route> to={Route::Profile} classes="button primary">{ lang.t("Naar je profiel", "To your profile") }</Link<Route>>
                        </section>
                    },
                    ("preferences", true) => html! { <Preferences round={round.id} institute={institute} /> },
                    ("preferences", false) => html! {
                        <section class="card"><p>{ lang.t("De aios rangschikken nu de opleiders. Zodra de gesprekken bekend zijn, zie je hier met wie je spreekt.", "Trainees are ranking trainers now. Once the interviews are published you see here whom you meet.") }</p></section>
                    },
                    ("interviews", _) => html! {
                        <>
                            <Interviews round={round.id} institute={institute} trainee={trainee} />
                            <FinalRanking round={round.id} trainee={trainee} />
                        </>
                    },
                    ("coupling", _) => html! {
                        <section class="card"><p>{ lang.t("De coördinatoren berekenen de koppeling. Je krijgt een mail zodra de uitslag bekend is.", "The coordinators are computing the coupling. You get a mail once the result is out.") }</p></section>
                    },
                    ("published" | "closed", _) => html! { <Result round={round.id} /> },
                    _ => html! {},
                }
            }
            if matches!(phase, "profiles" | "preferences" | "interviews") {
                <Veto round={round.id} trainee={trainee} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct SideProps {
    pub(super) round: Uuid,
    #[prop_or_default]
    pub(super) institute: Uuid,
    pub(super) trainee: bool,
}

//! The role-aware home page: the current round with its timeline, deadline and what the user
//! still has to do; links to the coordinators' and administrators' pages.

use koppel_api_types::{MeResponse, Role};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;
use crate::session::{SessionHandle, signed_in};

/// The home page.
#[component]
pub fn HomePage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let texts = session.lang.texts();
    let lang = session.lang;
    signed_in(&session, |me| {
        html! {
            <>
                <section class="card" aria-labelledby="welcome">
                    <h1 id="welcome">{ format!("{}, {}", texts.welcome, me.display_name) }</h1>
                    <p>
                        { texts.your_role }{ ": " }
                        <span class="badge" data-testid="role">{ texts.role(me.role) }</span>
                    </p>
                    if let Some(institute) = &me.institute {
                        <p>{ texts.institute }{ ": " }<strong>{ institute.name.clone() }</strong></p>
                    }
                </section>
                {
                    match me.role {
                        Role::Trainer | Role::Trainee => participant_home(me),
                        Role::TraineeTeam | Role::TrainerTeam | Role::Integration => html! {
                            <nav class="card tiles" aria-label={lang.t("Coördinatie", "Coordination")}>
                                <Link<Route> to={Route::AdminRounds} classes="tile">
                                    <strong>{ lang.t("Koppelingsrondes", "Coupling rounds") }</strong>
                                    <span>{ lang.t("Rondes aanmaken, deelnemers, voortgang, gesprekken en koppeling.", "Create rounds; participants, progress, interviews and coupling.") }</span>
                                </Link<Route>>
                                <Link<Route> to={Route::People} classes="tile">
                                    <strong>{ lang.t("Aios en opleiders", "Trainees and trainers") }</strong>
                                    <span>{ lang.t("Importeren en exporteren (CSV).", "Import and export (CSV).") }</span>
                                </Link<Route>>
                                <Link<Route> to={Route::Outbox} classes="tile">
                                    <strong>{ lang.t("Uitgaande mail", "Outgoing mail") }</strong>
                                    <span>{ lang.t("Alle mails van Koppel en of ze verstuurd zijn.", "Every mail Koppel sent, and whether it went out.") }</span>
                                </Link<Route>>
                            </nav>
                        },
                        Role::Admin => html! {
                            <nav class="card tiles" aria-label={lang.t("Beheer", "Administration")}>
                                <Link<Route> to={Route::Institutes} classes="tile">
                                    <strong>{ texts.institutes_title }</strong>
                                    <span>{ texts.next_admin }</span>
                                </Link<Route>>
                                <Link<Route> to={Route::Outbox} classes="tile">
                                    <strong>{ lang.t("Uitgaande mail", "Outgoing mail") }</strong>
                                    <span>{ lang.t("Mails van de loting en van accounts zonder instituut.", "Mails of the lottery and of accounts without an institute.") }</span>
                                </Link<Route>>
                                <Link<Route> to={Route::AdminLotteries} classes="tile">
                                    <strong>{ lang.t("Plaatsingsloting", "Placement lottery") }</strong>
                                    <span>{ lang.t("Kandidaten en locaties, vastleggen, loten, tweede kans en verslag.", "Candidates and locations, commit, draw, second chance and report.") }</span>
                                </Link<Route>>
                            </nav>
                        },
                        Role::Candidate => html! {
                            <nav class="card tiles" aria-label={lang.t("Plaatsingsloting", "Placement lottery")}>
                                <Link<Route> to={Route::MyLottery} classes="tile">
                                    <strong>{ lang.t("Je plaatsingsloting", "Your placement lottery") }</strong>
                                    <span>{ texts.next_candidate }</span>
                                </Link<Route>>
                            </nav>
                        },
                    }
                }
            </>
        }
    })
}

/// A trainee's or trainer's rounds, and a trainer's availability.
#[cfg(feature = "participant")]
fn participant_home(me: &MeResponse) -> Html {
    use crate::components::my_rounds::MyRounds;
    html! {
        <>
            if me.role == Role::Trainer {
                <crate::components::availability::MyAvailability />
            }
            <MyRounds me={me.clone()} />
        </>
    }
}

/// Only the participants' build has their home page.
#[cfg(not(feature = "participant"))]
fn participant_home(_: &MeResponse) -> Html {
    html! { <crate::build::NotInThisBuild /> }
}

//! The personal calendar feed (`/me/calendar.ics`): each user may make a secret address that a
//! calendar app subscribes to, with their rounds' step openings, deadlines, placement start and
//! planned interviews. Only the secret's hash is stored; a new address ends the old one, and the
//! user can revoke it.

use chrono::Utc;
use koppel_api_types::{Locale, Role, UserStatus};
use koppel_domain::Phase;

use crate::auth::opaque;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::ical::{self, Event};
use crate::mail::round_name;
use crate::state::AppState;
use crate::store::entities::interview;
use crate::store::rounds::{self, Round};
use crate::store::{people, steps, users};

/// Whether the caller has a feed.
pub async fn status(state: &AppState, principal: &Principal) -> Result<bool, ApiError> {
    principal.require_person("calendar")?;
    Ok(users::has_calendar_key(&state.db, principal.user_id).await?)
}

/// Makes a new feed address for the caller (ending any earlier one) and answers it.
pub async fn create(state: &AppState, principal: &Principal) -> Result<String, ApiError> {
    principal.require_person("calendar")?;
    let secret = opaque::generate();
    users::set_calendar_key(&state.db, principal.user_id, Some(secret.hash)).await?;
    tracing::info!(user_id = %principal.user_id, "calendar feed address made");
    Ok(format!(
        "{}/api/v1/me/calendar.ics?key={}",
        state.public_url.trim_end_matches('/'),
        secret.token
    ))
}

/// Ends the caller's feed address.
pub async fn revoke(state: &AppState, principal: &Principal) -> Result<(), ApiError> {
    principal.require_person("calendar")?;
    users::set_calendar_key(&state.db, principal.user_id, None).await?;
    tracing::info!(user_id = %principal.user_id, "calendar feed address revoked");
    Ok(())
}

/// The feed behind `key`, as iCalendar text.
pub async fn feed(state: &AppState, key: &str) -> Result<String, ApiError> {
    let unknown = || {
        ApiError::NotFound(
            "no calendar feed has this address (it may have been replaced or revoked); make a new one on your account page".to_owned(),
        )
    };
    let db = &state.db;
    let user = users::by_calendar_key(db, &opaque::hash(key))
        .await?
        .filter(|user| user.status == UserStatus::Active)
        .ok_or_else(unknown)?;
    let Some(institute_id) = user.institute_id else {
        return Ok(ical::calendar("Koppel", &[], Utc::now()));
    };
    let locale = user.locale;
    let (trainee, trainer) = match user.role {
        Role::Trainee => (
            steps::trainee_of_user(db, institute_id, user.id).await?,
            None,
        ),
        Role::Trainer => (
            None,
            steps::trainer_of_user(db, institute_id, user.id).await?,
        ),
        _ => (None, None),
    };
    let rounds: Vec<Round> = match user.role {
        Role::Trainee | Role::Trainer => {
            rounds::of_participant(
                db,
                trainee.as_ref().map(|t| t.id),
                trainer.as_ref().map(|t| t.id),
            )
            .await?
        }
        _ => rounds::list(db, institute_id).await?,
    };
    let mut events = Vec::new();
    for round in rounds.iter().filter(|round| !round.phase.is_final()) {
        events.extend(round_events(locale, round));
        for interview in steps::current_interviews(db, round.id).await? {
            let Some(day) = interview.planned_on else {
                continue;
            };
            let counterpart = match (&trainee, &trainer) {
                (Some(me), _) if interview.trainee_id == me.id => {
                    people::find_trainer(db, institute_id, interview.trainer_id)
                        .await?
                        .map(|t| t.name)
                }
                (_, Some(me)) if interview.trainer_id == me.id => {
                    people::find_trainee(db, institute_id, interview.trainee_id)
                        .await?
                        .map(|t| t.name)
                }
                _ => None,
            };
            if let Some(name) = counterpart {
                events.push(interview_event(locale, round, &name, day, &interview));
            }
        }
    }
    let name = match locale {
        Locale::Nl => "Koppel: koppelingsrondes",
        Locale::En => "Koppel: coupling rounds",
    };
    Ok(ical::calendar(name, &events, Utc::now()))
}

fn round_events(locale: Locale, round: &Round) -> Vec<Event> {
    let name = round_name(locale, &round.key);
    let s = &round.schedule;
    let items: [(&str, chrono::NaiveDate, &str, &str); 5] = [
        (
            "opens",
            s.opens,
            "Koppelingsronde {round}: stap 1 (profielen) opent",
            "Coupling round {round}: step 1 (profiles) opens",
        ),
        (
            "profiles",
            s.profiles_deadline,
            "Koppelingsronde {round}: deadline stap 1, profiel",
            "Coupling round {round}: step 1 deadline, profile",
        ),
        (
            "preferences",
            s.preferences_deadline,
            "Koppelingsronde {round}: deadline stap 2, voorkeuren",
            "Coupling round {round}: step 2 deadline, preferences",
        ),
        (
            "final-ranking",
            s.final_ranking_deadline,
            "Koppelingsronde {round}: deadline stap 3, rangorde na de gesprekken",
            "Coupling round {round}: step 3 deadline, ranking after the interviews",
        ),
        (
            "placement",
            s.placement_start,
            "Koppelingsronde {round}: start van de opleidingsplaats",
            "Coupling round {round}: the placement starts",
        ),
    ];
    items
        .into_iter()
        .filter(|(what, _, _, _)| *what != "opens" || round.phase == Phase::Draft)
        .map(|(what, day, nl, en)| {
            let summary = match locale {
                Locale::Nl => nl,
                Locale::En => en,
            }
            .replace("{round}", &name);
            Event {
                uid: format!("{}-{what}@koppel", round.id),
                day,
                description: summary.clone(),
                summary,
            }
        })
        .collect()
}

fn interview_event(
    locale: Locale,
    round: &Round,
    counterpart: &str,
    day: chrono::NaiveDate,
    interview: &interview::Model,
) -> Event {
    let name = round_name(locale, &round.key);
    let summary = match locale {
        Locale::Nl => format!("Kennismakingsgesprek met {counterpart}"),
        Locale::En => format!("Introductory interview with {counterpart}"),
    };
    let description = match locale {
        Locale::Nl => format!("Koppelingsronde {name}"),
        Locale::En => format!("Coupling round {name}"),
    };
    Event {
        uid: format!(
            "{}-interview-{}-{}@koppel",
            round.id, interview.trainee_id, interview.trainer_id
        ),
        day,
        summary,
        description,
    }
}

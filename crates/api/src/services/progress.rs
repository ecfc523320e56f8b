//! The round dashboard: per step, who is done and who is not, and reminders to the latter.

use chrono::{NaiveDate, Utc};
use koppel_api_types::{ProgressPerson, ProgressResponse, StepProgress};
use koppel_domain::{Phase, Step};
use sea_orm::{DatabaseConnection, DbErr};
use uuid::Uuid;

use super::rounds::{ROUND_WRITERS, get};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::rounds::Round;
use crate::store::{outbox, participants, profiles, steps, users};

/// A participant with what the steps need.
pub(crate) struct Participant {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) side: &'static str,
    pub(crate) user_id: Option<Uuid>,
}

async fn participants(db: &DatabaseConnection, round: &Round) -> Result<Vec<Participant>, DbErr> {
    let trainees = participants::trainee_rows_of_round(db, round.id, round.institute_id).await?;
    let trainers = participants::trainers_of_round(db, round.id, round.institute_id).await?;
    let mut out: Vec<Participant> = trainees
        .into_iter()
        .map(|row| Participant {
            id: row.id,
            name: row.name,
            email: row.email,
            side: "trainee",
            user_id: row.user_id,
        })
        .collect();
    out.extend(trainers.into_iter().map(|(row, _)| Participant {
        id: row.id,
        name: row.name,
        email: row.email,
        side: "trainer",
        user_id: row.user_id,
    }));
    out.sort_by_key(|p| p.name.to_lowercase());
    Ok(out)
}

/// Steps and, per step, who is done and who still has to act.
pub(crate) async fn steps_of(
    db: &DatabaseConnection,
    round: &Round,
) -> Result<Vec<(StepProgress, Vec<Participant>)>, ApiError> {
    let people = participants(db, round).await?;
    let preferences = steps::preferences(db, round.id).await?;
    let rankings = steps::final_rankings(db, round.id).await?;
    let interviews = steps::current_interviews(db, round.id).await?;
    let accounts: Vec<Uuid> = people.iter().filter_map(|p| p.user_id).collect();
    let active_accounts = users::active_among(db, &accounts).await?;
    let ids = |side: &str| -> Vec<Uuid> {
        people
            .iter()
            .filter(|p| p.side == side)
            .map(|p| p.id)
            .collect()
    };
    let trainee_profiles = profiles::trainees_with_profile(db, &ids("trainee")).await?;
    let trainer_profiles = profiles::trainers_with_profile(db, &ids("trainer")).await?;
    let active: Vec<bool> = people
        .iter()
        .map(|p| p.user_id.is_some_and(|id| active_accounts.contains(&id)))
        .collect();
    let with_profile: Vec<bool> = people
        .iter()
        .map(|p| {
            if p.side == "trainee" {
                trainee_profiles.contains(&p.id)
            } else {
                trainer_profiles.contains(&p.id)
            }
        })
        .collect();
    let mut steps_out = Vec::new();
    let mut split = |step: &str,
                     deadline: Option<NaiveDate>,
                     applies: &dyn Fn(&Participant) -> bool,
                     done: &dyn Fn(usize, &Participant) -> bool| {
        let mut progress = StepProgress {
            step: step.to_owned(),
            deadline,
            done: Vec::new(),
            not_done: Vec::new(),
        };
        let mut waiting = Vec::new();
        for (index, person) in people.iter().enumerate().filter(|(_, p)| applies(p)) {
            let entry = ProgressPerson {
                id: person.id,
                name: person.name.clone(),
                side: person.side.to_owned(),
            };
            if done(index, person) {
                progress.done.push(entry);
            } else {
                progress.not_done.push(entry);
                waiting.push(Participant {
                    id: person.id,
                    name: person.name.clone(),
                    email: person.email.clone(),
                    side: person.side,
                    user_id: person.user_id,
                });
            }
        }
        steps_out.push((progress, waiting));
    };
    split("activation", None, &|_| true, &|index, _| active[index]);
    split(
        Step::Profiles.as_str(),
        Some(round.schedule.profiles_deadline),
        &|_| true,
        &|index, _| with_profile[index],
    );
    split(
        "preferences",
        Some(round.schedule.preferences_deadline),
        &|p| p.side == "trainee",
        &|_, p| preferences.iter().any(|pref| pref.trainee_id == p.id),
    );
    split(
        "final_ranking",
        Some(round.schedule.final_ranking_deadline),
        &|p| {
            interviews.iter().any(|i| {
                if p.side == "trainee" {
                    i.trainee_id == p.id
                } else {
                    i.trainer_id == p.id
                }
            })
        },
        &|_, p| {
            rankings
                .iter()
                .any(|r| r.side == p.side && r.ranker_id == p.id)
        },
    );
    Ok(steps_out)
}

/// The dashboard of a round (coordinators).
pub async fn progress(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<ProgressResponse, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let steps = steps_of(&state.db, &round)
        .await?
        .into_iter()
        .map(|(progress, _)| progress)
        .collect();
    Ok(ProgressResponse {
        phase: round.phase.as_str().to_owned(),
        steps,
    })
}

/// Mails a reminder to everyone who has not done `step`; answers how many.
pub async fn remind(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    step: &str,
) -> Result<usize, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let (progress, waiting) = steps_of(&state.db, &round)
        .await?
        .into_iter()
        .find(|(progress, _)| progress.step == step)
        .ok_or_else(|| {
            ApiError::field(
                "step",
                format!(
                    "'{step}' is not a step: use activation, profiles, preferences or final_ranking"
                ),
            )
        })?;
    // A reminder only makes sense while the step can still be done.
    let open_in: &[Phase] = match step {
        "profiles" => &[Phase::Profiles],
        "preferences" => &[Phase::Preferences],
        "final_ranking" => &[Phase::Interviews],
        _ => &[
            Phase::Draft,
            Phase::Profiles,
            Phase::Preferences,
            Phase::Interviews,
        ],
    };
    if !open_in.contains(&round.phase) {
        return Err(ApiError::Conflict(format!(
            "no reminders for '{step}' while the round is in phase '{}': the step is not open",
            round.phase
        )));
    }
    let url = state.public_url.trim_end_matches('/').to_owned();
    let now = Utc::now();
    let mut mails = Vec::new();
    let txn = crate::store::begin(&state.db).await?;
    for person in &waiting {
        let locale = users::locale_of(&txn, person.user_id).await?;
        let mail = mail::reminder(
            locale,
            &person.email,
            &person.name,
            &round.key,
            step,
            progress.deadline,
            &url,
        );
        outbox::enqueue(&txn, Some(round.institute_id), &mail, now).await?;
        mails.push(mail);
    }
    Entry::in_round(
        &round,
        principal.user_id,
        "reminders.sent",
        format!("{} reminders for {step}", mails.len()),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    Ok(mails.len())
}

//! The interviews themselves: each side's counterparts, and the days they are planned and held.

use chrono::Utc;
use koppel_api_types::Role;
use koppel_domain::{Action, check_action};
use uuid::Uuid;

use super::{me_as_trainee, round_for_participant};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::{people, steps};

/// One of the caller's interviews.
pub struct Counterpart {
    /// Trainee.
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// The other side's name.
    pub name: String,
    /// The other side's e-mail address.
    pub email: String,
    /// The trainer's practice.
    pub practice: Option<String>,
    /// Planned day.
    pub planned_on: Option<chrono::NaiveDate>,
    /// Held day.
    pub held_on: Option<chrono::NaiveDate>,
}

/// The caller's interview counterparts, by name.
pub async fn my_interviews(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<Counterpart>, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let interviews = steps::current_interviews(&state.db, round_id).await?;
    let not_in_round = || ApiError::NotFound("you do not take part in this round".to_owned());
    let mut out = Vec::new();
    match principal.role {
        Role::Trainee => {
            let me = steps::trainee_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            for interview in interviews.iter().filter(|i| i.trainee_id == me.id) {
                if let Some(trainer) =
                    people::find_trainer(&state.db, round.institute_id, interview.trainer_id)
                        .await?
                {
                    let practice = match trainer.practice_id {
                        Some(id) => people::find_practice(&state.db, round.institute_id, id)
                            .await?
                            .map(|p| format!("{}, {}", p.name, p.city)),
                        None => None,
                    };
                    out.push(Counterpart {
                        trainee_id: me.id,
                        trainer_id: trainer.id,
                        name: trainer.name,
                        email: trainer.email,
                        practice,
                        planned_on: interview.planned_on,
                        held_on: interview.held_on,
                    });
                }
            }
        }
        Role::Trainer => {
            let me = steps::trainer_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            for interview in interviews.iter().filter(|i| i.trainer_id == me.id) {
                if let Some(trainee) =
                    people::find_trainee(&state.db, round.institute_id, interview.trainee_id)
                        .await?
                {
                    out.push(Counterpart {
                        trainee_id: trainee.id,
                        trainer_id: me.id,
                        name: trainee.name,
                        email: trainee.email,
                        practice: None,
                        planned_on: interview.planned_on,
                        held_on: interview.held_on,
                    });
                }
            }
        }
        _ => {
            return Err(ApiError::Forbidden(
                "only trainees and trainers have interviews".to_owned(),
            ));
        }
    }
    out.sort_by_key(|counterpart| counterpart.name.to_lowercase());
    Ok(out)
}

/// The calling trainee records an interview as planned and/or held.
pub async fn record_interview(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainer_id: Uuid,
    planned_on: Option<chrono::NaiveDate>,
    held_on: Option<chrono::NaiveDate>,
) -> Result<(), ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (me, _) = me_as_trainee(state, principal, &round).await?;
    check_action(
        Action::RecordInterview,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    if let (Some(planned), Some(held)) = (planned_on, held_on)
        && held < planned
    {
        return Err(ApiError::field("held_on", "must not be before planned_on"));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    if !steps::update_interview(&txn, round_id, me.id, trainer_id, planned_on, held_on).await? {
        return Err(ApiError::NotFound(format!(
            "you have no interview with trainer '{trainer_id}'"
        )));
    }
    let day = |date: Option<chrono::NaiveDate>| date.map_or("-".to_owned(), |d| d.to_string());
    let summary = format!(
        "{} recorded an interview (planned {}, held {})",
        me.name,
        day(planned_on),
        day(held_on)
    );
    Entry::in_round(&round, principal.user_id, "interview.recorded", summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(())
}

//! Step 2 and the interviews: trainees rank the trainers they may be coupled to, coordinators
//! generate the interview proposal with the matcher and publish it.
//!
//! What the steps share sits here: who the caller is in a round, and the rules' view of the
//! round's trainers, trainees and vetoes. Then one module per part:
//! - [`preferences`]: step 2's lists;
//! - [`proposal`]: the interview proposal;
//! - [`interviews`]: the interviews and their days.

mod interviews;
mod preferences;
mod proposal;

pub use interviews::{Counterpart, my_interviews, record_interview};
pub use preferences::{my_preferences, rankable, round_preferences, submit_preferences};
pub use proposal::{adjust_proposal, generate_proposal, proposal_published, publish_proposal};

use koppel_api_types::Role;
use koppel_domain::{
    Relationship, TraineeFacts, TraineeId, TrainerFacts, TrainerId, TrainingYear, Veto, VetoParty,
    VetoReason,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::entities::{trainee, trainer, veto};
use crate::store::rounds::{self, Round};
use crate::store::{participants, people, steps};

/// A preference list holds at least this many trainers (or all rankable ones, if fewer).
pub const MIN_PREFERENCES: usize = 4;

/// The calling trainee's record and training year in the round.
async fn me_as_trainee(
    state: &AppState,
    principal: &Principal,
    round: &Round,
) -> Result<(trainee::Model, TrainingYear), ApiError> {
    principal.require_role(&[Role::Trainee])?;
    let not_in_round = || ApiError::NotFound("you do not take part in this round".to_owned());
    let (me, participation) =
        rounds::trainee_of_user_in(&state.db, round.id, round.institute_id, principal.user_id)
            .await?
            .ok_or_else(not_in_round)?;
    let year = rounds::training_year(&participation);
    Ok((me, year))
}

/// The round, the calling trainee and the rules' view of them: in one query for a trainee of the
/// round, else the checks one by one, to say precisely why not (404 or 403).
async fn trainee_in_round(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<(Round, trainee::Model, TraineeFacts), ApiError> {
    if principal.role == Role::Trainee
        && let Some(institute_id) = principal.institute_id
        && let Some((round, me)) =
            participants::trainee_of_user(&state.reads, round_id, institute_id, principal.user_id)
                .await?
    {
        let facts = me.facts();
        return Ok((round, me.trainee, facts));
    }
    let round = round_for_participant(state, principal, round_id).await?;
    let (me, year) = me_as_trainee(state, principal, &round).await?;
    let facts = trainee_facts(state, &me, year).await?;
    Ok((round, me, facts))
}

/// A round, for its trainees and trainers as well as its coordinators (404 otherwise).
pub(crate) async fn round_for_participant(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Round, ApiError> {
    crate::services::rounds::of_callers_institute(state, principal, round_id).await
}

pub(crate) fn trainer_facts(row: &trainer::Model) -> TrainerFacts {
    TrainerFacts {
        id: TrainerId(row.id),
        name: row.name.clone(),
        eligible_year1: row.eligible_year1,
        eligible_year3: row.eligible_year3,
        large_scale_structure: row.large_scale_structure,
        available: true,
        last_trainee_end: row.last_trainee_end_known(),
    }
}

/// The round's trainers, with the facts the rules need.
pub(crate) async fn round_trainers(
    state: &AppState,
    round: &Round,
) -> Result<Vec<(trainer::Model, u32)>, ApiError> {
    Ok(participants::trainers_of_round(&state.db, round.id, round.institute_id).await?)
}

/// The rules' view of a trainee: year, year-1 trainer and large-scale experience, from history.
pub(crate) async fn trainee_facts(
    state: &AppState,
    row: &trainee::Model,
    year: TrainingYear,
) -> Result<TraineeFacts, ApiError> {
    let history = people::histories(&state.db, &[row.id]).await?;
    let earlier: Vec<Uuid> = history.iter().map(|entry| entry.trainer_id).collect();
    let had_large_scale = people::trainers_by_id(&state.db, row.institute_id, &earlier)
        .await?
        .values()
        .any(|trainer| trainer.large_scale_structure);
    Ok(TraineeFacts {
        id: TraineeId(row.id),
        year,
        year1_trainer: history
            .iter()
            .find(|h| h.training_year == 1)
            .map(|h| TrainerId(h.trainer_id)),
        had_large_scale_trainer: had_large_scale,
    })
}

/// The round's vetoes as domain values.
pub(crate) async fn domain_vetoes(state: &AppState, round_id: Uuid) -> Result<Vec<Veto>, ApiError> {
    Ok(steps::vetoes(&state.db, round_id)
        .await?
        .into_iter()
        .map(domain_veto)
        .collect())
}

fn domain_veto(row: veto::Model) -> Veto {
    Veto {
        trainee: TraineeId(row.trainee_id),
        trainer: TrainerId(row.trainer_id),
        declared_by: if row.declared_by == "trainer" {
            VetoParty::Trainer
        } else {
            VetoParty::Trainee
        },
        reason: VetoReason::PersonalRelationship(match row.relationship.as_deref() {
            Some("family") => Relationship::Family,
            Some("own_gp") => Relationship::OwnGp,
            _ => Relationship::OtherPersonalTie,
        }),
        note: row.note,
    }
}

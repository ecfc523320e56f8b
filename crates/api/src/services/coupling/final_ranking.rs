//! Step 3's inputs: each side's final ranking of the people they met, and vetoes.

use std::collections::BTreeSet;

use chrono::Utc;
use koppel_api_types::{FieldError, Role};
use koppel_domain::{
    Action, FinalRanking, RankingProblem, TraineeId, TrainerId, Veto, VetoError, VetoParty,
    check_action,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::services::rounds::{ROUND_WRITERS, get};
use crate::services::steps::round_for_participant;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::entities::veto;
use crate::store::rounds::{self, Round};
use crate::store::steps;

/// The caller's side and record id in the round.
pub(super) async fn me_in_round(
    state: &AppState,
    principal: &Principal,
    round: &Round,
) -> Result<(VetoParty, Uuid, String), ApiError> {
    let not_in_round = || ApiError::NotFound("you do not take part in this round".to_owned());
    match principal.role {
        Role::Trainee => {
            let me = steps::trainee_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            if !rounds::trainees(&state.db, round.id)
                .await?
                .iter()
                .any(|p| p.trainee_id == me.id)
            {
                return Err(not_in_round());
            }
            Ok((VetoParty::Trainee, me.id, me.name))
        }
        Role::Trainer => {
            let me = steps::trainer_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            if !rounds::trainers(&state.db, round.id)
                .await?
                .iter()
                .any(|p| p.trainer_id == me.id)
            {
                return Err(not_in_round());
            }
            Ok((VetoParty::Trainer, me.id, me.name))
        }
        _ => Err(ApiError::Forbidden(
            "only trainees and trainers take part in a round".to_owned(),
        )),
    }
}

fn side_name(party: VetoParty) -> &'static str {
    match party {
        VetoParty::Trainee => "trainee",
        VetoParty::Trainer => "trainer",
        VetoParty::System => "system",
    }
}

/// Submits or replaces the caller's final ranking of their interview counterparts.
pub async fn submit_final_ranking(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    ranks: &[(Uuid, u32)],
) -> Result<(), ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, name) = me_in_round(state, principal, &round).await?;
    check_action(
        Action::SubmitFinalRanking,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let interviewed: BTreeSet<Uuid> = steps::current_interviews(&state.db, round_id)
        .await?
        .into_iter()
        .filter_map(|i| match side {
            VetoParty::Trainee if i.trainee_id == me => Some(i.trainer_id),
            VetoParty::Trainer if i.trainer_id == me => Some(i.trainee_id),
            _ => None,
        })
        .collect();
    let ranking = FinalRanking::parse(ranks, &interviewed).map_err(|error| {
        let position = |id: &Uuid| ranks.iter().position(|(c, _)| c == id);
        ApiError::Validation(
            error
                .0
                .iter()
                .map(|problem| FieldError {
                    field: match problem {
                        RankingProblem::Duplicate { index, .. }
                        | RankingProblem::NotRankable { index, .. } => {
                            format!("ranks[{index}].counterpart_id")
                        }
                        RankingProblem::RankOutOfRange { id, .. } => {
                            position(id).map_or("ranks".to_owned(), |i| format!("ranks[{i}].rank"))
                        }
                        _ => "ranks".to_owned(),
                    },
                    message: problem.to_string(),
                })
                .collect(),
        )
    })?;
    let _turn = state.write_turns.take().await;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    match side {
        VetoParty::Trainee => rounds::lock_trainee(&txn, round_id, me).await?,
        VetoParty::Trainer => rounds::lock_trainer(&txn, round_id, me).await?,
        VetoParty::System => {}
    }
    steps::replace_final_ranking(&txn, round_id, side_name(side), me, ranking.in_order(), now)
        .await?;
    Entry::in_round(
        &round,
        principal.user_id,
        "final_ranking.submitted",
        format!(
            "{name} submitted a final ranking of {}",
            ranking.in_order().len()
        ),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The caller's final ranking, rank 1 first.
pub async fn my_final_ranking(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, _) = me_in_round(state, principal, &round).await?;
    Ok(steps::final_rankings(&state.db, round_id)
        .await?
        .into_iter()
        .filter(|r| r.side == side_name(side) && r.ranker_id == me)
        .map(|r| r.counterpart_id)
        .collect())
}

/// Declares a veto; refused reasons get an error that explains the policy.
pub async fn declare_veto(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    request: &koppel_api_types::VetoRequest,
) -> Result<veto::Model, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, name) = me_in_round(state, principal, &round).await?;
    check_action(
        Action::DeclareVeto,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let (trainee, trainer) = match side {
        VetoParty::Trainee => (me, request.counterpart_id),
        _ => (request.counterpart_id, me),
    };
    let in_round = match side {
        VetoParty::Trainee => rounds::trainers(&state.db, round_id)
            .await?
            .iter()
            .any(|p| p.trainer_id == trainer),
        _ => rounds::trainees(&state.db, round_id)
            .await?
            .iter()
            .any(|p| p.trainee_id == trainee),
    };
    if !in_round {
        return Err(ApiError::field(
            "counterpart_id",
            "this person does not take part in the round",
        ));
    }
    let veto = Veto::declare(
        TraineeId(trainee),
        TrainerId(trainer),
        side,
        &request.category,
        request.relationship.as_deref(),
        request.note.as_deref(),
    )
    .map_err(|error| {
        let field = match error {
            VetoError::MissingRelationship | VetoError::UnknownRelationship(_) => "relationship",
            VetoError::NoteTooLong { .. } => "note",
            _ => "category",
        };
        ApiError::field(field, error)
    })?;
    let (category, relationship) = match veto.reason {
        koppel_domain::VetoReason::PersonalRelationship(kind) => (
            "personal_relationship",
            Some(match kind {
                koppel_domain::Relationship::Family => "family",
                koppel_domain::Relationship::OwnGp => "own_gp",
                koppel_domain::Relationship::OtherPersonalTie => "other_personal_tie",
            }),
        ),
        koppel_domain::VetoReason::PreviousTrainer => ("previous_trainer", None),
    };
    let now = Utc::now();
    let row = veto::Model {
        id: Uuid::new_v4(),
        round_id,
        trainee_id: trainee,
        trainer_id: trainer,
        declared_by: side_name(side).to_owned(),
        category: category.to_owned(),
        relationship: relationship.map(str::to_owned),
        note: veto.note.clone(),
        actor_id: principal.user_id,
        created_at: now,
    };
    let txn = crate::store::begin(&state.db).await?;
    steps::insert_veto(&txn, row.clone()).await?;
    Entry::in_round(
        &round,
        principal.user_id,
        "veto.declared",
        format!("{name} declared a veto ({category})"),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Vetoes of a round, for coordinators.
pub async fn vetoes(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<veto::Model>, ApiError> {
    get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    Ok(steps::vetoes(&state.db, round_id).await?)
}

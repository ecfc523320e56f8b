//! Step 2: what a trainee may rank, their preference list, and every list for coordinators.

use chrono::Utc;
use koppel_api_types::{FieldError, Role};
use koppel_domain::{
    Action, PreferenceList, RankingProblem, StepTwo, TraineeFacts, Veto, check_action,
    inadmissibility,
};
use uuid::Uuid;

use super::{
    MIN_PREFERENCES, domain_veto, me_as_trainee, round_for_participant, round_trainers,
    trainee_in_round, trainer_facts,
};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::services::rounds::{ROUND_WRITERS, get};
use crate::state::AppState;
use crate::store::audit::{self, Entry};
use crate::store::entities::{practice, trainee, trainer, veto};
use crate::store::rounds::{self, Round};
use crate::store::{participants, people, steps};

/// Whose view of the vetoes decides what is admissible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Viewer {
    /// A coordinator: every veto.
    Coordinator,
    /// The trainee: once step 2 has closed, only the vetoes declared before (see [`StepTwo`]),
    /// so the list cannot reveal a later veto.
    Trainee,
}

/// Trainers of the round the trainee may be coupled to (rules and vetoes).
pub(super) async fn admissible_for(
    state: &AppState,
    round: &Round,
    facts: &TraineeFacts,
    viewer: Viewer,
) -> Result<Vec<trainer::Model>, ApiError> {
    let vetoes = vetoes_seen(state, round, facts, viewer).await?;
    Ok(round_trainers(state, round)
        .await?
        .into_iter()
        .filter(|(trainer, _)| inadmissibility(facts, &trainer_facts(trainer), &vetoes).is_empty())
        .map(|(trainer, _)| trainer)
        .collect())
}

/// The ids of [`admissible_for`], from the trainers' facts alone (a submission's check).
async fn admissible_ids(
    state: &AppState,
    round: &Round,
    facts: &TraineeFacts,
    viewer: Viewer,
) -> Result<std::collections::BTreeSet<Uuid>, ApiError> {
    let (trainers, vetoes) = participants::trainer_facts_with_vetoes(
        &state.reads,
        round.id,
        round.institute_id,
        facts.id.0,
    )
    .await?;
    let vetoes = seen_by(round, viewer, vetoes);
    Ok(trainers
        .into_iter()
        .filter(|trainer| inadmissibility(facts, trainer, &vetoes).is_empty())
        .map(|trainer| trainer.id.0)
        .collect())
}

/// The vetoes on the trainee that `viewer` may take into account.
async fn vetoes_seen(
    state: &AppState,
    round: &Round,
    facts: &TraineeFacts,
    viewer: Viewer,
) -> Result<Vec<Veto>, ApiError> {
    let vetoes = steps::vetoes_of_trainee(&state.db, round.id, facts.id.0).await?;
    Ok(seen_by(round, viewer, vetoes))
}

/// Of the vetoes on a trainee, those `viewer` may take into account.
fn seen_by(round: &Round, viewer: Viewer, vetoes: Vec<veto::Model>) -> Vec<Veto> {
    let step_two = StepTwo {
        phase: round.phase,
        deadline: round.schedule.preferences_deadline,
        left_at: round.preferences_closed_at,
    };
    let now = Utc::now();
    vetoes
        .into_iter()
        .filter(|row| viewer == Viewer::Coordinator || step_two.veto_counts(row.created_at, now))
        .map(domain_veto)
        .collect()
}

/// The trainers the calling trainee may rank, each with their practice, and the minimum list
/// length. Frozen once step 2 closes: a veto declared later does not change it.
pub async fn rankable(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<(Vec<(trainer::Model, Option<practice::Model>)>, usize), ApiError> {
    let (round, _, facts) = trainee_in_round(state, principal, round_id).await?;
    let vetoes = vetoes_seen(state, &round, &facts, Viewer::Trainee).await?;
    let mut out: Vec<_> =
        participants::trainers_with_practices(&state.db, round.id, round.institute_id)
            .await?
            .into_iter()
            .filter(|(trainer, _)| {
                inadmissibility(&facts, &trainer_facts(trainer), &vetoes).is_empty()
            })
            .collect();
    out.sort_by_key(|(trainer, _)| trainer.name.to_lowercase());
    let minimum = MIN_PREFERENCES.min(out.len());
    Ok((out, minimum))
}

/// Submits or replaces the calling trainee's preference list.
pub async fn submit_preferences(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainer_ids: &[Uuid],
) -> Result<(), ApiError> {
    let (round, me, facts) = trainee_in_round(state, principal, round_id).await?;
    check_action(
        Action::SubmitPreferences,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let rankable = admissible_ids(state, &round, &facts, Viewer::Trainee).await?;
    PreferenceList::parse(trainer_ids, &rankable, MIN_PREFERENCES).map_err(|error| {
        ApiError::Validation(
            error
                .0
                .iter()
                .map(|problem| FieldError {
                    field: match problem {
                        RankingProblem::Duplicate { index, .. }
                        | RankingProblem::NotRankable { index, .. } => {
                            format!("trainer_ids[{index}]")
                        }
                        _ => "trainer_ids".to_owned(),
                    },
                    message: problem.to_string(),
                })
                .collect(),
        )
    })?;
    let now = Utc::now();
    let backend = state.db.get_database_backend();
    let mut statements: Vec<_> = rounds::locking_trainee(backend, round_id, me.id)
        .into_iter()
        .collect();
    statements.extend(steps::replacing_preferences(
        backend,
        round_id,
        me.id,
        trainer_ids,
        now,
    ));
    statements.push(audit::appending(
        backend,
        Entry::in_round(
            &round,
            principal.user_id,
            "preferences.submitted",
            format!("{} ranked {} trainers", me.name, trainer_ids.len()),
        ),
        now,
    ));
    state.write_turns.commit(&state.db, statements).await?;
    Ok(())
}

/// The calling trainee's preference list.
pub async fn my_preferences(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    // One query for a trainee of the round; the checks one by one for everyone else, to say
    // precisely why not.
    if principal.role == Role::Trainee
        && let Some(institute_id) = principal.institute_id
        && let Some(list) =
            steps::own_preferences(&state.reads, round_id, institute_id, principal.user_id).await?
    {
        return Ok(list);
    }
    let round = round_for_participant(state, principal, round_id).await?;
    let (me, _) = me_as_trainee(state, principal, &round).await?;
    Ok(steps::preferences_of(&state.db, round_id, me.id).await?)
}

/// Every trainee's preferences, for coordinators: (trainee, list).
pub async fn round_preferences(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<(trainee::Model, Vec<Uuid>)>, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let all = steps::preferences(&state.db, round_id).await?;
    let mut out = Vec::new();
    for participant in rounds::trainees(&state.db, round_id).await? {
        if let Some(row) =
            people::find_trainee(&state.db, round.institute_id, participant.trainee_id).await?
        {
            let list = all
                .iter()
                .filter(|p| p.trainee_id == row.id)
                .map(|p| p.trainer_id)
                .collect();
            out.push((row, list));
        }
    }
    out.sort_by_key(|(trainee, _)| trainee.name.to_lowercase());
    Ok(out)
}

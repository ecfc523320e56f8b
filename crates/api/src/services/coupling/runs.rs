//! Coupling runs: the matcher's input read from the round, a run computed and stored, and the
//! stored runs read back.

use chrono::Utc;
use koppel_domain::{Action, Phase, check_action, inadmissibility};
use koppel_matcher::coupling::{
    self, CouplingInput, CouplingOutput, CouplingTrainee, CouplingTrainer, Objective, Pair,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::services::rounds::{ROUND_WRITERS, get};
use crate::services::steps::{round_trainers, trainer_facts};
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::entities::coupling_run;
use crate::store::rounds::Round;
use crate::store::{participants, steps};

/// Builds the matcher input from the final rankings, vetoes and the coupling rules.
async fn coupling_input(
    state: &AppState,
    round: &Round,
    objective: Objective,
    keep: &[crate::store::entities::coupling::Model],
) -> Result<CouplingInput, ApiError> {
    let rankings = steps::final_rankings(&state.db, round.id).await?;
    let vetoes = steps::vetoes(&state.db, round.id).await?;
    let trainers = round_trainers(state, round).await?;
    let list = |side: &str, ranker: Uuid| -> Vec<String> {
        rankings
            .iter()
            .filter(|r| r.side == side && r.ranker_id == ranker)
            .map(|r| r.counterpart_id.to_string())
            .collect()
    };
    let mut forbidden: Vec<Pair> = vetoes
        .iter()
        .map(|v| Pair {
            trainee: v.trainee_id.to_string(),
            trainer: v.trainer_id.to_string(),
        })
        .collect();
    let mut trainees = Vec::new();
    for participant in
        participants::trainees_of_round(&state.db, round.id, round.institute_id).await?
    {
        // Kept couplings stay as published: those trainees are not re-coupled.
        if keep.iter().any(|c| c.trainee_id == participant.trainee.id) {
            continue;
        }
        let facts = participant.facts();
        let row = participant.trainee;
        for (trainer, _) in &trainers {
            if !inadmissibility(&facts, &trainer_facts(trainer), &[]).is_empty() {
                forbidden.push(Pair {
                    trainee: row.id.to_string(),
                    trainer: trainer.id.to_string(),
                });
            }
        }
        trainees.push(CouplingTrainee {
            id: row.id.to_string(),
            ranking: list("trainee", row.id),
        });
    }
    // Rankings may name people who withdrew or whose coupling is kept: leave those out, so
    // the instance only speaks of the participants it couples.
    let included: std::collections::HashSet<String> =
        trainees.iter().map(|t| t.id.clone()).collect();
    let trainer_ids: std::collections::HashSet<String> =
        trainers.iter().map(|(t, _)| t.id.to_string()).collect();
    for trainee in &mut trainees {
        trainee
            .ranking
            .retain(|trainer| trainer_ids.contains(trainer));
    }
    forbidden
        .retain(|pair| included.contains(&pair.trainee) && trainer_ids.contains(&pair.trainer));
    Ok(CouplingInput {
        trainees,
        trainers: trainers
            .iter()
            .map(|(t, capacity)| CouplingTrainer {
                id: t.id.to_string(),
                capacity: capacity
                    .saturating_sub(keep.iter().filter(|c| c.trainer_id == t.id).count() as u32),
                ranking: list("trainer", t.id)
                    .into_iter()
                    .filter(|trainee| included.contains(trainee))
                    .collect(),
            })
            .collect(),
        forbidden,
        objective,
        explain: true,
    })
}

/// Runs the matcher on the round's final rankings and stores input and result.
pub async fn create_run(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    objective: Option<&str>,
    keep_published: bool,
) -> Result<(coupling_run::Model, CouplingOutput), ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    check_action(
        Action::RunCoupling,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let objective = match objective.unwrap_or("total") {
        "total" => Objective::Total,
        "minimax" => Objective::Minimax,
        other => {
            return Err(ApiError::field(
                "objective",
                format!("'{other}' is not an objective: use total or minimax"),
            ));
        }
    };
    // Couplings that stand are kept out of the run: manual ones before the first publication,
    // published ones afterwards unless the coordinator asks to re-couple everyone.
    let keep = if round.phase == Phase::Published && !keep_published {
        Vec::new()
    } else {
        steps::couplings(&state.db, round_id).await?
    };
    let input = coupling_input(state, &round, objective, &keep).await?;
    let input_json =
        serde_json::to_string(&input).map_err(|error| ApiError::Internal(error.into()))?;
    crate::solving::check_coupling(&input)?;
    let output = state
        .solvers
        .run(move |limit| coupling::solve_within(&input, limit))
        .await?
        .map_err(|error| match error {
            coupling::CouplingError::Solver(error) => {
                crate::solving::solve_failed(error, "the coupling")
            }
            other => ApiError::Internal(anyhow::Error::new(other).context("the coupling failed")),
        })?;
    // Microseconds, as PostgreSQL stores them: the answer equals what is read back later.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
    let row = coupling_run::Model {
        id: Uuid::new_v4(),
        round_id,
        objective: if objective == Objective::Total {
            "total"
        } else {
            "minimax"
        }
        .to_owned(),
        input: input_json,
        output: serde_json::to_string(&output).map_err(|error| ApiError::Internal(error.into()))?,
        matched: output.matched as i32,
        total_rank: output.total_rank as i64,
        created_by: principal.user_id,
        created_at: now,
        published_at: None,
    };
    let txn = crate::store::begin(&state.db).await?;
    steps::insert_run(&txn, row.clone()).await?;
    let summary = format!(
        "coupling run ({}): {} coupled, total rank {}, {} blocking pairs",
        row.objective,
        output.matched,
        output.total_rank,
        output.blocking_pairs.len()
    );
    Entry::in_round(&round, principal.user_id, "coupling.run", summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    Ok((row, output))
}

/// Coupling runs of a round, to compare.
pub async fn runs(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<coupling_run::Model>, ApiError> {
    get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    Ok(steps::runs(&state.db, round_id).await?)
}

/// A stored run's outcome.
pub(crate) fn output_of(run: &coupling_run::Model) -> Result<CouplingOutput, ApiError> {
    serde_json::from_str(&run.output).map_err(|error| ApiError::Internal(error.into()))
}

/// One run of a round with its outcome, and the round (coordinators; 404 for a run of another
/// round or institute).
pub async fn run(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    run_id: Uuid,
) -> Result<(Round, coupling_run::Model, CouplingOutput), ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let row = steps::runs(&state.db, round_id)
        .await?
        .into_iter()
        .find(|row| row.id == run_id)
        .ok_or_else(|| ApiError::NotFound(format!("coupling run '{run_id}' does not exist")))?;
    let output = output_of(&row)?;
    Ok((round, row, output))
}

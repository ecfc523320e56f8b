//! A round's tables for coordinators' spreadsheets: every preference, every final ranking, and
//! a coupling run's result, with names and e-mail addresses, read in a few queries.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::entities::{trainee, trainer};
use crate::store::{people, steps};

/// Every submitted preference of a round, for coordinators: (trainee, rank from 1, trainer), by
/// trainee name and rank; a trainer no longer in the institute is left out.
pub async fn preference_rows(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<(trainee::Model, u32, trainer::Model)>, ApiError> {
    let lists = super::steps::round_preferences(state, principal, round_id).await?;
    let Some(institute_id) = lists.first().map(|(trainee, _)| trainee.institute_id) else {
        return Ok(Vec::new());
    };
    let ids: Vec<Uuid> = lists
        .iter()
        .flat_map(|(_, list)| list.iter().copied())
        .collect();
    let trainers = people::trainers_by_id(&state.db, institute_id, &ids).await?;
    let mut rows = Vec::new();
    for (trainee, list) in lists {
        for (rank, id) in (1u32..).zip(list) {
            if let Some(trainer) = trainers.get(&id) {
                rows.push((trainee.clone(), rank, trainer.clone()));
            }
        }
    }
    Ok(rows)
}

/// One rank of a final ranking: who ranked (a trainee or a trainer), the rank, and whom.
#[derive(Debug, Clone)]
pub struct FinalRankRow {
    /// `trainee` or `trainer`: the side of the one who ranked.
    pub side: &'static str,
    /// The name and e-mail address of the one who ranked.
    pub ranker: (String, String),
    /// 1 = first choice.
    pub rank: u32,
    /// The name and e-mail address of the one ranked.
    pub ranked: (String, String),
}

/// Every final ranking of a round from both sides (coordinators), trainees' first, each by
/// ranker name and rank.
pub async fn final_rank_rows(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<FinalRankRow>, ApiError> {
    let round = super::rounds::get(state, principal, round_id).await?;
    principal.require_role(&super::rounds::ROUND_WRITERS)?;
    let ranks = steps::final_rankings(&state.db, round_id).await?;
    let (mut trainee_ids, mut trainer_ids) = (Vec::new(), Vec::new());
    for rank in &ranks {
        let (trainee, trainer) = if rank.side == "trainee" {
            (rank.ranker_id, rank.counterpart_id)
        } else {
            (rank.counterpart_id, rank.ranker_id)
        };
        trainee_ids.push(trainee);
        trainer_ids.push(trainer);
    }
    let trainees = people::trainees_by_id(&state.db, round.institute_id, &trainee_ids).await?;
    let trainers = people::trainers_by_id(&state.db, round.institute_id, &trainer_ids).await?;
    let trainee = |id| trainees.get(&id).map(|t| (t.name.clone(), t.email.clone()));
    let trainer = |id| trainers.get(&id).map(|t| (t.name.clone(), t.email.clone()));
    let mut rows: Vec<FinalRankRow> = ranks
        .iter()
        .filter_map(|rank| {
            let (side, ranker, ranked) = if rank.side == "trainee" {
                (
                    "trainee",
                    trainee(rank.ranker_id)?,
                    trainer(rank.counterpart_id)?,
                )
            } else {
                (
                    "trainer",
                    trainer(rank.ranker_id)?,
                    trainee(rank.counterpart_id)?,
                )
            };
            Some(FinalRankRow {
                side,
                ranker,
                rank: u32::try_from(rank.rank).unwrap_or_default(),
                ranked,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.side != "trainee", a.ranker.0.to_lowercase(), a.rank).cmp(&(
            b.side != "trainee",
            b.ranker.0.to_lowercase(),
            b.rank,
        ))
    });
    Ok(rows)
}

/// One row of a coupling run's result: the trainee, and their trainer with both ranks, or why
/// they are not coupled.
#[derive(Debug, Clone)]
pub struct ResultRow {
    /// The trainee.
    pub trainee: trainee::Model,
    /// Their trainer, when coupled.
    pub trainer: Option<trainer::Model>,
    /// The rank the trainee gave the trainer, and the trainer the trainee (1 = first choice).
    pub ranks: Option<(u32, u32)>,
    /// Why the trainee is not coupled.
    pub reason: Option<String>,
}

/// A coupling run's result with names (coordinators): the coupled pairs, then the uncoupled
/// trainees, each by trainee name.
pub async fn run_result_rows(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    run_id: Uuid,
) -> Result<Vec<ResultRow>, ApiError> {
    let (round, _, output) = super::coupling::run(state, principal, round_id, run_id).await?;
    let id = |text: &str| text.parse::<Uuid>().ok();
    let trainee_ids: Vec<Uuid> = output
        .assignments
        .iter()
        .map(|a| a.trainee.as_str())
        .chain(output.unmatched_trainees.iter().map(|u| u.trainee.as_str()))
        .filter_map(id)
        .collect();
    let trainer_ids: Vec<Uuid> = output
        .assignments
        .iter()
        .filter_map(|a| id(&a.trainer))
        .collect();
    let trainees = people::trainees_by_id(&state.db, round.institute_id, &trainee_ids).await?;
    let trainers: HashMap<Uuid, trainer::Model> =
        people::trainers_by_id(&state.db, round.institute_id, &trainer_ids).await?;
    let mut rows: Vec<ResultRow> = Vec::new();
    for assignment in &output.assignments {
        if let Some(trainee) = id(&assignment.trainee).and_then(|t| trainees.get(&t)) {
            rows.push(ResultRow {
                trainee: trainee.clone(),
                trainer: id(&assignment.trainer)
                    .and_then(|t| trainers.get(&t))
                    .cloned(),
                ranks: Some((assignment.trainee_rank, assignment.trainer_rank)),
                reason: None,
            });
        }
    }
    for unmatched in &output.unmatched_trainees {
        if let Some(trainee) = id(&unmatched.trainee).and_then(|t| trainees.get(&t)) {
            rows.push(ResultRow {
                trainee: trainee.clone(),
                trainer: None,
                ranks: None,
                reason: Some(unmatched.reason.clone()),
            });
        }
    }
    rows.sort_by_key(|row| (row.trainer.is_none(), row.trainee.name.to_lowercase()));
    Ok(rows)
}

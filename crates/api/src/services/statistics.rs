//! Anonymised statistics: a coupling round's once its coupling is published and a lottery's once
//! it is drawn, for anyone; and an institute's published rounds side by side for its
//! coordinators. Which counts may be shown is the domain's rule (`koppel_domain::statistics`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use koppel_api_types::{
    DrawnLottery, LocationStatistics, LotteryStatistics, PublishedRound, RankCount,
    RoundStatistics, StatisticsIndex,
};
use koppel_domain::statistics::{
    MIN_GROUP, published, published_distribution, published_ranks, published_share, published_under,
};
use koppel_matcher::coupling::CouplingOutput;
use uuid::Uuid;

use super::rounds::ROUND_WRITERS;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::rounds::Round;
use crate::store::{institutes, lotteries, rounds, steps};

/// Ranks shown in a distribution at least: the four interview candidates.
const RANKS_SHOWN: u32 = 4;

/// Every published round and drawn lottery, newest first.
pub async fn index(state: &AppState) -> Result<StatisticsIndex, ApiError> {
    let mut published = steps::published_runs(&state.db).await?;
    published.sort_by_key(|&(_, at)| std::cmp::Reverse(at));
    let mut seen = std::collections::HashSet::new();
    let order: Vec<Uuid> = published
        .into_iter()
        .map(|(round_id, _)| round_id)
        .filter(|round_id| seen.insert(*round_id))
        .collect();
    let mut by_id: HashMap<Uuid, Round> = rounds::find_many(&state.db, &order)
        .await?
        .into_iter()
        .map(|round| (round.id, round))
        .collect();
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let mut out = Vec::with_capacity(order.len());
    for round_id in order {
        let Some(round) = by_id.remove(&round_id) else {
            continue;
        };
        let institute = institute_name(state, &mut names, round.institute_id).await?;
        out.push(PublishedRound {
            round_id,
            institute,
            start_month: round.key.month().to_string().to_lowercase(),
            start_year: round.key.year(),
        });
    }
    Ok(StatisticsIndex {
        rounds: out,
        lotteries: lotteries::drawn(&state.db)
            .await?
            .into_iter()
            .map(|(lottery_id, name)| DrawnLottery { lottery_id, name })
            .collect(),
    })
}

async fn institute_name(
    state: &AppState,
    names: &mut HashMap<Uuid, String>,
    id: Uuid,
) -> Result<String, ApiError> {
    if let Some(name) = names.get(&id) {
        return Ok(name.clone());
    }
    let name = institutes::find(&state.db, id)
        .await?
        .map(|institute| institute.name)
        .unwrap_or_default();
    names.insert(id, name.clone());
    Ok(name)
}

/// A round's statistics, for anyone once its coupling is published (404 before).
pub async fn round(state: &AppState, round_id: Uuid) -> Result<RoundStatistics, ApiError> {
    let not_found = || ApiError::NotFound(format!("round '{round_id}' has no published coupling"));
    let round = rounds::find(&state.db, round_id)
        .await?
        .ok_or_else(not_found)?;
    let mut names = HashMap::new();
    let institute = institute_name(state, &mut names, round.institute_id).await?;
    of_round(state, &round, institute)
        .await?
        .ok_or_else(not_found)
}

/// The statistics of each of an institute's published rounds, oldest first (its coordinators).
pub async fn trends(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<RoundStatistics>, ApiError> {
    super::people::access(state, principal, institute_id, &ROUND_WRITERS).await?;
    let mut names = HashMap::new();
    let institute = institute_name(state, &mut names, institute_id).await?;
    let mut out = Vec::new();
    // The list comes latest placement first.
    for round in rounds::list(&state.db, institute_id).await?.iter().rev() {
        if let Some(statistics) = of_round(state, round, institute.clone()).await? {
            out.push(statistics);
        }
    }
    Ok(out)
}

/// The statistics of a round from its latest published run; `None` when none is published.
async fn of_round(
    state: &AppState,
    round: &Round,
    institute: String,
) -> Result<Option<RoundStatistics>, ApiError> {
    let Some(run) = steps::latest_published_run(&state.db, round.id).await? else {
        return Ok(None);
    };
    let output = super::coupling::output_of(&run)?;
    let published_at: DateTime<Utc> = run.published_at.unwrap_or(run.created_at);
    let header = Header {
        round_id: round.id,
        institute,
        start_month: round.key.month().to_string().to_lowercase(),
        start_year: round.key.year(),
        published_at,
    };
    Ok(Some(figures(header, &output)))
}

/// Which round, as its statistics name it.
struct Header {
    round_id: Uuid,
    institute: String,
    start_month: String,
    start_year: i32,
    published_at: DateTime<Utc>,
}

/// A coupling's figures, anonymised.
fn figures(header: Header, output: &CouplingOutput) -> RoundStatistics {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let coupled = count(output.assignments.len());
    let uncoupled = count(output.unmatched_trainees.len());
    // The split hides both parts when either is small; the total is shown only with the split,
    // or it and the rank counts (which add up to the coupled) would give the uncoupled away.
    let split = published_distribution(&[coupled, uncoupled]);
    let (shown_coupled, shown_uncoupled) = (split[0], split[1]);
    let trainees = (shown_coupled.is_some() && shown_uncoupled.is_some())
        .then(|| published(coupled + uncoupled))
        .flatten();
    // How many got each rank, from 1 to at least the four interview candidates, in one pass.
    let rank_counts = |rank_of: fn(&koppel_matcher::coupling::Assignment) -> u32| {
        let mut counts = vec![0u32; RANKS_SHOWN as usize];
        for assignment in &output.assignments {
            let index = rank_of(assignment).saturating_sub(1) as usize;
            if counts.len() <= index {
                counts.resize(index + 1, 0);
            }
            counts[index] += 1;
        }
        counts
    };
    // With the coupled count hidden, rank counts adding up to it would show it.
    let shown = |counts: &[u32]| {
        published_under(shown_coupled.is_some(), published_ranks(counts))
            .into_iter()
            .zip(1..)
            .map(|(count, rank)| RankCount { rank, count })
            .collect::<Vec<_>>()
    };
    let by_trainees = rank_counts(|a| a.trainee_rank);
    let trainee_ranks = shown(&by_trainees);
    let trainer_ranks = shown(&rank_counts(|a| a.trainer_rank));
    let first = by_trainees.first().copied().unwrap_or(0);
    RoundStatistics {
        round_id: header.round_id,
        institute: header.institute,
        start_month: header.start_month,
        start_year: header.start_year,
        published_at: header.published_at,
        trainees,
        coupled: shown_coupled,
        uncoupled: shown_uncoupled,
        first_choice_share: trainee_ranks
            .first()
            .and_then(|cell| cell.count)
            .and(published_share(first, coupled)),
        trainee_ranks,
        trainer_ranks,
        blocking_pairs: published(count(output.blocking_pairs.len())),
        suppressed_below: MIN_GROUP,
    }
}

/// A lottery's statistics, for anyone once it is drawn (404 before).
pub async fn lottery(state: &AppState, lottery_id: Uuid) -> Result<LotteryStatistics, ApiError> {
    let not_found = || ApiError::NotFound(format!("lottery '{lottery_id}' is not drawn"));
    let lottery = lotteries::find(&state.db, lottery_id)
        .await?
        .filter(|lottery| lottery.drawn_at.is_some())
        .ok_or_else(not_found)?;
    let report = super::lotteries::figures(state, &lottery).await?;
    let ranks: Vec<u32> = report.by_preference_rank.iter().map(|r| r.placed).collect();
    // The total in the lottery is placed plus unplaced: both hide when either is small, and then
    // so does everything that adds up to the placed (ranks, locations, unfilled places).
    let split = published_distribution(&[report.placed_at_preferred, report.unplaced]);
    let shown = split[0].is_some();
    let located: Vec<u32> = report.locations.iter().map(|l| l.placed).collect();
    let located = published_under(shown, published_distribution(&located));
    let ranks = published_under(shown, published_distribution(&ranks));
    let selection = published_distribution(&[
        report.selected,
        report.applicants.saturating_sub(report.selected),
    ]);
    // The total in the lottery is the selected plus the second attempts: a hidden number of
    // second attempts hides the selected too, or the total minus them would show it.
    let attempts = published_distribution(&[report.selected, report.second_attempts]);
    // And the other way round: with the total shown, a hidden selected count hides the second
    // attempts, or the total minus them would show it.
    let selected = selection[0].and(attempts[0]);
    Ok(LotteryStatistics {
        lottery_id,
        name: report.name,
        drawn_at: lottery.drawn_at,
        applicants: published(report.applicants),
        selected,
        second_attempts: selected.and(attempts[1]),
        total_in_lottery: published(report.total_in_lottery),
        placed: split[0],
        unplaced: split[1],
        places_offered: report.places_offered,
        // Places offered minus unfilled would give a hidden placed count away.
        places_unfilled: split[0].map(|_| report.places_unfilled),
        locations: report
            .locations
            .into_iter()
            .zip(located)
            .map(|(location, placed)| LocationStatistics {
                name: location.name,
                capacity: location.capacity,
                placed,
                // Places minus the unfilled ones would give a hidden placed count away.
                unfilled: placed.map(|_| location.unfilled),
            })
            .collect(),
        by_preference_rank: ranks
            .into_iter()
            .zip(&report.by_preference_rank)
            .map(|(count, rank)| RankCount {
                rank: rank.preference_rank,
                count,
            })
            .collect(),
        suppressed_below: MIN_GROUP,
    })
}

#[cfg(test)]
mod tests {
    use koppel_matcher::coupling::{Assignment, CouplingOutput};

    use super::*;

    fn pair(trainee_rank: u32, trainer_rank: u32) -> Assignment {
        Assignment {
            trainee: "t".to_owned(),
            trainer: "o".to_owned(),
            trainee_rank,
            trainer_rank,
        }
    }

    #[test]
    fn small_groups_are_hidden_and_cannot_be_worked_out() {
        let header = || Header {
            round_id: Uuid::nil(),
            institute: "Noord".to_owned(),
            start_month: "september".to_owned(),
            start_year: 2027,
            published_at: Utc::now(),
        };
        let mut output: CouplingOutput = serde_json::from_value(serde_json::json!({
            "objective": "total", "assignments": [], "unmatched_trainees": [], "matched": 0,
            "total_rank": 0, "worst_rank": 0, "blocking_pairs": [], "explanations": [],
            "solver": {"backend": "test", "seconds": 0.0, "solves": 1},
        }))
        .unwrap();
        output.assignments = (0..9).map(|_| pair(1, 1)).chain([pair(2, 3)]).collect();
        let statistics = figures(header(), &output);
        // 9 at the first choice and 1 at the second: every trainer but one would know they were
        // their trainee's first choice, so no rank count shows.
        assert_eq!(statistics.coupled, Some(10));
        assert_eq!(statistics.uncoupled, Some(0));
        assert_eq!(statistics.trainees, Some(10));
        let counts: Vec<Option<u32>> = statistics.trainee_ranks.iter().map(|r| r.count).collect();
        assert_eq!(counts, vec![None; 4]);
        assert_eq!(statistics.first_choice_share, None);

        // Two uncoupled: the split and the total are hidden.
        output.unmatched_trainees = serde_json::from_value(serde_json::json!([
            {"trainee": "a", "reason": "x"}, {"trainee": "b", "reason": "y"}
        ]))
        .unwrap();
        let statistics = figures(header(), &output);
        assert_eq!(
            (
                statistics.coupled,
                statistics.uncoupled,
                statistics.trainees
            ),
            (None, None, None)
        );

        // Enough everywhere: everything shows.
        output.unmatched_trainees.clear();
        output.assignments = (0..6)
            .map(|_| pair(1, 2))
            .chain((0..5).map(|_| pair(2, 1)))
            .collect();
        let statistics = figures(header(), &output);
        let counts: Vec<Option<u32>> = statistics.trainee_ranks.iter().map(|r| r.count).collect();
        assert_eq!(counts, vec![Some(6), Some(5), Some(0), Some(0)]);
        assert_eq!(statistics.first_choice_share, Some(6.0 / 11.0));
    }
}

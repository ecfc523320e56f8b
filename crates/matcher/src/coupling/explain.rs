//! Words for the outcome: why a trainee is not coupled, which pairs would rather be together
//! (blocking pairs), and what a better choice for a trainee would cost the group.

use super::model::{Coupling, Effort, Instance};
use super::{Alternative, Assignment, Explanation, Objective, Unmatched};
use crate::solver::SolveError;

/// Better choices examined per trainee.
pub const ALTERNATIVES_PER_TRAINEE: usize = 3;
/// Re-solves spent on explanations at most; beyond, explanations say they were not computed.
pub const MAX_EXPLANATION_SOLVES: u32 = 1000;

/// Why trainee `i` cannot be coupled to trainer `j` at all, if that is so.
fn why_impossible(instance: &Instance, i: usize, j: usize) -> Option<String> {
    let (trainee, trainer) = (&instance.trainees[i], &instance.trainers[j]);
    if instance.forbidden.contains(&(i, j)) {
        Some(format!(
            "the pair {trainee}-{trainer} is forbidden (a veto or a rule)"
        ))
    } else if super::model::rank_in(&instance.trainer_ranks[j], i).is_none() {
        Some(format!("{trainer} did not rank {trainee}"))
    } else if instance.capacity[j] == 0 {
        Some(format!("{trainer} takes no trainees"))
    } else {
        None
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The trainees left uncoupled, each with the reason.
pub(crate) fn unmatched(instance: &Instance, optimum: &Coupling) -> Vec<Unmatched> {
    let mut coupled = vec![false; instance.trainees.len()];
    for &e in &optimum.edges {
        coupled[instance.edges[e].trainee] = true;
    }
    (0..instance.trainees.len())
        .filter(|&i| !coupled[i])
        .map(|i| {
            let name = &instance.trainees[i];
            let ranking = &instance.trainee_rankings[i];
            let admissible: Vec<&str> = instance
                .edges
                .iter()
                .filter(|edge| edge.trainee == i)
                .map(|edge| instance.trainers[edge.trainer].as_str())
                .collect();
            let reason = if ranking.is_empty() {
                format!("{name} has no admissible trainer: they ranked no trainers")
            } else if admissible.is_empty() {
                let why: Vec<String> = ranking
                    .iter()
                    .filter_map(|&j| why_impossible(instance, i, j))
                    .collect();
                format!("{name} has no admissible trainer: {}", why.join("; "))
            } else {
                format!(
                    "every admissible trainer of {name} ({}) is needed for other trainees: coupling \
                     {name} would leave at least as many other trainees uncoupled",
                    admissible.join(", ")
                )
            };
            Unmatched {
                trainee: name.clone(),
                reason,
            }
        })
        .collect()
}

/// Admissible pairs not coupled where both sides prefer each other to what they got (a trainer
/// with a free place prefers anyone they ranked to nobody).
pub(crate) fn blocking_pairs(instance: &Instance, optimum: &Coupling) -> Vec<Assignment> {
    let mut trainee_rank: Vec<Option<u32>> = vec![None; instance.trainees.len()];
    let mut trainer_load = vec![0u32; instance.trainers.len()];
    let mut trainer_worst = vec![0u32; instance.trainers.len()];
    let chosen: std::collections::HashSet<usize> = optimum.edges.iter().copied().collect();
    for &e in &optimum.edges {
        let edge = instance.edges[e];
        trainee_rank[edge.trainee] = Some(edge.trainee_rank);
        trainer_load[edge.trainer] += 1;
        trainer_worst[edge.trainer] = trainer_worst[edge.trainer].max(edge.trainer_rank);
    }
    instance
        .edges
        .iter()
        .enumerate()
        .filter(|(e, _)| !chosen.contains(e))
        .filter(|(_, edge)| {
            let trainee_prefers =
                trainee_rank[edge.trainee].is_none_or(|rank| edge.trainee_rank < rank);
            let trainer_prefers = trainer_load[edge.trainer] < instance.capacity[edge.trainer]
                || edge.trainer_rank < trainer_worst[edge.trainer];
            trainee_prefers && trainer_prefers
        })
        .map(|(e, _)| instance.assignment(e))
        .collect()
}

/// For each trainee not at their first choice: what each better choice would cost the group.
pub(crate) fn explanations(
    instance: &Instance,
    objective: Objective,
    optimum: &Coupling,
    effort: &mut Effort,
) -> Result<Vec<Explanation>, SolveError> {
    let mut got: Vec<Option<(usize, u32)>> = vec![None; instance.trainees.len()];
    for &e in &optimum.edges {
        let edge = instance.edges[e];
        got[edge.trainee] = Some((edge.trainer, edge.trainee_rank));
    }
    let budget_start = effort.solves;
    let mut explanations = Vec::new();
    for (i, ranking) in instance.trainee_rankings.iter().enumerate() {
        let name = &instance.trainees[i];
        let current = got[i];
        if ranking.is_empty() || current.is_some_and(|(_, rank)| rank == 1) {
            continue;
        }
        let better = current.map_or(ranking.len(), |(_, rank)| rank as usize - 1);
        let mut alternatives = Vec::new();
        let mut budget_exhausted = false;
        // Once the time limit is reached, explanations say so instead of failing the coupling,
        // which is optimal already.
        let mut out_of_time = false;
        for (position, &j) in ranking
            .iter()
            .enumerate()
            .take(better.min(ALTERNATIVES_PER_TRAINEE))
        {
            let trainer = &instance.trainers[j];
            let trainee_rank = position as u32 + 1;
            let choice = format!("{trainer} ({} choice)", ordinal(trainee_rank));
            let Some(edge) = instance.edge_of(i, j) else {
                let why = why_impossible(instance, i, j).unwrap_or_default();
                alternatives.push(Alternative {
                    trainer: trainer.clone(),
                    trainee_rank,
                    possible: false,
                    matched_change: 0,
                    total_rank_change: 0,
                    worst_rank_change: 0,
                    text: format!("{choice}: impossible, {why}"),
                });
                continue;
            };
            if effort.solves - budget_start >= MAX_EXPLANATION_SOLVES {
                budget_exhausted = true;
                break;
            }
            if effort.deadline.passed() {
                out_of_time = true;
                break;
            }
            let forced = match instance.optimum(objective, Some(edge), effort) {
                Ok(forced) => forced,
                Err(SolveError::TimeLimit { .. }) => {
                    out_of_time = true;
                    break;
                }
                Err(other) => return Err(other),
            };
            let matched_change = forced.matched() as i64 - optimum.matched() as i64;
            let total_rank_change = forced.total_rank as i64 - optimum.total_rank as i64;
            let worst_rank_change = i64::from(forced.worst_rank) - i64::from(optimum.worst_rank);
            let text = if matched_change < 0 {
                format!(
                    "{choice}: would leave {} more trainee(s) uncoupled",
                    -matched_change
                )
            } else if objective == Objective::Minimax && worst_rank_change > 0 {
                format!(
                    "{choice}: would raise the worst rank in the group by {worst_rank_change} (and the total rank by {total_rank_change})"
                )
            } else if total_rank_change > 0 {
                format!("{choice}: would raise the group's total rank by {total_rank_change}")
            } else {
                format!("{choice}: equally good for the group; the tie was broken by input order")
            };
            alternatives.push(Alternative {
                trainer: trainer.clone(),
                trainee_rank,
                possible: true,
                matched_change,
                total_rank_change,
                worst_rank_change,
                text,
            });
        }
        let opening = match current {
            Some((j, rank)) => format!(
                "{name} is coupled to {} (their {} choice).",
                instance.trainers[j],
                ordinal(rank)
            ),
            None => format!("{name} is not coupled."),
        };
        let mut summary = opening;
        for alternative in &alternatives {
            summary.push(' ');
            summary.push_str(&alternative.text);
            summary.push('.');
        }
        if budget_exhausted {
            summary.push_str(
                " Further alternatives were not computed: the explanation budget is spent.",
            );
        } else if out_of_time {
            summary.push_str(
                " Further alternatives were not computed: the time limit for solving was reached.",
            );
        }
        explanations.push(Explanation {
            trainee: name.clone(),
            trainee_rank: current.map(|(_, rank)| rank),
            summary,
            alternatives,
        });
    }
    Ok(explanations)
}

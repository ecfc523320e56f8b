//! Words for the outcome: why a trainee is not coupled, which pairs would rather be together
//! (blocking pairs), and what a better choice for a trainee would cost the group.

use std::collections::BTreeMap;

use super::model::{Coupling, Effort, Instance};
use super::residual::{Residual, Scratch};
use super::{Alternative, Assignment, Explanation, Objective, Unmatched};
use crate::solver::SolveError;

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

/// The optimum with one pair forced in: its measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Forced {
    pub matched: i64,
    pub total: i64,
    pub worst: i64,
}

/// Prices forced pairs: for trainee `i` and some of their edges, the optimum with each forced in.
pub(crate) trait Pricing {
    fn forced(
        &mut self,
        instance: &Instance,
        i: usize,
        edges: &[usize],
        effort: &mut Effort,
    ) -> Result<Vec<Forced>, SolveError>;

    /// Prices each `(trainee, edges)` query; `None` for those the deadline left out.
    fn forced_all(
        &mut self,
        instance: &Instance,
        queries: &[(usize, Vec<usize>)],
        effort: &mut Effort,
    ) -> Result<Vec<Option<Vec<Forced>>>, SolveError> {
        one_by_one(self, instance, queries, effort)
    }
}

/// Prices the queries one after another until the deadline.
fn one_by_one<P: Pricing + ?Sized>(
    pricing: &mut P,
    instance: &Instance,
    queries: &[(usize, Vec<usize>)],
    effort: &mut Effort,
) -> Result<Vec<Option<Vec<Forced>>>, SolveError> {
    let mut out = Vec::with_capacity(queries.len());
    for (i, edges) in queries {
        if effort.deadline.passed() {
            out.push(None);
            continue;
        }
        match pricing.forced(instance, *i, edges, effort) {
            Ok(priced) => out.push(Some(priced)),
            Err(SolveError::TimeLimit { .. }) => out.push(None),
            Err(other) => return Err(other),
        }
    }
    Ok(out)
}

/// A query's position and its prices.
type Priced = (usize, Vec<Forced>);

/// A trainee and their better choices: each trainer with the pair's edge, if admissible.
type Asked = (usize, Vec<(usize, Option<usize>)>);

/// Under `total`, every query is priced on the one residual network: the trainees are shared
/// out over the machine's threads, each with its own search state.
fn forced_all_in_parallel(
    all: &Residual,
    instance: &Instance,
    queries: &[(usize, Vec<usize>)],
    deadline: crate::solver::Deadline,
) -> Result<Vec<Option<Vec<Forced>>>, SolveError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(queries.len().max(1));
    let work = || -> Result<Vec<Priced>, SolveError> {
        let mut scratch = Scratch::default();
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= queries.len() || deadline.passed() {
                return Ok(done);
            }
            let (i, edges) = &queries[k];
            let changes = all.forced(instance, *i, edges, &mut scratch)?;
            done.push((
                k,
                changes.iter().map(|&change| all.priced(change)).collect(),
            ));
        }
    };
    let parts: Vec<Result<Vec<Priced>, SolveError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        workers
            .into_iter()
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    Err(SolveError::Backend(
                        "an explanation thread failed".to_owned(),
                    ))
                })
            })
            .collect()
    });
    let mut out: Vec<Option<Vec<Forced>>> = vec![None; queries.len()];
    for part in parts {
        for (k, priced) in part? {
            out[k] = Some(priced);
        }
    }
    Ok(out)
}

/// Prices from optima's residual networks: the whole network for `total` and for how many can
/// be coupled; under `minimax` also the network of each worst-rank limit a forced pair needs,
/// solved once when first needed.
pub(crate) struct FromResidual {
    objective: Objective,
    all: Residual,
    limited: BTreeMap<u32, Residual>,
    thresholds: Vec<u32>,
    scratch: Scratch,
}

impl FromResidual {
    /// `all` is the optimum over every pair.
    pub fn new(instance: &Instance, objective: Objective, all: Residual) -> Self {
        Self {
            objective,
            all,
            limited: BTreeMap::new(),
            thresholds: instance.thresholds(0),
            scratch: Scratch::default(),
        }
    }
}

/// The residual network of the optimum within `limit`, solved when first asked for.
fn network<'a>(
    limited: &'a mut BTreeMap<u32, Residual>,
    instance: &Instance,
    limit: u32,
    effort: &mut Effort,
) -> Result<&'a Residual, SolveError> {
    if let std::collections::btree_map::Entry::Vacant(slot) = limited.entry(limit) {
        let certified = instance.certified(Some(limit), effort)?;
        slot.insert(Residual::new(instance, certified)?);
    }
    limited
        .get(&limit)
        .ok_or_else(|| SolveError::Backend("a limited network went missing".to_owned()))
}

impl Pricing for FromResidual {
    fn forced_all(
        &mut self,
        instance: &Instance,
        queries: &[(usize, Vec<usize>)],
        effort: &mut Effort,
    ) -> Result<Vec<Option<Vec<Forced>>>, SolveError> {
        if self.objective == Objective::Total {
            return forced_all_in_parallel(&self.all, instance, queries, effort.deadline);
        }
        one_by_one(self, instance, queries, effort)
    }

    fn forced(
        &mut self,
        instance: &Instance,
        i: usize,
        edges: &[usize],
        effort: &mut Effort,
    ) -> Result<Vec<Forced>, SolveError> {
        let all = &self.all;
        let base = all.certified.coupling.matched() as i64;
        let changes = all.forced(instance, i, edges, &mut self.scratch)?;
        if self.objective == Objective::Total {
            return Ok(changes.iter().map(|&change| all.priced(change)).collect());
        }
        // Minimax: the smallest limit, not below the pair's own worst rank, at which forcing the
        // pair still couples as many as it can over all pairs (binary search; how many a limit
        // couples with the pair forced grows with the limit).
        let mut per_limit: BTreeMap<u32, Vec<super::residual::Change>> = BTreeMap::new();
        let mut out = Vec::with_capacity(edges.len());
        for (k, &e) in edges.iter().enumerate() {
            let most = base - changes[k].lost;
            let floor = instance.edges[e].worst();
            let candidates: Vec<u32> = self
                .thresholds
                .iter()
                .copied()
                .filter(|&t| t >= floor)
                .collect();
            let (mut low, mut high) = (0, candidates.len().saturating_sub(1));
            let mut found: Option<Forced> = None;
            while low <= high && !candidates.is_empty() {
                let middle = (low + high) / 2;
                let limit = candidates[middle];
                if let std::collections::btree_map::Entry::Vacant(slot) = per_limit.entry(limit) {
                    let within: Vec<usize> = edges
                        .iter()
                        .copied()
                        .filter(|&f| instance.edges[f].worst() <= limit)
                        .collect();
                    let network = network(&mut self.limited, instance, limit, effort)?;
                    let priced = network.forced(instance, i, &within, &mut self.scratch)?;
                    // Stored for every edge of the trainee, in `edges` order (absent ones unused).
                    let mut row = vec![super::residual::Change::default(); edges.len()];
                    let mut next = priced.into_iter();
                    for (place, &f) in row.iter_mut().zip(edges) {
                        if instance.edges[f].worst() <= limit {
                            *place = next.next().unwrap_or_default();
                        }
                    }
                    slot.insert(row);
                }
                let network = network(&mut self.limited, instance, limit, effort)?;
                let change = per_limit.get(&limit).map(|row| row[k]).unwrap_or_default();
                let matched = network.certified.coupling.matched() as i64 - change.lost;
                if matched == most {
                    found = Some(Forced {
                        matched,
                        total: network.certified.coupling.total_rank as i64 + change.total,
                        worst: i64::from(limit),
                    });
                    if middle == 0 {
                        break;
                    }
                    high = middle - 1;
                } else {
                    low = middle + 1;
                }
            }
            out.push(found.ok_or_else(|| {
                SolveError::Backend("no limit couples as many with the pair forced".to_owned())
            })?);
        }
        Ok(out)
    }
}

/// Prices by re-solving with each pair forced in: what [`FromResidual`] is tested against.
#[cfg(test)]
pub(crate) struct ByResolving {
    pub objective: Objective,
}

#[cfg(test)]
impl Pricing for ByResolving {
    fn forced(
        &mut self,
        instance: &Instance,
        _i: usize,
        edges: &[usize],
        effort: &mut Effort,
    ) -> Result<Vec<Forced>, SolveError> {
        edges
            .iter()
            .map(|&e| {
                let forced = instance.optimum(self.objective, Some(e), effort)?;
                Ok(Forced {
                    matched: forced.matched() as i64,
                    total: forced.total_rank as i64,
                    worst: i64::from(forced.worst_rank),
                })
            })
            .collect()
    }
}

/// For each trainee not at their first choice: what each better choice would cost the group.
pub(crate) fn explanations(
    instance: &Instance,
    objective: Objective,
    optimum: &Coupling,
    pricing: &mut dyn Pricing,
    effort: &mut Effort,
) -> Result<Vec<Explanation>, SolveError> {
    let mut got: Vec<Option<(usize, u32)>> = vec![None; instance.trainees.len()];
    for &e in &optimum.edges {
        let edge = instance.edges[e];
        got[edge.trainee] = Some((edge.trainer, edge.trainee_rank));
    }
    let matched = optimum.matched() as i64;
    let total = optimum.total_rank as i64;
    let worst = i64::from(optimum.worst_rank);
    // Which better choices each trainee has, then all priced at once.
    let mut asked: Vec<Asked> = Vec::new();
    for (i, ranking) in instance.trainee_rankings.iter().enumerate() {
        let current = got[i];
        if ranking.is_empty() || current.is_some_and(|(_, rank)| rank == 1) {
            continue;
        }
        let better = current.map_or(ranking.len(), |(_, rank)| rank as usize - 1);
        let choices = ranking[..better]
            .iter()
            .map(|&j| (j, instance.edge_of(i, j)))
            .collect();
        asked.push((i, choices));
    }
    let queries: Vec<(usize, Vec<usize>)> = asked
        .iter()
        .map(|(i, choices)| (*i, choices.iter().filter_map(|&(_, e)| e).collect()))
        .filter(|(_, edges): &(usize, Vec<usize>)| !edges.is_empty())
        .collect();
    // Once the time limit is reached, explanations say so instead of failing the coupling,
    // which is optimal already.
    let mut prices = pricing.forced_all(instance, &queries, effort)?.into_iter();
    let mut explanations = Vec::new();
    for (i, choices) in asked {
        let name = &instance.trainees[i];
        let current = got[i];
        let possible = choices.iter().any(|(_, e)| e.is_some());
        let priced = if possible {
            prices.next().flatten()
        } else {
            Some(Vec::new())
        };
        let out_of_time = priced.is_none();
        let priced = priced.unwrap_or_default();
        let mut priced = priced.into_iter();
        let mut alternatives = Vec::new();
        for (position, &(j, edge)) in choices.iter().enumerate() {
            let trainer = &instance.trainers[j];
            let trainee_rank = position as u32 + 1;
            let choice = format!("{trainer} ({} choice)", ordinal(trainee_rank));
            if edge.is_none() {
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
            }
            let Some(forced) = priced.next() else {
                continue;
            };
            let matched_change = forced.matched - matched;
            let total_rank_change = forced.total - total;
            let worst_rank_change = forced.worst - worst;
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
                format!(
                    "{choice}: equally good for the group; the tie was broken by the fixed order \
                     of ids"
                )
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
        if out_of_time {
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

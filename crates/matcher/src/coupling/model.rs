//! The coupling as a linear program over admissible pairs.
//!
//! Constraint families: `trainee_once[a]` (each trainee at most once) and `trainer_capacity[t]`.
//! The matrix is a bipartite incidence matrix, which is totally unimodular, so the LP's optimal
//! vertex is integral; the solution is checked and the model re-solved as a MIP if it is not.
//!
//! Lexicographic objectives are weighted into one: each coupling is worth `W - cost` with `W`
//! larger than any total cost, so one more coupling always beats any rank improvement.

use std::collections::{HashMap, HashSet};

use super::certificate::{self, Claimed, Proof, Sides};
use super::exact::Certified;
use super::{Assignment, CouplingInput, Objective};
use crate::input::{InputError, check_ids};
use crate::solver::{self, Deadline, Program, Sense, SolveError, Var};

/// The solver calls a computation has made, and when it must stop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Effort {
    /// Solver calls so far.
    pub solves: u32,
    /// When the whole computation must stop.
    pub deadline: Deadline,
}
/// Above this many pairs the LP is solved by interior point with crossover: on 5,000 trainees
/// with 40 ranked each, 3 s instead of 150 s with simplex.
const LARGE_LP: usize = 20_000;

/// An admissible pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub trainee: usize,
    pub trainer: usize,
    pub trainee_rank: u32,
    pub trainer_rank: u32,
}

impl Edge {
    pub fn cost(&self) -> u64 {
        u64::from(self.trainee_rank) + u64::from(self.trainer_rank)
    }

    pub fn worst(&self) -> u32 {
        self.trainee_rank.max(self.trainer_rank)
    }
}

/// A validated instance, with ids replaced by indices.
#[derive(Debug, Clone)]
pub struct Instance {
    pub(crate) trainees: Vec<String>,
    pub(crate) trainers: Vec<String>,
    pub(crate) capacity: Vec<u32>,
    /// Admissible pairs, by trainee (in id order), then trainee rank.
    pub(crate) edges: Vec<Edge>,
    /// Trainee rankings as trainer indices.
    pub(crate) trainee_rankings: Vec<Vec<usize>>,
    /// Per trainer, the trainees they ranked with their rank, sorted by trainee.
    pub(crate) trainer_ranks: Vec<Vec<(usize, u32)>>,
    pub(crate) forbidden: HashSet<(usize, usize)>,
}

/// A coupling: chosen edges (indices into `Instance::edges`) and its measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Coupling {
    pub edges: Vec<usize>,
    pub total_rank: u64,
    pub worst_rank: u32,
}

impl Coupling {
    pub fn matched(&self) -> usize {
        self.edges.len()
    }
}

impl Instance {
    /// Validates the input and builds the admissible pairs.
    pub fn new(input: &CouplingInput) -> Result<Self, InputError> {
        check_ids("trainees", input.trainees.iter().map(|t| t.id.as_str()))?;
        check_ids("trainers", input.trainers.iter().map(|t| t.id.as_str()))?;
        // The canonical order: trainees and trainers by id, whatever order they came in (a
        // database's, a file's), so the same instance always gives the same coupling. Errors
        // still name the input's positions.
        let mut trainees: Vec<(usize, &super::CouplingTrainee)> =
            input.trainees.iter().enumerate().collect();
        trainees.sort_unstable_by(|a, b| a.1.id.cmp(&b.1.id));
        let mut trainers: Vec<(usize, &super::CouplingTrainer)> =
            input.trainers.iter().enumerate().collect();
        trainers.sort_unstable_by(|a, b| a.1.id.cmp(&b.1.id));
        let trainee_index: HashMap<&str, usize> = trainees
            .iter()
            .enumerate()
            .map(|(i, (_, t))| (t.id.as_str(), i))
            .collect();
        let trainer_index: HashMap<&str, usize> = trainers
            .iter()
            .enumerate()
            .map(|(j, (_, t))| (t.id.as_str(), j))
            .collect();

        let mut trainee_rankings = Vec::with_capacity(trainees.len());
        // Marks which trainer a ranking already named: one array, stamped per ranking.
        let mut seen = vec![usize::MAX; trainers.len().max(trainees.len())];
        for (stamp, (position, trainee)) in trainees.iter().enumerate() {
            let field = format!("trainees[{position}].ranking");
            trainee_rankings.push(resolve_ranking(
                &field,
                &trainee.ranking,
                &trainer_index,
                "trainer",
                (&mut seen, stamp),
            )?);
        }
        seen.fill(usize::MAX);
        // Per trainer, (trainee, rank) sorted by trainee: looked up by binary search.
        let mut trainer_ranks: Vec<Vec<(usize, u32)>> = Vec::with_capacity(trainers.len());
        for (j, (position, trainer)) in trainers.iter().enumerate() {
            let field = format!("trainers[{position}].ranking");
            let mut ranks: Vec<(usize, u32)> = resolve_ranking(
                &field,
                &trainer.ranking,
                &trainee_index,
                "trainee",
                (&mut seen, j),
            )?
            .into_iter()
            .enumerate()
            .map(|(rank, i)| (i, rank as u32 + 1))
            .collect();
            ranks.sort_unstable();
            trainer_ranks.push(ranks);
        }
        let mut forbidden = HashSet::new();
        for (index, pair) in input.forbidden.iter().enumerate() {
            let i = *trainee_index.get(pair.trainee.as_str()).ok_or_else(|| {
                InputError::new(
                    format!("forbidden[{index}].trainee"),
                    format!("unknown trainee '{}'", pair.trainee),
                )
            })?;
            let j = *trainer_index.get(pair.trainer.as_str()).ok_or_else(|| {
                InputError::new(
                    format!("forbidden[{index}].trainer"),
                    format!("unknown trainer '{}'", pair.trainer),
                )
            })?;
            forbidden.insert((i, j));
        }
        let capacity: Vec<u32> = trainers.iter().map(|(_, t)| t.capacity).collect();
        let mut edges = Vec::new();
        for (i, ranking) in trainee_rankings.iter().enumerate() {
            for (position, &j) in ranking.iter().enumerate() {
                if let Some(rank) = rank_in(&trainer_ranks[j], i)
                    && !forbidden.contains(&(i, j))
                    && capacity[j] > 0
                {
                    edges.push(Edge {
                        trainee: i,
                        trainer: j,
                        trainee_rank: position as u32 + 1,
                        trainer_rank: rank,
                    });
                }
            }
        }
        Ok(Self {
            trainees: trainees.iter().map(|(_, t)| t.id.clone()).collect(),
            trainers: trainers.iter().map(|(_, t)| t.id.clone()).collect(),
            capacity,
            edges,
            trainee_rankings,
            trainer_ranks,
            forbidden,
        })
    }

    pub(crate) fn assignment(&self, edge: usize) -> Assignment {
        let edge = self.edges[edge];
        Assignment {
            trainee: self.trainees[edge.trainee].clone(),
            trainer: self.trainers[edge.trainer].clone(),
            trainee_rank: edge.trainee_rank,
            trainer_rank: edge.trainer_rank,
        }
    }

    /// The edges of a trainee (they are stored by trainee).
    pub(crate) fn edges_of(&self, trainee: usize) -> std::ops::Range<usize> {
        let start = self.edges.partition_point(|edge| edge.trainee < trainee);
        let end = self.edges.partition_point(|edge| edge.trainee <= trainee);
        start..end
    }

    /// The edge of a pair, if admissible.
    pub(crate) fn edge_of(&self, trainee: usize, trainer: usize) -> Option<usize> {
        self.edges_of(trainee)
            .find(|&e| self.edges[e].trainer == trainer)
    }

    /// The optimum for `objective` with its certificate, checked before it is returned.
    pub(crate) fn optimum_certified(
        &self,
        objective: Objective,
        effort: &mut Effort,
    ) -> Result<(Certified, Proof), SolveError> {
        let (certified, covers) = match objective {
            Objective::Total => (self.certified(None, effort)?, None),
            Objective::Minimax => {
                let (most, cover) = self.most_coupled_with_cover(None, effort)?;
                let thresholds = self.thresholds(0);
                if most == 0 || thresholds.is_empty() {
                    (self.certified(None, effort)?, None)
                } else {
                    let all = |_: &Edge| true;
                    let high = self.smallest_threshold(&thresholds, most, &all, None, effort)?;
                    let below = match high.checked_sub(1) {
                        Some(lower) => {
                            self.most_coupled_with_cover(Some(thresholds[lower]), effort)?
                                .1
                        }
                        None => Sides {
                            trainees: vec![false; self.trainees.len()],
                            trainers: vec![false; self.trainers.len()],
                        },
                    };
                    let certified = self.certified(Some(thresholds[high]), effort)?;
                    (certified, Some((cover, below)))
                }
            }
        };
        let (cover, cover_below_limit) = covers.unzip();
        let proof = Proof {
            weight: i128::from(certified.weight),
            trainee: certified
                .trainee_dual
                .iter()
                .map(|&u| i128::from(u))
                .collect(),
            trainer: certified
                .trainer_dual
                .iter()
                .map(|&v| i128::from(v))
                .collect(),
            limit: cover.as_ref().and(certified.limit),
            cover,
            cover_below_limit,
        };
        certificate::check(
            self,
            objective,
            &certified.coupling.edges,
            Claimed::of(&certified.coupling),
            &proof,
        )
        .map_err(|error| {
            SolveError::Backend(format!("the coupling's certificate does not hold: {error}"))
        })?;
        Ok((certified, proof))
    }

    /// The distinct worst ranks of the pairs, from `at_least` on, ascending.
    pub(crate) fn thresholds(&self, at_least: u32) -> Vec<u32> {
        let mut thresholds: Vec<u32> = self
            .edges
            .iter()
            .map(Edge::worst)
            .filter(|&worst| worst >= at_least)
            .collect();
        thresholds.sort_unstable();
        thresholds.dedup();
        thresholds
    }

    /// The position in `thresholds` of the smallest limit whose pairs (those `allowed` keeps)
    /// still couple `most` trainees with `forced` in: a binary search by maximum-cardinality
    /// checks. `thresholds` is not empty and its last entry couples `most`.
    fn smallest_threshold(
        &self,
        thresholds: &[u32],
        most: usize,
        allowed: &dyn Fn(&Edge) -> bool,
        forced: Option<usize>,
        effort: &mut Effort,
    ) -> Result<usize, SolveError> {
        let (mut low, mut high) = (0, thresholds.len() - 1);
        while low < high {
            let middle = (low + high) / 2;
            let limit = thresholds[middle];
            let within = |edge: &Edge| edge.worst() <= limit && allowed(edge);
            if self.most_coupled(&within, forced, effort)? == most {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        Ok(high)
    }

    /// The optimum for `objective` with one edge forced in, by min-cost flow: for minimax, the
    /// smallest threshold on the worst rank that still couples as many trainees is found by
    /// maximum-cardinality checks (binary search), then the costs are solved once. The threshold
    /// is never below the forced pair's own worst rank: pairs up to it cost the worst rank
    /// nothing more. Explanations come from [`super::residual`]; this re-solve is what they are
    /// tested against.
    #[cfg(test)]
    pub(crate) fn optimum(
        &self,
        objective: Objective,
        forced: Option<usize>,
        effort: &mut Effort,
    ) -> Result<Coupling, SolveError> {
        let all = |_: &Edge| true;
        if objective == Objective::Total {
            return self.best_total_exact(&all, forced, effort);
        }
        let most = self.most_coupled(&all, forced, effort)?;
        let floor = forced.map_or(0, |e| self.edges[e].worst());
        let thresholds = self.thresholds(floor);
        if thresholds.is_empty() {
            return self.best_total_exact(&all, forced, effort);
        }
        let high = self.smallest_threshold(&thresholds, most, &all, forced, effort)?;
        let limit = thresholds[high];
        self.best_total_exact(&|edge: &Edge| edge.worst() <= limit, forced, effort)
    }

    /// As [`Instance::optimum`], with HiGHS on the linear program (kept to test the two
    /// against each other, and for models that gain side constraints).
    pub(crate) fn optimum_lp(
        &self,
        objective: Objective,
        forced: Option<usize>,
        effort: &mut Effort,
    ) -> Result<Coupling, SolveError> {
        let all = |_: &Edge| true;
        let best = self.best_total(&all, forced, effort)?;
        if objective == Objective::Total || best.edges.is_empty() {
            return Ok(best);
        }
        // Minimax: the smallest threshold on the worst rank that still couples as many trainees,
        // by binary search. `found` is always the optimum within `thresholds[high]`, which is
        // also its worst rank (a smaller one would be a smaller feasible threshold).
        let mut thresholds: Vec<u32> = self.edges.iter().map(Edge::worst).collect();
        thresholds.sort_unstable();
        thresholds.dedup();
        let (mut low, mut high) = (0, thresholds.len() - 1);
        let mut found = best.clone();
        while low < high {
            let middle = (low + high) / 2;
            let limit = thresholds[middle];
            let within = |edge: &Edge| edge.worst() <= limit;
            match self.best_total(&within, forced, effort) {
                Ok(candidate) if candidate.matched() == best.matched() => {
                    found = candidate;
                    high = middle;
                }
                Ok(_) | Err(SolveError::Infeasible) => low = middle + 1,
                Err(other) => return Err(other),
            }
        }
        Ok(found)
    }

    /// Most couplings, then lowest total rank, over the edges `allowed` keeps.
    fn best_total(
        &self,
        allowed: &dyn Fn(&Edge) -> bool,
        forced: Option<usize>,
        effort: &mut Effort,
    ) -> Result<Coupling, SolveError> {
        let chosen: Vec<usize> = (0..self.edges.len())
            .filter(|&e| allowed(&self.edges[e]) || Some(e) == forced)
            .collect();
        if chosen.is_empty() {
            return Ok(self.measure(Vec::new()));
        }
        // W exceeds any total cost, so one more coupling always wins.
        let mut heaviest = vec![0u64; self.trainees.len()];
        for &e in &chosen {
            let edge = &self.edges[e];
            heaviest[edge.trainee] = heaviest[edge.trainee].max(edge.cost());
        }
        let weight = heaviest.iter().sum::<u64>() as f64 + 1.0;

        let mut program = Program::new(Sense::Maximise);
        if chosen.len() > LARGE_LP {
            program.use_interior_point();
        }
        let vars: Vec<Var> = chosen
            .iter()
            .map(|&e| program.add_continuous(1.0, weight - self.edges[e].cost() as f64))
            .collect();
        if let Some(forced) = forced
            && let Some(position) = chosen.iter().position(|&e| e == forced)
        {
            program.set_bounds(vars[position], 1.0, 1.0);
        }
        let mut by_trainee: Vec<Vec<(Var, f64)>> = vec![Vec::new(); self.trainees.len()];
        let mut by_trainer: Vec<Vec<(Var, f64)>> = vec![Vec::new(); self.trainers.len()];
        for (&e, &var) in chosen.iter().zip(&vars) {
            by_trainee[self.edges[e].trainee].push((var, 1.0));
            by_trainer[self.edges[e].trainer].push((var, 1.0));
        }
        for (i, terms) in by_trainee
            .into_iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
        {
            program.add_row(
                format!("trainee_once[{}]", self.trainees[i]),
                terms,
                f64::NEG_INFINITY,
                1.0,
            );
        }
        for (j, terms) in by_trainer
            .into_iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
        {
            program.add_row(
                format!("trainer_capacity[{}]", self.trainers[j]),
                terms,
                f64::NEG_INFINITY,
                f64::from(self.capacity[j]),
            );
        }
        effort.solves += 1;
        let mut solved = solver::solve(&program, effort.deadline)?;
        if !solved.is_integral(vars.iter().copied()) {
            // Never expected (the matrix is totally unimodular), but correctness first.
            let mut integer = program.clone();
            for &var in &vars {
                integer.set_integer(var);
            }
            effort.solves += 1;
            solved = solver::solve(&integer, effort.deadline)?;
        }
        let edges = chosen
            .iter()
            .zip(&vars)
            .filter(|(_, var)| solved.is_set(**var))
            .map(|(&e, _)| e)
            .collect();
        Ok(self.measure(edges))
    }

    pub(crate) fn measure(&self, edges: Vec<usize>) -> Coupling {
        let total_rank = edges.iter().map(|&e| self.edges[e].cost()).sum();
        let worst_rank = edges
            .iter()
            .map(|&e| self.edges[e].worst())
            .max()
            .unwrap_or(0);
        Coupling {
            edges,
            total_rank,
            worst_rank,
        }
    }
}

/// The rank trainer ranks `ranks` give trainee `i`, if any.
pub(crate) fn rank_in(ranks: &[(usize, u32)], i: usize) -> Option<u32> {
    ranks
        .binary_search_by_key(&i, |&(trainee, _)| trainee)
        .ok()
        .map(|k| ranks[k].1)
}

/// A ranking's ids as indices; `seen` marks (with the ranking's `stamp`) who it named already.
fn resolve_ranking(
    field: &str,
    ranking: &[String],
    index: &HashMap<&str, usize>,
    kind: &str,
    (seen, stamp): (&mut [usize], usize),
) -> Result<Vec<usize>, InputError> {
    ranking
        .iter()
        .enumerate()
        .map(|(position, id)| {
            let target = *index.get(id.as_str()).ok_or_else(|| {
                InputError::new(
                    format!("{field}[{position}]"),
                    format!("unknown {kind} '{id}'"),
                )
            })?;
            if seen[target] == stamp {
                return Err(InputError::new(
                    format!("{field}[{position}]"),
                    format!("'{id}' is ranked twice"),
                ));
            }
            seen[target] = stamp;
            Ok(target)
        })
        .collect()
}

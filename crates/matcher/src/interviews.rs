//! The interview proposal (step 2): `k` interview candidates per trainee, spread over trainers.
//!
//! # Input
//! ```json
//! {"interviews_per_trainee": 4, "max_interviews_per_trainer": null,
//!  "trainees": [{"id": "a1", "ranking": ["t3", "t1", "t2"]}],
//!  "trainers": [{"id": "t1", "capacity": 1, "continuity_rank": 1}],
//!  "forbidden": [{"trainee": "a1", "trainer": "t2"}]}
//! ```
//! A trainee's candidates come from their step-2 ranking: trainers they ranked, with capacity, not
//! forbidden. `continuity_rank` is the trainer's place in the continuity order (1 = longest without
//! a trainee; equal ranks allowed; default 1). `interviews_per_trainee` defaults to 4.
//! `max_interviews_per_trainer` caps every trainer's interviews. When absent, the cap is one and a
//! half times the fair share (total interviews / trainers with any candidate, rounded up), at
//! least `k`; if no proposal fits under it, it is doubled until one does. The cap used is
//! reported in `score.max_interviews_per_trainer`.
//!
//! # Model and objective
//! Each trainee gets exactly `min(k, number of admissible trainers)` interviews. Lexicographically:
//! 1. cover as many trainers as possible with at least one interview (so every available trainer
//!    gets one when possible);
//! 2. honour preferences: minimise the sum over interviews of (trainee's rank - 1);
//! 3. continuity: among equal proposals, minimise the sum of (continuity_rank - 1), favouring
//!    trainers who waited longest.
//!
//! **Coupling guarantee.** The interview graph must contain a coupling of every trainee that any
//! proposal could couple (all of them, unless capacities or vetoes make that impossible; then
//! `guarantee.not_guaranteed` says who and why). The model is first solved as a min-cost flow
//! (an LP with an integral optimum); when its proposal lacks a complete coupling, coupling-witness
//! constraints (`witness_*`) are added and the model is solved as a MIP, to proven optimality.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::bipartite::max_coupling;
use crate::coupling::{CouplingTrainee, Pair, SolverReport};
use crate::input::{InputError, check_ids};
use crate::solver::{self, BACKEND, DEFAULT_TIME_LIMIT, Deadline, Program, Sense, SolveError, Var};

fn four() -> u32 {
    4
}

fn one() -> u32 {
    1
}

/// A trainer in step 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InterviewTrainer {
    /// Unique id.
    #[cfg_attr(feature = "openapi", schema(example = "t1"))]
    pub id: String,
    /// Trainees they can take in the final coupling; 1 when absent.
    #[serde(default = "one")]
    pub capacity: u32,
    /// Place in the continuity order (1 = longest without a trainee); 1 when absent.
    #[serde(default = "one")]
    pub continuity_rank: u32,
}

/// An interview-proposal instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InterviewInput {
    /// Interviews per trainee; 4 when absent.
    #[serde(default = "four")]
    #[cfg_attr(feature = "openapi", schema(default = 4, example = 4))]
    pub interviews_per_trainee: u32,
    /// Cap on any trainer's interviews; none when absent.
    #[serde(default)]
    pub max_interviews_per_trainer: Option<u32>,
    /// Trainees with their step-2 rankings of trainers.
    pub trainees: Vec<CouplingTrainee>,
    /// Available trainers.
    pub trainers: Vec<InterviewTrainer>,
    /// Pairs that may never meet (vetoes and hard rules).
    #[serde(default)]
    pub forbidden: Vec<Pair>,
}

/// One trainee's interview candidates, in their ranking order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeInterviews {
    /// Trainee id.
    pub trainee: String,
    /// Trainer ids.
    pub trainers: Vec<String>,
    /// The trainee's ranks of those trainers.
    pub ranks: Vec<u32>,
}

/// How many interviews a trainer got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainerLoad {
    /// Trainer id.
    pub trainer: String,
    /// Interviews.
    pub interviews: u32,
    /// Their continuity rank.
    pub continuity_rank: u32,
    /// Why they have none, when so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A trainee the guarantee cannot cover, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotGuaranteed {
    /// Trainee id.
    pub trainee: String,
    /// Why, in words.
    pub reason: String,
}

/// The coupling guarantee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guarantee {
    /// Whether every trainee can be coupled within the proposal.
    pub complete: bool,
    /// Trainees a coupling within the proposal reaches.
    pub coupled: u32,
    /// Trainees in the instance.
    pub trainees: u32,
    /// Those who cannot be guaranteed, with the reason.
    pub not_guaranteed: Vec<NotGuaranteed>,
}

/// The objective's parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalScore {
    /// Trainers with at least one interview.
    pub covered_trainers: u32,
    /// Sum over interviews of (trainee rank - 1); 0 = everyone got their top choices.
    pub preference_cost: u64,
    /// Sum over interviews of (continuity rank - 1).
    pub continuity_cost: u64,
    /// Whether the coupling-witness MIP was needed.
    pub needed_guarantee_constraints: bool,
    /// The per-trainer cap that applied.
    pub max_interviews_per_trainer: u32,
}

/// The proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterviewOutput {
    /// Per trainee, in input order.
    pub interviews: Vec<TraineeInterviews>,
    /// Per trainer, in input order.
    pub load: Vec<TrainerLoad>,
    /// The coupling guarantee.
    pub guarantee: Guarantee,
    /// The objective's parts.
    pub score: ProposalScore,
    /// Solver report.
    pub solver: SolverReport,
}

/// Why a proposal could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InterviewError {
    /// The instance is invalid.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The solver failed or the cap makes the proposal impossible.
    #[error(transparent)]
    Solver(#[from] SolveError),
}

struct Pairing {
    trainee: usize,
    trainer: usize,
    rank: u32,
}

/// Computes the interview proposal within [`DEFAULT_TIME_LIMIT`].
pub fn propose(input: &InterviewInput) -> Result<InterviewOutput, InterviewError> {
    propose_within(input, DEFAULT_TIME_LIMIT)
}

/// Computes the interview proposal within `time_limit`; a solve stopped at the limit is
/// [`SolveError::TimeLimit`].
pub fn propose_within(
    input: &InterviewInput,
    time_limit: Duration,
) -> Result<InterviewOutput, InterviewError> {
    let started = Instant::now();
    let deadline = Deadline::after(time_limit);
    check_ids("trainees", input.trainees.iter().map(|t| t.id.as_str()))?;
    check_ids("trainers", input.trainers.iter().map(|t| t.id.as_str()))?;
    if input.interviews_per_trainee == 0 {
        return Err(InputError::new("interviews_per_trainee", "must be at least 1").into());
    }
    let trainer_index: HashMap<&str, usize> = input
        .trainers
        .iter()
        .enumerate()
        .map(|(j, t)| (t.id.as_str(), j))
        .collect();
    let trainee_index: HashMap<&str, usize> = input
        .trainees
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut forbidden = HashSet::new();
    for (index, pair) in input.forbidden.iter().enumerate() {
        let i = trainee_index.get(pair.trainee.as_str()).ok_or_else(|| {
            InputError::new(
                format!("forbidden[{index}].trainee"),
                format!("unknown trainee '{}'", pair.trainee),
            )
        })?;
        let j = trainer_index.get(pair.trainer.as_str()).ok_or_else(|| {
            InputError::new(
                format!("forbidden[{index}].trainer"),
                format!("unknown trainer '{}'", pair.trainer),
            )
        })?;
        forbidden.insert((*i, *j));
    }
    let mut pairings = Vec::new();
    for (i, trainee) in input.trainees.iter().enumerate() {
        let mut seen = HashSet::new();
        for (position, id) in trainee.ranking.iter().enumerate() {
            let field = format!("trainees[{i}].ranking[{position}]");
            let j = *trainer_index
                .get(id.as_str())
                .ok_or_else(|| InputError::new(field.clone(), format!("unknown trainer '{id}'")))?;
            if !seen.insert(j) {
                return Err(InputError::new(field, format!("'{id}' is ranked twice")).into());
            }
            if !forbidden.contains(&(i, j)) && input.trainers[j].capacity > 0 {
                pairings.push(Pairing {
                    trainee: i,
                    trainer: j,
                    rank: position as u32 + 1,
                });
            }
        }
    }
    let (n, m) = (input.trainees.len(), input.trainers.len());
    let k = input.interviews_per_trainee as usize;
    let mut admissible_count = vec![0usize; n];
    for p in &pairings {
        admissible_count[p.trainee] += 1;
    }
    let wanted: Vec<usize> = admissible_count.iter().map(|&count| count.min(k)).collect();

    // Who can be guaranteed at all: a maximum coupling over every admissible pair.
    let capacity: Vec<u32> = input.trainers.iter().map(|t| t.capacity).collect();
    let all_pairs: Vec<(usize, usize)> = pairings.iter().map(|p| (p.trainee, p.trainer)).collect();
    let full = max_coupling(n, &capacity, &all_pairs);
    let guaranteed: usize = full.iter().filter(|t| t.is_some()).count();

    let max_rank = pairings.iter().map(|p| p.rank).max().unwrap_or(1) as u64;
    let max_continuity = input
        .trainers
        .iter()
        .map(|t| t.continuity_rank.max(1))
        .max()
        .unwrap_or(1) as u64;
    // Preference dominates continuity per interview; coverage dominates both.
    let cost = |p: &Pairing| -> u64 {
        u64::from(p.rank - 1) * max_continuity
            + u64::from(input.trainers[p.trainer].continuity_rank.max(1) - 1)
    };
    let cover_weight = (wanted.iter().sum::<usize>() as u64) * max_rank * max_continuity + 1;

    let total_interviews: usize = wanted.iter().sum();
    let trainers_in_play = pairings
        .iter()
        .map(|p| p.trainer)
        .collect::<HashSet<_>>()
        .len()
        .max(1);
    let fair_share = total_interviews.div_ceil(trainers_in_play);
    let mut cap = match input.max_interviews_per_trainer {
        Some(cap) => cap,
        None => ((fair_share * 3).div_ceil(2)).max(k) as u32,
    };
    let mut solves = 0;
    let (flow, solved) = loop {
        let flow = build(input, &pairings, &wanted, cap, &cost, cover_weight, None);
        solves += 1;
        match solver::solve(&flow.program, deadline) {
            Ok(solved) => break (flow, solved),
            Err(SolveError::Infeasible)
                if input.max_interviews_per_trainer.is_none() && (cap as usize) < n =>
            {
                cap = (cap * 2).min(n as u32);
            }
            Err(error) => return Err(error.into()),
        }
    };
    let mut chosen: Vec<usize> = (0..pairings.len())
        .filter(|&e| solved.is_set(flow.y[e]))
        .collect();
    let integral = solved.is_integral(flow.y.iter().copied());
    let mut needed_guarantee = false;
    let covered_pairs = |chosen: &[usize]| {
        chosen
            .iter()
            .map(|&e| (pairings[e].trainee, pairings[e].trainer))
            .collect::<Vec<_>>()
    };
    let within = max_coupling(n, &capacity, &covered_pairs(&chosen))
        .iter()
        .filter(|t| t.is_some())
        .count();
    if !integral || within < guaranteed {
        needed_guarantee = true;
        let mip = build(
            input,
            &pairings,
            &wanted,
            cap,
            &cost,
            cover_weight,
            Some(guaranteed),
        );
        solves += 1;
        let solved = solver::solve(&mip.program, deadline)?;
        chosen = (0..pairings.len())
            .filter(|&e| solved.is_set(mip.y[e]))
            .collect();
    }
    let coupled_within = max_coupling(n, &capacity, &covered_pairs(&chosen))
        .iter()
        .filter(|t| t.is_some())
        .count();

    let mut per_trainee: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut load = vec![0u32; m];
    for &e in &chosen {
        per_trainee[pairings[e].trainee].push(e);
        load[pairings[e].trainer] += 1;
    }
    let admissible_trainers: HashSet<usize> = pairings.iter().map(|p| p.trainer).collect();
    let not_guaranteed = full
        .iter()
        .enumerate()
        .filter(|(_, t)| t.is_none())
        .map(|(i, _)| NotGuaranteed {
            trainee: input.trainees[i].id.clone(),
            reason: if admissible_count[i] == 0 {
                "no admissible trainer: every trainer they ranked is forbidden for them or has no capacity, or they ranked none".to_owned()
            } else {
                let names: Vec<&str> = pairings
                    .iter()
                    .filter(|p| p.trainee == i)
                    .map(|p| input.trainers[p.trainer].id.as_str())
                    .collect();
                format!(
                    "their admissible trainers ({}) do not have places for every trainee who can only go to them",
                    names.join(", ")
                )
            },
        })
        .collect();
    Ok(InterviewOutput {
        interviews: per_trainee
            .iter()
            .enumerate()
            .map(|(i, edges)| TraineeInterviews {
                trainee: input.trainees[i].id.clone(),
                trainers: edges.iter().map(|&e| input.trainers[pairings[e].trainer].id.clone()).collect(),
                ranks: edges.iter().map(|&e| pairings[e].rank).collect(),
            })
            .collect(),
        load: input
            .trainers
            .iter()
            .enumerate()
            .map(|(j, t)| TrainerLoad {
                trainer: t.id.clone(),
                interviews: load[j],
                continuity_rank: t.continuity_rank,
                reason: (load[j] == 0).then(|| {
                    if !admissible_trainers.contains(&j) {
                        "no trainee ranked them (or every pair is forbidden)".to_owned()
                    } else {
                        "every trainee who ranked them has enough interviews with trainers they ranked higher, or other trainers needed them more".to_owned()
                    }
                }),
            })
            .collect(),
        guarantee: Guarantee {
            complete: coupled_within == n,
            coupled: coupled_within as u32,
            trainees: n as u32,
            not_guaranteed,
        },
        score: ProposalScore {
            covered_trainers: load.iter().filter(|&&l| l > 0).count() as u32,
            preference_cost: chosen.iter().map(|&e| u64::from(pairings[e].rank - 1)).sum(),
            continuity_cost: chosen
                .iter()
                .map(|&e| u64::from(input.trainers[pairings[e].trainer].continuity_rank.max(1) - 1))
                .sum(),
            needed_guarantee_constraints: needed_guarantee,
            max_interviews_per_trainer: cap,
        },
        solver: SolverReport {
            backend: BACKEND.to_owned(),
            seconds: started.elapsed().as_secs_f64(),
            solves,
        },
    })
}

struct Built {
    program: Program,
    y: Vec<Var>,
}

/// The model; with `guarantee`, as a MIP with coupling-witness constraints that keep a coupling
/// of `guarantee` trainees inside the proposal.
fn build(
    input: &InterviewInput,
    pairings: &[Pairing],
    wanted: &[usize],
    cap: u32,
    cost: &impl Fn(&Pairing) -> u64,
    cover_weight: u64,
    guarantee: Option<usize>,
) -> Built {
    let mut program = Program::new(Sense::Maximise);
    let y: Vec<Var> = pairings
        .iter()
        .map(|p| {
            let objective = -(cost(p) as f64);
            if guarantee.is_some() {
                program.add_binary(objective)
            } else {
                program.add_continuous(1.0, objective)
            }
        })
        .collect();
    let mut by_trainee: Vec<Vec<(Var, f64)>> = vec![Vec::new(); input.trainees.len()];
    let mut by_trainer: Vec<Vec<(Var, f64)>> = vec![Vec::new(); input.trainers.len()];
    for (e, p) in pairings.iter().enumerate() {
        by_trainee[p.trainee].push((y[e], 1.0));
        by_trainer[p.trainer].push((y[e], 1.0));
    }
    for (i, terms) in by_trainee
        .into_iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
    {
        let k = wanted[i] as f64;
        program.add_row(format!("interviews[{}]", input.trainees[i].id), terms, k, k);
    }
    for (j, mut terms) in by_trainer
        .into_iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
    {
        // Flow split at the trainer: the first interview earns the coverage bonus.
        let cap = f64::from(cap);
        let covered = program.add_continuous(1.0_f64.min(cap), cover_weight as f64);
        let extra = program.add_continuous((cap - 1.0).max(0.0), 0.0);
        terms.push((covered, -1.0));
        terms.push((extra, -1.0));
        program.add_row(
            format!("coverage[{}]", input.trainers[j].id),
            terms,
            0.0,
            0.0,
        );
    }
    if let Some(required) = guarantee {
        let witnesses: Vec<Var> = pairings
            .iter()
            .map(|_| program.add_continuous(1.0, 0.0))
            .collect();
        let mut witness_trainee: Vec<Vec<(Var, f64)>> = vec![Vec::new(); input.trainees.len()];
        let mut witness_trainer: Vec<Vec<(Var, f64)>> = vec![Vec::new(); input.trainers.len()];
        for (e, p) in pairings.iter().enumerate() {
            program.add_row(
                format!(
                    "witness_uses_interview[{},{}]",
                    input.trainees[p.trainee].id, input.trainers[p.trainer].id
                ),
                vec![(witnesses[e], 1.0), (y[e], -1.0)],
                f64::NEG_INFINITY,
                0.0,
            );
            witness_trainee[p.trainee].push((witnesses[e], 1.0));
            witness_trainer[p.trainer].push((witnesses[e], 1.0));
        }
        for (i, terms) in witness_trainee
            .into_iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
        {
            program.add_row(
                format!("witness_trainee[{}]", input.trainees[i].id),
                terms,
                f64::NEG_INFINITY,
                1.0,
            );
        }
        for (j, terms) in witness_trainer
            .into_iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
        {
            let cap = f64::from(input.trainers[j].capacity);
            program.add_row(
                format!("witness_capacity[{}]", input.trainers[j].id),
                terms,
                f64::NEG_INFINITY,
                cap,
            );
        }
        program.add_row(
            "witness_size",
            witnesses.iter().map(|&w| (w, 1.0)).collect(),
            required as f64,
            f64::INFINITY,
        );
    }
    Built { program, y }
}

//! The final coupling: trainees and trainers ranked each other after the interviews; find the
//! best coupling for the whole group.
//!
//! # Input
//! ```json
//! {"trainees": [{"id": "a1", "ranking": ["t2", "t1"]}],
//!  "trainers": [{"id": "t1", "capacity": 1, "ranking": ["a1"]}],
//!  "forbidden": [{"trainee": "a1", "trainer": "t2"}],
//!  "objective": "total", "explain": true}
//! ```
//! A pair is *admissible* when each lists the other and it is not forbidden. A rank is the 1-based
//! position in the list. `capacity` defaults to 1, `objective` to `total`, `explain` to `true`.
//!
//! # Objectives
//! - `total`: first couple as many trainees as possible, then minimise `total_rank`, the sum over
//!   couplings of trainee rank + trainer rank ("group interest before individual interest").
//! - `minimax`: first couple as many as possible, then minimise `worst_rank` (the largest rank
//!   either side got), then `total_rank`.
//!
//! # How
//! An integer min-cost maximum flow ([`crate::flow`]) over the admissible pairs: "most coupled
//! first" is exact, with no weighted objective. Minimax finds the smallest worst-rank threshold
//! that couples as many trainees by maximum-cardinality checks, then solves the costs once. The
//! linear program with HiGHS ([`Backend::Lp`]) gives the same optimum and is kept to test both.
//!
//! # Ties and determinism
//! The matcher first puts the instance in a canonical order: trainees and trainers by id (byte
//! order). The network is built in that order (trainees, then each trainee's ranking) and the
//! algorithm is deterministic, so the same instance gives the same coupling, byte for byte apart
//! from `solver.seconds`, whatever the order of its trainees and trainers in the input. The rule
//! among equal optima: the one the primal-dual flow reaches when each search tries trainees in
//! id order and each trainee's trainers best-ranked first; neither side is preferred among
//! equals otherwise. Such ties are visible in `explanations`, as better choices that would
//! cost the group nothing (`total_rank_change: 0`).
//!
//! # Output
//! `assignments`, `unmatched_trainees` with the reason in words, `matched`, `total_rank`,
//! `worst_rank`, `blocking_pairs` (pairs who both prefer each other to what they got),
//! `explanations` (for each trainee not at their first choice: what each better choice would cost
//! the group), `certificate` (integral dual values that prove the coupling optimal, see
//! [`certificate`]) and `solver` (`backend`, `seconds`).
//!
//! # Explanations
//! What forcing a better choice would cost is read off the optimum itself: the cheapest cycle
//! through that pair in the optimum's residual network, found by one shortest-path search per
//! trainee on the reduced costs the certificate's duals give ([`residual`]). Every trainee not
//! at their first choice gets every better choice priced, with no re-solve and no budget; under
//! `minimax`, the network of each worst-rank limit a forced pair needs is solved once. Tests
//! check the prices against re-solving with the pair forced.

pub mod certificate;
mod exact;
mod explain;
mod model;
mod residual;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::input::InputError;
use crate::solver::{BACKEND, DEFAULT_TIME_LIMIT, Deadline, SolveError};
use model::Effort;

pub use certificate::{
    Certificate, CertifiedCoupling, Cover, DOCUMENT_FORMAT, VerificationDocument, Verified, verify,
};
pub use model::Instance;

/// What "best for the group" means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Most couplings, then the lowest total rank.
    #[default]
    Total,
    /// Most couplings, then the lowest worst rank, then the lowest total rank.
    Minimax,
}

/// A trainee and their final ranking of trainers (best first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CouplingTrainee {
    /// Unique id.
    #[cfg_attr(feature = "openapi", schema(example = "a1"))]
    pub id: String,
    /// Trainer ids, most preferred first.
    #[cfg_attr(feature = "openapi", schema(example = json!(["t2", "t1"])))]
    pub ranking: Vec<String>,
}

/// A trainer, how many trainees they take, and their final ranking of trainees (best first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CouplingTrainer {
    /// Unique id.
    #[cfg_attr(feature = "openapi", schema(example = "t1"))]
    pub id: String,
    /// Trainees they can take; 1 when absent.
    #[serde(default = "one")]
    #[cfg_attr(feature = "openapi", schema(example = 1, default = 1))]
    pub capacity: u32,
    /// Trainee ids, most preferred first.
    #[cfg_attr(feature = "openapi", schema(example = json!(["a1"])))]
    pub ranking: Vec<String>,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// A trainee-trainer pair.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// Trainee id.
    #[cfg_attr(feature = "openapi", schema(example = "a1"))]
    pub trainee: String,
    /// Trainer id.
    #[cfg_attr(feature = "openapi", schema(example = "t2"))]
    pub trainer: String,
}

/// A coupling instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CouplingInput {
    /// Trainees with their rankings.
    pub trainees: Vec<CouplingTrainee>,
    /// Trainers with capacities and rankings.
    pub trainers: Vec<CouplingTrainer>,
    /// Pairs that may never be coupled (vetoes and hard rules).
    #[serde(default)]
    pub forbidden: Vec<Pair>,
    /// What "best" means; `total` when absent.
    #[serde(default)]
    pub objective: Objective,
    /// Whether to compute explanations; `true` when absent.
    #[serde(default = "yes")]
    #[cfg_attr(feature = "openapi", schema(default = true))]
    pub explain: bool,
}

/// One coupling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// Trainee id.
    pub trainee: String,
    /// Trainer id.
    pub trainer: String,
    /// Where the trainee ranked the trainer (1 = first choice).
    pub trainee_rank: u32,
    /// Where the trainer ranked the trainee.
    pub trainer_rank: u32,
}

/// A trainee left without a trainer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unmatched {
    /// Trainee id.
    pub trainee: String,
    /// Why, in words.
    pub reason: String,
}

/// What one better choice for a trainee would cost the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alternative {
    /// The trainer the trainee ranked higher.
    pub trainer: String,
    /// The trainee's rank of that trainer.
    pub trainee_rank: u32,
    /// Whether the pair can be coupled at all.
    pub possible: bool,
    /// Change in the number of coupled trainees if forced (0 or negative).
    pub matched_change: i64,
    /// Change in `total_rank` if forced.
    pub total_rank_change: i64,
    /// Change in `worst_rank` if forced.
    pub worst_rank_change: i64,
    /// The same in words.
    pub text: String,
}

/// Why a trainee did not get their first choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation {
    /// Trainee id.
    pub trainee: String,
    /// The rank they got; absent when not coupled.
    pub trainee_rank: Option<u32>,
    /// In words.
    pub summary: String,
    /// Each better choice and its cost to the group.
    pub alternatives: Vec<Alternative>,
}

/// Which solver ran and how long everything took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SolverReport {
    /// Backend name.
    #[cfg_attr(feature = "openapi", schema(example = "min-cost-flow"))]
    pub backend: String,
    /// Wall-clock seconds for the whole computation, explanations included.
    pub seconds: f64,
    /// Number of flow or LP/MIP solves.
    pub solves: u32,
}

/// The result of a coupling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouplingOutput {
    /// The objective used.
    pub objective: Objective,
    /// Couplings, by trainee id.
    pub assignments: Vec<Assignment>,
    /// Trainees without a trainer, by id.
    pub unmatched_trainees: Vec<Unmatched>,
    /// Number of coupled trainees.
    pub matched: usize,
    /// Sum over couplings of trainee rank + trainer rank.
    pub total_rank: u64,
    /// Largest rank either side got (0 when nobody is coupled).
    pub worst_rank: u32,
    /// Pairs who both prefer each other to what they got.
    pub blocking_pairs: Vec<Assignment>,
    /// For trainees not at their first choice.
    pub explanations: Vec<Explanation>,
    /// The proof of optimality (absent only from the LP backend, which tests use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Certificate>,
    /// Solver report.
    pub solver: SolverReport,
}

/// Why a coupling could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CouplingError {
    /// The instance is invalid.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The solver failed (never expected: every instance has the empty coupling).
    #[error(transparent)]
    Solver(#[from] SolveError),
}

/// Computes the best coupling within [`DEFAULT_TIME_LIMIT`].
pub fn solve(input: &CouplingInput) -> Result<CouplingOutput, CouplingError> {
    solve_within(input, DEFAULT_TIME_LIMIT)
}

/// How the optimum is computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Backend {
    /// Integer min-cost maximum flow ([`crate::flow`]): exact, the default.
    #[default]
    Flow,
    /// The linear program with HiGHS (a weighted objective); kept to test the two against
    /// each other.
    Lp,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Self::Flow => FLOW_BACKEND,
            Self::Lp => BACKEND,
        }
    }
}

/// The name the solver report gives the flow backend.
pub const FLOW_BACKEND: &str = "min-cost-flow";

/// Computes the best coupling within `time_limit`. When the limit stops the coupling itself, the
/// answer is [`SolveError::TimeLimit`]; explanations it leaves out say so.
pub fn solve_within(
    input: &CouplingInput,
    time_limit: Duration,
) -> Result<CouplingOutput, CouplingError> {
    solve_with(input, time_limit, Backend::Flow)
}

/// As [`solve_within`], with the optimum computed by `backend` (explanations always use the
/// flow).
pub fn solve_with(
    input: &CouplingInput,
    time_limit: Duration,
    backend: Backend,
) -> Result<CouplingOutput, CouplingError> {
    let started = Instant::now();
    let instance = Instance::new(input)?;
    let mut effort = Effort {
        solves: 0,
        deadline: Deadline::after(time_limit),
    };
    let (optimum, certified, certificate) = match backend {
        Backend::Flow => {
            let (certified, proof) = instance.optimum_certified(input.objective, &mut effort)?;
            let certificate = proof.to_certificate(&instance);
            (
                certified.coupling.clone(),
                Some(certified),
                Some(certificate),
            )
        }
        Backend::Lp => (
            instance.optimum_lp(input.objective, None, &mut effort)?,
            None,
            None,
        ),
    };
    let explanations = if input.explain {
        // The optimum over every pair: the total objective's own, or solved once more.
        let all = match certified {
            Some(certified) if certified.limit.is_none() => certified,
            _ => instance.certified(None, &mut effort)?,
        };
        let all = residual::Residual::new(&instance, all)?;
        let mut pricing = explain::FromResidual::new(&instance, input.objective, all);
        explain::explanations(
            &instance,
            input.objective,
            &optimum,
            &mut pricing,
            &mut effort,
        )?
    } else {
        Vec::new()
    };
    Ok(CouplingOutput {
        objective: input.objective,
        assignments: optimum
            .edges
            .iter()
            .map(|&edge| instance.assignment(edge))
            .collect(),
        unmatched_trainees: explain::unmatched(&instance, &optimum),
        matched: optimum.matched(),
        total_rank: optimum.total_rank,
        worst_rank: optimum.worst_rank,
        blocking_pairs: explain::blocking_pairs(&instance, &optimum),
        explanations,
        certificate,
        solver: SolverReport {
            backend: backend.name().to_owned(),
            seconds: started.elapsed().as_secs_f64(),
            solves: effort.solves,
        },
    })
}

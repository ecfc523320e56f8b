//! The equal-chance simulation: many draws on the lottery's inputs, run in the background.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use koppel_api_types::{CandidateChance, SimulationResponse};
use koppel_matcher::lottery::{Candidate, Location};
use uuid::Uuid;

use super::draw::{Ids, matcher_inputs};
use super::{DRAFT, get};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::lotteries;

/// Largest simulation.
pub const MAX_SIMULATION_DRAWS: u32 = 100_000;

/// Simulations running at once.
const MAX_RUNNING_SIMULATIONS: usize = 2;

/// Finished simulations kept to read back.
const KEPT_SIMULATIONS: usize = 20;

/// Running and finished simulations, kept in memory (they can be run again at will).
#[derive(Default)]
pub struct Simulations {
    runs: Mutex<HashMap<Uuid, Arc<Simulation>>>,
}

struct Simulation {
    lottery_id: Uuid,
    draws: u32,
    started: std::time::Instant,
    done: AtomicU32,
    /// The chances, or why the simulation failed; `None` while it runs.
    result: Mutex<Option<Result<Vec<CandidateChance>, String>>>,
}

impl Simulation {
    fn finished(&self) -> bool {
        self.result.lock().map(|r| r.is_some()).unwrap_or(true)
    }

    fn response(&self, id: Uuid) -> SimulationResponse {
        let result = self
            .result
            .lock()
            .map(|guard| guard.clone())
            .unwrap_or_else(|_| Some(Err("the simulation's state is unreadable".to_owned())));
        let (candidates, error) = match &result {
            Some(Ok(chances)) => (chances.clone(), None),
            Some(Err(error)) => (Vec::new(), Some(error.clone())),
            None => (Vec::new(), None),
        };
        SimulationResponse {
            id,
            draws: self.draws,
            done: self.done.load(Ordering::Relaxed),
            finished: result.is_some(),
            candidates,
            error,
        }
    }
}

/// Runs `draws` draws with a fresh random simulation seed on all cores
/// ([`koppel_matcher::simulation`]) and gives, per candidate, how often they were placed and how
/// often at their first preference, with standard errors. `progress` hears the draws done.
pub fn simulate(
    locations: &[Location],
    candidates: &[Candidate],
    draws: u32,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<Vec<CandidateChance>, koppel_matcher::InputError> {
    let plan = koppel_matcher::simulation::Plan {
        draws,
        seed: rand::random(),
        threads: std::thread::available_parallelism().map_or(1, usize::from),
    };
    let chances = koppel_matcher::simulation::simulate(locations, candidates, plan, progress)?;
    Ok(chances
        .into_iter()
        .zip(candidates)
        .map(|(chance, candidate)| CandidateChance {
            id: chance.id,
            preferences_given: u32::try_from(candidate.preferences.len()).unwrap_or(u32::MAX),
            placed: chance.placed,
            placed_standard_error: chance.placed_standard_error,
            first_preference: chance.first_preference,
            first_preference_standard_error: chance.first_preference_standard_error,
        })
        .collect())
}

/// Starts a simulation on the frozen inputs (committed or drawn lotteries); poll its progress.
pub async fn start_simulation(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    draws: u32,
) -> Result<SimulationResponse, ApiError> {
    let lottery = get(state, principal, id).await?;
    if !(1..=MAX_SIMULATION_DRAWS).contains(&draws) {
        return Err(ApiError::field(
            "draws",
            format!("must be 1-{MAX_SIMULATION_DRAWS}"),
        ));
    }
    if lottery.status == DRAFT {
        return Err(ApiError::Conflict(
            "simulate on frozen inputs: commit the lottery first".to_owned(),
        ));
    }
    let (locations, candidates) = matcher_inputs(
        &lotteries::locations(&state.db, id).await?,
        &lotteries::candidates(&state.db, id).await?,
        Ids::Internal,
    )?;
    let simulation_id = Uuid::new_v4();
    let simulation = Arc::new(Simulation {
        lottery_id: id,
        draws,
        started: std::time::Instant::now(),
        done: AtomicU32::new(0),
        result: Mutex::new(None),
    });
    {
        let mut runs = state.simulations.runs.lock().map_err(|_| {
            ApiError::Internal(anyhow::anyhow!("the simulations' state is unreadable"))
        })?;
        let running = runs.values().filter(|s| !s.finished()).count();
        if running >= MAX_RUNNING_SIMULATIONS {
            return Err(ApiError::Conflict(format!(
                "{running} simulations are running; start another when one has finished"
            )));
        }
        // Keep the newest finished ones to read back.
        let mut finished: Vec<(Uuid, std::time::Instant)> = runs
            .iter()
            .filter(|(_, s)| s.finished())
            .map(|(id, s)| (*id, s.started))
            .collect();
        finished.sort_by_key(|(_, started)| std::cmp::Reverse(*started));
        for (old, _) in finished.into_iter().skip(KEPT_SIMULATIONS - 1) {
            runs.remove(&old);
        }
        runs.insert(simulation_id, Arc::clone(&simulation));
    }
    let running = Arc::clone(&simulation);
    tokio::task::spawn_blocking(move || {
        let outcome = simulate(&locations, &candidates, draws, &|done| {
            running.done.fetch_max(done, Ordering::Relaxed);
        })
        .map_err(|error| {
            tracing::error!(%error, "simulation failed");
            format!("the simulation failed: {error}")
        });
        if let Ok(mut result) = running.result.lock() {
            *result = Some(outcome);
        }
    });
    Ok(simulation.response(simulation_id))
}

/// A simulation's progress and, when finished, its result.
pub async fn simulation(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    simulation_id: Uuid,
) -> Result<SimulationResponse, ApiError> {
    get(state, principal, id).await?;
    let found = state
        .simulations
        .runs
        .lock()
        .ok()
        .and_then(|runs| runs.get(&simulation_id).cloned())
        .filter(|s| s.lottery_id == id);
    found
        .map(|s| s.response(simulation_id))
        .ok_or_else(|| ApiError::NotFound(format!("simulation '{simulation_id}' does not exist")))
}

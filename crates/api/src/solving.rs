//! Bounded solver work, for `/solve/*` and for the matcher runs inside a round.
//!
//! - **Size.** Instances larger than the documented limits are refused with a problem naming the
//!   field and the limit, before any work starts (`check_*`).
//! - **Time.** Every solve gets `KOPPEL_SOLVE_TIME_LIMIT_S`; a solve stopped at the limit answers
//!   `time_limit_reached` and is never presented as optimal ([`solve_failed`]).
//! - **Concurrency.** At most `KOPPEL_SOLVE_CONCURRENCY` solves run at once; beyond that the
//!   answer is 503 `busy` with `Retry-After`. A solve keeps its permit until it ends, even when
//!   its caller has gone, so abandoned requests cannot pile up work.

use std::sync::Arc;
use std::time::Duration;

use koppel_matcher::coupling::CouplingInput;
use koppel_matcher::interviews::InterviewInput;
use koppel_matcher::lottery::LotteryInput;
use koppel_matcher::solver::SolveError;
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// Most trainees in one instance.
pub const MAX_TRAINEES: usize = 100_000;
/// Most trainers in one instance.
pub const MAX_TRAINERS: usize = 100_000;
/// Most ranked pairs in one instance: the entries of every ranking plus the forbidden pairs (for
/// the lottery: every candidate's preferences).
pub const MAX_PAIRS: usize = 1_000_000;
/// Most lottery candidates in one instance.
pub const MAX_CANDIDATES: usize = 100_000;
/// Most lottery locations in one instance.
pub const MAX_LOCATIONS: usize = 10_000;
/// Seconds a caller is asked to wait when every solve slot is taken.
pub const RETRY_AFTER_S: u64 = 5;

/// The solve slots and the time limit of each solve.
#[derive(Debug)]
pub struct Solvers {
    permits: Arc<Semaphore>,
    concurrency: usize,
    time_limit: Duration,
}

impl Solvers {
    /// At most `concurrency` (at least 1) solves at once, each within `time_limit`.
    pub fn new(concurrency: usize, time_limit: Duration) -> Self {
        let concurrency = concurrency.max(1);
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            time_limit,
        }
    }

    /// Runs `work` with the time limit on the blocking pool, if a slot is free; otherwise answers
    /// `busy` at once.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Duration) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = Arc::clone(&self.permits)
            .try_acquire_owned()
            .map_err(|_| ApiError::Busy {
                message: format!(
                    "{} solves are running, the most this server runs at once; try again in {RETRY_AFTER_S} s",
                    self.concurrency
                ),
                retry_after: RETRY_AFTER_S,
            })?;
        let time_limit = self.time_limit;
        tokio::task::spawn_blocking(move || {
            let _held_until_done = permit;
            work(time_limit)
        })
        .await
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("the solve task failed: {error}")))
    }
}

/// The answer for a solver failure: a time limit says so (422 `time_limit_reached`); anything else
/// is unexpected.
pub fn solve_failed(error: SolveError, what: &str) -> ApiError {
    match error {
        SolveError::TimeLimit { .. } => ApiError::TimeLimit(format!("{what}: {error}")),
        other => ApiError::Internal(anyhow::Error::new(other).context(format!("{what} failed"))),
    }
}

fn at_most(field: &str, count: usize, limit: usize, what: &str) -> Result<(), ApiError> {
    if count > limit {
        return Err(ApiError::field(
            field,
            format!("at most {limit} {what} per instance (this one has {count})"),
        ));
    }
    Ok(())
}

/// Checks the trainees, trainers and ranked or forbidden pairs of an instance.
fn check_people(trainees: usize, trainers: usize, pairs: usize) -> Result<(), ApiError> {
    at_most("trainees", trainees, MAX_TRAINEES, "trainees")?;
    at_most("trainers", trainers, MAX_TRAINERS, "trainers")?;
    at_most("trainees", pairs, MAX_PAIRS, "ranked and forbidden pairs")
}

fn ranked<T>(people: &[T], ranking: impl Fn(&T) -> usize) -> usize {
    people.iter().map(ranking).sum()
}

/// Checks a coupling instance against the size limits.
pub fn check_coupling(input: &CouplingInput) -> Result<(), ApiError> {
    check_people(
        input.trainees.len(),
        input.trainers.len(),
        ranked(&input.trainees, |t| t.ranking.len())
            + ranked(&input.trainers, |t| t.ranking.len())
            + input.forbidden.len(),
    )
}

/// Checks an interview-proposal instance against the size limits.
pub fn check_interviews(input: &InterviewInput) -> Result<(), ApiError> {
    check_people(
        input.trainees.len(),
        input.trainers.len(),
        ranked(&input.trainees, |t| t.ranking.len()) + input.forbidden.len(),
    )
}

/// Checks a lottery instance against the size limits.
pub fn check_lottery(input: &LotteryInput) -> Result<(), ApiError> {
    at_most(
        "candidates",
        input.candidates.len(),
        MAX_CANDIDATES,
        "candidates",
    )?;
    at_most(
        "locations",
        input.locations.len(),
        MAX_LOCATIONS,
        "locations",
    )?;
    let preferences = ranked(&input.candidates, |c| c.preferences.len());
    at_most("candidates", preferences, MAX_PAIRS, "preferences")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_solve_beyond_the_slots_is_refused_with_a_retry_time() {
        let solvers = Arc::new(Solvers::new(1, Duration::from_secs(1)));
        let (started, wait) = std::sync::mpsc::channel::<()>();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let first = {
            let solvers = Arc::clone(&solvers);
            tokio::spawn(async move {
                solvers
                    .run(move |_| {
                        started.send(()).ok();
                        hold.recv().ok();
                    })
                    .await
            })
        };
        wait.recv().ok();
        match solvers.run(|_| ()).await {
            Err(ApiError::Busy { retry_after, .. }) => assert_eq!(retry_after, RETRY_AFTER_S),
            other => panic!("expected busy, got {other:?}"),
        }
        release.send(()).ok();
        assert!(first.await.is_ok_and(|result| result.is_ok()));
        assert!(solvers.run(|limit| limit).await.is_ok());
    }
}

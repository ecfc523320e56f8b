//! The equal-chance simulation of the placement lottery: many draws of the same inputs with
//! fresh seeds, counting per candidate how often they are placed and how often at their first
//! preference, with the standard error of each share.
//!
//! Each draw is the real draw's first phase ([`crate::lottery`]): candidates ordered by SHA-256 of
//! `seed:id`, each placed at their highest preference with a place left. The seed of draw `d` is
//! the lowercase hex SHA-256 of the simulation seed (32 bytes) followed by `d` as 4 big-endian
//! bytes, so a simulation seed reproduces the whole simulation whatever the number of threads.
//!
//! Nothing is allocated per draw: the candidates' keys, the order and the places left live in
//! buffers each thread reuses, and the hash state after the 64-byte seed block is computed once
//! per draw. Threads take draws in chunks from a shared counter and add up their counts at the
//! end.

use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::InputError;
use crate::lottery::{Candidate, Location, LotteryInput, draw};

/// Draws a thread takes at a time.
const CHUNK: u32 = 8;

/// A candidate's chances over the simulated draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chance {
    /// Candidate id.
    pub id: String,
    /// Share of draws in which they were placed.
    pub placed: f64,
    /// Standard error of `placed`: `sqrt(p (1 - p) / draws)`.
    pub placed_standard_error: f64,
    /// Share of draws in which they got their first preference.
    pub first_preference: f64,
    /// Standard error of `first_preference`.
    pub first_preference_standard_error: f64,
}

/// How to run a simulation.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Number of draws.
    pub draws: u32,
    /// The simulation seed: with the same one, the same chances.
    pub seed: [u8; 32],
    /// Threads to use (at least 1).
    pub threads: usize,
}

/// The seed of draw `draw` of a simulation, as the lottery takes it (64 hex characters).
pub fn draw_seed(seed: &[u8; 32], draw: u32) -> [u8; 64] {
    let mut hasher = Sha256::new();
    hasher.update(seed);
    hasher.update(draw.to_be_bytes());
    let digest = hasher.finalize();
    let mut hex = [0u8; 64];
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (k, byte) in digest.iter().enumerate() {
        hex[2 * k] = DIGITS[usize::from(byte >> 4)];
        hex[2 * k + 1] = DIGITS[usize::from(byte & 0x0f)];
    }
    hex
}

/// Runs the simulation. `progress` hears the number of draws done now and then (from any
/// thread). The inputs are checked as a draw checks them.
pub fn simulate(
    locations: &[Location],
    candidates: &[Candidate],
    plan: Plan,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<Vec<Chance>, InputError> {
    // One real draw checks the inputs (ids, preferences, places) with the draw's own errors.
    let first_seed = draw_seed(&plan.seed, 0);
    draw(&LotteryInput {
        seed: String::from_utf8_lossy(&first_seed).into_owned(),
        locations: locations.to_vec(),
        candidates: candidates.to_vec(),
    })?;
    let index: std::collections::HashMap<&str, usize> = locations
        .iter()
        .enumerate()
        .map(|(l, location)| (location.id.as_str(), l))
        .collect();
    let mut flat = Vec::new();
    let mut starts = vec![0usize];
    for candidate in candidates {
        flat.extend(
            candidate
                .preferences
                .iter()
                .filter_map(|id| index.get(id.as_str()).copied()),
        );
        starts.push(flat.len());
    }
    let capacity: Vec<u32> = locations.iter().map(|l| l.capacity).collect();
    let shared = Shared {
        candidates,
        flat: &flat,
        starts: &starts,
        capacity: &capacity,
        plan,
        next: AtomicU32::new(0),
        done: AtomicU32::new(0),
        progress,
    };
    let threads = plan.threads.clamp(1, 64);
    let counts: Vec<Counts> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| shared.work()))
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap_or_default())
            .collect()
    });
    let mut placed = vec![0u64; candidates.len()];
    let mut first = vec![0u64; candidates.len()];
    let mut drawn = 0u64;
    for count in &counts {
        drawn += u64::from(count.draws);
        for (sum, &n) in placed.iter_mut().zip(&count.placed) {
            *sum += u64::from(n);
        }
        for (sum, &n) in first.iter_mut().zip(&count.first) {
            *sum += u64::from(n);
        }
    }
    if drawn != u64::from(plan.draws) {
        return Err(InputError::new(
            "draws",
            format!("only {drawn} of {} draws finished", plan.draws),
        ));
    }
    let n = (drawn as f64).max(1.0);
    let share = |k: u64| {
        let p = k as f64 / n;
        (p, (p * (1.0 - p) / n).sqrt())
    };
    Ok(candidates
        .iter()
        .enumerate()
        .map(|(c, candidate)| {
            let (placed, placed_standard_error) = share(placed[c]);
            let (first_preference, first_preference_standard_error) = share(first[c]);
            Chance {
                id: candidate.id.clone(),
                placed,
                placed_standard_error,
                first_preference,
                first_preference_standard_error,
            }
        })
        .collect())
}

/// What every thread reads.
struct Shared<'a> {
    candidates: &'a [Candidate],
    flat: &'a [usize],
    starts: &'a [usize],
    capacity: &'a [u32],
    plan: Plan,
    next: AtomicU32,
    done: AtomicU32,
    progress: &'a (dyn Fn(u32) + Sync),
}

/// One thread's tallies.
#[derive(Debug, Default)]
struct Counts {
    draws: u32,
    placed: Vec<u32>,
    first: Vec<u32>,
}

impl Shared<'_> {
    fn work(&self) -> Counts {
        let n = self.candidates.len();
        let mut counts = Counts {
            draws: 0,
            placed: vec![0; n],
            first: vec![0; n],
        };
        let mut keyed: Vec<([u8; 32], u32)> = vec![([0; 32], 0); n];
        let mut left: Vec<u32> = self.capacity.to_vec();
        let step = (self.plan.draws / 100).max(1);
        loop {
            let start = self.next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= self.plan.draws {
                return counts;
            }
            let end = start.saturating_add(CHUNK).min(self.plan.draws);
            for d in start..end {
                let seed = draw_seed(&self.plan.seed, d);
                let mut prefix = Sha256::new();
                prefix.update(seed);
                prefix.update(b":");
                for (c, (candidate, slot)) in
                    self.candidates.iter().zip(keyed.iter_mut()).enumerate()
                {
                    let mut hasher = prefix.clone();
                    hasher.update(candidate.id.as_bytes());
                    *slot = (hasher.finalize().into(), c as u32);
                }
                keyed.sort_unstable();
                left.copy_from_slice(self.capacity);
                for &(_, c) in &keyed {
                    let c = c as usize;
                    let preferences = &self.flat[self.starts[c]..self.starts[c + 1]];
                    if let Some((rank, &l)) =
                        preferences.iter().enumerate().find(|(_, l)| left[**l] > 0)
                    {
                        left[l] -= 1;
                        counts.placed[c] += 1;
                        if rank == 0 {
                            counts.first[c] += 1;
                        }
                    }
                }
                counts.draws += 1;
            }
            let before = self.done.fetch_add(end - start, Ordering::Relaxed);
            let now = before + (end - start);
            if now / step != before / step || now == self.plan.draws {
                (self.progress)(now);
            }
        }
    }
}

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

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const INITIAL_STATE: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The last block SHA-256 hashes for `seed:id` with a 64-character seed: `:`, the id, the
/// padding and the length, when they fit in one block (ids up to 54 bytes); the same for every
/// draw, so each candidate's key costs one compression.
fn last_block(id: &str) -> Option<[u8; 64]> {
    let id = id.as_bytes();
    if id.len() > 54 {
        return None;
    }
    let mut block = [0u8; 64];
    block[0] = b':';
    block[1..=id.len()].copy_from_slice(id);
    block[id.len() + 1] = 0x80;
    let bits = (64 + 1 + id.len() as u64) * 8;
    block[56..].copy_from_slice(&bits.to_be_bytes());
    Some(block)
}

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
    let blocks: Vec<Option<[u8; 64]>> = candidates.iter().map(|c| last_block(&c.id)).collect();
    let shared = Shared {
        candidates,
        blocks: &blocks,
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
    /// Per candidate, the last block of `seed:id` when `:id` fits in one (see [`last_block`]).
    blocks: &'a [Option<[u8; 64]>],
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
        // Per candidate: the first 96 bits of their key, then their index, in one integer that
        // sorts fast. Two keys agreeing in 96 bits are put in full-key order afterwards.
        let mut keyed: Vec<u128> = vec![0; n];
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
                // The state after the seed, which is exactly one block.
                let mut middle = INITIAL_STATE;
                sha2::compress256(&mut middle, &[seed.into()]);
                for (c, (block, slot)) in self.blocks.iter().zip(keyed.iter_mut()).enumerate() {
                    let top = match block {
                        Some(block) => {
                            let mut state = middle;
                            sha2::compress256(&mut state, &[(*block).into()]);
                            (u128::from(state[0]) << 64)
                                | (u128::from(state[1]) << 32)
                                | u128::from(state[2])
                        }
                        None => {
                            let mut hasher = prefix.clone();
                            hasher.update(self.candidates[c].id.as_bytes());
                            let digest: [u8; 32] = hasher.finalize().into();
                            let mut top = [0u8; 16];
                            top[4..].copy_from_slice(&digest[..12]);
                            u128::from_be_bytes(top)
                        }
                    };
                    *slot = (top << 32) | c as u128;
                }
                keyed.sort_unstable();
                self.settle_ties(&prefix, &mut keyed);
                left.copy_from_slice(self.capacity);
                for &key in &keyed {
                    let c = (key & u128::from(u32::MAX)) as usize;
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

    /// Puts runs of keys that agree in their first 96 bits in full-key order (in practice
    /// never needed: such a pair turns up once in about 2^80 draws of 100,000).
    fn settle_ties(&self, prefix: &Sha256, keyed: &mut [u128]) {
        let mut start = 0;
        while start < keyed.len() {
            let mut end = start + 1;
            while end < keyed.len() && keyed[end] >> 32 == keyed[start] >> 32 {
                end += 1;
            }
            if end - start > 1 {
                keyed[start..end].sort_by_cached_key(|&key| {
                    let mut hasher = prefix.clone();
                    hasher.update(
                        self.candidates[(key & u128::from(u32::MAX)) as usize]
                            .id
                            .as_bytes(),
                    );
                    <[u8; 32]>::from(hasher.finalize())
                });
            }
            start = end;
        }
    }
}

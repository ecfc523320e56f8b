//! Generated instances shared by the benchmarks and the reference comparison
//! (`examples/reference.rs`). Deterministic: the same arguments give the same instance.

#![allow(dead_code, reason = "each user takes the generators it needs")]

use koppel_matcher::coupling::{CouplingInput, CouplingTrainee, CouplingTrainer, Objective};
use koppel_matcher::interviews::{InterviewInput, InterviewTrainer};
use koppel_matcher::lottery::{Candidate, Location, LotteryInput};

/// A small deterministic generator (xorshift64*).
pub struct Random(u64);

impl Random {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound.max(1)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// `n` trainees and `n` trainers (capacity 1); each trainee ranks `ranked` trainers, who rank
/// back every trainee that ranked them, in random order. A realistic round is `ranked = 4`
/// (the interviews).
pub fn coupling(n: usize, ranked: usize, seed: u64) -> CouplingInput {
    let mut random = Random::new(seed);
    let mut trainer_lists: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut trainees = Vec::with_capacity(n);
    for i in 0..n {
        let mut ranking = Vec::with_capacity(ranked);
        while ranking.len() < ranked.min(n) {
            let j = random.below(n);
            if !ranking.contains(&j) {
                ranking.push(j);
            }
        }
        for &j in &ranking {
            trainer_lists[j].push(i);
        }
        trainees.push(CouplingTrainee {
            id: format!("a{i}"),
            ranking: ranking.iter().map(|j| format!("t{j}")).collect(),
        });
    }
    let trainers = trainer_lists
        .into_iter()
        .enumerate()
        .map(|(j, mut list)| {
            random.shuffle(&mut list);
            CouplingTrainer {
                id: format!("t{j}"),
                capacity: 1,
                ranking: list.iter().map(|i| format!("a{i}")).collect(),
            }
        })
        .collect();
    CouplingInput {
        trainees,
        trainers,
        forbidden: Vec::new(),
        objective: Objective::Total,
        explain: false,
    }
}

/// `n` trainees with full rankings of `trainers` trainers, four interviews each.
pub fn interviews(n: usize, trainers: usize, seed: u64) -> InterviewInput {
    let mut random = Random::new(seed);
    let trainees = (0..n)
        .map(|i| {
            let mut ranking: Vec<usize> = (0..trainers).collect();
            random.shuffle(&mut ranking);
            CouplingTrainee {
                id: format!("a{i}"),
                ranking: ranking.iter().map(|j| format!("t{j}")).collect(),
            }
        })
        .collect();
    InterviewInput {
        interviews_per_trainee: 4,
        max_interviews_per_trainer: None,
        trainees,
        trainers: (0..trainers)
            .map(|j| InterviewTrainer {
                id: format!("t{j}"),
                capacity: 1,
                continuity_rank: 1 + j as u32,
            })
            .collect(),
        forbidden: Vec::new(),
    }
}

/// `n` candidates over `locations` locations with about 1.2 places per candidate in total.
pub fn lottery(n: usize, locations: usize, seed: u64) -> LotteryInput {
    let mut random = Random::new(seed);
    let per_location = (n * 12 / 10 / locations).max(1) as u32;
    LotteryInput {
        seed: "9f2c4e1a7b3d5f60818a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70".to_owned(),
        locations: (0..locations)
            .map(|l| Location {
                id: format!("loc{l}"),
                capacity: per_location,
            })
            .collect(),
        candidates: (0..n)
            .map(|c| {
                let mut preferences: Vec<usize> = (0..locations).collect();
                random.shuffle(&mut preferences);
                preferences.truncate(1 + random.below(locations));
                Candidate {
                    id: format!("c{c}"),
                    preferences: preferences.iter().map(|l| format!("loc{l}")).collect(),
                    second_attempt: random.below(50) == 0,
                }
            })
            .collect(),
    }
}

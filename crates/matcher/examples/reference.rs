//! Writes the benchmark's coupling instances to a folder and times Koppel on each, so that
//! `benches/reference.py` can time OR-tools' min-cost flow on exactly the same instances; also
//! times explanations and the equal-chance simulation.
//!
//! `cargo run --release -p koppel-matcher --example reference -- DIR [NAME ...]`, where the names
//! pick among `realistic_150x4 1000x10 1000x40 5000x40 20000x40` (default: all). Every time is the
//! median of several runs of the whole `coupling::solve` (checks, canonical order, flow,
//! certificate and its check), from a parsed input to the output.

#![expect(clippy::unwrap_used, clippy::print_stdout, reason = "a measuring tool")]

use std::time::Instant;

use koppel_matcher::coupling::{self, CouplingInput, Objective};
use koppel_matcher::simulation::{self, Plan};

#[path = "../benches/support/instances.rs"]
mod instances;

/// The median of `runs` timings of `work`, in seconds, and its last result.
fn median<T>(runs: usize, mut work: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(work());
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], last.unwrap())
}

fn explained(input: &CouplingInput, objective: Objective) -> CouplingInput {
    let mut input = input.clone();
    input.explain = true;
    input.objective = objective;
    input
}

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/reference".to_owned()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let chosen: Vec<String> = std::env::args().skip(2).collect();
    let sizes = [
        ("realistic_150x4", 150, 4, 21),
        ("1000x10", 1_000, 10, 5),
        ("1000x40", 1_000, 40, 5),
        ("5000x40", 5_000, 40, 3),
        ("20000x40", 20_000, 40, 3),
    ];
    let mut timings = serde_json::Map::new();
    println!("Koppel, median of several runs (release build):");
    for (name, n, ranked, runs) in sizes
        .into_iter()
        .filter(|(name, ..)| chosen.is_empty() || chosen.iter().any(|c| c == name))
    {
        let input = instances::coupling(n, ranked, if n == 150 { 1 } else { 2 });
        std::fs::write(
            dir.join(format!("{name}.json")),
            serde_json::to_vec(&input).unwrap(),
        )
        .unwrap();
        let (seconds, output) = median(runs, || coupling::solve(&input).unwrap());
        timings.insert(
            name.to_owned(),
            serde_json::json!({"seconds": seconds, "matched": output.matched, "total_rank": output.total_rank}),
        );
        println!(
            "  coupling {name:<16} {:>9.1} ms  (matched {}, total rank {})",
            seconds * 1000.0,
            output.matched,
            output.total_rank
        );
        if n <= 1_000 && ranked <= 10 {
            for objective in [Objective::Total, Objective::Minimax] {
                let with = explained(&input, objective);
                let (seconds, output) = median(runs, || coupling::solve(&with).unwrap());
                let alternatives: usize = output
                    .explanations
                    .iter()
                    .map(|e| e.alternatives.len())
                    .sum();
                println!(
                    "  explained {name:<15} {:>9.1} ms  ({objective:?}: {} trainees explained, {alternatives} better choices priced)",
                    seconds * 1000.0,
                    output.explanations.len(),
                );
            }
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    for (candidates, locations, draws) in [(340, 8, 10_000), (100_000, 8, 1_000)] {
        if !chosen.is_empty() && !chosen.iter().any(|c| c == "simulation") {
            continue;
        }
        let input = instances::lottery(candidates, locations, 5);
        let plan = Plan {
            draws,
            seed: [3; 32],
            threads,
        };
        let (seconds, _) = median(3, || {
            simulation::simulate(&input.locations, &input.candidates, plan, &|_| {}).unwrap()
        });
        println!(
            "  simulation {draws} draws of {candidates} candidates x {locations} locations: {:.2} s ({threads} threads)",
            seconds
        );
    }
    std::fs::write(
        dir.join("koppel-timings.json"),
        serde_json::to_vec_pretty(&timings).unwrap(),
    )
    .unwrap();
}

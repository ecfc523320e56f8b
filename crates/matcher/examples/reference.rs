//! Writes the benchmark's coupling instances to a folder and times Koppel on each, so that
//! `benches/reference.py` can time an independent solver on exactly the same instances.
//!
//! `cargo run --release -p koppel-matcher --example reference -- DIR [NAME ...]`, where the names
//! pick among `realistic_150x4 1000x10 1000x40 5000x10 5000x40` (default: all).

#![expect(clippy::unwrap_used, clippy::print_stdout, reason = "a measuring tool")]

use std::time::Instant;

use koppel_matcher::coupling;

#[path = "../benches/support/instances.rs"]
mod instances;

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/reference".to_owned()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let chosen: Vec<String> = std::env::args().skip(2).collect();
    let sizes = [
        ("realistic_150x4", 150, 4),
        ("1000x10", 1_000, 10),
        ("1000x40", 1_000, 40),
        ("5000x10", 5_000, 10),
        ("5000x40", 5_000, 40),
    ];
    let mut timings = serde_json::Map::new();
    for (name, n, ranked) in sizes
        .into_iter()
        .filter(|(name, ..)| chosen.is_empty() || chosen.iter().any(|c| c == name))
    {
        let input = instances::coupling(n, ranked, if n == 150 { 1 } else { 2 });
        std::fs::write(
            dir.join(format!("{name}.json")),
            serde_json::to_vec(&input).unwrap(),
        )
        .unwrap();
        // Best of three, like the reference.
        let mut best = f64::INFINITY;
        let mut output = None;
        for _ in 0..3 {
            let started = Instant::now();
            let result = coupling::solve(&input).unwrap();
            best = best.min(started.elapsed().as_secs_f64());
            output = Some(result);
        }
        let output = output.unwrap();
        timings.insert(
            name.to_owned(),
            serde_json::json!({"seconds": best, "matched": output.matched, "total_rank": output.total_rank}),
        );
        println!(
            "koppel {name}: {:.1} ms, matched {}, total rank {}",
            best * 1000.0,
            output.matched,
            output.total_rank
        );
    }
    std::fs::write(
        dir.join("koppel-timings.json"),
        serde_json::to_vec_pretty(&timings).unwrap(),
    )
    .unwrap();
}

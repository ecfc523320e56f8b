//! Times the phases of a 100,000-candidate draw (a measuring aid, not a test).
#![expect(clippy::unwrap_used, clippy::print_stdout, reason = "a measuring tool")]
use std::time::Instant;
#[path = "../benches/support/instances.rs"]
mod instances;
fn main() {
    let input = instances::lottery(100_000, 8, 4);
    for _ in 0..3 {
        let started = Instant::now();
        let output = koppel_matcher::lottery::draw(&input).unwrap();
        let drawn = started.elapsed();
        drop(output);
        println!(
            "draw {:.1} ms, with drop {:.1} ms",
            drawn.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let started = Instant::now();
    let mut n = 0u8;
    for c in &input.candidates {
        use sha2::Digest;
        let d = sha2::Sha256::digest(format!("{}:{}", input.seed, c.id).as_bytes());
        n ^= d[0];
    }
    println!(
        "100k sha256: {:.1} ms ({n})",
        started.elapsed().as_secs_f64() * 1e3
    );
}

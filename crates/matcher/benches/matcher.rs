//! Speed of the three models (`cargo bench -p koppel-matcher`, or `just bench`).

#![expect(clippy::unwrap_used, reason = "benchmarks stop at the first surprise")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use koppel_matcher::{coupling, interviews, lottery};

#[path = "support/instances.rs"]
mod instances;

fn coupling_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("coupling");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let realistic = instances::coupling(150, 4, 1);
    group.bench_function("realistic_150x150_4_interviews", |b| {
        b.iter(|| coupling::solve(black_box(&realistic)).unwrap())
    });
    let mut explained = realistic.clone();
    explained.explain = true;
    group.bench_function("realistic_150x150_4_interviews_with_explanations", |b| {
        b.iter(|| coupling::solve(black_box(&explained)).unwrap())
    });
    // 5000 x 40 takes minutes per solve with HiGHS: it runs in `just bench-reference` only.
    for (n, ranked) in [(1_000, 10), (1_000, 40), (5_000, 10)] {
        let input = instances::coupling(n, ranked, 2);
        group.bench_with_input(
            BenchmarkId::new("large", format!("{n}x{ranked}")),
            &input,
            |b, input| b.iter(|| coupling::solve(black_box(input)).unwrap()),
        );
    }
    group.finish();
}

fn interview_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("interviews");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for n in [100, 300] {
        let input = instances::interviews(n, n + n / 10, 3);
        group.bench_with_input(BenchmarkId::new("full_rankings", n), &input, |b, input| {
            b.iter(|| interviews::propose(black_box(input)).unwrap())
        });
    }
    group.finish();
}

fn lottery_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("lottery");
    group.sample_size(10);
    let input = instances::lottery(100_000, 8, 4);
    group.bench_function("100000_candidates_8_locations", |b| {
        b.iter(|| lottery::draw(black_box(&input)).unwrap())
    });
    group.finish();
}

criterion_group!(
    benches,
    coupling_benches,
    interview_benches,
    lottery_benches
);
criterion_main!(benches);

//! The coupling is optimal (brute force on small instances, an independent min-cost flow on
//! large ones), never uses a forbidden pair, respects capacities and is deterministic.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests stop at the first surprise"
)]

use std::collections::{BTreeMap, HashSet};

use koppel_matcher::coupling::{
    Backend, CouplingInput, CouplingOutput, CouplingTrainee, CouplingTrainer, Objective, Pair,
    solve, solve_with,
};
use proptest::prelude::*;

/// A random instance: each trainee ranks some trainers, each trainer ranks the trainees who
/// ranked them (plus noise), some pairs forbidden.
fn instance(
    trainees: usize,
    trainers: usize,
    max_ranked: usize,
    max_capacity: u32,
    seed: u64,
) -> CouplingInput {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |bound: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    let mut trainee_rankings: Vec<Vec<usize>> = Vec::new();
    for _ in 0..trainees {
        let mut pool: Vec<usize> = (0..trainers).collect();
        let length = next(max_ranked.min(trainers) + 1);
        let mut ranking = Vec::new();
        for _ in 0..length {
            let pick = next(pool.len());
            ranking.push(pool.swap_remove(pick));
        }
        trainee_rankings.push(ranking);
    }
    let mut trainer_rankings: Vec<Vec<usize>> = vec![Vec::new(); trainers];
    for (i, ranking) in trainee_rankings.iter().enumerate() {
        for &j in ranking {
            if next(10) < 9 {
                trainer_rankings[j].push(i);
            }
        }
    }
    for ranking in &mut trainer_rankings {
        for k in (1..ranking.len()).rev() {
            let other = next(k + 1);
            ranking.swap(k, other);
        }
    }
    let mut forbidden = Vec::new();
    for (i, ranking) in trainee_rankings.iter().enumerate() {
        for &j in ranking {
            if next(12) == 0 {
                forbidden.push(Pair {
                    trainee: format!("a{i}"),
                    trainer: format!("t{j}"),
                });
            }
        }
    }
    CouplingInput {
        trainees: trainee_rankings
            .iter()
            .enumerate()
            .map(|(i, r)| CouplingTrainee {
                id: format!("a{i}"),
                ranking: r.iter().map(|j| format!("t{j}")).collect(),
            })
            .collect(),
        trainers: trainer_rankings
            .iter()
            .enumerate()
            .map(|(j, r)| CouplingTrainer {
                id: format!("t{j}"),
                capacity: 1 + next(max_capacity as usize) as u32,
                ranking: r.iter().map(|i| format!("a{i}")).collect(),
            })
            .collect(),
        forbidden,
        objective: Objective::Total,
        explain: false,
    }
}

/// Admissible pairs with (trainee rank, trainer rank).
fn admissible(input: &CouplingInput) -> Vec<Vec<(usize, u32, u32)>> {
    let forbidden: HashSet<(&str, &str)> = input
        .forbidden
        .iter()
        .map(|p| (p.trainee.as_str(), p.trainer.as_str()))
        .collect();
    let trainer_index: BTreeMap<&str, usize> = input
        .trainers
        .iter()
        .enumerate()
        .map(|(j, t)| (t.id.as_str(), j))
        .collect();
    input
        .trainees
        .iter()
        .map(|trainee| {
            trainee
                .ranking
                .iter()
                .enumerate()
                .filter_map(|(p, t)| {
                    let j = trainer_index[t.as_str()];
                    let rank = input.trainers[j]
                        .ranking
                        .iter()
                        .position(|a| *a == trainee.id)?;
                    (!forbidden.contains(&(trainee.id.as_str(), t.as_str()))
                        && input.trainers[j].capacity > 0)
                        .then_some((j, p as u32 + 1, rank as u32 + 1))
                })
                .collect()
        })
        .collect()
}

/// Exhaustive search: the lexicographically best (matched, then objective) value.
fn brute_force(input: &CouplingInput) -> (usize, u64, u32) {
    let options = admissible(input);
    let mut capacity: Vec<u32> = input.trainers.iter().map(|t| t.capacity).collect();
    let mut best: Option<(usize, u64, u32)> = None;
    fn better(objective: Objective, a: (usize, u64, u32), b: (usize, u64, u32)) -> bool {
        match objective {
            Objective::Total => (std::cmp::Reverse(a.0), a.1) < (std::cmp::Reverse(b.0), b.1),
            Objective::Minimax => {
                (std::cmp::Reverse(a.0), a.2, a.1) < (std::cmp::Reverse(b.0), b.2, b.1)
            }
        }
    }
    fn search(
        i: usize,
        options: &[Vec<(usize, u32, u32)>],
        capacity: &mut [u32],
        current: (usize, u64, u32),
        objective: Objective,
        best: &mut Option<(usize, u64, u32)>,
    ) {
        if i == options.len() {
            if best.is_none_or(|b| better(objective, current, b)) {
                *best = Some(current);
            }
            return;
        }
        search(i + 1, options, capacity, current, objective, best);
        for &(j, ra, rt) in &options[i] {
            if capacity[j] > 0 {
                capacity[j] -= 1;
                let next = (
                    current.0 + 1,
                    current.1 + u64::from(ra + rt),
                    current.2.max(ra.max(rt)),
                );
                search(i + 1, options, capacity, next, objective, best);
                capacity[j] += 1;
            }
        }
    }
    search(
        0,
        &options,
        &mut capacity,
        (0, 0, 0),
        input.objective,
        &mut best,
    );
    best.unwrap()
}

/// Independent reference: min-cost max-flow by successive shortest paths (Bellman-Ford).
fn min_cost_max_flow(input: &CouplingInput) -> (usize, u64) {
    let options = admissible(input);
    let (n, m) = (input.trainees.len(), input.trainers.len());
    let (source, sink) = (n + m, n + m + 1);
    let mut graph: Vec<Vec<usize>> = vec![Vec::new(); n + m + 2];
    let mut to = Vec::new();
    let mut cap: Vec<i64> = Vec::new();
    let mut cost: Vec<i64> = Vec::new();
    let mut add = |graph: &mut Vec<Vec<usize>>, u: usize, v: usize, c: i64, w: i64| {
        graph[u].push(to.len());
        to.push(v);
        cap.push(c);
        cost.push(w);
        graph[v].push(to.len());
        to.push(u);
        cap.push(0);
        cost.push(-w);
    };
    for (i, list) in options.iter().enumerate() {
        add(&mut graph, source, i, 1, 0);
        for &(j, ra, rt) in list {
            add(&mut graph, i, n + j, 1, i64::from(ra + rt));
        }
    }
    for (j, trainer) in input.trainers.iter().enumerate() {
        add(&mut graph, n + j, sink, i64::from(trainer.capacity), 0);
    }
    let (mut flow, mut total) = (0usize, 0i64);
    loop {
        let mut distance = vec![i64::MAX; n + m + 2];
        let mut via = vec![usize::MAX; n + m + 2];
        distance[source] = 0;
        let mut changed = true;
        while changed {
            changed = false;
            for u in 0..n + m + 2 {
                if distance[u] == i64::MAX {
                    continue;
                }
                for &e in &graph[u] {
                    if cap[e] > 0 && distance[u] + cost[e] < distance[to[e]] {
                        distance[to[e]] = distance[u] + cost[e];
                        via[to[e]] = e;
                        changed = true;
                    }
                }
            }
        }
        if distance[sink] == i64::MAX {
            return (flow, total as u64);
        }
        let mut v = sink;
        while v != source {
            let e = via[v];
            cap[e] -= 1;
            cap[e ^ 1] += 1;
            v = to[e ^ 1];
        }
        flow += 1;
        total += distance[sink];
    }
}

fn check_feasible(input: &CouplingInput, output: &CouplingOutput) {
    let forbidden: HashSet<(&str, &str)> = input
        .forbidden
        .iter()
        .map(|p| (p.trainee.as_str(), p.trainer.as_str()))
        .collect();
    let mut load: BTreeMap<&str, u32> = BTreeMap::new();
    let mut seen = HashSet::new();
    for a in &output.assignments {
        assert!(
            !forbidden.contains(&(a.trainee.as_str(), a.trainer.as_str())),
            "forbidden pair used"
        );
        assert!(seen.insert(a.trainee.as_str()), "trainee coupled twice");
        let trainee = input.trainees.iter().find(|t| t.id == a.trainee).unwrap();
        let trainer = input.trainers.iter().find(|t| t.id == a.trainer).unwrap();
        assert_eq!(
            trainee
                .ranking
                .iter()
                .position(|t| *t == a.trainer)
                .map(|p| p as u32 + 1),
            Some(a.trainee_rank)
        );
        assert_eq!(
            trainer
                .ranking
                .iter()
                .position(|t| *t == a.trainee)
                .map(|p| p as u32 + 1),
            Some(a.trainer_rank)
        );
        *load.entry(a.trainer.as_str()).or_default() += 1;
    }
    for trainer in &input.trainers {
        assert!(
            load.get(trainer.id.as_str()).copied().unwrap_or(0) <= trainer.capacity,
            "capacity exceeded"
        );
    }
    assert_eq!(output.matched, output.assignments.len());
    assert_eq!(
        output.matched + output.unmatched_trainees.len(),
        input.trainees.len()
    );
    let total: u64 = output
        .assignments
        .iter()
        .map(|a| u64::from(a.trainee_rank + a.trainer_rank))
        .sum();
    assert_eq!(output.total_rank, total);
    let worst = output
        .assignments
        .iter()
        .map(|a| a.trainee_rank.max(a.trainer_rank))
        .max()
        .unwrap_or(0);
    assert_eq!(output.worst_rank, worst);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn small_instances_match_brute_force_for_both_objectives(
        trainees in 1usize..=7,
        trainers in 1usize..=7,
        seed in any::<u64>(),
        minimax in any::<bool>(),
    ) {
        let mut input = instance(trainees, trainers, 4, 2, seed);
        input.objective = if minimax { Objective::Minimax } else { Objective::Total };
        let output = solve(&input).unwrap();
        check_feasible(&input, &output);
        let (matched, total, worst) = brute_force(&input);
        prop_assert_eq!(output.matched, matched);
        match input.objective {
            Objective::Total => prop_assert_eq!(output.total_rank, total),
            Objective::Minimax => {
                prop_assert_eq!(output.worst_rank, worst);
                prop_assert_eq!(output.total_rank, total);
            }
        }
    }

    #[test]
    fn full_rankings_on_5_by_5_match_brute_force(seed in any::<u64>(), minimax in any::<bool>()) {
        let mut input = instance(5, 5, 5, 1, seed);
        input.objective = if minimax { Objective::Minimax } else { Objective::Total };
        let output = solve(&input).unwrap();
        check_feasible(&input, &output);
        let (matched, total, worst) = brute_force(&input);
        prop_assert_eq!((output.matched, output.total_rank), (matched, total));
        if minimax {
            prop_assert_eq!(output.worst_rank, worst);
        }
    }
}

#[test]
fn large_instances_match_an_independent_min_cost_flow() {
    for seed in 0..3 {
        let input = instance(200, 200, 10, 2, seed);
        let output = solve(&input).unwrap();
        check_feasible(&input, &output);
        let (flow, cost) = min_cost_max_flow(&input);
        assert_eq!(
            (output.matched, output.total_rank),
            (flow, cost),
            "seed {seed}"
        );
    }
}

#[test]
fn instances_large_enough_for_the_interior_point_path_match_the_min_cost_flow() {
    // More than 20,000 admissible pairs: the LP is solved by interior point plus crossover.
    let mut input = instance(1_400, 1_400, 40, 1, 99);
    input.explain = false;
    let pairs: usize = admissible(&input).iter().map(Vec::len).sum();
    assert!(pairs > 20_000, "{pairs} pairs");
    let expected = min_cost_max_flow(&input);
    for backend in [Backend::Flow, Backend::Lp] {
        let output = solve_with(&input, std::time::Duration::from_secs(120), backend).unwrap();
        check_feasible(&input, &output);
        assert_eq!((output.matched, output.total_rank), expected, "{backend:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The exact flow and the linear program with HiGHS agree on the optimum, for both
    /// objectives, with capacities above 1 and forbidden pairs.
    #[test]
    fn the_flow_and_the_linear_program_agree(
        trainees in 1usize..=40,
        trainers in 1usize..=30,
        seed in any::<u64>(),
        minimax in any::<bool>(),
    ) {
        let mut input = instance(trainees, trainers, 6, 3, seed);
        input.objective = if minimax { Objective::Minimax } else { Objective::Total };
        input.explain = false;
        let limit = std::time::Duration::from_secs(60);
        let flow = solve_with(&input, limit, Backend::Flow).unwrap();
        let lp = solve_with(&input, limit, Backend::Lp).unwrap();
        check_feasible(&input, &flow);
        prop_assert_eq!((flow.matched, flow.total_rank), (lp.matched, lp.total_rank));
        // Under `total` equal optima may differ in their worst rank; under minimax it is the
        // objective.
        if minimax {
            prop_assert_eq!(flow.worst_rank, lp.worst_rank);
        }
        prop_assert_eq!(flow.solver.backend.as_str(), "min-cost-flow");
        prop_assert_eq!(lp.solver.backend.as_str(), "highs");
    }
}

#[test]
fn the_same_input_gives_the_same_coupling() {
    let mut input = instance(60, 50, 6, 2, 7);
    input.explain = true;
    let first = solve(&input).unwrap();
    let second = solve(&input).unwrap();
    assert_eq!(first.assignments, second.assignments);
    assert_eq!(first.explanations, second.explanations);
}

/// The output as JSON bytes, its wall-clock time left out.
fn bytes(mut output: CouplingOutput) -> Vec<u8> {
    output.solver.seconds = 0.0;
    serde_json::to_vec(&output).unwrap()
}

/// `items` in an order made from `seed` (Fisher-Yates with a xorshift).
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut state = seed | 1;
    let mut out = items.to_vec();
    for k in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(k, (state % (k as u64 + 1)) as usize);
    }
    out
}

#[test]
fn shuffled_input_gives_byte_identical_output() {
    for (seed, objective) in [(3, Objective::Total), (4, Objective::Minimax)] {
        let mut input = instance(80, 60, 6, 2, seed);
        input.objective = objective;
        input.explain = true;
        let expected = bytes(solve(&input).unwrap());
        for order in 1..=4 {
            let mut other = input.clone();
            other.trainees = shuffled(&input.trainees, order);
            other.trainers = shuffled(&input.trainers, order + 100);
            other.forbidden = shuffled(&input.forbidden, order + 200);
            assert_eq!(
                bytes(solve(&other).unwrap()),
                expected,
                "seed {seed}, order {order}"
            );
        }
    }
}

fn example() -> CouplingInput {
    koppel_matcher::from_json(
        br#"{
        "trainees": [
            {"id": "a1", "ranking": ["t1", "t2"]},
            {"id": "a2", "ranking": ["t1", "t2"]},
            {"id": "a3", "ranking": ["t3"]}
        ],
        "trainers": [
            {"id": "t1", "ranking": ["a2", "a1"]},
            {"id": "t2", "ranking": ["a1", "a2"]},
            {"id": "t3", "ranking": ["a3"]}
        ],
        "forbidden": [{"trainee": "a3", "trainer": "t3"}]
    }"#,
    )
    .unwrap()
}

#[test]
fn the_documented_example_is_coupled_and_explained() {
    let output = solve(&example()).unwrap();
    // a1-t2 + a2-t1 costs 2+1 + 1+1 = 5; a1-t1 + a2-t2 costs 1+2 + 2+2 = 7.
    assert_eq!(output.matched, 2);
    assert_eq!(output.total_rank, 5);
    assert_eq!(output.worst_rank, 2);
    assert_eq!(output.assignments[0].trainee, "a1");
    assert_eq!(output.assignments[0].trainer, "t2");
    assert!(output.blocking_pairs.is_empty());

    assert_eq!(output.unmatched_trainees.len(), 1);
    assert_eq!(
        output.unmatched_trainees[0].reason,
        "a3 has no admissible trainer: the pair a3-t3 is forbidden (a veto or a rule)"
    );
    let a1 = output
        .explanations
        .iter()
        .find(|e| e.trainee == "a1")
        .unwrap();
    assert_eq!(a1.trainee_rank, Some(2));
    assert_eq!(a1.alternatives[0].trainer, "t1");
    assert_eq!(a1.alternatives[0].total_rank_change, 2);
    assert_eq!(
        a1.summary,
        "a1 is coupled to t2 (their 2nd choice). t1 (1st choice): would raise the group's total rank by 2."
    );
    let json = serde_json::to_value(&output).unwrap();
    for field in [
        "assignments",
        "unmatched_trainees",
        "matched",
        "total_rank",
        "worst_rank",
        "blocking_pairs",
        "explanations",
        "solver",
    ] {
        assert!(json.get(field).is_some(), "output has {field}");
    }
    assert_eq!(json["solver"]["backend"], "min-cost-flow");
}

#[test]
fn minimax_trades_total_rank_for_a_better_worst_rank() {
    // total:   a1-t1 (1+1) + a2-t2 (1+3) = 6, worst 3
    // minimax: a1-t2 (2+2) + a2-t1 (2+2) = 8, worst 2
    let input: CouplingInput = koppel_matcher::from_json(
        br#"{
        "trainees": [
            {"id": "a1", "ranking": ["t1", "t2"]},
            {"id": "a2", "ranking": ["t2", "t1"]},
            {"id": "a3", "ranking": []}
        ],
        "trainers": [
            {"id": "t1", "ranking": ["a1", "a2"]},
            {"id": "t2", "ranking": ["a3", "a1", "a2"]}
        ]
    }"#,
    )
    .unwrap();
    let total = solve(&input).unwrap();
    assert_eq!(
        (total.matched, total.total_rank, total.worst_rank),
        (2, 6, 3)
    );
    let minimax = solve(&CouplingInput {
        objective: Objective::Minimax,
        ..input
    })
    .unwrap();
    assert_eq!(
        (minimax.matched, minimax.total_rank, minimax.worst_rank),
        (2, 8, 2)
    );
    assert_eq!(minimax.assignments[0].trainer, "t2");
}

#[test]
fn group_interest_can_leave_a_blocking_pair_and_says_so() {
    // Coupling both (a1-t2, a2-t1) beats the pair that prefers each other (a1-t1).
    let input: CouplingInput = koppel_matcher::from_json(
        br#"{
        "trainees": [{"id": "a1", "ranking": ["t1", "t2"]}, {"id": "a2", "ranking": ["t1"]}],
        "trainers": [{"id": "t1", "ranking": ["a1", "a2"]}, {"id": "t2", "ranking": ["a1"]}]
    }"#,
    )
    .unwrap();
    let output = solve(&input).unwrap();
    assert_eq!(output.matched, 2);
    assert_eq!(output.blocking_pairs.len(), 1);
    assert_eq!(
        (
            output.blocking_pairs[0].trainee.as_str(),
            output.blocking_pairs[0].trainer.as_str()
        ),
        ("a1", "t1")
    );
    let a1 = output
        .explanations
        .iter()
        .find(|e| e.trainee == "a1")
        .unwrap();
    assert_eq!(a1.alternatives[0].matched_change, -1);
    assert!(
        a1.summary
            .contains("would leave 1 more trainee(s) uncoupled"),
        "{}",
        a1.summary
    );
}

#[test]
fn blocking_pairs_are_exactly_the_pairs_that_prefer_each_other() {
    let mut seen = 0;
    for seed in 0..20 {
        let input = instance(30, 30, 4, 2, seed);
        let output = solve(&input).unwrap();
        // Independently: an admissible, unassigned pair where the trainee is unassigned or ranks
        // the trainer higher, and the trainer has a free place or ranks the trainee above one it got.
        let options = admissible(&input);
        let rank_got: BTreeMap<&str, u32> = output
            .assignments
            .iter()
            .map(|a| (a.trainee.as_str(), a.trainee_rank))
            .collect();
        let mut load: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
        for a in &output.assignments {
            let entry = load.entry(a.trainer.as_str()).or_default();
            entry.0 += 1;
            entry.1 = entry.1.max(a.trainer_rank);
        }
        let assigned: HashSet<(&str, &str)> = output
            .assignments
            .iter()
            .map(|a| (a.trainee.as_str(), a.trainer.as_str()))
            .collect();
        let mut expected = HashSet::new();
        for (i, list) in options.iter().enumerate() {
            let trainee = input.trainees[i].id.as_str();
            for &(j, trainee_rank, trainer_rank) in list {
                let trainer = input.trainers[j].id.as_str();
                if assigned.contains(&(trainee, trainer)) {
                    continue;
                }
                let trainee_prefers = rank_got
                    .get(trainee)
                    .is_none_or(|current| trainee_rank < *current);
                let (taken, worst) = load.get(trainer).copied().unwrap_or((0, 0));
                let trainer_prefers = taken < input.trainers[j].capacity || trainer_rank < worst;
                if trainee_prefers && trainer_prefers {
                    expected.insert((trainee.to_owned(), trainer.to_owned()));
                }
            }
        }
        let reported: HashSet<(String, String)> = output
            .blocking_pairs
            .iter()
            .map(|b| (b.trainee.clone(), b.trainer.clone()))
            .collect();
        assert_eq!(reported, expected, "seed {seed}");
        seen += expected.len();
    }
    assert!(
        seen > 0,
        "the instances must contain blocking pairs for this test to mean anything"
    );
}

#[test]
fn bad_input_names_the_field() {
    let error = koppel_matcher::from_json::<CouplingInput>(
        br#"{"trainees": [{"id": "a1"}], "trainers": []}"#,
    )
    .unwrap_err();
    assert_eq!(error.field, "trainees[0].ranking");
    let mut input = example();
    input.trainees[1].ranking.push("t9".to_owned());
    match solve(&input) {
        Err(koppel_matcher::coupling::CouplingError::Input(error)) => {
            assert_eq!(error.field, "trainees[1].ranking[2]");
            assert_eq!(error.message, "unknown trainer 't9'");
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    input = example();
    input.trainers[0].id = "t2".to_owned();
    assert!(solve(&input).is_err());
}

#[test]
fn an_empty_instance_is_an_empty_coupling() {
    let output = solve(&CouplingInput {
        trainees: Vec::new(),
        trainers: Vec::new(),
        forbidden: Vec::new(),
        objective: Objective::Total,
        explain: true,
    })
    .unwrap();
    assert_eq!(output.matched, 0);
    assert!(output.unmatched_trainees.is_empty());
}

/// The document anyone can check: the input and the certified result.
fn certified(input: &CouplingInput) -> koppel_matcher::coupling::CertifiedCoupling {
    let output = solve(input).unwrap();
    koppel_matcher::coupling::CertifiedCoupling::of(&output).unwrap()
}

#[test]
fn every_coupling_carries_a_certificate_that_verifies() {
    use koppel_matcher::coupling::verify;
    for seed in 0..20 {
        for objective in [Objective::Total, Objective::Minimax] {
            let mut input = instance(30, 20, 6, 3, seed);
            input.objective = objective;
            input.explain = false;
            let result = certified(&input);
            let verified = verify(&input, &result).unwrap();
            assert_eq!(verified.matched, result.matched, "seed {seed}");
            if objective == Objective::Minimax && result.matched > 0 {
                assert_eq!(result.certificate.worst_rank_limit, Some(result.worst_rank));
                assert!(result.certificate.cover.is_some());
            }
        }
    }
    // Nobody ranked: an empty coupling, proved all the same.
    let mut empty = instance(3, 2, 0, 1, 1);
    empty.objective = Objective::Minimax;
    let result = certified(&empty);
    assert_eq!(result.matched, 0);
    verify(&empty, &result).unwrap();
}

#[test]
fn a_tampered_result_or_certificate_is_refused() {
    use koppel_matcher::coupling::verify;
    for objective in [Objective::Total, Objective::Minimax] {
        let mut input = instance(40, 25, 6, 2, 11);
        input.objective = objective;
        input.explain = false;
        let honest = certified(&input);
        verify(&input, &honest).unwrap();
        let refused = |result: &koppel_matcher::coupling::CertifiedCoupling, what: &str| {
            let error = verify(&input, result).expect_err(what);
            assert!(!error.is_empty(), "{what}");
        };
        // A coupling dropped: the measures no longer match, and once they do, the duals fail.
        let mut dropped = honest.clone();
        let gone = dropped.assignments.pop().unwrap();
        refused(&dropped, "a coupling dropped");
        dropped.matched -= 1;
        dropped.total_rank -= u64::from(gone.trainee_rank + gone.trainer_rank);
        dropped.worst_rank = dropped
            .assignments
            .iter()
            .map(|a| a.trainee_rank.max(a.trainer_rank))
            .max()
            .unwrap_or(0);
        if let Some(limit) = dropped.certificate.worst_rank_limit.as_mut() {
            *limit = dropped.worst_rank;
        }
        refused(&dropped, "a coupling dropped, measures adjusted");
        // A rank misreported.
        let mut misranked = honest.clone();
        misranked.assignments[0].trainee_rank += 1;
        misranked.total_rank += 1;
        refused(&misranked, "a rank misreported");
        // Each dual one lower, and one higher.
        for (id, _) in honest.certificate.trainee_duals.iter().take(5) {
            let mut lower = honest.clone();
            *lower.certificate.trainee_duals.get_mut(id).unwrap() -= 1;
            refused(&lower, "a trainee dual lowered");
        }
        for (id, _) in honest.certificate.trainer_duals.iter().take(5) {
            let mut higher = honest.clone();
            *higher.certificate.trainer_duals.get_mut(id).unwrap() += 1;
            refused(&higher, "a trainer dual raised");
        }
        // A weight too small to put couplings first.
        let mut light = honest.clone();
        light.certificate.weight = 10;
        refused(&light, "a small weight");
        // A dual for someone who is not there.
        let mut stranger = honest.clone();
        stranger
            .certificate
            .trainee_duals
            .insert("nobody".to_owned(), 1);
        refused(&stranger, "an unknown id");
        if objective == Objective::Minimax {
            let mut lower_limit = honest.clone();
            lower_limit.certificate.worst_rank_limit = Some(honest.worst_rank - 1);
            refused(&lower_limit, "a lower limit");
            let mut thin = honest.clone();
            thin.certificate.cover.as_mut().unwrap().trainees.pop();
            refused(&thin, "a cover missing a trainee");
            let mut no_below = honest.clone();
            no_below.certificate.cover_below_limit = None;
            refused(&no_below, "no cover below the limit");
        }
    }
}

#[test]
fn a_worse_coupling_cannot_be_proved_optimal() {
    use koppel_matcher::coupling::verify;
    // a1-t1 + a2-t2 (total 7) is a worse coupling of the documented example than the optimum
    // (total 5): no certificate makes it pass, as the honest one's duals show.
    let input = example();
    let honest = certified(&input);
    let mut worse = honest.clone();
    worse.assignments = vec![
        koppel_matcher::coupling::Assignment {
            trainee: "a1".into(),
            trainer: "t1".into(),
            trainee_rank: 1,
            trainer_rank: 2,
        },
        koppel_matcher::coupling::Assignment {
            trainee: "a2".into(),
            trainer: "t2".into(),
            trainee_rank: 2,
            trainer_rank: 2,
        },
    ];
    worse.total_rank = 7;
    assert!(verify(&input, &worse).is_err());
}

/// Runs the README's Python checker on a verification document; true when it says verified.
fn python_verifies(dir: &std::path::Path, document: &serde_json::Value) -> bool {
    std::fs::write(dir.join("verification.json"), document.to_string()).unwrap();
    let run = std::process::Command::new("python3")
        .arg(dir.join("verify_coupling.py"))
        .arg(dir.join("verification.json"))
        .output()
        .expect("python3 runs the README snippet");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        run.status.success(),
        stdout.contains("verified: optimal"),
        "{run:?}"
    );
    run.status.success()
}

#[test]
fn the_readme_python_snippet_verifies_a_coupling_and_refuses_tampering() {
    use koppel_matcher::coupling::{DOCUMENT_FORMAT, VerificationDocument};
    let readme = std::fs::read_to_string(
        std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
        )
        .join("../../README.md"),
    )
    .unwrap();
    let start = readme
        .find("<!-- verify-coupling.py -->")
        .expect("the README has the coupling checker");
    let code = readme[start..]
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    assert!(code.lines().count() <= 40, "at most 40 lines");
    let dir = std::env::temp_dir().join(format!("koppel-verify-coupling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("verify_coupling.py"), code).unwrap();
    for (seed, objective) in [(5, Objective::Total), (6, Objective::Minimax)] {
        let mut input = instance(40, 30, 6, 2, seed);
        input.objective = objective;
        input.explain = false;
        let document = serde_json::to_value(VerificationDocument {
            format: DOCUMENT_FORMAT.to_owned(),
            input: input.clone(),
            result: certified(&input),
        })
        .unwrap();
        assert!(python_verifies(&dir, &document), "{objective:?}");
        let mut tampered = document.clone();
        let duals = tampered["result"]["certificate"]["trainee_duals"]
            .as_object_mut()
            .unwrap();
        let first = duals.keys().next().unwrap().clone();
        duals[&first] = serde_json::json!(duals[&first].as_u64().unwrap() - 1);
        assert!(!python_verifies(&dir, &tampered), "a dual lowered");
        let mut tampered = document.clone();
        let assignments = tampered["result"]["assignments"].as_array_mut().unwrap();
        let (a, b) = (
            assignments[0]["trainer"].clone(),
            assignments[1]["trainer"].clone(),
        );
        assignments[0]["trainer"] = b;
        assignments[1]["trainer"] = a;
        assert!(!python_verifies(&dir, &tampered), "two trainers swapped");
        let mut tampered = document.clone();
        tampered["result"]["certificate"]["weight"] = serde_json::json!(3);
        assert!(!python_verifies(&dir, &tampered), "a small weight");
        if objective == Objective::Minimax {
            let mut tampered = document.clone();
            tampered["result"]["certificate"]["cover"]["trainees"]
                .as_array_mut()
                .unwrap()
                .pop();
            assert!(!python_verifies(&dir, &tampered), "a thinner cover");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_pseudonymised_document_still_verifies_and_solves_the_same() {
    use koppel_matcher::coupling::{DOCUMENT_FORMAT, VerificationDocument, verify};
    for objective in [Objective::Total, Objective::Minimax] {
        let mut input = instance(50, 30, 6, 2, 21);
        input.objective = objective;
        input.explain = false;
        let document = VerificationDocument {
            format: DOCUMENT_FORMAT.to_owned(),
            input: input.clone(),
            result: certified(&input),
        }
        .pseudonymised();
        let text = serde_json::to_string(&document).unwrap();
        assert!(!text.contains("\"a1\""), "no original id left");
        verify(&document.input, &document.result).unwrap();
        // Numbered in id order: the canonical order, and so the coupling, is the same.
        let again = certified(&document.input);
        assert_eq!(again.assignments, document.result.assignments);
    }
}

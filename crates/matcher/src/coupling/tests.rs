//! Prices of forced pairs from the residual network against brute force and re-solving.

use std::time::Duration;

use proptest::prelude::*;

use super::explain::{ByResolving, Forced, FromResidual, Pricing};
use super::model::{Effort, Instance};
use super::residual::Residual;
use super::{CouplingInput, CouplingTrainee, CouplingTrainer, Objective, Pair};
use crate::solver::Deadline;

fn effort() -> Effort {
    Effort {
        solves: 0,
        deadline: Deadline::after(Duration::from_secs(60)),
    }
}

/// A small instance from proptest's choices: who ranks whom (in order), capacities, vetoes.
fn small_instance() -> impl Strategy<Value = CouplingInput> {
    (1usize..=6, 1usize..=5).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(Just((0..m).collect::<Vec<_>>()).prop_shuffle(), n),
            proptest::collection::vec(0usize..=m, n),
            proptest::collection::vec(Just((0..n).collect::<Vec<_>>()).prop_shuffle(), m),
            proptest::collection::vec(0usize..=n, m),
            proptest::collection::vec(0u32..=2, m),
            proptest::collection::vec(any::<bool>(), n * m),
        )
            .prop_map(
                move |(orders, lengths, trainer_orders, trainer_lengths, capacity, vetoes)| {
                    let trainees = (0..n)
                        .map(|i| CouplingTrainee {
                            id: format!("a{i}"),
                            ranking: orders[i][..lengths[i]]
                                .iter()
                                .map(|j| format!("t{j}"))
                                .collect(),
                        })
                        .collect();
                    let trainers = (0..m)
                        .map(|j| CouplingTrainer {
                            id: format!("t{j}"),
                            capacity: capacity[j],
                            ranking: trainer_orders[j][..trainer_lengths[j]]
                                .iter()
                                .map(|i| format!("a{i}"))
                                .collect(),
                        })
                        .collect();
                    // About one pair in six is forbidden.
                    let forbidden = (0..n * m)
                        .filter(|k| vetoes[*k] && k % 3 == 0)
                        .map(|k| Pair {
                            trainee: format!("a{}", k / m),
                            trainer: format!("t{}", k % m),
                        })
                        .collect();
                    CouplingInput {
                        trainees,
                        trainers,
                        forbidden,
                        objective: Objective::Total,
                        explain: true,
                    }
                },
            )
    })
}

/// For every pair, the best (matched, total, worst) under `objective` of the couplings that
/// contain it, by exhaustive search over all couplings.
fn brute_force(instance: &Instance, objective: Objective) -> Vec<Forced> {
    let n = instance.trainees.len();
    let by_trainee: Vec<Vec<usize>> = (0..n).map(|i| instance.edges_of(i).collect()).collect();
    let mut best: Vec<Option<Forced>> = vec![None; instance.edges.len()];
    let key = |f: &Forced| match objective {
        Objective::Total => (-f.matched, f.total, 0),
        Objective::Minimax => (-f.matched, f.worst, f.total),
    };
    let mut choice = vec![usize::MAX; n];
    // Odometer over each trainee's options (one of their edges, or none).
    loop {
        let edges: Vec<usize> = choice
            .iter()
            .copied()
            .filter(|&e| e != usize::MAX)
            .collect();
        let mut load = vec![0u32; instance.trainers.len()];
        for &e in &edges {
            load[instance.edges[e].trainer] += 1;
        }
        let fits = load
            .iter()
            .zip(&instance.capacity)
            .all(|(load, capacity)| load <= capacity);
        if fits {
            let candidate = Forced {
                matched: edges.len() as i64,
                total: edges.iter().map(|&e| instance.edges[e].cost() as i64).sum(),
                worst: edges
                    .iter()
                    .map(|&e| i64::from(instance.edges[e].worst()))
                    .max()
                    .unwrap_or(0),
            };
            for &e in &edges {
                if best[e].is_none_or(|b| key(&candidate) < key(&b)) {
                    best[e] = Some(candidate);
                }
            }
        }
        let mut k = 0;
        loop {
            if k == n {
                return best.into_iter().map(Option::unwrap).collect();
            }
            let options = &by_trainee[k];
            let next = match options.iter().position(|&e| e == choice[k]) {
                None if choice[k] == usize::MAX && !options.is_empty() => Some(options[0]),
                Some(p) if p + 1 < options.len() => Some(options[p + 1]),
                _ => None,
            };
            match next {
                Some(e) => {
                    choice[k] = e;
                    break;
                }
                None => {
                    choice[k] = usize::MAX;
                    k += 1;
                }
            }
        }
    }
}

/// Residual prices and re-solved prices of every pair, against brute force.
fn check_prices(instance: &Instance, objective: Objective) -> Result<(), TestCaseError> {
    let truth = brute_force(instance, objective);
    let prices = residual_prices(instance, objective);
    let mut resolving = ByResolving { objective };
    let mut effort = effort();
    for (i, priced) in prices.iter().enumerate() {
        let edges: Vec<usize> = instance.edges_of(i).collect();
        let resolved = resolving.forced(instance, i, &edges, &mut effort).unwrap();
        for (k, &e) in edges.iter().enumerate() {
            let truth = seen(objective, truth[e]);
            prop_assert_eq!(seen(objective, priced[k]), truth, "residual, edge {}", e);
            prop_assert_eq!(seen(objective, resolved[k]), truth, "re-solve, edge {}", e);
        }
    }
    Ok(())
}

/// The prices of every pair of every trainee, from the residual network.
fn residual_prices(instance: &Instance, objective: Objective) -> Vec<Vec<Forced>> {
    let mut effort = effort();
    // The certificate of the optimum is checked on the way.
    instance.optimum_certified(objective, &mut effort).unwrap();
    let all = Residual::new(instance, instance.certified(None, &mut effort).unwrap()).unwrap();
    let mut pricing = FromResidual::new(instance, objective, all);
    (0..instance.trainees.len())
        .map(|i| {
            let edges: Vec<usize> = instance.edges_of(i).collect();
            pricing.forced(instance, i, &edges, &mut effort).unwrap()
        })
        .collect()
}

/// What the comparison looks at: under `total`, equal optima may differ in their worst rank.
fn seen(objective: Objective, forced: Forced) -> Forced {
    match objective {
        Objective::Total => Forced { worst: 0, ..forced },
        Objective::Minimax => forced,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Forcing any pair in: the residual network's price equals brute force, and so does
    /// re-solving with the pair forced (which under minimax never lowers the worst-rank limit
    /// below the forced pair's own worst rank).
    #[test]
    fn forced_prices_equal_brute_force_and_re_solving(
        input in small_instance(),
        minimax in any::<bool>(),
    ) {
        let objective = if minimax { Objective::Minimax } else { Objective::Total };
        check_prices(&Instance::new(&input).unwrap(), objective)?;
    }
}

/// Forcing a1-t3 (worst rank 4) under minimax: a2 then takes t1 (ranks 1 and 4, cost 5) rather
/// than t2 (ranks 3 and 3, cost 6), as the worst rank is 4 anyway. A re-solve that lowered the
/// limit to 3 with the pair forced reported a total of 11 instead of 10.
#[test]
fn a_forced_pair_under_minimax_keeps_the_limit_at_its_own_worst_rank() {
    let input: CouplingInput = crate::from_json(
        br#"{"trainees": [
                {"id": "a1", "ranking": ["t3"]},
                {"id": "a2", "ranking": ["t1", "t4", "t2"]},
                {"id": "b1", "ranking": []}, {"id": "b2", "ranking": []}, {"id": "b3", "ranking": []}],
            "trainers": [
                {"id": "t1", "ranking": ["b1", "b2", "b3", "a2"]},
                {"id": "t2", "ranking": ["b1", "b2", "a2"]},
                {"id": "t3", "ranking": ["b1", "b2", "b3", "a1"]},
                {"id": "t4", "ranking": []}],
            "objective": "minimax"}"#,
    )
    .unwrap();
    let instance = Instance::new(&input).unwrap();
    let forced = instance.edge_of(0, 2).unwrap();
    let coupling = instance
        .optimum(Objective::Minimax, Some(forced), &mut effort())
        .unwrap();
    assert_eq!(
        (coupling.matched(), coupling.worst_rank, coupling.total_rank),
        (2, 4, 10)
    );
    check_prices(&instance, Objective::Minimax).unwrap();
}

/// Under `total`, the worst rank a price reports is that of a coupling reached by the cycle:
/// never below the forced pair's own, and the forced optimum's when the pair is coupled already.
#[test]
fn a_total_price_reports_a_reachable_worst_rank() {
    let input: CouplingInput = crate::from_json(
        br#"{"trainees": [{"id": "a1", "ranking": ["t1", "t2"]}, {"id": "a2", "ranking": ["t1"]}],
            "trainers": [{"id": "t1", "ranking": ["a2", "a1"]}, {"id": "t2", "ranking": ["a1"]}]}"#,
    )
    .unwrap();
    let instance = Instance::new(&input).unwrap();
    let prices = residual_prices(&instance, Objective::Total);
    // a1-t2 and a2-t1 (total 3 + 2 = 5, worst 2). Forcing a1-t1 (ranks 1 and 2) leaves a2 out.
    let a1 = &prices[0];
    assert_eq!(
        a1[0],
        Forced {
            matched: 1,
            total: 3,
            worst: 2
        }
    );
    assert_eq!(
        a1[1],
        Forced {
            matched: 2,
            total: 5,
            worst: 2
        }
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Under `total` all trainees are priced at once over several threads: the same prices as
    /// one by one.
    #[test]
    fn prices_in_parallel_equal_prices_one_by_one(input in small_instance()) {
        let instance = Instance::new(&input).unwrap();
        let residual = || Residual::new(&instance, instance.certified(None, &mut effort()).unwrap()).unwrap();
        let queries: Vec<(usize, Vec<usize>)> = (0..instance.trainees.len())
            .map(|i| (i, instance.edges_of(i).collect()))
            .collect();
        let mut spent = effort();
        let mut parallel = FromResidual::new(&instance, Objective::Total, residual());
        let together = parallel.forced_all(&instance, &queries, &mut spent).unwrap();
        let mut single = FromResidual::new(&instance, Objective::Total, residual());
        for ((i, edges), priced) in queries.iter().zip(together) {
            let one = single.forced(&instance, *i, edges, &mut spent).unwrap();
            prop_assert_eq!(Some(one), priced);
        }
    }
}

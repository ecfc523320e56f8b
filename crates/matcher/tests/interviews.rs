//! The interview proposal keeps every constraint, is optimal on small instances (brute force),
//! and its guarantee holds: the coupling run on the proposal couples every guaranteed trainee.

#![expect(clippy::unwrap_used, reason = "tests stop at the first surprise")]

use std::collections::{BTreeMap, HashSet};

use koppel_matcher::coupling::{
    self, CouplingInput, CouplingTrainee, CouplingTrainer, Objective, Pair,
};
use koppel_matcher::interviews::{InterviewInput, InterviewOutput, InterviewTrainer, propose};
use proptest::prelude::*;

fn random_input(trainees: usize, trainers: usize, k: u32, full: bool, seed: u64) -> InterviewInput {
    let mut state = seed | 1;
    let mut next = move |bound: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    let mut rankings = Vec::new();
    for _ in 0..trainees {
        let mut pool: Vec<usize> = (0..trainers).collect();
        let length = if full { trainers } else { 1 + next(trainers) };
        let mut ranking = Vec::new();
        for _ in 0..length {
            let pick = next(pool.len());
            ranking.push(pool.swap_remove(pick));
        }
        rankings.push(ranking);
    }
    let mut forbidden = Vec::new();
    for (i, ranking) in rankings.iter().enumerate() {
        if let Some(&j) = ranking.first()
            && next(6) == 0
        {
            forbidden.push(Pair {
                trainee: format!("a{i}"),
                trainer: format!("t{j}"),
            });
        }
    }
    InterviewInput {
        interviews_per_trainee: k,
        max_interviews_per_trainer: None,
        trainees: rankings
            .iter()
            .enumerate()
            .map(|(i, r)| CouplingTrainee {
                id: format!("a{i}"),
                ranking: r.iter().map(|j| format!("t{j}")).collect(),
            })
            .collect(),
        trainers: (0..trainers)
            .map(|j| InterviewTrainer {
                id: format!("t{j}"),
                capacity: 1 + next(2) as u32,
                continuity_rank: 1 + next(trainers) as u32,
            })
            .collect(),
        forbidden,
    }
}

fn admissible(input: &InterviewInput) -> Vec<Vec<(String, u32)>> {
    let forbidden: HashSet<(&str, &str)> = input
        .forbidden
        .iter()
        .map(|p| (p.trainee.as_str(), p.trainer.as_str()))
        .collect();
    input
        .trainees
        .iter()
        .map(|t| {
            t.ranking
                .iter()
                .enumerate()
                .filter(|(_, j)| !forbidden.contains(&(t.id.as_str(), j.as_str())))
                .map(|(p, j)| (j.clone(), p as u32 + 1))
                .collect()
        })
        .collect()
}

/// Runs the final coupling on the proposal, everyone ranking their interview counterparts.
fn coupling_within(input: &InterviewInput, output: &InterviewOutput) -> usize {
    let mut trainer_rankings: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for interviews in &output.interviews {
        for trainer in &interviews.trainers {
            trainer_rankings
                .entry(trainer.as_str())
                .or_default()
                .push(interviews.trainee.clone());
        }
    }
    let coupling_input = CouplingInput {
        trainees: output
            .interviews
            .iter()
            .map(|i| CouplingTrainee {
                id: i.trainee.clone(),
                ranking: i.trainers.clone(),
            })
            .collect(),
        trainers: input
            .trainers
            .iter()
            .map(|t| CouplingTrainer {
                id: t.id.clone(),
                capacity: t.capacity,
                ranking: trainer_rankings
                    .get(t.id.as_str())
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect(),
        forbidden: Vec::new(),
        objective: Objective::Total,
        explain: false,
    };
    coupling::solve(&coupling_input).unwrap().matched
}

fn check_constraints(input: &InterviewInput, output: &InterviewOutput) {
    let k = input.interviews_per_trainee as usize;
    let admissible = admissible(input);
    let mut load: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, interviews) in output.interviews.iter().enumerate() {
        assert_eq!(
            interviews.trainers.len(),
            admissible[i].len().min(k),
            "{}",
            interviews.trainee
        );
        let allowed: BTreeMap<&str, u32> = admissible[i]
            .iter()
            .map(|(j, r)| (j.as_str(), *r))
            .collect();
        let mut seen = HashSet::new();
        for (trainer, rank) in interviews.trainers.iter().zip(&interviews.ranks) {
            assert_eq!(
                allowed.get(trainer.as_str()),
                Some(rank),
                "not admissible: {} {trainer}",
                interviews.trainee
            );
            assert!(seen.insert(trainer), "interview twice");
            *load.entry(trainer.as_str()).or_default() += 1;
        }
    }
    for entry in &output.load {
        assert_eq!(
            load.get(entry.trainer.as_str()).copied().unwrap_or(0),
            entry.interviews
        );
        assert!(entry.interviews <= output.score.max_interviews_per_trainer);
        if let Some(max) = input.max_interviews_per_trainer {
            assert_eq!(output.score.max_interviews_per_trainer, max);
        }
    }
    assert_eq!(
        coupling_within(input, output),
        output.guarantee.coupled as usize,
        "guarantee verified by coupling"
    );
    assert_eq!(
        output.guarantee.coupled as usize + output.guarantee.not_guaranteed.len(),
        input.trainees.len()
    );
}

/// Exhaustive search over every choice of interviews: the best (coverage, -preference cost,
/// -continuity cost) among proposals that keep the maximum coupling.
fn brute_force(input: &InterviewInput) -> (u32, u64, u64) {
    let k = input.interviews_per_trainee as usize;
    let admissible = admissible(input);
    let continuity: BTreeMap<&str, u64> = input
        .trainers
        .iter()
        .map(|t| (t.id.as_str(), u64::from(t.continuity_rank - 1)))
        .collect();
    let choices: Vec<Vec<Vec<(String, u32)>>> = admissible
        .iter()
        .map(|list| subsets(list, list.len().min(k)))
        .collect();
    let all_pairs_output = |picked: &[&Vec<(String, u32)>]| InterviewOutput {
        interviews: picked
            .iter()
            .enumerate()
            .map(|(i, list)| koppel_matcher::interviews::TraineeInterviews {
                trainee: input.trainees[i].id.clone(),
                trainers: list.iter().map(|(j, _)| j.clone()).collect(),
                ranks: list.iter().map(|(_, r)| *r).collect(),
            })
            .collect(),
        load: Vec::new(),
        guarantee: koppel_matcher::interviews::Guarantee {
            complete: false,
            coupled: 0,
            trainees: 0,
            not_guaranteed: Vec::new(),
        },
        score: koppel_matcher::interviews::ProposalScore {
            covered_trainers: 0,
            preference_cost: 0,
            continuity_cost: 0,
            needed_guarantee_constraints: false,
            max_interviews_per_trainer: 0,
        },
        solver: koppel_matcher::coupling::SolverReport {
            backend: String::new(),
            seconds: 0.0,
            solves: 0,
        },
    };
    let everything: Vec<&Vec<(String, u32)>> = admissible.iter().collect();
    let best_coupling = coupling_within(input, &all_pairs_output(&everything));
    let mut best: Option<(u32, u64, u64)> = None;
    let mut index = vec![0usize; choices.len()];
    loop {
        let picked: Vec<&Vec<(String, u32)>> = index
            .iter()
            .enumerate()
            .map(|(i, &c)| &choices[i][c])
            .collect();
        let covered: HashSet<&str> = picked
            .iter()
            .flat_map(|l| l.iter().map(|(j, _)| j.as_str()))
            .collect();
        let preference: u64 = picked
            .iter()
            .flat_map(|l| l.iter().map(|(_, r)| u64::from(r - 1)))
            .sum();
        let continuity_cost: u64 = picked
            .iter()
            .flat_map(|l| l.iter().map(|(j, _)| continuity[j.as_str()]))
            .sum();
        let score = (covered.len() as u32, preference, continuity_cost);
        let better = best.is_none_or(|b| {
            (
                score.0,
                std::cmp::Reverse(score.1),
                std::cmp::Reverse(score.2),
            ) > (b.0, std::cmp::Reverse(b.1), std::cmp::Reverse(b.2))
        });
        if better && coupling_within(input, &all_pairs_output(&picked)) == best_coupling {
            best = Some(score);
        }
        let mut position = 0;
        loop {
            if position == index.len() {
                return best.unwrap();
            }
            index[position] += 1;
            if index[position] < choices[position].len() {
                break;
            }
            index[position] = 0;
            position += 1;
        }
    }
}

fn subsets(list: &[(String, u32)], size: usize) -> Vec<Vec<(String, u32)>> {
    if size == 0 {
        return vec![Vec::new()];
    }
    if list.len() < size {
        return Vec::new();
    }
    let mut with_first: Vec<Vec<(String, u32)>> = subsets(&list[1..], size - 1)
        .into_iter()
        .map(|mut rest| {
            rest.insert(0, list[0].clone());
            rest
        })
        .collect();
    with_first.extend(subsets(&list[1..], size));
    with_first
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn proposals_keep_every_constraint_and_the_guarantee(
        trainees in 1usize..40, trainers in 1usize..40, k in 1u32..=4, seed in any::<u64>(),
    ) {
        let input = random_input(trainees, trainers, k, false, seed);
        let output = propose(&input).unwrap();
        check_constraints(&input, &output);
    }

    #[test]
    fn small_proposals_are_optimal(seed in any::<u64>()) {
        let input = random_input(3, 4, 2, false, seed);
        let output = propose(&input).unwrap();
        check_constraints(&input, &output);
        let best = brute_force(&input);
        prop_assert_eq!(
            (output.score.covered_trainers, output.score.preference_cost, output.score.continuity_cost),
            best
        );
    }
}

#[test]
fn a_realistic_round_covers_every_trainer_and_guarantees_a_complete_coupling() {
    let input = random_input(100, 110, 4, true, 42);
    let output = propose(&input).unwrap();
    check_constraints(&input, &output);
    assert!(output.guarantee.complete);
    assert_eq!(output.score.covered_trainers, 110);
}

#[test]
fn the_guarantee_forces_an_interview_preferences_alone_would_skip() {
    // Both trainees rank t1 first and t2 second; t1 takes one trainee. With one interview each,
    // preferences alone would send both to t1 and leave one uncouplable.
    let input: InterviewInput = koppel_matcher::from_json(
        br#"{"interviews_per_trainee": 1,
             "trainees": [{"id": "a1", "ranking": ["t1", "t2"]}, {"id": "a2", "ranking": ["t1", "t2"]}],
             "trainers": [{"id": "t1"}, {"id": "t2", "continuity_rank": 2}]}"#,
    )
    .unwrap();
    let output = propose(&input).unwrap();
    check_constraints(&input, &output);
    assert!(output.guarantee.complete);
    let trainers: HashSet<&str> = output
        .interviews
        .iter()
        .map(|i| i.trainers[0].as_str())
        .collect();
    assert_eq!(trainers.len(), 2);
}

#[test]
fn a_round_without_any_admissible_pair_proposes_nothing_and_says_why() {
    // The only trainee's only choice is vetoed: nothing to solve, which the backend would refuse
    // as an empty model. Found by the property test above.
    let input: InterviewInput = koppel_matcher::from_json(
        br#"{"trainees": [{"id": "a1", "ranking": ["t1"]}],
             "trainers": [{"id": "t1"}],
             "forbidden": [{"trainee": "a1", "trainer": "t1"}]}"#,
    )
    .unwrap();
    let output = propose(&input).unwrap();
    check_constraints(&input, &output);
    assert!(output.interviews.iter().all(|t| t.trainers.is_empty()));
    assert!(!output.guarantee.complete);
    assert_eq!(output.guarantee.coupled, 0);
    assert_eq!(output.guarantee.not_guaranteed.len(), 1);
    assert!(
        output.guarantee.not_guaranteed[0]
            .reason
            .starts_with("no admissible trainer")
    );
}

#[test]
fn an_impossible_guarantee_names_the_trainee_and_why() {
    let input: InterviewInput = koppel_matcher::from_json(
        br#"{"trainees": [{"id": "a1", "ranking": ["t1"]}, {"id": "a2", "ranking": ["t1"]}, {"id": "a3", "ranking": ["t1"]}],
             "trainers": [{"id": "t1"}],
             "forbidden": [{"trainee": "a3", "trainer": "t1"}]}"#,
    )
    .unwrap();
    let output = propose(&input).unwrap();
    assert!(!output.guarantee.complete);
    assert_eq!(output.guarantee.coupled, 1);
    let reasons: Vec<(&str, &str)> = output
        .guarantee
        .not_guaranteed
        .iter()
        .map(|n| (n.trainee.as_str(), n.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2);
    assert!(
        reasons
            .iter()
            .any(|(t, r)| *t == "a3" && r.starts_with("no admissible trainer"))
    );
    assert!(
        reasons
            .iter()
            .any(|(t, r)| *t == "a2" && r.contains("do not have places"))
    );
}

#[test]
fn by_default_a_popular_trainer_does_not_get_every_interview() {
    // Everyone ranks t0 first: without a cap t0 would interview all 40 trainees.
    let mut input = random_input(40, 20, 4, true, 9);
    for trainee in &mut input.trainees {
        trainee.ranking.retain(|t| t != "t0");
        trainee.ranking.insert(0, "t0".to_owned());
    }
    let output = propose(&input).unwrap();
    check_constraints(&input, &output);
    // Fair share 160 / 20 = 8, cap 12.
    assert_eq!(output.score.max_interviews_per_trainer, 12);
    let t0 = output.load.iter().find(|l| l.trainer == "t0").unwrap();
    assert_eq!(t0.interviews, 12);
}

#[test]
fn a_per_trainer_cap_is_respected() {
    let mut input = random_input(20, 12, 3, true, 5);
    input.max_interviews_per_trainer = Some(6);
    let output = propose(&input).unwrap();
    check_constraints(&input, &output);
}

/// Trainee `i` ranks `t_i` and `t_{i+1}`; one more trainee ranks only `t_0`. Coupling the last one
/// moves every other trainee one place on: the one augmenting path is as long as the input.
fn chain(length: usize) -> InterviewInput {
    let mut trainees: Vec<CouplingTrainee> = (0..length)
        .map(|i| CouplingTrainee {
            id: format!("a{i}"),
            ranking: vec![format!("t{i}"), format!("t{}", i + 1)],
        })
        .collect();
    trainees.push(CouplingTrainee {
        id: format!("a{length}"),
        ranking: vec!["t0".to_owned()],
    });
    InterviewInput {
        interviews_per_trainee: 4,
        max_interviews_per_trainer: None,
        trainees,
        trainers: (0..=length)
            .map(|j| InterviewTrainer {
                id: format!("t{j}"),
                capacity: 1,
                continuity_rank: 1,
            })
            .collect(),
        forbidden: Vec::new(),
    }
}

#[test]
fn a_maximum_coupling_along_a_chain_of_200000_trainees_needs_no_deep_recursion() {
    let n = 200_000;
    // Pairs in the order that makes a greedy start take t_i for a_i, so the last trainee's path
    // runs through the whole chain.
    let mut pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| [(i, i), (i, i + 1)]).collect();
    pairs.push((n, 0));
    let coupling = koppel_matcher::bipartite::max_coupling(n + 1, &vec![1; n + 1], &pairs);
    assert!(coupling.iter().all(Option::is_some));
    assert_eq!(coupling[n], Some(0));
    assert!((0..n).all(|i| coupling[i] == Some(i + 1)));
}

#[test]
fn the_proposal_for_a_chain_of_200000_trainees_is_computed_and_guaranteed() {
    let input = chain(200_000);
    let output = propose(&input).unwrap();
    assert!(output.guarantee.complete);
    assert_eq!(output.guarantee.coupled, 200_001);
    assert_eq!(output.interviews[200_000].trainers, vec!["t0"]);
    assert!(
        output.interviews[..200_000]
            .iter()
            .all(|i| i.trainers.len() == 2)
    );
}

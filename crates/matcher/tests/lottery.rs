//! The lottery follows its published rule exactly: known answers computed independently, equal
//! chances, and the report's figures.

use koppel_matcher::lottery::{Candidate, Location, LotteryInput, draw, sha256_hex};

fn candidate(id: &str, preferences: &[&str]) -> Candidate {
    Candidate {
        id: id.to_owned(),
        preferences: preferences.iter().map(|p| (*p).to_owned()).collect(),
        second_attempt: false,
    }
}

fn known_input() -> LotteryInput {
    LotteryInput {
        seed: "00112233445566778899aabbccddeeff".to_owned(),
        locations: vec![
            Location {
                id: "a".to_owned(),
                capacity: 1,
            },
            Location {
                id: "b".to_owned(),
                capacity: 2,
            },
        ],
        candidates: vec![
            candidate("c1", &["a", "b"]),
            candidate("c2", &["a"]),
            candidate("c3", &["b", "a"]),
            candidate("c4", &["a", "b"]),
            candidate("c5", &["b"]),
        ],
    }
}

#[test]
fn a_known_seed_gives_the_known_order_and_placements() {
    // Expected values computed with Python's hashlib, independently of this crate.
    let output = draw(&known_input()).unwrap();
    assert_eq!(
        output.seed_commitment,
        "5947d7c33d783f94b3b4c1a96ebc8991ed28f1b069b71e03376cba8caa98a720"
    );
    let order: Vec<&str> = output.order.iter().map(|o| o.candidate.as_str()).collect();
    assert_eq!(order, ["c3", "c5", "c4", "c2", "c1"]);
    let placed: Vec<(&str, &str, u32)> = output
        .placements
        .iter()
        .map(|p| (p.candidate.as_str(), p.location.as_str(), p.preference_rank))
        .collect();
    assert_eq!(placed, [("c3", "b", 1), ("c5", "b", 1), ("c4", "a", 1)]);
    // Most preferences first: c1 (2, number 5) before c2 (1, number 4).
    let unplaced: Vec<(&str, u32)> = output
        .unplaced
        .iter()
        .map(|u| (u.candidate.as_str(), u.lottery_number))
        .collect();
    assert_eq!(unplaced, [("c1", 5), ("c2", 4)]);
    assert!(output.offers.is_empty(), "no place is left to offer");
    let report = &output.report;
    assert_eq!(
        (report.candidates, report.placed, report.unplaced),
        (5, 3, 2)
    );
    assert_eq!((report.places_offered, report.places_unfilled), (3, 0));
    assert_eq!(report.placed_by_preference_rank[0].placed, 3);
}

#[test]
fn unfilled_places_are_offered_to_the_unplaced_in_order() {
    let mut input = known_input();
    input.locations.push(Location {
        id: "remote".to_owned(),
        capacity: 1,
    });
    input.candidates[0].second_attempt = true;
    let output = draw(&input).unwrap();
    assert_eq!(output.report.places_unfilled, 1);
    assert_eq!(output.report.second_attempts, 1);
    assert_eq!(output.offers.len(), 1);
    assert_eq!(output.offers[0].candidate, "c1");
    assert_eq!(output.offers[0].location, "remote");
    assert!(!output.offers[0].listed);
    let remote = output
        .report
        .locations
        .iter()
        .find(|l| l.location == "remote")
        .unwrap();
    assert_eq!((remote.capacity, remote.placed, remote.unfilled), (1, 0, 1));
}

#[test]
fn every_candidate_has_the_same_chance_of_number_one() {
    let candidates: Vec<Candidate> = (0..5)
        .map(|i| candidate(&format!("k{i}"), &["a"]))
        .collect();
    let draws = 10_000;
    let mut firsts = [0u32; 5];
    for round in 0..draws {
        let input = LotteryInput {
            seed: sha256_hex(&format!("monte-carlo-{round}")),
            locations: vec![Location {
                id: "a".to_owned(),
                capacity: 1,
            }],
            candidates: candidates.clone(),
        };
        let output = draw(&input).unwrap();
        let first = &output.order[0].candidate;
        firsts[first[1..].parse::<usize>().unwrap()] += 1;
    }
    // Expected 2000 each; sd = sqrt(10000 * 0.2 * 0.8) = 40; allow 5 sd.
    for count in firsts {
        assert!((1800..=2200).contains(&count), "{firsts:?}");
    }
}

#[test]
fn bad_input_names_the_field() {
    let mut input = known_input();
    input.seed = "abc".to_owned();
    assert_eq!(draw(&input).unwrap_err().field, "seed");
    let mut input = known_input();
    input.candidates[2].preferences.push("nowhere".to_owned());
    let error = draw(&input).unwrap_err();
    assert_eq!(error.field, "candidates[2].preferences[2]");
    let mut input = known_input();
    input.candidates[1].id = "c1".to_owned();
    assert_eq!(draw(&input).unwrap_err().field, "candidates[1].id");
    let mut input = known_input();
    input.locations[0].capacity = u32::MAX;
    assert_eq!(draw(&input).unwrap_err().field, "locations");
}

mod simulation {
    use koppel_matcher::lottery::{Candidate, Location, LotteryInput, draw};
    use koppel_matcher::simulation::{Plan, draw_seed, simulate};

    fn inputs() -> (Vec<Location>, Vec<Candidate>) {
        let locations = (0..3)
            .map(|l| Location {
                id: format!("loc{l}"),
                capacity: 2 + l,
            })
            .collect();
        // Ids up to 54 bytes are hashed from a precomputed last block, longer ones in full.
        let candidates = (0..14)
            .map(|c| Candidate {
                id: if c % 5 == 0 {
                    format!("c{c}-{}", "x".repeat(50 + c))
                } else {
                    format!("c{c}")
                },
                preferences: (0..1 + c % 3)
                    .map(|k| format!("loc{}", (c + k) % 3))
                    .collect(),
                second_attempt: false,
            })
            .collect();
        (locations, candidates)
    }

    fn plan(draws: u32, threads: usize) -> Plan {
        Plan {
            draws,
            seed: [7; 32],
            threads,
        }
    }

    #[test]
    fn one_simulated_draw_is_the_real_draw_with_its_seed() {
        let (locations, candidates) = inputs();
        let chances = simulate(&locations, &candidates, plan(1, 1), &|_| {}).unwrap();
        let seed = draw_seed(&[7; 32], 0);
        let real = draw(&LotteryInput {
            seed: String::from_utf8(seed.to_vec()).unwrap(),
            locations,
            candidates,
        })
        .unwrap();
        for chance in &chances {
            let placement = real.placements.iter().find(|p| p.candidate == chance.id);
            assert_eq!(chance.placed, f64::from(u8::from(placement.is_some())));
            assert_eq!(
                chance.first_preference,
                f64::from(u8::from(placement.is_some_and(|p| p.preference_rank == 1)))
            );
            assert_eq!(chance.placed_standard_error, 0.0);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_chances_on_any_number_of_threads() {
        let (locations, candidates) = inputs();
        let done = std::sync::atomic::AtomicU32::new(0);
        let one = simulate(&locations, &candidates, plan(2_000, 1), &|n| {
            done.fetch_max(n, std::sync::atomic::Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(done.into_inner(), 2_000, "progress reaches the end");
        let three = simulate(&locations, &candidates, plan(2_000, 3), &|_| {}).unwrap();
        assert_eq!(one, three);
        // 9 places for 14 candidates: each share and its standard error sqrt(p(1-p)/n).
        let places: f64 = one.iter().map(|c| c.placed).sum();
        assert!((places - 9.0).abs() < 1e-9, "{places}");
        for chance in &one {
            let p = chance.placed;
            assert!(
                (chance.placed_standard_error - (p * (1.0 - p) / 2_000.0).sqrt()).abs() < 1e-12
            );
            assert!(chance.first_preference <= chance.placed);
        }
        let other = simulate(
            &locations,
            &candidates,
            Plan {
                seed: [8; 32],
                ..plan(2_000, 2)
            },
            &|_| {},
        )
        .unwrap();
        assert_ne!(one, other, "another seed, other draws");
    }

    #[test]
    fn bad_inputs_are_refused_as_a_draw_refuses_them() {
        let (locations, mut candidates) = inputs();
        candidates[3].preferences.push("nowhere".to_owned());
        let error = simulate(&locations, &candidates, plan(10, 2), &|_| {}).unwrap_err();
        assert_eq!(error.field, "candidates[3].preferences[1]");
    }
}

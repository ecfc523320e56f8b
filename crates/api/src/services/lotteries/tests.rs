//! Unit tests of the lottery service's pure parts: mails, verification, inputs hash.

use std::collections::HashMap;

use koppel_api_types::Locale;
use koppel_matcher::lottery::{self, Candidate, Location, LotteryInput, sha256_hex};

use super::draw::*;
use super::mails::*;
use super::outcomes::Outcome;
use super::verification::*;
use super::*;
use crate::store::entities::lottery_candidate;

fn lottery() -> row::Model {
    row::Model {
        id: Uuid::nil(),
        name: "Loting maart".to_owned(),
        draw_on: chrono::NaiveDate::MIN,
        applicants: 2,
        selected: 2,
        response_days: 7,
        status: DRAWN.to_owned(),
        seed: Some("ab".repeat(32)),
        seed_commitment: Some("cd".repeat(32)),
        secret_nonce: None,
        secret: Some("ef".repeat(32)),
        public_value: Some("drand 1".to_owned()),
        inputs_hash: None,
        output: None,
        created_at: Utc::now(),
        committed_at: None,
        drawn_at: None,
        placement_start: None,
        handed_over_at: None,
    }
}

fn candidate() -> lottery_candidate::Model {
    lottery_candidate::Model {
        pseudonym: Some("P-0123456789abcdef".to_owned()),
        lottery_id: Uuid::nil(),
        candidate_id: "K-1".to_owned(),
        position: 0,
        name: "Lotte Smit".to_owned(),
        email: "l.smit@example.nl".to_owned(),
        preferences: "[\"utrecht\"]".to_owned(),
        second_attempt: false,
        suitable_on: chrono::NaiveDate::MIN,
        user_id: None,
        trainee_id: None,
    }
}

#[test]
fn outcome_mails_follow_the_candidates_language_and_name_the_place_and_commitment() {
    let names = HashMap::from([("utrecht", "Huisartsopleiding Utrecht")]);
    let placed = Outcome::Placed {
        number: 3,
        location: "utrecht".to_owned(),
        rank: 1,
    };
    let nl = outcome_mail(
        Locale::Nl,
        &lottery(),
        &candidate(),
        Some(&placed),
        None,
        &names,
        "https://x/",
    );
    assert_eq!(nl.subject, "Uitslag Loting maart");
    assert!(nl.body.contains(
        "Je lotnummer is 3. Je bent geplaatst bij Huisartsopleiding Utrecht (je voorkeur 1)."
    ));
    assert!(nl.body.contains(&"cd".repeat(32)));
    let en = outcome_mail(
        Locale::En,
        &lottery(),
        &candidate(),
        Some(&Outcome::Unplaced { number: 9 }),
        None,
        &names,
        "https://x/",
    );
    assert_eq!(en.subject, "Outcome of Loting maart");
    assert!(
        en.body
            .contains("Your lottery number is 9. Unfortunately you were not placed")
    );
    assert!(en.body.contains("once more within 24 months"));
}

#[test]
fn a_lottery_drawn_before_the_two_part_seed_still_verifies_by_its_own_rule() {
    let locations = vec![Location {
        id: "a".to_owned(),
        capacity: 1,
    }];
    let candidates: Vec<Candidate> = ["K-1", "K-2"]
        .into_iter()
        .map(|id| Candidate {
            id: id.to_owned(),
            preferences: vec!["a".to_owned()],
            second_attempt: false,
        })
        .collect();
    let seed = "ab".repeat(32);
    let outcome = lottery::draw(&LotteryInput {
        seed: seed.clone(),
        locations: locations.clone(),
        candidates: candidates.clone(),
    })
    .unwrap();
    let mut document = LotteryVerification {
        lottery_id: Uuid::nil(),
        name: "Loting 2025".to_owned(),
        status: DRAWN.to_owned(),
        committed_at: None,
        drawn_at: None,
        seed_commitment: sha256_hex(&seed),
        inputs_hash: inputs_hash(&locations, &candidates),
        secret: None,
        public_value: None,
        seed: Some(seed),
        inputs: VerificationInputs {
            locations,
            candidates,
        },
        outcome: Some(outcome),
    };
    assert!(verify(&document).is_empty(), "{:?}", verify(&document));
    document.seed = Some("cd".repeat(32));
    assert!(
        verify(&document).contains(&"the seed does not match the published commitment".to_owned())
    );
}

#[test]
fn the_inputs_hash_is_the_sha256_of_the_documented_lines() {
    let locations = vec![Location {
        id: "a".to_owned(),
        capacity: 2,
    }];
    let candidates = vec![Candidate {
        id: "K-1".to_owned(),
        preferences: vec!["a".to_owned(), "b".to_owned()],
        second_attempt: true,
    }];
    assert_eq!(
        inputs_hash(&locations, &candidates),
        sha256_hex("location:a:2\ncandidate:K-1:1:a,b\n")
    );
}

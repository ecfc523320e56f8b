//! The demo seed: idempotent, and every role can click through the demo round.

use koppel_api_types::RankableTrainerListResponse;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_demo_seed_is_idempotent_and_the_demo_round_is_usable() {
    let app = spawn_app().await;
    let first = koppel_api::seed::seed_demo(&app.db, &crate::helpers::totp_key())
        .await
        .unwrap();
    let second = koppel_api::seed::seed_demo(&app.db, &crate::helpers::totp_key())
        .await
        .unwrap();
    assert!(first.iter().all(|account| account.created));
    assert!(second.iter().all(|account| !account.created));

    let a_team = app
        .login("a-team@demo.koppel.test", koppel_api::seed::DEMO_PASSWORD)
        .await
        .access_token;
    let me: Value = app.get("/me", Some(&a_team)).await.json().await.unwrap();
    let institute = me["institute"]["id"].as_str().unwrap().to_owned();
    let rounds: Value = app
        .get(&format!("/institutes/{institute}/rounds"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rounds["items"].as_array().unwrap().len(), 1, "seeded once");
    let round = &rounds["items"][0];
    assert_eq!(round["phase"], "preferences");
    assert_eq!(
        (round["trainees"].as_u64(), round["trainers"].as_u64()),
        (Some(30), Some(35))
    );
    let id = round["id"].as_str().unwrap();
    let progress: Value = app
        .get(&format!("/rounds/{id}/progress"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    let preferences = progress["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "preferences")
        .unwrap()
        .clone();
    assert_eq!(preferences["done"].as_array().unwrap().len(), 18);

    let trainee = app
        .login("aios@demo.koppel.test", koppel_api::seed::DEMO_PASSWORD)
        .await
        .access_token;
    let rankable = app
        .get(&format!("/rounds/{id}/rankable-trainers"), Some(&trainee))
        .await;
    assert_eq!(rankable.status(), StatusCode::OK);
    let rankable: RankableTrainerListResponse = rankable.json().await.unwrap();
    assert!(
        rankable.items.len() >= 4,
        "the demo trainee has trainers to rank"
    );

    // The demo candidate has a drawn lottery, was not placed and holds an offer to answer.
    let candidate = app
        .login(
            "kandidaat@demo.koppel.test",
            koppel_api::seed::DEMO_PASSWORD,
        )
        .await
        .access_token;
    let mine: koppel_api_types::MyLotteryResponse = app
        .get("/me/lottery", Some(&candidate))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 1, "seeded once");
    let outcome = &mine.items[0];
    assert_eq!(outcome.status, "drawn");
    assert!(outcome.lottery_number.is_some() && outcome.placed_at.is_none());
    assert_eq!(
        outcome.offer.as_ref().map(|o| o.status.as_str()),
        Some("open")
    );
    // Its verification document recomputes.
    let document: koppel_api::services::lotteries::LotteryVerification = app
        .get(
            &format!("/lotteries/{}/verification", outcome.lottery_id),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(koppel_api::services::lotteries::verify(&document).is_empty());
}

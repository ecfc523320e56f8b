//! A person downloads their own data (`GET /me/export`), and nothing of how others ranked or
//! vetoed them.

use chrono::Utc;
use koppel_api::store;
use koppel_api_types::Role;
use koppel_domain::Phase;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn a_trainee_downloads_their_own_data_and_nothing_of_the_other_side() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let mut trainers = Vec::new();
    for n in 1..=5 {
        let (name, email) = (format!("Dr. Opleider {n}"), format!("opleider{n}@x.nl"));
        trainers.push(app.new_trainer(institute, &o_team, &name, &email).await);
    }
    let trainee = app
        .new_trainee(
            institute,
            &a_team,
            "Sanne Jansen",
            "sanne@x.nl",
            "2027-09-01",
        )
        .await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;
    app.add_round_trainee(round, &a_team, trainee).await;
    for trainer in &trainers {
        app.add_round_trainer(round, &o_team, *trainer).await;
    }
    assert!(
        store::rounds::set_phase(&app.db, round, Phase::Draft, Phase::Preferences, Utc::now())
            .await
            .unwrap()
    );
    let sanne = app.activate_from_mail("sanne@x.nl").await;
    // Sanne vetoes the fifth trainer and ranks the other four, in reverse.
    let veto = app
        .post(&format!("/rounds/{round}/vetoes"), Some(&sanne), &json!({"counterpart_id": trainers[4], "category": "personal_relationship", "relationship": "family", "note": "mijn oom"}))
        .await;
    assert_eq!(veto.status(), StatusCode::CREATED);
    let order: Vec<_> = trainers[..4].iter().rev().collect();
    let ranked = app
        .client
        .put(app.url(&format!("/rounds/{round}/preferences")))
        .bearer_auth(&sanne)
        .json(&json!({"trainer_ids": order}))
        .send()
        .await
        .unwrap();
    assert_eq!(ranked.status(), StatusCode::OK);
    // A trainer vetoes Sanne: that is not hers to read.
    let trainer_token = app.activate_from_mail("opleider1@x.nl").await;
    let theirs = app
        .post(&format!("/rounds/{round}/vetoes"), Some(&trainer_token), &json!({"counterpart_id": trainee, "category": "personal_relationship", "relationship": "other_personal_tie", "note": "geheime reden"}))
        .await;
    assert_eq!(theirs.status(), StatusCode::CREATED);

    let export = app.get("/me/export", Some(&sanne)).await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment"),
        "a download"
    );
    let export: Value = export.json().await.unwrap();
    assert_eq!(export["account"]["email"], "sanne@x.nl");
    assert_eq!(export["trainee"]["name"], "Sanne Jansen");
    assert_eq!(export["trainer"], Value::Null);
    let rounds = export["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 1);
    let names: Vec<&str> = rounds[0]["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Dr. Opleider 4",
            "Dr. Opleider 3",
            "Dr. Opleider 2",
            "Dr. Opleider 1"
        ]
    );
    let vetoes = rounds[0]["vetoes"].as_array().unwrap();
    assert_eq!(vetoes.len(), 1, "only her own veto: {vetoes:?}");
    assert_eq!(vetoes[0]["name"], "Dr. Opleider 5");
    assert_eq!(vetoes[0]["note"], "mijn oom");
    assert!(!export.to_string().contains("geheime reden"));

    // The trainer's own export has their veto, and nothing of Sanne's ranking.
    let theirs: Value = app
        .get("/me/export", Some(&trainer_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["trainer"]["name"], "Dr. Opleider 1");
    assert_eq!(theirs["rounds"][0]["vetoes"][0]["note"], "geheime reden");
    assert_eq!(theirs["rounds"][0]["preferences"], json!([]));
    assert!(!theirs.to_string().contains("mijn oom"));

    // Who may not: nobody without a sign-in, no API key.
    assert_problem(
        app.get("/me/export", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let key: Value = app
        .post(
            &format!("/institutes/{institute}/api-keys"),
            Some(&a_team),
            &json!({"name": "Koppeling", "scopes": ["people:read"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let key = key["key"].as_str().unwrap();
    assert_problem(
        app.get("/me/export", Some(key)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

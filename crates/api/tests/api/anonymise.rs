//! Coordinators anonymise someone who has left: history stays for the rules, without name or
//! contact details; the account can no longer sign in.

use chrono::Utc;
use koppel_api::store;
use koppel_api_types::Role;
use koppel_domain::Phase;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_problem, id_of, spawn_app};

#[tokio::test]
async fn a_trainee_who_left_is_anonymised_and_their_history_stays() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    let trainer = app
        .new_trainer(institute, &o_team, "Dr. Visser", "visser@x.nl")
        .await;
    let trainee = id_of(
        app.post(
            &format!("/institutes/{institute}/trainees"),
            Some(&a_team),
            &json!({"name": "Sanne Jansen", "email": "sanne@x.nl", "training_start": "2027-09-01",
                "history": [{"trainer_id": trainer, "training_year": 1, "starts_on": "2025-09-01", "ends_on": "2026-08-31"}]}),
        )
        .await,
    )
    .await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;
    app.add_round_trainee(round, &a_team, trainee).await;
    let sanne = app.activate_from_mail("sanne@x.nl").await;
    let profile = app
        .client
        .put(app.url("/me/trainee-profile"))
        .bearer_auth(&sanne)
        .json(&json!({"introduction": "Ik ben Sanne.", "experience": "Twee jaar ANIOS.", "learning_wishes": "Palliatieve zorg."}))
        .send()
        .await
        .unwrap();
    assert!(profile.status().is_success(), "{}", profile.status());

    let path = format!("/institutes/{institute}/trainees/{trainee}/anonymise");
    // Who may: not without a token, not the O-team, not another institute.
    assert_problem(
        app.post(&path, None, &json!({})).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post(&path, Some(&o_team), &json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(&path, Some(&foreign), &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Not while she takes part in a round that is not over.
    let problem = assert_problem(
        app.post(&path, Some(&a_team), &json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(problem.detail.contains("takes part"), "{}", problem.detail);
    assert!(
        store::rounds::set_phase(&app.db, round, Phase::Draft, Phase::Cancelled, Utc::now())
            .await
            .unwrap()
    );

    let done = app.post(&path, Some(&a_team), &json!({})).await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let row: Value = app
        .get(
            &format!("/institutes/{institute}/trainees/{trainee}"),
            Some(&a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        row["name"]
            .as_str()
            .unwrap()
            .starts_with("Geanonimiseerde aios"),
        "{row}"
    );
    assert!(
        row["email"].as_str().unwrap().ends_with("@koppel.invalid"),
        "{row}"
    );
    assert_eq!(
        row["history"].as_array().unwrap().len(),
        1,
        "the history stays for the rules"
    );
    let text = row.to_string();
    assert!(
        !text.contains("Sanne") && !text.contains("sanne@x.nl"),
        "{text}"
    );
    // Her profile is gone, and her account can no longer sign in, nor is its sign-in alive.
    let profile = app
        .get(
            &format!("/institutes/{institute}/trainees/{trainee}/profile"),
            Some(&a_team),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!profile.contains("Ik ben Sanne"), "{profile}");
    assert_eq!(
        app.get("/me", Some(&sanne)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "sanne@x.nl", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
    // Doing it again changes nothing.
    assert_eq!(
        app.post(&path, Some(&a_team), &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );

    // The O-team anonymises a trainer the same way.
    let trainer_path = format!("/institutes/{institute}/trainers/{trainer}/anonymise");
    assert_problem(
        app.post(&trainer_path, Some(&a_team), &json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.post(&trainer_path, Some(&o_team), &json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let row: Value = app
        .get(
            &format!("/institutes/{institute}/trainers/{trainer}"),
            Some(&o_team),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        row["name"]
            .as_str()
            .unwrap()
            .starts_with("Geanonimiseerde opleider"),
        "{row}"
    );
}

//! Trainer availability before a round: the O-team asks, trainers answer in the SPA (the mail
//! links there; trainers without an account are invited), the candidate list shows the answers
//! and who has not answered, and a reminder goes to the latter.

use koppel_api_types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app};

async fn ask(app: &TestApp, round: Uuid, token: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/rounds/{round}/availability-requests"),
        Some(token),
        &body,
    )
    .await
}

async fn answer(app: &TestApp, round: Uuid, token: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/rounds/{round}/availability/mine")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The candidate list's availability of the trainer called `name`.
async fn availability_of(app: &TestApp, round: Uuid, token: &str, name: &str) -> Value {
    let list: Value = app
        .get(&format!("/rounds/{round}/candidate-trainers"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["name"] == name)
        .unwrap_or_else(|| panic!("{name} is no candidate: {list}"))
        .clone()
}

#[tokio::test]
async fn the_o_team_asks_trainers_who_answer_and_the_list_shows_who_has_not() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let visser = app
        .new_trainer(institute, &o_team, "Dr. Visser", "visser@x.nl")
        .await;
    app.new_trainer(institute, &o_team, "Dr. de Boer", "deboer@x.nl")
        .await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;

    // Asking is the O-team's.
    assert_problem(
        ask(&app, round, &a_team, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let asked = ask(&app, round, &o_team, json!({})).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    assert_eq!(asked.json::<Value>().await.unwrap(), json!({"sent": 2}));
    // Each is asked once; neither had an account, so both are invited too.
    let again: Value = ask(&app, round, &o_team, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, json!({"sent": 0}));
    let request = app
        .mail_to("visser@x.nl", "Kun je een aios opleiden?")
        .await;
    assert!(
        request
            .subject
            .contains("Beschikbaar als opleider in de koppelingsronde september 2027")
            || request.subject.starts_with("=?utf-8?"),
        "{}",
        request.subject
    );
    assert!(request.body.contains("/availability"), "{}", request.body);
    assert!(request.body.contains("activeer eerst je account"));
    let unanswered = availability_of(&app, round, &o_team, "Dr. Visser").await;
    assert!(unanswered["availability"]["requested_at"].is_string());
    assert_eq!(unanswered["availability"]["answered_at"], Value::Null);

    // Visser activates and answers; wrong answers name the field.
    let token = app.activate_from_mail("visser@x.nl").await;
    let mine: Value = app
        .get("/me/availability-requests", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["items"][0]["round_id"], round.to_string());
    assert_eq!(mine["items"][0]["open"], true);
    let offered = mine["items"][0]["offered_years"].clone();
    assert!(!offered.as_array().unwrap().is_empty());
    let first_year = offered[0].as_u64().unwrap();
    for (body, field) in [
        (
            json!({"available": true, "training_years": [first_year], "capacity": 3}),
            "capacity",
        ),
        (
            json!({"available": true, "training_years": []}),
            "training_years",
        ),
        (
            json!({"available": true, "training_years": [2]}),
            "training_years",
        ),
        (
            json!({"available": false, "note": "x".repeat(1001)}),
            "note",
        ),
    ] {
        let problem = assert_problem(
            answer(&app, round, &token, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].field, field);
    }
    let answered = answer(
        &app,
        round,
        &token,
        json!({"available": true, "training_years": [first_year], "capacity": 2, "note": "Duopraktijk."}),
    )
    .await;
    assert_eq!(answered.status(), StatusCode::OK);
    let shown = availability_of(&app, round, &o_team, "Dr. Visser").await;
    assert_eq!(shown["availability"]["available"], true);
    assert_eq!(shown["availability"]["training_years"], json!([first_year]));
    assert_eq!(shown["availability"]["capacity"], 2);
    assert_eq!(shown["availability"]["note"], "Duopraktijk.");
    assert!(shown["availability"]["answered_at"].is_string());

    // The reminder goes to de Boer alone.
    let reminded: Value = ask(&app, round, &o_team, json!({"remind": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reminded, json!({"sent": 1}));
    let reminders: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|mail| mail.subject.starts_with("Herinnering: Beschikbaar"))
        .map(|mail| mail.recipient)
        .collect();
    assert_eq!(reminders, ["deboer@x.nl"]);
    let boer = availability_of(&app, round, &o_team, "Dr. de Boer").await;
    assert!(boer["availability"]["reminded_at"].is_string());
    assert_eq!(boer["availability"]["answered_at"], Value::Null);

    // Added without a capacity, Visser takes the two trainees offered.
    let added = app
        .post(
            &format!("/rounds/{round}/trainers"),
            Some(&o_team),
            &json!({"trainer_id": visser}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        availability_of(&app, round, &o_team, "Dr. Visser").await["capacity"],
        2
    );

    // Once step 1 is over, availability is neither asked nor answered.
    let trainee = app
        .new_trainee(institute, &a_team, "Sanne", "sanne@x.nl", "2027-09-01")
        .await;
    app.add_round_trainee(round, &a_team, trainee).await;
    for to in ["profiles", "preferences"] {
        let moved = app
            .post(
                &format!("/rounds/{round}/transitions"),
                Some(&a_team),
                &json!({"to": to}),
            )
            .await;
        assert_eq!(moved.status(), StatusCode::OK, "{to}");
    }
    assert_problem(
        answer(&app, round, &token, json!({"available": false})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_problem(
        ask(&app, round, &o_team, json!({"remind": true})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn only_trainers_who_were_asked_answer_and_only_for_their_institute() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;
    let trainee = app.user_token(Role::Trainee, Some(institute)).await;
    assert_problem(
        app.get("/me/availability-requests", Some(&trainee)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        answer(&app, round, &trainee, json!({"available": false})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // A trainer of another institute, asked there, finds nothing here.
    let elsewhere = app.create_institute("Huisartsopleiding Zuid").await;
    let o_team = app.user_token(Role::TrainerTeam, Some(elsewhere)).await;
    let z_team = app.user_token(Role::TraineeTeam, Some(elsewhere)).await;
    app.new_trainer(elsewhere, &o_team, "Dr. Zuid", "zuid@x.nl")
        .await;
    let their_round = app.new_round(elsewhere, &z_team, "september", 2027).await;
    assert_problem(
        ask(&app, round, &o_team, json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let sent: Value = ask(&app, their_round, &o_team, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent, json!({"sent": 1}));
    let zuid = app.activate_from_mail("zuid@x.nl").await;
    assert_problem(
        answer(&app, round, &zuid, json!({"available": false})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        answer(&app, their_round, &zuid, json!({"available": false}))
            .await
            .status(),
        StatusCode::OK
    );
    // Without a request for the round, a trainer cannot answer either.
    let unasked = app.user_token(Role::Trainer, Some(institute)).await;
    assert_problem(
        answer(&app, round, &unasked, json!({"available": false})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

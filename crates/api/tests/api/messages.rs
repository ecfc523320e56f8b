//! Coordinators write to their own side of a round, each person in their own language.

use koppel_api_types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app};

async fn send(app: &TestApp, round: Uuid, token: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("/rounds/{round}/messages"), Some(token), body)
        .await
}

fn message() -> Value {
    json!({
        "subject": "Gesprekken plannen",
        "body": "Plan je gesprekken vóór 15 januari.",
        "subject_en": "Plan your interviews",
        "body_en": "Please plan your interviews before 15 January.",
    })
}

#[tokio::test]
async fn each_team_writes_to_its_own_side_in_each_persons_language() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let mut trainees = Vec::new();
    for (name, email) in [("Sanne", "sanne@x.nl"), ("Sam", "sam@x.nl")] {
        trainees.push(
            app.new_trainee(institute, &a_team, name, email, "2027-09-01")
                .await,
        );
    }
    let trainer = app
        .new_trainer(institute, &o_team, "Dr. Visser", "visser@x.nl")
        .await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;
    for trainee in &trainees {
        app.add_round_trainee(round, &a_team, *trainee).await;
    }
    app.add_round_trainer(round, &o_team, trainer).await;
    // Sam reads Koppel in English.
    let sam = app.activate_from_mail("sam@x.nl").await;
    let english = app
        .client
        .patch(app.url("/me"))
        .bearer_auth(&sam)
        .json(&json!({"locale": "en"}))
        .send()
        .await
        .unwrap();
    assert_eq!(english.status(), StatusCode::OK);

    // The A-team writes to the trainees.
    let sent = send(&app, round, &a_team, &message()).await;
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    let sent: Value = sent.json().await.unwrap();
    assert_eq!(sent, json!({"audience": "trainees", "sent": 2}));
    let dutch = app.mail_to("sanne@x.nl", "vóór 15 januari").await;
    assert_eq!(dutch.subject, "Gesprekken plannen");
    assert!(dutch.body.contains("Het A-team"), "{}", dutch.body);
    assert!(
        dutch.body.contains("koppelingsronde september 2027"),
        "{}",
        dutch.body
    );
    let english = app.mail_to("sam@x.nl", "before 15 January").await;
    assert_eq!(english.subject, "Plan your interviews");
    assert!(
        english.body.contains("coupling round September 2027"),
        "{}",
        english.body
    );

    // The O-team writes to the trainers; only the Dutch text: everyone reads that.
    let sent: Value = send(
        &app,
        round,
        &o_team,
        &json!({"subject": "Beschikbaarheid", "body": "Geef je beschikbaarheid door."}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(sent, json!({"audience": "trainers", "sent": 1}));
    let to_trainer = app.mail_to("visser@x.nl", "beschikbaarheid door").await;
    assert!(
        to_trainer.body.contains("Het O-team"),
        "{}",
        to_trainer.body
    );
    let outbox = app.outbox().await;
    let messages: Vec<&str> = outbox
        .iter()
        .filter(|mail| mail.kind == "round_message")
        .map(|mail| mail.recipient.as_str())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages.iter().filter(|r| **r == "visser@x.nl").count(), 1);
}

#[tokio::test]
async fn who_may_write_to_whom_and_what_a_message_needs() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let trainee = app.user_token(Role::Trainee, Some(institute)).await;
    let trainer = app.user_token(Role::Trainer, Some(institute)).await;
    let foreign = app.user_token(Role::TrainerTeam, Some(other)).await;
    let admin = app.admin_token().await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;
    let body = message();
    assert_problem(
        app.post(&format!("/rounds/{round}/messages"), None, &body)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    for token in [&trainee, &trainer] {
        assert_problem(
            send(&app, round, token, &body).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        send(&app, round, &foreign, &body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A team writes only to its own side.
    let mut to_trainers = body.clone();
    to_trainers["audience"] = json!("trainers");
    assert_problem(
        send(&app, round, &a_team, &to_trainers).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // An administrator names the side.
    let problem = assert_problem(
        send(&app, round, &admin, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "audience");
    let sent = send(&app, round, &admin, &to_trainers).await;
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    // Texts: not empty, not too long, English both or neither.
    for (change, field) in [
        (json!({"subject": "  "}), "subject"),
        (json!({"body": "x".repeat(10_001)}), "body"),
        (json!({"body_en": null}), "body_en"),
        (json!({"subject_en": null}), "subject_en"),
    ] {
        let mut wrong = body.clone();
        for (key, value) in change.as_object().unwrap() {
            if value.is_null() {
                wrong.as_object_mut().unwrap().remove(key);
            } else {
                wrong[key] = value.clone();
            }
        }
        let problem = assert_problem(
            send(&app, round, &a_team, &wrong).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].field, field, "{change}");
    }
}

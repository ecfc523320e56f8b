//! API keys: shown once, stored hashed, scoped to their institute as role `integration`,
//! revocable, with last-used time; integrations cannot manage keys or users.

use koppel_api_types::{ApiKeyCreatedResponse, ApiKeyListResponse, Role};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn a_key_works_as_an_integration_of_its_institute_until_revoked() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let keys = format!("/institutes/{institute}/api-keys");

    let created = app
        .post(&keys, Some(&a_team), &json!({"name": "Roostersysteem"}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: ApiKeyCreatedResponse = created.json().await.unwrap();
    assert!(created.key.starts_with("kpl_"));
    assert!(created.key.starts_with(&created.prefix));

    // The key acts as an integration of its institute.
    let me: Value = app
        .get("/me", Some(&created.key))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "integration");
    assert_eq!(me["institute"]["id"], institute.to_string());
    let trainee = json!({"name": "Sanne", "email": "sanne@x.nl", "training_start": "2025-09-01"});
    assert_eq!(
        app.post(
            &format!("/institutes/{institute}/trainees"),
            Some(&created.key),
            &trainee
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_problem(
        app.get(&format!("/institutes/{other}/trainees"), Some(&created.key))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // ... but manages neither keys nor users.
    assert_problem(
        app.post(&keys, Some(&created.key), &json!({"name": "Nog een"}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let invite = json!({"email": "x@y.nl", "display_name": "X", "role": "trainee"});
    assert_problem(
        app.post(
            &format!("/institutes/{institute}/users"),
            Some(&created.key),
            &invite,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // The list never shows the secret, and shows the last use.
    let listed: Value = app.get(&keys, Some(&a_team)).await.json().await.unwrap();
    assert!(!listed.to_string().contains(&created.key));
    let list: ApiKeyListResponse = serde_json::from_value(listed).unwrap();
    assert_eq!(list.items.len(), 1);
    assert!(list.items[0].last_used_at.is_some());

    let revoked = app
        .client
        .delete(app.url(&format!("{keys}/{}", created.id)))
        .bearer_auth(&a_team)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get("/me", Some(&created.key)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let again = app
        .client
        .delete(app.url(&format!("{keys}/{}", created.id)))
        .bearer_auth(&a_team)
        .send()
        .await
        .unwrap();
    assert_problem(again, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(
        app.get("/me", Some("kpl_made-up")).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn who_may_manage_keys() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let keys = format!("/institutes/{institute}/api-keys");
    let body = json!({"name": "Koppeling"});
    for (role, expected) in [
        (Role::TraineeTeam, StatusCode::CREATED),
        (Role::TrainerTeam, StatusCode::CREATED),
        (Role::Trainee, StatusCode::FORBIDDEN),
        (Role::Trainer, StatusCode::FORBIDDEN),
    ] {
        let token = app.user_token(role, Some(institute)).await;
        assert_eq!(
            app.post(&keys, Some(&token), &body).await.status(),
            expected,
            "{role:?}"
        );
    }
    let admin = app.admin_token().await;
    assert_eq!(
        app.post(&keys, Some(&admin), &body).await.status(),
        StatusCode::CREATED
    );
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    assert_problem(
        app.post(&keys, Some(&foreign), &body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&keys, Some(&foreign)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&keys, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let empty = app.post(&keys, Some(&a_team), &json!({"name": " "})).await;
    let problem =
        assert_problem(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "name");
}

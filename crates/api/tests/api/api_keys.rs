//! API keys: shown once, stored hashed, scoped to their institute with their creator's role,
//! limited to their scopes, with an end and a last-used time; revocable; they stop with their
//! creator; keys cannot manage keys or users.

use chrono::{Duration, Utc};
use koppel_api::auth::scopes::{self, Need};
use koppel_api::store::entities::api_key;
use koppel_api_types::{ApiKeyCreatedResponse, ApiKeyListResponse, ApiKeyScope, Role};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app};

#[tokio::test]
async fn a_key_works_as_an_integration_of_its_institute_until_revoked() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let keys = format!("/institutes/{institute}/api-keys");

    let created = app
        .post(
            &keys,
            Some(&a_team),
            &json!({"name": "Roostersysteem", "scopes": ["people:read", "people:write"]}),
        )
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

async fn make_key(
    app: &TestApp,
    institute: Uuid,
    token: &str,
    body: Value,
) -> ApiKeyCreatedResponse {
    let response = app
        .post(
            &format!("/institutes/{institute}/api-keys"),
            Some(token),
            &body,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_key_lives_a_year_by_default_two_at_most_and_not_past_its_end() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let key = make_key(&app, institute, &a_team, json!({"name": "Standaard"})).await;
    let days = (key.expires_at - Utc::now()).num_days();
    assert!((364..=365).contains(&days), "{days} days");
    assert_eq!(
        key.scopes,
        [ApiKeyScope::PeopleRead, ApiKeyScope::RoundsRead]
    );

    let keys = format!("/institutes/{institute}/api-keys");
    let too_far = (Utc::now() + Duration::days(740)).date_naive();
    let past = (Utc::now() - Duration::days(1)).date_naive();
    for body in [
        json!({"name": "Te lang", "expires_on": too_far}),
        json!({"name": "Verlopen", "expires_on": past}),
    ] {
        let problem = assert_problem(
            app.post(&keys, Some(&a_team), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].field, "expires_on");
    }
    let problem = assert_problem(
        app.post(
            &keys,
            Some(&a_team),
            &json!({"name": "Niets", "scopes": []}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "scopes");

    // Past its end (moved in the database), the key no longer works.
    assert_eq!(
        app.get("/me", Some(&key.key)).await.status(),
        StatusCode::OK
    );
    api_key::Entity::update_many()
        .col_expr(
            api_key::Column::ExpiresAt,
            Expr::value(Some(Utc::now() - Duration::seconds(1))),
        )
        .filter(api_key::Column::Id.eq(key.id))
        .exec(&app.db)
        .await
        .unwrap();
    let problem = assert_problem(
        app.get("/me", Some(&key.key)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert!(problem.detail.contains("expired"), "{}", problem.detail);
}

#[tokio::test]
async fn a_key_does_only_what_its_creator_may_and_stops_with_them() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let o_team_id = app
        .create_user("o-team@noord.nl", Role::TrainerTeam, Some(institute))
        .await;
    let o_team = app.login("o-team@noord.nl", PASSWORD).await.access_token;
    let key = make_key(
        &app,
        institute,
        &o_team,
        json!({"name": "Opleidersregister", "scopes": ["people:read", "people:write"]}),
    )
    .await;
    // The O-team changes trainers, not trainees: so does its key.
    let trainer = json!({"name": "Dr. Visser", "email": "visser@x.nl", "eligible_year1": true, "eligible_year3": true, "large_scale_structure": false});
    let trainee = json!({"name": "Sanne", "email": "sanne@x.nl", "training_start": "2025-09-01"});
    assert_eq!(
        app.post(
            &format!("/institutes/{institute}/trainers"),
            Some(&key.key),
            &trainer
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_problem(
        app.post(
            &format!("/institutes/{institute}/trainees"),
            Some(&key.key),
            &trainee,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Its creator is deactivated: the key stops at once.
    let admin = app.admin_token().await;
    let deactivated = app
        .client
        .patch(app.url(&format!("/institutes/{institute}/users/{o_team_id}")))
        .bearer_auth(&admin)
        .json(&json!({"status": "deactivated"}))
        .send()
        .await
        .unwrap();
    assert_eq!(deactivated.status(), StatusCode::OK);
    let problem = assert_problem(
        app.get(&format!("/institutes/{institute}/trainers"), Some(&key.key))
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert!(
        problem.detail.contains("no longer active"),
        "{}",
        problem.detail
    );
}

/// A concrete path for a template: the key's institute, made-up ids elsewhere.
fn concrete(template: &str, institute: Uuid) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "{institute_id}" => institute.to_string(),
            s if s.starts_with('{') => Uuid::new_v4().to_string(),
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_operation_with_a_key_of_each_scope() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let document: Value = app
        .client
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for scope in ApiKeyScope::ALL {
        let key = make_key(
            &app,
            institute,
            &a_team,
            json!({"name": format!("Sleutel {}", scope.as_str()), "scopes": [scope]}),
        )
        .await;
        for (template, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                if !["get", "put", "post", "delete", "patch"].contains(&method.as_str())
                    || operation.get("security").is_none()
                {
                    continue; // public: a key changes nothing
                }
                let tag = operation["tags"][0].as_str().unwrap();
                let need = scopes::need(method, template, tag);
                let path = concrete(template, institute);
                let response = app
                    .client
                    .request(
                        method.to_uppercase().parse().unwrap(),
                        format!("{}{path}", app.address),
                    )
                    .bearer_auth(&key.key)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                let body: Value = response.json().await.unwrap_or(Value::Null);
                let detail = body["detail"].as_str().unwrap_or_default();
                let refused_by_key = status == StatusCode::FORBIDDEN
                    && (detail.contains("scope") || detail.contains("API keys may not"));
                let allowed = match need {
                    Need::Scope(needed) => needed == scope,
                    Need::AnyKey => true,
                    Need::NoKey => false,
                };
                assert_ne!(status, StatusCode::UNAUTHORIZED, "{method} {template}");
                assert_eq!(
                    refused_by_key,
                    !allowed,
                    "{} {template} with '{}': {status} {detail}",
                    method.to_uppercase(),
                    scope.as_str()
                );
                if !allowed {
                    assert_eq!(body["code"], "forbidden", "{method} {template}");
                }
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 6 * 90,
        "{checked} calls: every secured operation, with each scope"
    );
}

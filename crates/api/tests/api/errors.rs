//! Every kind of bad request gets an `application/problem+json` answer naming what is wrong.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    let response = app
        .post_raw(
            "/auth/login",
            None,
            "application/json",
            r#"{"email": "a@b.nl", "#,
        )
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST, "malformed_json").await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    let app = spawn_app().await;
    let response = app
        .post_raw("/auth/login", None, "text/plain", "email=a@b.nl")
        .await;
    assert_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn an_oversized_body_is_a_413_problem() {
    let app = spawn_app().await;
    let huge = json!({"email": "a@b.nl", "password": "x".repeat(2 * 1024 * 1024)});
    let response = app.post("/auth/login", None, &huge).await;
    assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn a_missing_field_is_named_in_a_422_problem() {
    let app = spawn_app().await;
    let response = app
        .post("/auth/login", None, &json!({"email": "a@b.nl"}))
        .await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors.len(), 1);
    assert_eq!(problem.errors[0].field, "password");
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named_in_a_422_problem() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let institute = app.create_institute("Huisartsopleiding Oost").await;
    let response = app
        .post(
            &format!("/institutes/{institute}/users"),
            Some(&token),
            &json!({"email": "x@y.nl", "display_name": "X", "role": "chief"}),
        )
        .await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "role");
    assert!(
        problem.errors[0]
            .message
            .contains("unknown variant `chief`")
    );
}

#[tokio::test]
async fn unknown_routes_and_malformed_ids_are_404_problems() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    assert_problem(
        app.get("/nothing/here", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get("/institutes/not-a-uuid", Some(&token)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_is_a_problem() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/health")).send().await.unwrap();
    assert!(response.status().is_client_error());
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

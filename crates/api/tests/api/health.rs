use reqwest::StatusCode;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn health_reports_that_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/health", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn health_is_unavailable_when_the_database_is_closed() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();
    let response = app.get("/health", None).await;
    assert_problem(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let first = app.get("/health", None).await;
    let second = app.get("/no-such-thing", None).await;
    let id = |response: &reqwest::Response| {
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(id(&first).len(), 36);
    assert_ne!(id(&first), id(&second));
}

#[tokio::test]
async fn the_spa_fallback_serves_a_page_for_deep_links_but_not_for_the_api() {
    let app = spawn_app().await;
    let page = app
        .client
        .get(format!("{}/rounds/42", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );

    let api = app
        .client
        .get(format!("{}/api/unknown", app.address))
        .send()
        .await
        .unwrap();
    assert_problem(api, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_docs_ui_and_the_openapi_document_are_served() {
    let app = spawn_app().await;
    let redirect = app
        .client
        .get(format!("{}/api/docs", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    let ui = app
        .client
        .get(format!("{}/api/docs/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status(), StatusCode::OK);
    assert!(ui.text().await.unwrap().contains("swagger-ui"));
    let document: serde_json::Value = app
        .client
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        document,
        serde_json::to_value(koppel_api::openapi::document()).unwrap()
    );
}

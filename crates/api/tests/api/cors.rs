//! An SPA hosted on another origin may call the API only when that origin is configured.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with};

const SPA_ORIGIN: &str = "https://app.koppel.test";

async fn preflight(app: &crate::helpers::TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url("/me"))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_configured_origin_passes_the_preflight_and_others_do_not() {
    let app = spawn_app_with(|settings| settings.cors_origins = vec![SPA_ORIGIN.to_owned()]).await;

    let allowed = preflight(&app, SPA_ORIGIN).await;
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(allowed.headers()["access-control-allow-origin"], SPA_ORIGIN);

    let other = preflight(&app, "https://evil.example").await;
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let health = app
        .client
        .get(app.url("/health"))
        .header("origin", SPA_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(health.headers()["access-control-allow-origin"], SPA_ORIGIN);
}

#[tokio::test]
async fn without_configured_origins_cross_origin_reads_get_no_cors_headers() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/health"))
        .header("origin", SPA_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

//! Sign-ins end for real: logout and a password change end access tokens at once, every sign-in
//! has an absolute end, and failed sign-ins are throttled.

use chrono::{Duration, Utc};
use koppel_api::store::entities::session;
use koppel_api_types::{Role, TokenResponse};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};

const NEW_PASSWORD: &str = "een heel nieuw wachtwoord";

async fn me_status(app: &TestApp, tokens: &TokenResponse) -> StatusCode {
    app.get("/me", Some(&tokens.access_token)).await.status()
}

async fn refresh_status(app: &TestApp, tokens: &TokenResponse) -> StatusCode {
    app.post(
        "/auth/refresh",
        None,
        &json!({"refresh_token": tokens.refresh_token}),
    )
    .await
    .status()
}

#[tokio::test]
async fn logout_ends_the_access_token_at_once_and_leaves_other_sign_ins() {
    let app = spawn_app().await;
    let phone = app.login(ADMIN_EMAIL, PASSWORD).await;
    let laptop = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(me_status(&app, &phone).await, StatusCode::OK);

    let logout = app
        .post(
            "/auth/logout",
            None,
            &json!({"refresh_token": phone.refresh_token}),
        )
        .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);

    // Well within its 15 minutes, the access token no longer works.
    assert_problem(
        app.get("/me", Some(&phone.access_token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_eq!(me_status(&app, &laptop).await, StatusCode::OK);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sign_ins_and_keeps_this_one() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Oost").await;
    let email = "coordinator@oost.nl";
    app.create_user(email, Role::TraineeTeam, Some(institute))
        .await;
    let here = app.login(email, PASSWORD).await;
    let elsewhere = app.login(email, PASSWORD).await;

    // The current password is checked, and the new one must meet the policy.
    let wrong = app
        .post(
            "/me/password",
            Some(&here.access_token),
            &json!({"current_password": "niet het wachtwoord", "new_password": NEW_PASSWORD}),
        )
        .await;
    let problem =
        assert_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "current_password");
    let short = app
        .post(
            "/me/password",
            Some(&here.access_token),
            &json!({"current_password": PASSWORD, "new_password": "kort"}),
        )
        .await;
    let problem =
        assert_problem(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "new_password");
    assert_eq!(me_status(&app, &elsewhere).await, StatusCode::OK);

    let changed = app
        .post(
            "/me/password",
            Some(&here.access_token),
            &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);

    assert_eq!(me_status(&app, &here).await, StatusCode::OK);
    assert_eq!(refresh_status(&app, &here).await, StatusCode::OK);
    assert_eq!(me_status(&app, &elsewhere).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh_status(&app, &elsewhere).await,
        StatusCode::UNAUTHORIZED
    );
    // The old password is gone, the new one signs in.
    let old = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.login(email, NEW_PASSWORD).await;
}

#[tokio::test]
async fn an_api_key_has_no_password_to_change() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Oost").await;
    let coordinator = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let key = app
        .post(
            &format!("/institutes/{institute}/api-keys"),
            Some(&coordinator),
            &json!({"name": "Roostersysteem"}),
        )
        .await;
    assert_eq!(key.status(), StatusCode::CREATED);
    let key: serde_json::Value = key.json().await.unwrap();
    let key = key["key"].as_str().unwrap();
    assert_problem(
        app.post(
            "/me/password",
            Some(key),
            &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            "/me/password",
            None,
            &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_sign_in_ends_at_its_absolute_end_however_often_it_is_refreshed() {
    let app = spawn_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(tokens.refresh_expires_in, Duration::days(30).num_seconds());
    let refreshed: TokenResponse = app
        .post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": tokens.refresh_token}),
        )
        .await
        .json()
        .await
        .unwrap();
    // A refresh does not extend the sign-in: its refresh token ends with the sign-in.
    assert!(refreshed.refresh_expires_in <= tokens.refresh_expires_in);

    // Thirty days later (moved in the database, not waited for): the sign-in is over.
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .filter(session::Column::EndedAt.is_null())
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(me_status(&app, &refreshed).await, StatusCode::UNAUTHORIZED);
    assert_problem(
        app.post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": refreshed.refresh_token}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

async fn try_login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post(
        "/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
    .await
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_address_with_429_and_retry_after() {
    let app = spawn_app().await;
    for attempt in 1..=5 {
        assert_eq!(
            try_login(&app, ADMIN_EMAIL, "verkeerd wachtwoord")
                .await
                .status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // Locked now, even with the right password: nothing is checked while locked.
    let locked = try_login(&app, ADMIN_EMAIL, PASSWORD).await;
    let retry_after: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry_after), "Retry-After {retry_after}");
    let problem = assert_problem(locked, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    assert!(
        problem.detail.contains("try again in"),
        "{}",
        problem.detail
    );
    // The lock is per address: another account signs in from the same client.
    let institute = app.create_institute("Huisartsopleiding Oost").await;
    app.create_user("ander@oost.nl", Role::Trainee, Some(institute))
        .await;
    app.login("ander@oost.nl", PASSWORD).await;
}

#[tokio::test]
async fn a_lock_does_not_reveal_whether_the_address_has_an_account() {
    let app = spawn_app().await;
    let mut answers = Vec::new();
    for email in [ADMIN_EMAIL, "niemand@koppel.test"] {
        for _ in 0..5 {
            try_login(&app, email, "verkeerd wachtwoord").await;
        }
        let locked = try_login(&app, email, "verkeerd wachtwoord").await;
        let problem =
            assert_problem(locked, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
        answers.push(problem.detail);
    }
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_count() {
    let app = spawn_app().await;
    for _ in 0..4 {
        try_login(&app, ADMIN_EMAIL, "verkeerd wachtwoord").await;
    }
    app.login(ADMIN_EMAIL, PASSWORD).await;
    for attempt in 1..=4 {
        assert_eq!(
            try_login(&app, ADMIN_EMAIL, "verkeerd wachtwoord")
                .await
                .status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt} after the reset"
        );
    }
    app.login(ADMIN_EMAIL, PASSWORD).await;
}

#[tokio::test]
async fn one_client_guessing_at_many_addresses_is_locked_out() {
    let app = spawn_app().await;
    for n in 0..20 {
        let response = try_login(&app, &format!("gok{n}@koppel.test"), "verkeerd wachtwoord").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "guess {n}");
    }
    assert_problem(
        try_login(&app, ADMIN_EMAIL, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn made_up_activation_tokens_are_throttled_per_client() {
    let app = spawn_app().await;
    for n in 0..20 {
        let response = app
            .post(
                "/auth/activate",
                None,
                &json!({"token": format!("verzonnen-{n}"), "password": NEW_PASSWORD}),
            )
            .await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
    let response = app
        .post(
            "/auth/password-reset/confirm",
            None,
            &json!({"token": "nog-een", "password": NEW_PASSWORD}),
        )
        .await;
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
}

fn set_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned()
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.strip_prefix("koppel_refresh="))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_browser_keeps_its_refresh_token_in_an_http_only_cookie() {
    let app = spawn_app().await;
    let login = app
        .client
        .post(app.url("/auth/login"))
        .header("X-Koppel-Refresh", "cookie")
        .json(&app.login_body(ADMIN_EMAIL, PASSWORD).await)
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let first = set_cookie(&login);
    let attributes: Vec<&str> = first.split(';').map(str::trim).collect();
    for expected in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Max-Age=2592000",
    ] {
        assert!(attributes.contains(&expected), "{first}");
    }
    assert!(!first.contains("Secure"), "plain http locally: {first}");
    let tokens: TokenResponse = login.json().await.unwrap();
    assert_eq!(tokens.refresh_token, "", "scripts never see it");
    assert_eq!(me_status(&app, &tokens).await, StatusCode::OK);

    // The cookie refreshes only with the header a cross-site form cannot send.
    let cookie = format!("koppel_refresh={}", cookie_value(&first));
    let forged = app
        .client
        .post(app.url("/auth/refresh"))
        .header("Cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(forged, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let refreshed = app
        .client
        .post(app.url("/auth/refresh"))
        .header("X-Koppel-Refresh", "cookie")
        .header("Cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    let second = cookie_value(&set_cookie(&refreshed));
    assert_ne!(second, cookie_value(&first), "rotated");
    let fresh: TokenResponse = refreshed.json().await.unwrap();
    assert_eq!(fresh.refresh_token, "");

    // Signing out clears the cookie and ends the sign-in.
    let logout = app
        .client
        .post(app.url("/auth/logout"))
        .header("X-Koppel-Refresh", "cookie")
        .header("Cookie", format!("koppel_refresh={second}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(set_cookie(&logout).contains("Max-Age=0"));
    assert_eq!(me_status(&app, &fresh).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn behind_https_the_refresh_cookie_is_secure() {
    let app = spawn_app_with(|settings| {
        settings.public_url = "https://koppel.example.nl".to_owned();
    })
    .await;
    let login = app
        .client
        .post(app.url("/auth/login"))
        .header("X-Koppel-Refresh", "cookie")
        .json(&app.login_body(ADMIN_EMAIL, PASSWORD).await)
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&login).ends_with("; Secure"));
}

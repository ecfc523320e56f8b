//! Two-factor sign-in (TOTP, RFC 6238): codes computed here from the secret, as an
//! authenticator app would; enrolment, recovery codes, replay, throttling, and who must use it.

use chrono::Utc;
use koppel_api::auth::totp::{TotpSecret, step_of};
use koppel_api_types::{
    MeResponse, RecoveryCodesResponse, Role, TokenResponse, TwoFactorEnrolment, TwoFactorStatus,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, assert_problem, spawn_app};

async fn login(app: &TestApp, email: &str, code: Option<&str>) -> reqwest::Response {
    let mut body = json!({"email": email, "password": PASSWORD});
    if let Some(code) = code {
        body["one_time_code"] = Value::String(code.to_owned());
    }
    app.post("/auth/login", None, &body).await
}

/// Enrols the signed-in account: returns its secret and recovery codes.
async fn enrol(app: &TestApp, token: &str) -> (TotpSecret, Vec<String>) {
    let started = app.post("/me/two-factor", Some(token), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let started: TwoFactorEnrolment = started.json().await.unwrap();
    assert!(started.otpauth_uri.starts_with("otpauth://totp/Koppel:"));
    assert!(started.otpauth_uri.contains(&started.secret));
    assert!(started.qr_code_svg.contains("<svg"));
    let secret = TotpSecret::from_base32(&started.secret).unwrap();
    let code = secret.code(step_of(Utc::now()));
    let confirmed = app
        .post(
            "/me/two-factor/confirm",
            Some(token),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let codes: RecoveryCodesResponse = confirmed.json().await.unwrap();
    (secret, codes.recovery_codes)
}

async fn status(app: &TestApp, token: &str) -> TwoFactorStatus {
    app.get("/me/two-factor", Some(token))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_administrator_signs_in_with_a_code_that_works_once() {
    let app = spawn_app().await;
    // The password alone is not enough, and says what is missing.
    let problem = assert_problem(
        login(&app, ADMIN_EMAIL, None).await,
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
    )
    .await;
    assert!(
        problem.detail.contains("one_time_code"),
        "{}",
        problem.detail
    );
    // A wrong code is refused the same way.
    let secret = TotpSecret::from_base32(crate::helpers::ADMIN_TOTP_SECRET).unwrap();
    let now = step_of(Utc::now());
    let wrong = if secret.code(now) == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_problem(
        login(&app, ADMIN_EMAIL, Some(wrong)).await,
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
    )
    .await;
    // A code of two steps ago is too old.
    assert_problem(
        login(&app, ADMIN_EMAIL, Some(&secret.code(now - 2))).await,
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
    )
    .await;
    // The current code signs in, once; so does the next step's (clock drift), once.
    let code = secret.code(now);
    assert_eq!(
        login(&app, ADMIN_EMAIL, Some(&code)).await.status(),
        StatusCode::OK
    );
    assert_problem(
        login(&app, ADMIN_EMAIL, Some(&code)).await,
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
    )
    .await;
    assert_eq!(
        login(&app, ADMIN_EMAIL, Some(&secret.code(now + 1)))
            .await
            .status(),
        StatusCode::OK
    );
    // Once a later step was used, an earlier one no longer works either.
    assert_problem(
        login(&app, ADMIN_EMAIL, Some(&secret.code(now))).await,
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
    )
    .await;
    // A wrong password with the right code is still just a wrong password.
    let wrong_password = app
        .post(
            "/auth/login",
            None,
            &json!({"email": ADMIN_EMAIL, "password": "niet het wachtwoord", "one_time_code": secret.code(now + 1)}),
        )
        .await;
    assert_problem(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn wrong_codes_count_as_failed_sign_ins() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let email = "aios@noord.nl";
    app.create_user(email, Role::Trainee, Some(institute)).await;
    let token = app.login(email, PASSWORD).await.access_token;
    let (secret, _) = enrol(&app, &token).await;
    let step = step_of(Utc::now());
    let wrong = (0..)
        .map(|n| format!("{:06}", 123_456 + n))
        .find(|code| (step - 1..=step + 2).all(|s| secret.code(s) != *code))
        .unwrap();
    for attempt in 1..=5 {
        assert_eq!(
            login(&app, email, Some(&wrong)).await.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // Locked: even the right code is not checked now.
    assert_problem(
        login(&app, email, Some(&secret.code(step + 1))).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn an_administrator_without_a_second_factor_may_only_enrol() {
    let app = spawn_app().await;
    let email = "tweede-beheerder@koppel.test";
    app.create_user(email, Role::Admin, None).await;
    let tokens: TokenResponse = app.login(email, PASSWORD).await;
    let token = tokens.access_token;
    // Everything but reading oneself and enrolling is refused, with a clear code.
    let problem = assert_problem(
        app.get("/institutes", Some(&token)).await,
        StatusCode::FORBIDDEN,
        "two_factor_enrolment_required",
    )
    .await;
    assert!(
        problem.detail.contains("/me/two-factor"),
        "{}",
        problem.detail
    );
    assert_problem(
        app.post(
            "/institutes",
            Some(&token),
            &json!({"name": "Huisartsopleiding Zuid"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "two_factor_enrolment_required",
    )
    .await;
    // Public operations stay public.
    assert_eq!(
        app.get("/health", Some(&token)).await.status(),
        StatusCode::OK
    );
    let me: MeResponse = app.get("/me", Some(&token)).await.json().await.unwrap();
    assert!(me.two_factor.required && !me.two_factor.enabled);

    // Confirming needs a started enrolment and the new secret's code.
    assert_problem(
        app.post(
            "/me/two-factor/confirm",
            Some(&token),
            &json!({"code": "123456"}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let started: TwoFactorEnrolment = app
        .post("/me/two-factor", Some(&token), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let secret = TotpSecret::from_base32(&started.secret).unwrap();
    let step = step_of(Utc::now());
    let wrong = (0..)
        .map(|n| format!("{:06}", 654_321 + n))
        .find(|code| (step - 1..=step + 1).all(|s| secret.code(s) != *code))
        .unwrap();
    let refused = app
        .post(
            "/me/two-factor/confirm",
            Some(&token),
            &json!({"code": wrong}),
        )
        .await;
    let problem = assert_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "code");
    let confirmed: RecoveryCodesResponse = app
        .post(
            "/me/two-factor/confirm",
            Some(&token),
            &json!({"code": secret.code(step)}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(confirmed.recovery_codes.len(), 10);
    // This sign-in goes on, now allowed everything.
    assert_eq!(
        app.get("/institutes", Some(&token)).await.status(),
        StatusCode::OK
    );
    // An administrator may not turn it off.
    assert_problem(
        app.post(
            "/me/two-factor/off",
            Some(&token),
            &json!({"current_password": PASSWORD}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // A recovery code signs in once, however it is typed.
    assert_problem(
        login(&app, email, None).await,
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
    )
    .await;
    let recovery = &confirmed.recovery_codes[3];
    let typed = recovery.replace('-', " ").to_uppercase();
    let signed_in = login(&app, email, Some(&typed)).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let later: TokenResponse = signed_in.json().await.unwrap();
    assert_problem(
        login(&app, email, Some(recovery)).await,
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
    )
    .await;
    assert_eq!(
        status(&app, &later.access_token).await.recovery_codes_left,
        9
    );
}

#[tokio::test]
async fn confirming_a_new_app_ends_the_other_sign_ins() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let email = "opleider@noord.nl";
    app.create_user(email, Role::Trainer, Some(institute)).await;
    let elsewhere = app.login(email, PASSWORD).await;
    let here = app.login(email, PASSWORD).await.access_token;
    enrol(&app, &here).await;
    assert_eq!(app.get("/me", Some(&here)).await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/me", Some(&elsewhere.access_token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_trainee_may_turn_two_factor_sign_in_on_and_off() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let email = "sanne@noord.nl";
    app.create_user(email, Role::Trainee, Some(institute)).await;
    let token = app.login(email, PASSWORD).await.access_token;
    let before = status(&app, &token).await;
    assert!(!before.enabled && !before.required);
    enrol(&app, &token).await;
    let on = status(&app, &token).await;
    assert!(on.enabled && !on.required);
    assert_eq!(on.recovery_codes_left, 10);
    assert_eq!(
        login(&app, email, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let wrong = app
        .post(
            "/me/two-factor/off",
            Some(&token),
            &json!({"current_password": "niet het wachtwoord"}),
        )
        .await;
    let problem =
        assert_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "current_password");
    let off = app
        .post(
            "/me/two-factor/off",
            Some(&token),
            &json!({"current_password": PASSWORD}),
        )
        .await;
    assert_eq!(off.status(), StatusCode::NO_CONTENT);
    assert_eq!(login(&app, email, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_institute_can_require_a_second_factor_of_its_coordinators() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let trainee = app.user_token(Role::Trainee, Some(institute)).await;
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    let path = format!("/institutes/{institute}");
    let require = json!({"require_two_factor": true});
    // Who may change it: not trainees, not another institute, not without a token.
    let patch = |token: Option<String>, body: Value| {
        let request = app.client.patch(app.url(&path)).json(&body);
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        async move { request.send().await.unwrap() }
    };
    assert_problem(
        patch(None, require.clone()).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_problem(
        patch(Some(trainee.clone()), require.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(Some(foreign.clone()), require.clone()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let missing = patch(Some(a_team.clone()), json!({"require_two_factor": "ja"})).await;
    let problem = assert_problem(
        missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "require_two_factor");
    let changed = patch(Some(a_team.clone()), require.clone()).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["require_two_factor"], true);

    // From now on both teams must enrol first; trainees and other institutes go on as before.
    let users = format!("/institutes/{institute}/users");
    for token in [&a_team, &o_team] {
        assert_problem(
            app.get(&users, Some(token)).await,
            StatusCode::FORBIDDEN,
            "two_factor_enrolment_required",
        )
        .await;
    }
    assert_eq!(
        app.get("/me/rounds", Some(&trainee)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/institutes/{other}/users"), Some(&foreign))
            .await
            .status(),
        StatusCode::OK
    );
    enrol(&app, &a_team).await;
    assert_eq!(
        app.get(&users, Some(&a_team)).await.status(),
        StatusCode::OK
    );

    // An administrator may change it too.
    let admin = app.admin_token().await;
    let off = patch(Some(admin), json!({"require_two_factor": false})).await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(
        app.get(&users, Some(&o_team)).await.status(),
        StatusCode::OK
    );
}

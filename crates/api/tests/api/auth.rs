use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use koppel_api_types::{MeResponse, Role, TokenResponse};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, assert_problem, spawn_app};

fn jwt_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[tokio::test]
async fn the_bootstrap_admin_signs_in_and_sees_themselves() {
    let app = spawn_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 900);

    let me: MeResponse = app
        .get("/me", Some(&tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.email, ADMIN_EMAIL);
    assert_eq!(me.role, Role::Admin);
    assert!(me.institute.is_none());
}

#[tokio::test]
async fn the_access_token_is_an_hs256_jwt_of_15_minutes_with_role_and_institute() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Zuid").await;
    let user_id = app
        .create_user("a@zuid.nl", Role::TraineeTeam, Some(institute))
        .await;
    let tokens = app.login("A@Zuid.nl", PASSWORD).await;

    let header = jwt_part(&tokens.access_token, 0);
    let claims = jwt_part(&tokens.access_token, 1);
    assert_eq!(header["alg"], "HS256");
    assert_eq!(claims["sub"], user_id.to_string());
    assert_eq!(claims["role"], "trainee_team");
    assert_eq!(claims["institute_id"], institute.to_string());
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );

    let me: MeResponse = app
        .get("/me", Some(&tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.institute.unwrap().name, "Huisartsopleiding Zuid");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_401() {
    let app = spawn_app().await;
    let wrong_password = app
        .post(
            "/auth/login",
            None,
            &json!({"email": ADMIN_EMAIL, "password": "not the password"}),
        )
        .await;
    let unknown = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "nobody@koppel.test", "password": PASSWORD}),
        )
        .await;
    let first = assert_problem(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let second = assert_problem(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(first.detail, second.detail);
}

#[tokio::test]
async fn me_requires_a_valid_bearer_token() {
    let app = spawn_app().await;
    let anonymous = app.get("/me", None).await;
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_problem(
        app.get("/me", Some("garbage")).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // A token whose signature does not match (claims edited to become admin).
    let institute = app.create_institute("Huisartsopleiding West").await;
    let token = app.user_token(Role::Trainee, Some(institute)).await;
    let mut claims = jwt_part(&token, 1);
    claims["role"] = json!("admin");
    let forged_claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
    assert_problem(
        app.get("/me", Some(&forged)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_refresh_token_rotates_once_and_a_replay_ends_the_sign_in() {
    let app = spawn_app().await;
    let first = app.login(ADMIN_EMAIL, PASSWORD).await;

    let response = app
        .post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": first.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let second: TokenResponse = response.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(
        app.get("/me", Some(&second.access_token)).await.status(),
        StatusCode::OK
    );

    // Replaying the first token is refused and revokes the rotated one too.
    let replay = app
        .post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": first.refresh_token}),
        )
        .await;
    assert_problem(replay, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let after_replay = app
        .post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": second.refresh_token}),
        )
        .await;
    assert_problem(after_replay, StatusCode::UNAUTHORIZED, "invalid_token").await;
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_and_is_idempotent() {
    let app = spawn_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    let body = json!({"refresh_token": tokens.refresh_token});
    assert_eq!(
        app.post("/auth/logout", None, &body).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.post("/auth/logout", None, &body).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        app.post("/auth/refresh", None, &body).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // Another sign-in of the same user is not affected.
    let other = app.login(ADMIN_EMAIL, PASSWORD).await;
    let refreshed = app
        .post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": other.refresh_token}),
        )
        .await;
    assert_eq!(refreshed.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_invited_user_activates_from_the_mail_link_and_signs_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let invited = app
        .post(
            &format!("/institutes/{institute}/users"),
            Some(&admin),
            &json!({"email": "Sanne@Example.nl", "display_name": "Sanne Jansen", "role": "trainee", "locale": "en"}),
        )
        .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let invited: Value = invited.json().await.unwrap();
    assert_eq!(invited["status"], "invited");
    assert_eq!(invited["email"], "sanne@example.nl");

    // Not active yet: sign-in is refused like a wrong password.
    let early = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "sanne@example.nl", "password": PASSWORD}),
        )
        .await;
    assert_problem(early, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1);
    let mail = &outbox[0];
    assert_eq!(mail.kind, "invitation");
    assert_eq!(mail.recipient, "sanne@example.nl");
    assert!(
        mail.subject.contains("Activate your Koppel account"),
        "{}",
        mail.subject
    );
    assert_eq!(mail.institute_id, Some(institute));
    // The outbox keeps the mail without its link; the link exists only in the mail as sent.
    assert!(!mail.body.contains("token="), "{}", mail.body);
    assert!(mail.body.contains(koppel_api::mail::PERSONAL_LINK));
    let token = app.token_from_mail("sanne@example.nl", "/activate").await;

    let short = app
        .post(
            "/auth/activate",
            None,
            &json!({"token": token, "password": "kort"}),
        )
        .await;
    let problem =
        assert_problem(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "password");

    let activated = app
        .post(
            "/auth/activate",
            None,
            &json!({"token": token, "password": "een lange zin als wachtwoord"}),
        )
        .await;
    assert_eq!(activated.status(), StatusCode::OK);
    let tokens: TokenResponse = activated.json().await.unwrap();
    let me: MeResponse = app
        .get("/me", Some(&tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.role, Role::Trainee);
    assert_eq!(me.display_name, "Sanne Jansen");

    let again = app
        .post(
            "/auth/activate",
            None,
            &json!({"token": token, "password": "nog een lange zin hier"}),
        )
        .await;
    assert_problem(again, StatusCode::UNAUTHORIZED, "invalid_token").await;
    app.login("sanne@example.nl", "een lange zin als wachtwoord")
        .await;
}

#[tokio::test]
async fn an_unknown_activation_token_is_refused() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/auth/activate",
            None,
            &json!({"token": "made-up", "password": "een lange zin als wachtwoord"}),
        )
        .await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_mail_link_and_other_sign_ins_end() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let email = "vergeten@koppel.test";
    app.create_user(email, Role::Trainee, Some(institute)).await;
    let before = app.login(email, PASSWORD).await;

    // Known and unknown addresses get the same answer; only the known one gets a mail.
    for address in [email, "niemand@koppel.test"] {
        let response = app
            .post("/auth/password-reset", None, &json!({"email": address}))
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    assert_problem(
        app.post(
            "/auth/password-reset",
            None,
            &json!({"email": "geen-adres"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // A second request: two live links, at most three an hour.
    for _ in 0..4 {
        app.post("/auth/password-reset", None, &json!({"email": email}))
            .await;
    }
    let mails: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "password_reset")
        .collect();
    assert_eq!(mails.len(), 3, "at most three reset mails an hour");
    assert!(mails.iter().all(|m| m.recipient == email));
    // The link is the account's key: never in the institute's outbox that coordinators read.
    assert!(mails.iter().all(|m| m.institute_id.is_none()));
    let coordinator = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let visible: Value = app
        .get(
            &format!("/institutes/{institute}/outbox"),
            Some(&coordinator),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!visible.to_string().contains("/reset?token="));
    // Nor in the administrators' outbox: the link is made when the mail leaves.
    assert!(mails.iter().all(|m| !m.body.contains("token=")));
    let mut links = Vec::new();
    for _ in 0..200 {
        links = app
            .mail
            .received()
            .into_iter()
            .filter(|mail| mail.recipients.iter().any(|r| r == email))
            .filter_map(|mail| {
                mail.body
                    .split("/reset?token=")
                    .nth(1)
                    .and_then(|rest| rest.split_whitespace().next())
                    .map(str::to_owned)
            })
            .collect();
        if links.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(links.len(), 3, "three reset mails were sent");
    let (older, token) = (links[0].clone(), links[1].clone());
    // A reset token is no activation token.
    assert_problem(
        app.post(
            "/auth/activate",
            None,
            &json!({"token": token, "password": "een nieuw lang wachtwoord"}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    assert_problem(
        app.post(
            "/auth/password-reset/confirm",
            None,
            &json!({"token": token, "password": "kort"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let reset = app
        .post(
            "/auth/password-reset/confirm",
            None,
            &json!({"token": token, "password": "een nieuw lang wachtwoord"}),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    let _: TokenResponse = reset.json().await.unwrap();

    // The link works once, the older link no longer does, and neither do the old password and
    // the old sign-in.
    assert_problem(
        app.post(
            "/auth/password-reset/confirm",
            None,
            &json!({"token": older, "password": "nog een ander wachtwoord"}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_problem(
        app.post(
            "/auth/password-reset/confirm",
            None,
            &json!({"token": token, "password": "nog een ander wachtwoord"}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_problem(
        app.post(
            "/auth/login",
            None,
            &json!({"email": email, "password": PASSWORD}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_problem(
        app.post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": before.refresh_token}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    app.login(email, "een nieuw lang wachtwoord").await;
}

#[tokio::test]
async fn the_language_is_remembered_per_user() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let response = app
        .client
        .patch(app.url("/me"))
        .bearer_auth(&token)
        .json(&json!({"locale": "en"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let me: MeResponse = app.get("/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me.locale, koppel_api_types::Locale::En);
    let bad = app
        .client
        .patch(app.url("/me"))
        .bearer_auth(&token)
        .json(&json!({"locale": "fr"}))
        .send()
        .await
        .unwrap();
    assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let anonymous = app
        .client
        .patch(app.url("/me"))
        .json(&json!({"locale": "en"}))
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn a_jwt_secret_shorter_than_32_bytes_is_refused_at_start() {
    let mut settings = koppel_api::Settings::local("sqlite::memory:");
    settings.jwt_secret = Some(secrecy::SecretString::from(
        "kort-geheim-0123456789abcdef01",
    ));
    let error = koppel_api::Application::build(settings)
        .await
        .err()
        .expect("a 30-byte secret is refused");
    assert!(error.to_string().contains("at least 32 bytes"), "{error}");
}

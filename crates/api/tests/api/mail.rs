//! Mail delivery over SMTP from the outbox: delivered once, retried after failures, readable by
//! coordinators.

use std::time::Duration;

use koppel_api::mail_sink::MailSink;
use koppel_api_types::{OutboxListResponse, Role};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;
use tokio::net::TcpListener;

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_on, spawn_app_with};

/// A sink of its own, for tests that start servers with a changed mail set-up.
pub async fn sink() -> (MailSink, u16) {
    let (sink, address) = MailSink::start("127.0.0.1:0", None).await.unwrap();
    (sink, address.port())
}

/// Waits until `sink` has `count` mails.
pub async fn wait_for(sink: &MailSink, count: usize) {
    for _ in 0..200 {
        if sink.received().len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the sink got {} mails, expected {count}",
        sink.received().len()
    );
}

pub fn with_smtp(port: u16) -> impl FnOnce(&mut koppel_api::Settings) {
    move |settings| {
        settings.smtp_url = Some(SecretString::from(format!("smtp://127.0.0.1:{port}")));
        settings.mail_poll_ms = 100;
    }
}

async fn invite(app: &TestApp, institute: uuid::Uuid, token: &str, email: &str) {
    let response = app
        .post(
            &format!("/institutes/{institute}/users"),
            Some(token),
            &json!({"email": email, "display_name": "Nieuw", "role": "trainee"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn queued_mail_is_delivered_over_smtp_and_marked_sent() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let admin = app.admin_token().await;
    invite(&app, institute, &admin, "sanne@example.nl").await;
    let received = app.mail_to("sanne@example.nl", "Koppel").await;
    assert_eq!(received.recipients, ["sanne@example.nl"]);
    assert!(
        received.subject.contains("Activeer je account voor Koppel")
            || received.subject.starts_with("=?utf-8?"),
        "{}",
        received.subject
    );
    for _ in 0..100 {
        if app.outbox().await[0].sent_at.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mail = &app.outbox().await[0];
    assert!(mail.sent_at.is_some());
    assert_eq!(mail.attempts, 1);
}

#[tokio::test]
async fn a_failed_delivery_is_kept_with_its_error_and_retried_later() {
    // A server that hangs up on every connection. It keeps its port, so no other test's mail
    // sink can be given it while this test runs (a freed port could be, and then "deliver").
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hang_up = tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            drop(connection);
        }
    });
    let app = spawn_app_with(with_smtp(port)).await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let admin = app.admin_token().await;
    invite(&app, institute, &admin, "sanne@example.nl").await;
    for _ in 0..100 {
        if app.outbox().await[0].attempts > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mail = &app.outbox().await[0];
    assert_eq!(mail.attempts, 1);
    assert!(mail.sent_at.is_none());
    assert!(mail.last_error.as_deref().is_some_and(|e| !e.is_empty()));
    assert!(
        mail.next_attempt_at > mail.created_at + chrono::Duration::seconds(25),
        "backs off"
    );
    hang_up.abort();
}

#[tokio::test]
async fn two_servers_on_one_database_send_each_mail_once() {
    let (sink, port) = sink().await;
    let first = spawn_app_with(with_smtp(port)).await;
    let second = spawn_app_on(first.database_url.clone(), with_smtp(port)).await;
    let institute = first.create_institute("Huisartsopleiding Noord").await;
    let admin = first.admin_token().await;
    for i in 0..8 {
        invite(&first, institute, &admin, &format!("aios{i}@example.nl")).await;
    }
    wait_for(&sink, 8).await;
    // Both workers keep polling; nothing may arrive twice.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sink.received().len(), 8);
    let mut recipients: Vec<String> = sink
        .received()
        .into_iter()
        .flat_map(|mail| mail.recipients)
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 8);
    drop(second);
}

#[tokio::test]
async fn coordinators_read_their_institutes_outbox() {
    let app = spawn_app_with(|settings| settings.smtp_url = None).await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let admin = app.admin_token().await;
    invite(&app, institute, &admin, "sanne@example.nl").await;
    invite(&app, other, &admin, "mo@example.nl").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let outbox: OutboxListResponse = app
        .get(&format!("/institutes/{institute}/outbox"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outbox.items.len(), 1, "only this institute's mail");
    assert_eq!(outbox.items[0].recipient, "sanne@example.nl");
    assert!(
        outbox.items[0].sent_at.is_none(),
        "no SMTP configured: it waits in the outbox"
    );
    let trainee = app.user_token(Role::Trainee, Some(institute)).await;
    assert_problem(
        app.get(&format!("/institutes/{institute}/outbox"), Some(&trainee))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get(&format!("/institutes/{other}/outbox"), Some(&a_team))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/institutes/{institute}/outbox"), None)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn outbox_readers_never_get_a_usable_activation_link() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let key: koppel_api_types::ApiKeyCreatedResponse = app
        .post(
            &format!("/institutes/{institute}/api-keys"),
            Some(&a_team),
            &json!({"name": "Roostersysteem", "scopes": ["outbox:read"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    invite(&app, institute, &a_team, "sanne@example.nl").await;
    // Wait until the invitation has left, so its token exists.
    let sent = app.mail_to("sanne@example.nl", "/activate?token=").await;

    let admin = app.admin_token().await;
    let mut read = Vec::new();
    for (path, token) in [
        (format!("/institutes/{institute}/outbox"), &a_team),
        (format!("/institutes/{institute}/outbox"), &key.key),
        (format!("/institutes/{institute}/outbox"), &admin),
    ] {
        let response = app.get(&path, Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let outbox: OutboxListResponse = response.json().await.unwrap();
        let invitation = outbox
            .items
            .iter()
            .find(|mail| mail.kind == "invitation")
            .expect("the invitation is listed");
        assert!(
            invitation.body.contains(koppel_api::mail::PERSONAL_LINK),
            "{}",
            invitation.body
        );
        read.push(serde_json::to_string(&outbox).unwrap());
    }
    // Nothing any of them read is a token: try every word that could be one.
    let candidates: std::collections::BTreeSet<String> = read
        .iter()
        .flat_map(|text| {
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .filter(|word| word.len() >= 32)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    for candidate in &candidates {
        let response = app
            .post(
                "/auth/activate",
                None,
                &json!({"token": candidate, "password": "een lang nieuw wachtwoord"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{candidate}");
    }
    // The mail as sent carries the working link.
    assert!(!read.iter().any(|text| text.contains(&sent.body)));
    app.activate_from_mail("sanne@example.nl").await;
}

//! Mail delivery over SMTP from the outbox: delivered once, retried after failures, readable by
//! coordinators.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use koppel_api_types::{OutboxListResponse, Role};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_on, spawn_app_with};

/// Recipients and data of one received mail.
pub type Received = (Vec<String>, String);

/// A minimal SMTP server that accepts every mail and keeps what it got.
#[derive(Clone, Default)]
pub struct Sink {
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    pub async fn start() -> (Self, u16) {
        let sink = Self::default();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = sink.received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let received = received.clone();
                tokio::spawn(async move {
                    let (reader, mut writer) = stream.into_split();
                    let mut lines = BufReader::new(reader).lines();
                    let _ = writer.write_all(b"220 sink ESMTP\r\n").await;
                    let mut recipients = Vec::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") {
                            b"250-sink\r\n250 OK\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            recipients.push(
                                line[8..]
                                    .trim()
                                    .trim_matches(|c| c == '<' || c == '>')
                                    .to_owned(),
                            );
                            b"250 OK\r\n"
                        } else if upper.starts_with("DATA") {
                            let _ = writer.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                data.push_str(&line);
                                data.push('\n');
                            }
                            received
                                .lock()
                                .unwrap()
                                .push((std::mem::take(&mut recipients), data));
                            b"250 queued\r\n"
                        } else if upper.starts_with("QUIT") {
                            let _ = writer.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        if writer.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        (sink, port)
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub async fn wait_for(&self, count: usize) {
        for _ in 0..200 {
            if self.count() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the sink got {} mails, expected {count}", self.count());
    }
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
    let (sink, port) = Sink::start().await;
    let app = spawn_app_with(with_smtp(port)).await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let admin = app.admin_token().await;
    invite(&app, institute, &admin, "sanne@example.nl").await;
    sink.wait_for(1).await;
    let (recipients, data) = sink.received.lock().unwrap()[0].clone();
    assert_eq!(recipients, ["sanne@example.nl"]);
    assert!(
        data.contains("Subject: Activeer je account voor Koppel"),
        "{data}"
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
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
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
}

#[tokio::test]
async fn two_servers_on_one_database_send_each_mail_once() {
    let (sink, port) = Sink::start().await;
    let first = spawn_app_with(with_smtp(port)).await;
    let second = spawn_app_on(first.database_url.clone(), with_smtp(port)).await;
    let institute = first.create_institute("Huisartsopleiding Noord").await;
    let admin = first.admin_token().await;
    for i in 0..8 {
        invite(&first, institute, &admin, &format!("aios{i}@example.nl")).await;
    }
    sink.wait_for(8).await;
    // Both workers keep polling; nothing may arrive twice.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sink.count(), 8);
    let mut recipients: Vec<String> = sink
        .received
        .lock()
        .unwrap()
        .iter()
        .flat_map(|(r, _)| r.clone())
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 8);
    drop(second);
}

#[tokio::test]
async fn coordinators_read_their_institutes_outbox() {
    let app = spawn_app().await;
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

//! Webhooks: endpoints registered by coordinators receive their institute's events, signed as
//! Standard Webhooks describes (checked here with this file's own HMAC), retried after a
//! failure, logged, redelivered on request, and sent once even with two servers on one database.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use koppel_api::store::entities::{audit_entry, webhook_delivery};
use koppel_api_types::{
    Role, WebhookCreatedResponse, WebhookDeliveryListResponse, WebhookDeliveryStatus,
    WebhookListResponse,
};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::Sha256;
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_on};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`.
    pub timestamp: String,
    /// `webhook-signature`.
    pub signature: String,
    /// The body.
    pub body: String,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// Whether the signature is the HMAC-SHA256 of `id.timestamp.body` under `secret`
    /// (`whsec_<base64>`), computed here without the server's code.
    pub fn signed_with(&self, secret: &str) -> bool {
        let key = STANDARD
            .decode(secret.strip_prefix("whsec_").unwrap())
            .unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(format!("{}.{}.{}", self.id, self.timestamp, self.body).as_bytes());
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        self.signature.split(' ').any(|s| s == expected)
    }
}

/// An HTTP server the test starts: records every request, answers the queued statuses first
/// and then 200.
#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:<port>/hook`.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts a receiver that answers `failures` first (e.g. `[503]`), then 200.
    pub async fn start(failures: &[u16]) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(
            failures.iter().rev().copied().collect::<Vec<_>>(),
        ));
        let state = (received.clone(), answers);
        let server = HttpServer::new(move || {
            let state = state.clone();
            App::new().route(
                "/hook",
                web::post().to(move |request: HttpRequest, body: String| {
                    let (received, answers) = state.clone();
                    async move {
                        let header = |name: &str| {
                            request
                                .headers()
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_owned()
                        };
                        received.lock().unwrap().push(Received {
                            id: header("webhook-id"),
                            timestamp: header("webhook-timestamp"),
                            signature: header("webhook-signature"),
                            body,
                        });
                        let status = answers.lock().unwrap().pop().unwrap_or(200);
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                            .finish()
                    }
                }),
            )
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        Self {
            url: format!("http://127.0.0.1:{port}/hook"),
            received,
        }
    }

    /// What arrived so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (at most 20 s) until `count` requests arrived; answers them.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..400 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {count} deliveries, got {:?}", self.received());
    }
}

/// Registers an endpoint for `events` at `url`.
pub async fn register(
    app: &TestApp,
    institute: Uuid,
    token: &str,
    url: &str,
    events: &[&str],
) -> WebhookCreatedResponse {
    let response = app
        .post(
            &format!("/institutes/{institute}/webhooks"),
            Some(token),
            &json!({"url": url, "events": events, "description": "Roostersysteem"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn log(
    app: &TestApp,
    institute: Uuid,
    webhook: Uuid,
    token: &str,
) -> WebhookDeliveryListResponse {
    let response = app
        .get(
            &format!("/institutes/{institute}/webhooks/{webhook}/deliveries"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Waits until every delivery in the log has settled (delivered, or waiting for a retry).
async fn settled_log(
    app: &TestApp,
    institute: Uuid,
    webhook: Uuid,
    token: &str,
    done: impl Fn(&WebhookDeliveryListResponse) -> bool,
) -> WebhookDeliveryListResponse {
    for _ in 0..200 {
        let log = log(app, institute, webhook, token).await;
        if done(&log) {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the delivery log never settled: {:?}",
        log(app, institute, webhook, token).await
    );
}

#[tokio::test]
async fn a_phase_change_arrives_signed_with_ids_and_links_and_can_be_redelivered() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let receiver = Receiver::start(&[]).await;
    let created = register(
        &app,
        institute,
        &a_team,
        &receiver.url,
        &["round.phase_changed"],
    )
    .await;
    assert!(created.secret.starts_with("whsec_"));
    assert_eq!(STANDARD.decode(&created.secret[6..]).unwrap().len(), 32);
    // The secret is shown once: the list has none.
    let list: Value = app
        .get(&format!("/institutes/{institute}/webhooks"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["url"], receiver.url);
    assert!(list["items"][0].get("secret").is_none());
    assert!(!list.to_string().contains(&created.secret));

    // Another endpoint wants other events only: it hears nothing of the phase change.
    let other_system = Receiver::start(&[]).await;
    register(
        &app,
        institute,
        &a_team,
        &other_system.url,
        &["coupling.published"],
    )
    .await;

    let round = app.new_round(institute, &a_team, "march", 2028).await;
    let moved = app
        .post(
            &format!("/rounds/{round}/transitions"),
            Some(&a_team),
            &json!({"to": "cancelled"}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);

    let received = receiver.wait_for(1).await;
    let delivery = &received[0];
    assert!(delivery.signed_with(&created.secret), "{delivery:?}");
    assert!(!delivery.signed_with("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    let sent_at: i64 = delivery.timestamp.parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 300);
    let body = delivery.json();
    assert_eq!(body["type"], "round.phase_changed");
    assert_eq!(body["data"]["round_id"], round.to_string());
    assert_eq!(body["data"]["institute_id"], institute.to_string());
    assert_eq!(body["data"]["from"], "draft");
    assert_eq!(body["data"]["to"], "cancelled");
    assert_eq!(body["data"]["by"], "coordinator");
    assert_eq!(
        body["data"]["links"]["round"],
        format!("http://127.0.0.1:8080/api/v1/rounds/{round}")
    );

    // The log shows it delivered, under the id the receiver saw.
    let webhook = created.endpoint.id;
    let logged = settled_log(&app, institute, webhook, &a_team, |log| {
        log.items
            .iter()
            .all(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    assert_eq!(logged.items.len(), 1);
    let entry = &logged.items[0];
    assert_eq!(entry.id.to_string(), delivery.id);
    assert_eq!((entry.attempts, entry.last_status), (1, Some(200)));
    assert_eq!(entry.payload, body);

    // Redelivered on request: the same id, a fresh valid signature.
    let again = app
        .post(
            &format!(
                "/institutes/{institute}/webhooks/{webhook}/deliveries/{}/redeliver",
                entry.id
            ),
            Some(&a_team),
            &json!({}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    let received = receiver.wait_for(2).await;
    assert_eq!(received[1].id, delivery.id);
    assert_eq!(received[1].body, delivery.body);
    assert!(received[1].signed_with(&created.secret));

    // While a worker holds a delivery, it cannot be redelivered.
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::ClaimedUntil,
            Expr::value(Some(chrono::Utc::now() + chrono::Duration::minutes(1))),
        )
        .filter(webhook_delivery::Column::Id.eq(entry.id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_problem(
        app.post(
            &format!(
                "/institutes/{institute}/webhooks/{webhook}/deliveries/{}/redeliver",
                entry.id
            ),
            Some(&a_team),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // A test event goes to this endpoint only when asked.
    let test = app
        .post(
            &format!("/institutes/{institute}/webhooks/{webhook}/test"),
            Some(&a_team),
            &json!({}),
        )
        .await;
    assert_eq!(test.status(), StatusCode::ACCEPTED);
    let received = receiver.wait_for(3).await;
    assert_eq!(received[2].json()["type"], "webhook.test");
    assert!(received[2].signed_with(&created.secret));

    // A deleted endpoint gets nothing more.
    let deleted = app
        .delete(
            &format!("/institutes/{institute}/webhooks/{webhook}"),
            Some(&a_team),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let other_round = app.new_round(institute, &a_team, "september", 2028).await;
    let moved = app
        .post(
            &format!("/rounds/{other_round}/transitions"),
            Some(&a_team),
            &json!({"to": "cancelled"}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(other_system.received().is_empty());
    let actions: Vec<String> = audit_entry::Entity::find()
        .filter(audit_entry::Column::InstituteId.eq(institute))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .filter(|a| a.starts_with("webhook."))
        .collect();
    let mut actions = actions;
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "webhook.created",
            "webhook.created",
            "webhook.deleted",
            "webhook.redelivered",
            "webhook.tested"
        ]
    );
    assert_eq!(receiver.received().len(), 3);
}

#[tokio::test]
async fn a_failed_delivery_is_retried_and_the_log_shows_each_attempt() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let receiver = Receiver::start(&[503, 500]).await;
    let created = register(&app, institute, &o_team, &receiver.url, &["webhook.test"]).await;
    let webhook = created.endpoint.id;
    app.post(
        &format!("/institutes/{institute}/webhooks/{webhook}/test"),
        Some(&o_team),
        &json!({}),
    )
    .await;
    let received = receiver.wait_for(3).await;
    assert!(
        received
            .iter()
            .all(|r| r.id == received[0].id && r.signed_with(&created.secret))
    );
    let logged = settled_log(&app, institute, webhook, &o_team, |log| {
        log.items
            .iter()
            .all(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    assert_eq!(logged.items[0].attempts, 3);
    assert_eq!(logged.items[0].last_status, Some(200));
    assert_eq!(logged.items[0].last_error, None);

    // An endpoint that cannot be reached: pending, with the reason and the next attempt.
    let unreachable = register(
        &app,
        institute,
        &o_team,
        "http://127.0.0.1:9/hook?token=geheim",
        &["webhook.test"],
    )
    .await;
    app.post(
        &format!(
            "/institutes/{institute}/webhooks/{}/test",
            unreachable.endpoint.id
        ),
        Some(&o_team),
        &json!({}),
    )
    .await;
    let logged = settled_log(&app, institute, unreachable.endpoint.id, &o_team, |log| {
        log.items.iter().all(|d| d.attempts > 0)
    })
    .await;
    let entry = &logged.items[0];
    assert_eq!(entry.status, WebhookDeliveryStatus::Pending);
    assert!(entry.next_attempt_at.is_some());
    assert!(
        entry
            .last_error
            .as_deref()
            .unwrap()
            .contains("could not be reached")
    );
    // The URL's own token is in no error and no audit entry.
    assert!(!entry.last_error.as_deref().unwrap().contains("geheim"));
    let audit = audit_entry::Entity::find()
        .filter(audit_entry::Column::InstituteId.eq(institute))
        .all(&app.db)
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .iter()
        .map(|a| a.action.as_str())
        .filter(|a| a.starts_with("webhook."))
        .collect();
    let mut actions = actions;
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "webhook.created",
            "webhook.created",
            "webhook.tested",
            "webhook.tested"
        ]
    );
    assert!(
        audit
            .iter()
            .all(|a| !a.summary.contains("geheim") && !a.summary.contains("/hook"))
    );
    let list: WebhookListResponse = app
        .get(&format!("/institutes/{institute}/webhooks"), Some(&o_team))
        .await
        .json()
        .await
        .unwrap();
    let failing: Vec<u64> = list.items.iter().map(|w| w.failing).collect();
    assert_eq!(failing, [0, 1]);
}

#[tokio::test]
async fn with_two_servers_on_one_database_each_event_arrives_once() {
    let first = spawn_app().await;
    let second = spawn_app_on(first.database_url.clone(), |_| {}).await;
    let institute = first.create_institute("Huisartsopleiding Noord").await;
    let a_team = first.user_token(Role::TraineeTeam, Some(institute)).await;
    let receiver = Receiver::start(&[]).await;
    let created = register(
        &first,
        institute,
        &a_team,
        &receiver.url,
        &["webhook.test", "round.phase_changed"],
    )
    .await;
    let webhook = created.endpoint.id;
    // Events caused through both servers, while both workers poll the one outbox.
    for n in 0..20 {
        let app = if n % 2 == 0 { &first } else { &second };
        let response = app
            .post(
                &format!("/institutes/{institute}/webhooks/{webhook}/test"),
                Some(&a_team),
                &json!({}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    let round = second.new_round(institute, &a_team, "march", 2028).await;
    second
        .post(
            &format!("/rounds/{round}/transitions"),
            Some(&a_team),
            &json!({"to": "cancelled"}),
        )
        .await;
    receiver.wait_for(21).await;
    // Both workers keep polling a while longer: nothing arrives twice.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let received = receiver.received();
    let ids: std::collections::HashSet<&str> = received.iter().map(|r| r.id.as_str()).collect();
    assert_eq!((received.len(), ids.len()), (21, 21));
    let logged = log(&first, institute, webhook, &a_team).await;
    assert!(logged.items.iter().all(|d| d.attempts == 1));
}

#[tokio::test]
async fn only_the_institutes_coordinators_manage_its_webhooks_and_bad_input_is_named() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let admin = app.admin_token().await;
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    let trainee = app.user_token(Role::Trainee, Some(institute)).await;
    let trainer = app.user_token(Role::Trainer, Some(institute)).await;
    let hooks = format!("/institutes/{institute}/webhooks");
    let good = json!({"url": "https://rooster.example.nl/hook", "events": ["coupling.published"]});

    // Administrators may, for any institute; the institute's own people who are not
    // coordinators may not; another institute's coordinators learn nothing.
    let by_admin = register(
        &app,
        institute,
        &admin,
        "https://rooster.example.nl/a",
        &["lottery.drawn"],
    )
    .await;
    for token in [&trainee, &trainer] {
        assert_problem(
            app.post(&hooks, Some(token), &good).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_problem(
            app.get(&hooks, Some(token)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        app.post(&hooks, Some(&foreign), &good).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&hooks, Some(&foreign)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let one = format!("{hooks}/{}", by_admin.endpoint.id);
    for path in [format!("{one}/deliveries")] {
        assert_problem(
            app.get(&path, Some(&foreign)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_problem(
        app.post(&format!("{one}/test"), Some(&foreign), &json!({}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.delete(&one, Some(&foreign)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The same endpoint id under another institute's path is not found either.
    let foreign_team_own = format!("/institutes/{other}/webhooks/{}", by_admin.endpoint.id);
    assert_problem(
        app.delete(&foreign_team_own, Some(&foreign)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&hooks, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let redeliver = format!("{one}/deliveries/{}/redeliver", Uuid::new_v4());
    assert_problem(
        app.post(&redeliver, Some(&a_team), &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // API keys, even with every scope, manage no webhooks.
    let key: Value = app
        .post(
            &format!("/institutes/{institute}/api-keys"),
            Some(&a_team),
            &json!({"name": "Rooster", "scopes": ["people:read", "people:write", "rounds:read", "rounds:write", "outbox:read", "solve"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let key = key["key"].as_str().unwrap();
    assert_problem(
        app.post(&hooks, Some(key), &good).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get(&hooks, Some(key)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Bad input: each field named.
    for (body, field) in [
        (
            json!({"url": "http://rooster.example.nl/hook", "events": ["coupling.published"]}),
            "url",
        ),
        (
            json!({"url": "https://user:secret@rooster.example.nl/", "events": ["coupling.published"]}),
            "url",
        ),
        (
            json!({"url": "rooster", "events": ["coupling.published"]}),
            "url",
        ),
        (
            json!({"url": "https://10.0.0.5/hook", "events": ["coupling.published"]}),
            "url",
        ),
        (
            json!({"url": "https://169.254.169.254/latest/meta-data", "events": ["coupling.published"]}),
            "url",
        ),
        (
            json!({"url": format!("https://rooster.example.nl/{}", "é".repeat(400)), "events": ["coupling.published"]}),
            "url",
        ),
        (
            json!({"url": "https://rooster.example.nl/hook", "events": []}),
            "events",
        ),
        (
            json!({"url": "https://rooster.example.nl/hook", "events": ["round.deleted"]}),
            "events",
        ),
        (
            json!({"url": "https://rooster.example.nl/hook", "events": ["coupling.published"], "description": "x".repeat(201)}),
            "description",
        ),
    ] {
        let problem = assert_problem(
            app.post(&hooks, Some(&a_team), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            problem.errors.iter().any(|e| e.field.starts_with(field)),
            "{body}: {problem:?}"
        );
    }
    // Twenty endpoints at most.
    for n in 1..20 {
        register(
            &app,
            institute,
            &a_team,
            &format!("https://rooster.example.nl/{n}"),
            &["coupling.published"],
        )
        .await;
    }
    assert_problem(
        app.post(&hooks, Some(&a_team), &good).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Registering and deleting are in the audit log (through the institute's users' view is
    // not needed: the deletion answers 204 and the endpoint is gone).
    assert_eq!(
        app.delete(&one, Some(&a_team)).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        app.delete(&one, Some(&a_team)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

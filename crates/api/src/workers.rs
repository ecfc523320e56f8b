//! The background tasks beside the request handlers: mail delivery (when SMTP is configured),
//! webhook delivery, the rounds' calendars, the lottery's overdue offers and the deletion of expired round data.
//! `startup` starts them with the server and stops them when it stops.

use std::time::Duration;

use actix_web::web;
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;

use crate::config::Settings;
use crate::delivery::Delivery;
use crate::services;
use crate::state::AppState;

/// The running background tasks.
pub struct Workers {
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts every background task on the current Tokio runtime.
    pub fn start(settings: &Settings, state: web::Data<AppState>) -> anyhow::Result<Self> {
        let db = state.db.clone();
        let mut tasks = Vec::new();
        if let Some(url) = &settings.smtp_url {
            let delivery = Delivery::new(
                db.clone(),
                url.expose_secret(),
                &settings.mail_from,
                Duration::from_millis(settings.mail_poll_ms.max(100)),
                &settings.public_url,
            )?;
            tasks.push(tokio::spawn(delivery.run()));
        }
        tasks.push(tokio::spawn(
            crate::webhook_delivery::WebhookDelivery::new(
                state.clone(),
                Duration::from_millis(settings.webhook_poll_ms.max(50)),
                Duration::from_millis(settings.webhook_first_retry_ms.max(10)),
            )?
            .run(),
        ));
        tasks.push(tokio::spawn(purge_regularly(db.clone())));
        tasks.push(tokio::spawn(run_calendars_regularly(
            db,
            settings.public_url.clone(),
            Duration::from_millis(settings.calendar_tick_ms.max(1000)),
        )));
        tasks.push(tokio::spawn(settle_offers_regularly(
            state,
            Duration::from_millis(settings.offer_settle_ms.max(100)),
        )));
        Ok(Self { tasks })
    }

    /// Stops every task (a mail being sent is sent again by the next start: the outbox keeps it).
    pub fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
    }
}

/// Deletes closed rounds' personal data once their retention period is over, and webhook
/// deliveries older than `webhook_delivery::LOG_KEPT`: at start, then hourly.
async fn purge_regularly(db: DatabaseConnection) {
    every(Duration::from_secs(3600), || async {
        let now = chrono::Utc::now();
        if let Err(error) = services::retention::purge_due(&db, now).await {
            tracing::warn!(%error, "deleting expired round data failed; trying again later");
        }
        let before = now - crate::webhook_delivery::LOG_KEPT;
        if let Err(error) = crate::store::webhooks::purge(&db, before).await {
            tracing::warn!(%error, "deleting old webhook deliveries failed; trying again later");
        }
    })
    .await;
}

/// Runs the rounds' calendars (see `services::timetable`): at start, then every `period`.
async fn run_calendars_regularly(db: DatabaseConnection, public_url: String, period: Duration) {
    every(period, || async {
        if let Err(error) = services::timetable::run_due(&db, &public_url, chrono::Utc::now()).await
        {
            tracing::warn!(%error, "running the rounds' calendars failed; trying again later");
        }
    })
    .await;
}

/// Expires overdue second-chance offers of the placement lottery and moves their places on,
/// every `period` (a minute by default; also done whenever offers are read or answered).
async fn settle_offers_regularly(state: web::Data<AppState>, period: Duration) {
    every(period, || async {
        if let Err(error) = services::lotteries::settle_overdue(&state).await {
            tracing::warn!(%error, "settling lottery offers failed; trying again later");
        }
    })
    .await;
}

/// Runs `work` at once and then every `period`, a late run delaying the next.
async fn every<F, Fut>(period: Duration, work: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        work().await;
    }
}

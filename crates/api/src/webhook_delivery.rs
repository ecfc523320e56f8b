//! Sends the webhook outbox (`store::webhooks`), signed as the Standard Webhooks specification
//! describes, with retries and backoff.
//!
//! Each delivery is first *claimed* with one conditional update, so several server processes on
//! one database send an event once; a claim outlives the request's time limit, and expires, so a
//! delivery whose worker died is sent again later (with the same `webhook-id`, by which a
//! receiver skips what it has seen). A delivery that keeps failing stays in the endpoint's log.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use actix_web::web;
use anyhow::Context;
use base64::Engine;
use chrono::{Duration, Utc};
use futures_util::StreamExt;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::services::webhooks::sealing_owner;
use crate::state::AppState;
use crate::store::entities::{webhook_delivery, webhook_endpoint};
use crate::store::webhooks;

/// Attempts before a delivery waits for a redeliver.
pub const MAX_ATTEMPTS: i32 = 8;

/// Each retry's delay as a multiple of the first: 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h.
const RETRY_FACTORS: [i64; 7] = [1, 12, 60, 360, 1440, 3600, 7200];

/// Endpoints one worker sends to at once.
const PARALLEL_SENDS: usize = 8;

/// How long an endpoint has to answer.
const REQUEST_TIME_LIMIT: StdDuration = StdDuration::from_secs(10);

/// How long deliveries stay in the log (and the outbox), whatever became of them.
pub const LOG_KEPT: Duration = Duration::days(30);

/// How long a claim holds: well beyond a request's time limit.
const CLAIM: Duration = Duration::seconds(60);

/// Delay before the next attempt after `attempts` failed ones.
pub fn backoff(first_retry: Duration, attempts: i32) -> Duration {
    let index = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    first_retry * i32::try_from(RETRY_FACTORS[index.min(RETRY_FACTORS.len() - 1)]).unwrap_or(1)
}

/// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256, keyed with the secret, of
/// `<id>.<timestamp>.<body>`.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// The webhook worker.
pub struct WebhookDelivery {
    state: web::Data<AppState>,
    client: reqwest::Client,
    poll: StdDuration,
    first_retry: Duration,
}

impl WebhookDelivery {
    /// A worker polling every `poll`; failed deliveries are retried after `first_retry` and
    /// then ever longer (see [`backoff`]).
    pub fn new(
        state: web::Data<AppState>,
        poll: StdDuration,
        first_retry: StdDuration,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            client: client(state.webhooks_allow_loopback_http)?,
            state,
            poll,
            first_retry: Duration::from_std(first_retry)
                .context("the first retry delay is too long")?,
        })
    }

    /// Sends due deliveries every poll interval, forever.
    pub async fn run(self) {
        loop {
            if let Err(error) = self.deliver_due().await {
                tracing::warn!(error = ?error, "webhook delivery round failed");
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    /// One round: claims and sends every due delivery. Each endpoint gets its deliveries one
    /// after another, in the order they became due; up to [`PARALLEL_SENDS`] endpoints are
    /// served at once, so a slow endpoint does not hold up the others. Answers how many arrived.
    pub async fn deliver_due(&self) -> anyhow::Result<usize> {
        let db = &self.state.db;
        let due = webhooks::due(db, Utc::now(), MAX_ATTEMPTS, 50).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let endpoints = webhooks::endpoints_by_id(db, due.iter().map(|d| d.endpoint_id)).await?;
        let mut queues: Vec<(&webhook_endpoint::Model, Vec<webhook_delivery::Model>)> = Vec::new();
        for delivery in due {
            let Some(endpoint) = endpoints.get(&delivery.endpoint_id) else {
                continue;
            };
            match queues.iter_mut().find(|(e, _)| e.id == endpoint.id) {
                Some((_, queue)) => queue.push(delivery),
                None => queues.push((endpoint, vec![delivery])),
            }
        }
        let sends: Vec<_> = queues
            .into_iter()
            .map(|(endpoint, queue)| self.deliver_in_turn(endpoint, queue))
            .collect();
        let outcomes: Vec<anyhow::Result<usize>> = futures_util::stream::iter(sends)
            .buffer_unordered(PARALLEL_SENDS)
            .collect()
            .await;
        let mut delivered = 0;
        for outcome in outcomes {
            delivered += outcome?;
        }
        Ok(delivered)
    }

    /// Sends one endpoint's deliveries one after another; answers how many arrived.
    async fn deliver_in_turn(
        &self,
        endpoint: &webhook_endpoint::Model,
        queue: Vec<webhook_delivery::Model>,
    ) -> anyhow::Result<usize> {
        let mut arrived = 0;
        for delivery in queue {
            arrived += usize::from(self.deliver(endpoint, delivery).await?);
        }
        Ok(arrived)
    }

    /// Claims and sends one delivery; answers whether it arrived (false also when another
    /// worker had it).
    async fn deliver(
        &self,
        endpoint: &webhook_endpoint::Model,
        delivery: webhook_delivery::Model,
    ) -> anyhow::Result<bool> {
        let db = &self.state.db;
        // Claimed just before its own send, so a claim outlives the send it covers.
        let now = Utc::now();
        let Some(token) = webhooks::claim(db, delivery.id, now, now + CLAIM, MAX_ATTEMPTS).await?
        else {
            return Ok(false);
        };
        let (status, error) = match self.send(endpoint, &delivery).await {
            Ok(status) if (200..300).contains(&status) => (Some(status), None),
            Ok(status) => (
                Some(status),
                Some(format!("the endpoint answered HTTP {status}")),
            ),
            Err(error) => (None, Some(format!("{error:#}"))),
        };
        let attempts = delivery.attempts + 1;
        let next = error
            .as_ref()
            .map(|_| Utc::now() + backoff(self.first_retry, attempts));
        match &error {
            None => {
                tracing::info!(delivery = %delivery.id, event = %delivery.event, endpoint = %endpoint.id, "webhook delivered");
            }
            Some(error) if attempts >= MAX_ATTEMPTS => {
                tracing::warn!(delivery = %delivery.id, endpoint = %endpoint.id, %error, "webhook not delivered after {MAX_ATTEMPTS} attempts; it waits for a redeliver");
            }
            Some(error) => {
                tracing::warn!(delivery = %delivery.id, endpoint = %endpoint.id, attempt = attempts, %error, "webhook not delivered; will retry");
            }
        }
        let arrived = error.is_none();
        if !webhooks::record_attempt(db, delivery.id, token, Utc::now(), next, status, error)
            .await?
        {
            tracing::debug!(delivery = %delivery.id, "the endpoint was deleted or the delivery redelivered while it was sent");
        }
        Ok(arrived)
    }

    /// Posts one delivery; answers the HTTP status.
    async fn send(
        &self,
        endpoint: &webhook_endpoint::Model,
        delivery: &webhook_delivery::Model,
    ) -> anyhow::Result<i32> {
        let key = self
            .state
            .totp_key
            .open_bytes(&sealing_owner(endpoint.id), &endpoint.secret_sealed)
            .context("the endpoint's secret cannot be opened (was KOPPEL_TOTP_KEY changed?)")?;
        // Checked again at each send: the rules may have tightened since it was registered.
        let url = crate::services::webhooks::check_url(
            &endpoint.url,
            self.state.webhooks_allow_loopback_http,
        )
        .map_err(|reason| anyhow::anyhow!("the endpoint's address {reason}"))?;
        let id = delivery.id.to_string();
        let timestamp = Utc::now().timestamp();
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                signature(&key, &id, timestamp, &delivery.payload),
            )
            .body(delivery.payload.clone())
            .send()
            .await
            // Without the URL: its path or query may hold the receiver's own token.
            .map_err(|error| anyhow::Error::new(error.without_url()))
            .context("the endpoint could not be reached")?;
        Ok(i32::from(response.status().as_u16()))
    }
}

/// Makes ring (which lettre uses already) the process's TLS provider, for HTTP clients that take
/// the default; a provider installed before stays.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Resolves host names to public addresses only (see `services::webhooks::is_public`), so a
/// name cannot lead the worker into the server's own network; loopback too when allowed.
struct PublicAddresses {
    allow_loopback: bool,
}

impl reqwest::dns::Resolve for PublicAddresses {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_loopback = self.allow_loopback;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|address| {
                    let ip = address.ip();
                    crate::services::webhooks::is_public(ip) || (allow_loopback && ip.is_loopback())
                })
                .collect();
            if found.is_empty() {
                return Err(format!("{host} has no address on the public internet").into());
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// An HTTP client that verifies servers against the Mozilla roots (`webpki-roots`), connects to
/// public addresses only, follows no redirects and gives up after [`REQUEST_TIME_LIMIT`].
fn client(allow_loopback: bool) -> anyhow::Result<reqwest::Client> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("no TLS version is available")?
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .dns_resolver(PublicAddresses { allow_loopback })
        // A proxy from the environment would resolve and connect past `PublicAddresses`.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIME_LIMIT)
        .connect_timeout(StdDuration::from_secs(5))
        .user_agent(concat!("Koppel-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("the webhook HTTP client cannot be built")
}

#[cfg(test)]
mod tests {
    use super::{backoff, signature};
    use chrono::Duration;

    #[test]
    fn retries_wait_ever_longer() {
        let minutes: Vec<i64> = (1..=8)
            .map(|n| backoff(Duration::seconds(5), n).num_seconds())
            .collect();
        assert_eq!(minutes, [5, 60, 300, 1800, 7200, 18000, 36000, 36000]);
    }

    #[test]
    fn the_signature_matches_the_specifications_example() {
        // From the Standard Webhooks reference libraries' tests.
        let key = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )
        .unwrap();
        assert_eq!(
            signature(
                &key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}

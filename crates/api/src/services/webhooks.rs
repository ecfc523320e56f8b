//! Webhooks: coordinators register their systems' endpoints; events are queued in the same
//! transaction as their cause ([`emit`]) and sent by [`crate::webhook_delivery`], signed as the
//! Standard Webhooks specification describes. An event carries ids and links, never rankings,
//! vetoes or reasons.

use std::net::{IpAddr, Ipv4Addr};

use base64::Engine;
use chrono::SubsecRound;
use chrono::{DateTime, Utc};
use koppel_api_types::{
    CreateWebhookRequest, Role, WebhookData, WebhookEvent, WebhookLinks, WebhookPayload,
};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::entities::{webhook_delivery, webhook_endpoint};
use crate::store::webhooks;

/// Who manages endpoints: administrators and coordinators, not API keys.
const MANAGERS: [Role; 3] = [Role::Admin, Role::TraineeTeam, Role::TrainerTeam];

/// Most endpoints per institute.
pub const MAX_ENDPOINTS: usize = 20;

/// The longest URL taken.
pub const MAX_URL_CHARS: usize = 2000;

/// Prefix of a signing secret, as Standard Webhooks writes them.
pub const SECRET_PREFIX: &str = "whsec_";

/// Deliveries shown in an endpoint's log.
const LOG_LENGTH: u64 = 100;

/// An event, ready to be queued.
#[derive(Debug, Clone)]
pub struct Event {
    /// What happened.
    pub kind: WebhookEvent,
    /// Ids and links; its `institute_id` says whose endpoints hear of it.
    pub data: WebhookData,
}

impl Event {
    /// A round moved from `from` to `to`; `by` is `coordinator` or `calendar`.
    pub fn round_phase_changed(
        institute_id: Uuid,
        round_id: Uuid,
        from: impl ToString,
        to: impl ToString,
        by: &str,
        public_url: &str,
    ) -> Self {
        Self::of_round(
            WebhookEvent::RoundPhaseChanged,
            institute_id,
            round_id,
            public_url,
            WebhookData {
                from: Some(from.to_string()),
                to: Some(to.to_string()),
                by: Some(by.to_owned()),
                ..Default::default()
            },
        )
    }

    /// A round's interview proposal was published.
    pub fn interview_proposal_published(
        institute_id: Uuid,
        round_id: Uuid,
        public_url: &str,
    ) -> Self {
        Self::of_round(
            WebhookEvent::InterviewProposalPublished,
            institute_id,
            round_id,
            public_url,
            WebhookData::default(),
        )
    }

    /// A coupling run was published.
    pub fn coupling_published(
        institute_id: Uuid,
        round_id: Uuid,
        run_id: Uuid,
        public_url: &str,
    ) -> Self {
        let run = format!(
            "{}/api/v1/rounds/{round_id}/coupling-runs/{run_id}",
            base(public_url)
        );
        let mut event = Self::of_round(
            WebhookEvent::CouplingPublished,
            institute_id,
            round_id,
            public_url,
            WebhookData {
                run_id: Some(run_id),
                ..Default::default()
            },
        );
        event.data.links.run = Some(run);
        event
    }

    /// A participant (`trainee` or `trainer`) dropped out of a round.
    pub fn participant_withdrawn(
        institute_id: Uuid,
        round_id: Uuid,
        participant_kind: &str,
        participant_id: Uuid,
        public_url: &str,
    ) -> Self {
        Self::of_round(
            WebhookEvent::ParticipantWithdrawn,
            institute_id,
            round_id,
            public_url,
            WebhookData {
                participant_kind: Some(participant_kind.to_owned()),
                participant_id: Some(participant_id),
                ..Default::default()
            },
        )
    }

    /// A lottery with a location of the institute was drawn.
    pub fn lottery_drawn(institute_id: Uuid, lottery_id: Uuid, public_url: &str) -> Self {
        let base = base(public_url);
        Self {
            kind: WebhookEvent::LotteryDrawn,
            data: WebhookData {
                institute_id,
                lottery_id: Some(lottery_id),
                links: WebhookLinks {
                    verification: Some(format!(
                        "{base}/api/v1/lotteries/{lottery_id}/verification"
                    )),
                    statistics: Some(format!("{base}/api/v1/statistics/lotteries/{lottery_id}")),
                    ..Default::default()
                },
                ..Default::default()
            },
        }
    }

    /// A second-chance offer for a location of the institute was decided (`accepted`,
    /// `declined` or `expired`).
    pub fn lottery_offer_decided(
        institute_id: Uuid,
        lottery_id: Uuid,
        offer_id: Uuid,
        location_id: &str,
        decision: &str,
        public_url: &str,
    ) -> Self {
        let base = base(public_url);
        Self {
            kind: WebhookEvent::LotteryOfferDecided,
            data: WebhookData {
                institute_id,
                lottery_id: Some(lottery_id),
                offer_id: Some(offer_id),
                location_id: Some(location_id.to_owned()),
                decision: Some(decision.to_owned()),
                links: WebhookLinks {
                    placed_candidates: Some(format!(
                        "{base}/api/v1/institutes/{institute_id}/placed-candidates"
                    )),
                    ..Default::default()
                },
                ..Default::default()
            },
        }
    }

    /// A test, sent to one endpoint on request.
    pub fn test(institute_id: Uuid, endpoint_id: Uuid) -> Self {
        Self {
            kind: WebhookEvent::WebhookTest,
            data: WebhookData {
                institute_id,
                endpoint_id: Some(endpoint_id),
                ..Default::default()
            },
        }
    }

    fn of_round(
        kind: WebhookEvent,
        institute_id: Uuid,
        round_id: Uuid,
        public_url: &str,
        data: WebhookData,
    ) -> Self {
        Self {
            kind,
            data: WebhookData {
                institute_id,
                round_id: Some(round_id),
                links: WebhookLinks {
                    round: Some(format!("{}/api/v1/rounds/{round_id}", base(public_url))),
                    ..Default::default()
                },
                ..data
            },
        }
    }

    /// The body sent: `{"type", "timestamp", "data"}` (`WebhookPayload`).
    pub fn payload(&self, now: DateTime<Utc>) -> String {
        let payload = WebhookPayload {
            event: self.kind,
            timestamp: now.trunc_subsecs(0),
            data: self.data.clone(),
        };
        serde_json::to_string(&payload).unwrap_or_default()
    }
}

fn base(public_url: &str) -> &str {
    public_url.trim_end_matches('/')
}

/// Queues `event` for each of its institute's endpoints that wants it, inside the caller's
/// transaction; answers how many deliveries were queued.
pub async fn emit(
    db: &impl ConnectionTrait,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    webhooks::enqueue(
        db,
        event.data.institute_id,
        event.kind.as_str(),
        &event.payload(now),
        now,
    )
    .await
}

/// Checks a webhook URL: `https://` with a host, no user name or password, at most
/// [`MAX_URL_CHARS`] characters as normalised, and no address literal outside the public
/// internet. With `allow_loopback` (tests and local trials) the loopback address is allowed too,
/// over plain `http://` as well. Host names are checked when they are resolved, at each delivery.
pub fn check_url(url: &str, allow_loopback: bool) -> Result<reqwest::Url, String> {
    if url.chars().count() > MAX_URL_CHARS {
        return Err(format!("must be at most {MAX_URL_CHARS} characters"));
    }
    let parsed = reqwest::Url::parse(url).map_err(|error| format!("is not a URL: {error}"))?;
    if parsed.as_str().chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "must be at most {MAX_URL_CHARS} characters once written out (non-ASCII characters take several)"
        ));
    }
    let (loopback, public) = match parsed.host() {
        None => return Err("must name a host".to_owned()),
        Some(url::Host::Domain(name)) => {
            let loopback = name.eq_ignore_ascii_case("localhost");
            (loopback, !loopback)
        }
        Some(url::Host::Ipv4(ip)) => (ip.is_loopback(), is_public(IpAddr::V4(ip))),
        Some(url::Host::Ipv6(ip)) => (ip.is_loopback(), is_public(IpAddr::V6(ip))),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not hold a user name or password".to_owned());
    }
    let allowed = public || (allow_loopback && loopback);
    if !allowed {
        return Err("must be an address on the public internet".to_owned());
    }
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if allow_loopback && loopback => Ok(parsed),
        "http" => Err("must be an https:// URL".to_owned()),
        other => Err(format!("must be an https:// URL, not {other}://")),
    }
}

/// Whether a delivery may go to `ip`: not loopback, private, link-local, shared (CGNAT),
/// unique-local, multicast, documentation, benchmarking or unspecified, so an endpoint cannot
/// point the worker at the server's own network.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => {
            let [a, b, ..] = ip.octets();
            !(ip.is_loopback()
                || ip.is_private()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast()
                || ip.is_multicast()
                || ip.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(ip) => {
            let [first, second, third, fourth, fifth, sixth, high, low] = ip.segments();
            let embedded = Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
            // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64
            // (64:ff9b::a.b.c.d) addresses reach the IPv4 address they carry.
            if [first, second, third, fourth, fifth] == [0; 5]
                && (sixth == 0 || sixth == 0xffff)
                && !ip.is_loopback()
                && !ip.is_unspecified()
                || [first, second, third, fourth, fifth, sixth] == [0x64, 0xff9b, 0, 0, 0, 0]
            {
                return is_public(IpAddr::V4(embedded));
            }
            !(ip.is_loopback()
                || ip.is_unspecified()
                || ip.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2002
                || (first == 0x2001 && second == 0x0db8))
        }
    }
}

/// The owner string an endpoint's secret is sealed for.
pub fn sealing_owner(endpoint_id: Uuid) -> String {
    format!("webhook:{endpoint_id}")
}

/// Registers an endpoint; answers it with its secret, which is never shown again.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    request: &CreateWebhookRequest,
) -> Result<(webhook_endpoint::Model, String), ApiError> {
    access(state, principal, institute_id).await?;
    let mut errors = Vec::new();
    let url = check_url(request.url.trim(), state.webhooks_allow_loopback_http)
        .map_err(|message| errors.push(("url", message)))
        .ok();
    if request.events.is_empty() {
        errors.push(("events", "name at least one event".to_owned()));
    }
    let description = match request.description.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) if text.chars().count() > 200 => {
            errors.push(("description", "must be at most 200 characters".to_owned()));
            None
        }
        Some(text) => Some(text.to_owned()),
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(
            errors
                .into_iter()
                .map(|(field, message)| koppel_api_types::FieldError {
                    field: field.to_owned(),
                    message,
                })
                .collect(),
        ));
    }
    let Some(url) = url else {
        return Err(ApiError::field("url", "is invalid"));
    };
    let host = url.host_str().unwrap_or_default().to_owned();
    let events: Vec<&str> = WebhookEvent::ALL
        .into_iter()
        .filter(|event| request.events.contains(event))
        .map(WebhookEvent::as_str)
        .collect();
    let key: [u8; 32] = rand::random();
    let secret = format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    );
    let id = Uuid::new_v4();
    let now = Utc::now();
    let row = webhook_endpoint::Model {
        id,
        institute_id,
        url: url.into(),
        events: events.join(","),
        description,
        secret_sealed: state.totp_key.seal_bytes(&sealing_owner(id), &key),
        created_by: principal.user_id,
        created_at: now,
    };
    let txn = crate::store::begin(&state.db).await?;
    // Counted in the transaction (on SQLite it holds the write lock already).
    if webhooks::endpoints(&txn, institute_id).await?.len() >= MAX_ENDPOINTS {
        return Err(ApiError::Conflict(format!(
            "an institute has at most {MAX_ENDPOINTS} webhook endpoints; delete one first"
        )));
    }
    webhooks::insert_endpoint(&txn, row.clone()).await?;
    // The host only: a URL's path or query may hold the receiver's own token.
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "webhook.created",
        format!("webhook endpoint {id} at {host} created: {}", row.events),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok((row, secret))
}

/// The institute's endpoints, each with how many deliveries have not arrived.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<(webhook_endpoint::Model, u64)>, ApiError> {
    access(state, principal, institute_id).await?;
    let failing = webhooks::undelivered_counts(&state.db, institute_id).await?;
    Ok(webhooks::endpoints(&state.db, institute_id)
        .await?
        .into_iter()
        .map(|row| {
            let count = failing.get(&row.id).copied().unwrap_or(0);
            (row, count)
        })
        .collect())
}

/// Deletes an endpoint and its log; nothing more is sent to it.
pub async fn delete(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
) -> Result<(), ApiError> {
    access(state, principal, institute_id).await?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    if !webhooks::delete_endpoint(&txn, institute_id, id).await? {
        return Err(not_found(id));
    }
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "webhook.deleted",
        format!("webhook endpoint {id} deleted"),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An endpoint's latest deliveries, newest first.
pub async fn deliveries(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
) -> Result<Vec<webhook_delivery::Model>, ApiError> {
    endpoint(state, principal, institute_id, id).await?;
    Ok(webhooks::deliveries(&state.db, id, LOG_LENGTH).await?)
}

/// Sends a delivery again, with the same `webhook-id`, from its first attempt.
pub async fn redeliver(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
    delivery_id: Uuid,
) -> Result<(), ApiError> {
    endpoint(state, principal, institute_id, id).await?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    match webhooks::redeliver(&txn, id, delivery_id, now).await? {
        webhooks::Redelivery::Queued => {
            Entry::in_institute(
                institute_id,
                principal.user_id,
                "webhook.redelivered",
                format!("delivery {delivery_id} of webhook endpoint {id} queued again"),
            )
            .append(&txn, now)
            .await?;
            txn.commit().await?;
            Ok(())
        }
        webhooks::Redelivery::Busy => Err(ApiError::Conflict(
            "this delivery is being sent right now; look at the log again in a minute".to_owned(),
        )),
        webhooks::Redelivery::Missing => Err(ApiError::NotFound(format!(
            "delivery '{delivery_id}' of this endpoint does not exist"
        ))),
    }
}

/// Queues a `webhook.test` event for one endpoint; answers the delivery.
pub async fn send_test(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
) -> Result<webhook_delivery::Model, ApiError> {
    endpoint(state, principal, institute_id, id).await?;
    let event = Event::test(institute_id, id);
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let delivery =
        webhooks::enqueue_for(&txn, id, event.kind.as_str(), &event.payload(now), now).await?;
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "webhook.tested",
        format!("test event sent to webhook endpoint {id}"),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(delivery)
}

async fn access(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<(), ApiError> {
    super::people::access(state, principal, institute_id, &MANAGERS).await?;
    if principal.key_scopes.is_some() {
        return Err(ApiError::Forbidden(
            "an API key cannot manage webhooks".to_owned(),
        ));
    }
    Ok(())
}

async fn endpoint(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
) -> Result<webhook_endpoint::Model, ApiError> {
    access(state, principal, institute_id).await?;
    webhooks::endpoint(&state.db, institute_id, id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!(
        "webhook endpoint '{id}' does not exist in this institute"
    ))
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn only_https_or_loopback_http_when_allowed() {
        assert!(check_url("https://rooster.example.nl/hook", false).is_ok());
        assert!(check_url("http://rooster.example.nl/hook", true).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", false).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_url("http://[::1]:9000/hook", true).is_ok());
        assert!(check_url("https://user:pw@example.nl/", false).is_err());
        assert!(check_url("ftp://example.nl/", false).is_err());
        assert!(check_url("rooster", false).is_err());
        // Not the server's own network, whatever the scheme.
        for inside in [
            "https://10.0.0.5/hook",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::127.0.0.1]/",
            "https://[64:ff9b::a00:5]/",
            "https://[2002:a00:5::1]/",
            "https://127.0.0.1/",
            "https://localhost/",
            "https://100.64.0.1/",
        ] {
            assert!(check_url(inside, false).is_err(), "{inside}");
        }
        assert!(check_url("https://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_url("https://93.184.215.14/hook", false).is_ok());
        // Written out, é takes six characters.
        let long = format!("https://rooster.example.nl/{}", "é".repeat(400));
        assert!(check_url(&long, false).is_err());
    }
}

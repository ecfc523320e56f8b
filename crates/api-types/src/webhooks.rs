//! Webhooks: an institute's systems are told when something happens, instead of polling.
//!
//! Deliveries follow the Standard Webhooks specification (<https://www.standardwebhooks.com>):
//! a `POST` with a JSON body `{"type", "timestamp", "data"}` and the headers `webhook-id`,
//! `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 over
//! "<id>.<timestamp>.<body>">`, keyed with the endpoint's secret after its `whsec_` prefix,
//! base64-decoded). An event carries ids and links, never rankings or vetoes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookEvent {
    /// A round moved to another phase (by a coordinator or by its calendar). Data: `round_id`,
    /// `from`, `to`, `by` (`coordinator` or `calendar`).
    #[serde(rename = "round.phase_changed")]
    RoundPhaseChanged,
    /// A round's interview proposal was published to its participants. Data: `round_id`.
    #[serde(rename = "interview_proposal.published")]
    InterviewProposalPublished,
    /// A round's coupling run was published. Data: `round_id`, `run_id`.
    #[serde(rename = "coupling.published")]
    CouplingPublished,
    /// A participant dropped out of a round. Data: `round_id`, `participant_kind` (`trainee`
    /// or `trainer`), `participant_id`; never the reason.
    #[serde(rename = "participant.withdrawn")]
    ParticipantWithdrawn,
    /// A placement lottery with a location of the institute was drawn. Data: `lottery_id`.
    #[serde(rename = "lottery.drawn")]
    LotteryDrawn,
    /// A second-chance offer for a location of the institute was accepted, declined or
    /// expired. Data: `lottery_id`, `offer_id`, `location_id`, `decision`.
    #[serde(rename = "lottery.offer_decided")]
    LotteryOfferDecided,
    /// Sent on request, to check that an endpoint receives and verifies deliveries.
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

impl WebhookEvent {
    /// Every event.
    pub const ALL: [WebhookEvent; 7] = [
        WebhookEvent::RoundPhaseChanged,
        WebhookEvent::InterviewProposalPublished,
        WebhookEvent::CouplingPublished,
        WebhookEvent::ParticipantWithdrawn,
        WebhookEvent::LotteryDrawn,
        WebhookEvent::LotteryOfferDecided,
        WebhookEvent::WebhookTest,
    ];

    /// The name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RoundPhaseChanged => "round.phase_changed",
            Self::InterviewProposalPublished => "interview_proposal.published",
            Self::CouplingPublished => "coupling.published",
            Self::ParticipantWithdrawn => "participant.withdrawn",
            Self::LotteryDrawn => "lottery.drawn",
            Self::LotteryOfferDecided => "lottery.offer_decided",
            Self::WebhookTest => "webhook.test",
        }
    }

    /// Parses a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.as_str() == name)
    }
}

/// The body of every delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookPayload {
    /// What happened.
    #[serde(rename = "type")]
    pub event: WebhookEvent,
    /// When it happened (whole seconds).
    #[cfg_attr(feature = "openapi", schema(example = "2027-02-01T09:00:00Z"))]
    pub timestamp: DateTime<Utc>,
    /// Ids and links; which appear depends on the event (see `WebhookEvent`).
    pub data: WebhookData,
}

/// What an event is about: ids and links only, never rankings, vetoes or reasons. A field is
/// absent when the event has nothing to say in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookData {
    /// The institute whose endpoints hear of it.
    pub institute_id: Uuid,
    /// The round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_id: Option<Uuid>,
    /// The round's phase before (`round.phase_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "profiles"))]
    pub from: Option<String>,
    /// The round's phase now (`round.phase_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "preferences"))]
    pub to: Option<String>,
    /// Who moved it: `coordinator` or `calendar` (`round.phase_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "calendar"))]
    pub by: Option<String>,
    /// The published coupling run (`coupling.published`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<Uuid>,
    /// `trainee` or `trainer` (`participant.withdrawn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "trainer"))]
    pub participant_kind: Option<String>,
    /// The trainee's or trainer's id (`participant.withdrawn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<Uuid>,
    /// The lottery (`lottery.*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lottery_id: Option<Uuid>,
    /// The second-chance offer (`lottery.offer_decided`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<Uuid>,
    /// The offer's location, as the lottery names it (`lottery.offer_decided`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "noord-a"))]
    pub location_id: Option<String>,
    /// `accepted`, `declined` or `expired` (`lottery.offer_decided`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "accepted"))]
    pub decision: Option<String>,
    /// The endpoint a test was sent to (`webhook.test`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<Uuid>,
    /// Where to read more through the API (with the institute's credentials).
    #[serde(default, skip_serializing_if = "WebhookLinks::is_empty")]
    pub links: WebhookLinks,
}

/// Absolute API URLs about an event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookLinks {
    /// `GET /rounds/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
    /// `GET /rounds/{id}/coupling-runs/{run_id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// `GET /lotteries/{id}/verification` (public).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<String>,
    /// `GET /statistics/lotteries/{id}` (public).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<String>,
    /// `GET /institutes/{id}/placed-candidates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed_candidates: Option<String>,
}

impl WebhookLinks {
    /// Whether it holds no link.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Register an endpoint that receives the institute's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// Where deliveries are posted: an `https://` URL (plain `http://` only to the loopback
    /// address, and only when the server allows it for tests), without user name or password.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = "^https?://",
            example = "https://rooster.example.nl/koppel/webhooks"
        )
    )]
    pub url: String,
    /// The events wanted; at least one.
    #[cfg_attr(
        feature = "openapi",
        schema(min_items = 1, example = json!(["round.phase_changed", "coupling.published"]))
    )]
    pub events: Vec<WebhookEvent>,
    /// What the endpoint is for.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, example = "Roostersysteem")
    )]
    pub description: Option<String>,
}

/// A registered endpoint, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookResponse {
    /// Id.
    pub id: Uuid,
    /// Where deliveries go.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://rooster.example.nl/koppel/webhooks")
    )]
    pub url: String,
    /// The events it receives.
    pub events: Vec<WebhookEvent>,
    /// What it is for.
    pub description: Option<String>,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// Deliveries that have not (yet) arrived: waiting for a retry, or given up.
    pub failing: u64,
}

/// A new endpoint with its signing secret, which is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookCreatedResponse {
    /// The endpoint.
    #[serde(flatten)]
    pub endpoint: WebhookResponse,
    /// The signing secret (`whsec_` and 32 random bytes in base64), for verifying
    /// `webhook-signature`.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3Ib6Lq9uXfQ=")
    )]
    pub secret: String,
}

/// The institute's endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookListResponse {
    /// Endpoints, oldest first.
    pub items: Vec<WebhookResponse>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookDeliveryStatus {
    /// Not sent yet, or waiting for the next attempt.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Every attempt failed; it is sent again only on request (redeliver).
    Failed,
}

/// One event sent (or to be sent) to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryResponse {
    /// Id; the `webhook-id` header, the same on every attempt, so a receiver can skip repeats.
    pub id: Uuid,
    /// The event.
    pub event: WebhookEvent,
    /// Where it stands.
    pub status: WebhookDeliveryStatus,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// Attempts so far.
    pub attempts: i32,
    /// When it arrived.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// HTTP status of the last answer, if there was one.
    pub last_status: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The body as sent.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Object, example = json!({"type": "coupling.published", "timestamp": "2027-02-01T09:00:00Z", "data": {"institute_id": "3f0c1b6e-2d7a-4c55-9a51-0d6f5d1a7b20", "round_id": "8a4e6f0c-1c2b-4d3e-9f5a-6b7c8d9e0f1a", "run_id": "5b2d7e9f-3a4c-4b6d-8e1f-2a3b4c5d6e7f", "links": {"round": "https://koppel.example.nl/api/v1/rounds/8a4e6f0c-1c2b-4d3e-9f5a-6b7c8d9e0f1a", "run": "https://koppel.example.nl/api/v1/rounds/8a4e6f0c-1c2b-4d3e-9f5a-6b7c8d9e0f1a/coupling-runs/5b2d7e9f-3a4c-4b6d-8e1f-2a3b4c5d6e7f"}}}))
    )]
    pub payload: serde_json::Value,
}

/// An endpoint's deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryListResponse {
    /// The latest 100, newest first.
    pub items: Vec<WebhookDeliveryResponse>,
}

//! Institutes and their users.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Locale, Role, UserStatus};

/// Create an institute (administrators only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInstituteRequest {
    /// Name of the institute, unique on the platform.
    #[cfg_attr(feature = "openapi", schema(example = "Huisartsopleiding Noord"))]
    pub name: String,
}

/// An institute (opleidingsinstituut).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstituteResponse {
    /// Institute id.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "0b9f6a9e-4c1d-4f0e-9a51-6f2f3d7c8b10")
    )]
    pub id: Uuid,
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Huisartsopleiding Noord"))]
    pub name: String,
    /// When it was created.
    #[cfg_attr(feature = "openapi", schema(example = "2026-11-22T09:30:00Z"))]
    pub created_at: DateTime<Utc>,
    /// Whether its coordinators must sign in with a second factor (TOTP).
    pub require_two_factor: bool,
    /// Months after a round closes that its vetoes, rankings, coupling runs, CVs and photos are
    /// kept before they are deleted (the couplings and history stay).
    #[cfg_attr(feature = "openapi", schema(example = 12, minimum = 1, maximum = 120))]
    pub retention_months: u32,
    /// Days before each step's deadline that the calendar reminds the participants who have not
    /// done it yet (0 = on the deadline itself).
    #[cfg_attr(feature = "openapi", schema(example = 3, minimum = 0, maximum = 14))]
    pub reminder_days: u8,
}

/// Change an institute's settings (administrators and its coordinators); a setting left out
/// stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateInstituteRequest {
    /// Whether its coordinators (A-team and O-team) must sign in with a second factor. From
    /// then on, a coordinator without it may only enrol until they have.
    #[serde(default)]
    pub require_two_factor: Option<bool>,
    /// Months after a round closes that its personal data is kept: 1 to 120 (12 by default).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 12, minimum = 1, maximum = 120))]
    pub retention_months: Option<u16>,
    /// Days before each step's deadline that reminders go: 0 to 14 (3 by default).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 3, minimum = 0, maximum = 14))]
    pub reminder_days: Option<u8>,
}

/// Institutes the caller may see: all for administrators, their own for everyone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstituteListResponse {
    /// The institutes, by name.
    pub items: Vec<InstituteResponse>,
}

/// Invite a user to an institute. They get a mail with an activation link.
///
/// Administrators may invite every institute role; the A-team invites trainees and the O-team
/// invites trainers of their own institute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteUserRequest {
    /// E-mail address, unique on the platform.
    #[cfg_attr(feature = "openapi", schema(example = "j.jansen@example.nl"))]
    pub email: String,
    /// Name as shown in the product.
    #[cfg_attr(feature = "openapi", schema(example = "Jan Jansen"))]
    pub display_name: String,
    /// One of `trainee_team`, `trainer_team`, `trainee`, `trainer`.
    pub role: Role,
    /// Language of the invitation mail and the interface; Dutch when absent.
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// Change a user's role or status (administrators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// New role: `trainee_team`, `trainer_team`, `trainee` or `trainer`.
    #[serde(default)]
    pub role: Option<Role>,
    /// `deactivated` to end access (sign-ins end at once), `active` to restore it.
    #[serde(default)]
    pub status: Option<UserStatus>,
}

/// A user of an institute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserResponse {
    /// User id.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d")
    )]
    pub id: Uuid,
    /// E-mail address.
    #[cfg_attr(feature = "openapi", schema(example = "j.jansen@example.nl"))]
    pub email: String,
    /// Name as shown in the product.
    #[cfg_attr(feature = "openapi", schema(example = "Jan Jansen"))]
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Account status.
    pub status: UserStatus,
    /// Preferred language.
    pub locale: Locale,
    /// Institute id; absent for administrators and lottery candidates.
    pub institute_id: Option<Uuid>,
    /// When the account was created.
    #[cfg_attr(feature = "openapi", schema(example = "2026-11-22T09:30:00Z"))]
    pub created_at: DateTime<Utc>,
    /// Whether the user signs in with a second factor.
    pub two_factor: bool,
}

/// Users of one institute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserListResponse {
    /// The users, by name.
    pub items: Vec<UserResponse>,
}

/// A mail in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMailResponse {
    /// Id.
    pub id: Uuid,
    /// Kind, e.g. `invitation`, `interviews_published`, `coupling_result`.
    #[cfg_attr(feature = "openapi", schema(example = "invitation"))]
    pub kind: String,
    /// Recipient.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// When queued.
    pub created_at: DateTime<Utc>,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// When delivered; absent while waiting (or without SMTP).
    pub sent_at: Option<DateTime<Utc>>,
    /// Error of the last failed attempt.
    pub last_error: Option<String>,
}

/// The newest mails of an institute (at most 200), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxListResponse {
    /// The mails.
    pub items: Vec<OutboxMailResponse>,
}

/// What an API key may do (see the README's table of which operation needs which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApiKeyScope {
    /// Read trainees, trainers, practices and their profiles.
    #[serde(rename = "people:read")]
    PeopleRead,
    /// Create, change and import trainees, trainers and practices.
    #[serde(rename = "people:write")]
    PeopleWrite,
    /// Read rounds, their progress, proposals, runs and vetoes.
    #[serde(rename = "rounds:read")]
    RoundsRead,
    /// Change rounds: participants, phases, proposals, runs, publication.
    #[serde(rename = "rounds:write")]
    RoundsWrite,
    /// Read the institute's outbox.
    #[serde(rename = "outbox:read")]
    OutboxRead,
    /// Use the matcher (`/solve/*`).
    #[serde(rename = "solve")]
    Solve,
}

impl ApiKeyScope {
    /// Every scope.
    pub const ALL: [ApiKeyScope; 6] = [
        ApiKeyScope::PeopleRead,
        ApiKeyScope::PeopleWrite,
        ApiKeyScope::RoundsRead,
        ApiKeyScope::RoundsWrite,
        ApiKeyScope::OutboxRead,
        ApiKeyScope::Solve,
    ];

    /// The name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PeopleRead => "people:read",
            Self::PeopleWrite => "people:write",
            Self::RoundsRead => "rounds:read",
            Self::RoundsWrite => "rounds:write",
            Self::OutboxRead => "outbox:read",
            Self::Solve => "solve",
        }
    }

    /// Parses a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == name)
    }
}

/// Create an API key for one of the institute's own systems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for.
    #[cfg_attr(feature = "openapi", schema(example = "Roostersysteem"))]
    pub name: String,
    /// What it may do; at least one. Absent: read only (`people:read`, `rounds:read`).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_items = 1, example = json!(["people:read", "rounds:read"]))
    )]
    pub scopes: Option<Vec<ApiKeyScope>>,
    /// Its last day (UTC); at most two years ahead. Absent: a year from now.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2027-12-01"))]
    pub expires_on: Option<NaiveDate>,
}

/// A new API key. The key is shown this once; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyCreatedResponse {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// The key: send it as `Authorization: Bearer <key>`.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "kpl_q3Xv0kYp7sJ2mW9dZr4tLb8nHc1eFa6uGi5oKj0yTwE")
    )]
    pub key: String,
    /// Its first characters, to recognise it in lists.
    #[cfg_attr(feature = "openapi", schema(example = "kpl_q3Xv0kYp"))]
    pub prefix: String,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// What it may do.
    pub scopes: Vec<ApiKeyScope>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// An API key, without the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyResponse {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Its first characters.
    pub prefix: String,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// What it may do.
    pub scopes: Vec<ApiKeyScope>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Who made it; it stops working when their account is deactivated.
    pub created_by: Uuid,
    /// When last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// API keys of an institute, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyListResponse {
    /// The keys.
    pub items: Vec<ApiKeyResponse>,
}

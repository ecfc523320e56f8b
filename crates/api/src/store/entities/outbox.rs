//! `outbox` table.

use sea_orm::entity::prelude::*;

/// A mail waiting to be sent (or sent), written in the same transaction as its cause.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute the mail concerns, if any.
    pub institute_id: Option<Uuid>,
    /// Kind of mail, e.g. `invitation`.
    pub kind: String,
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// Earliest time of the next attempt.
    pub next_attempt_at: DateTimeUtc,
    /// When it was delivered.
    pub sent_at: Option<DateTimeUtc>,
    /// Error of the last failed attempt.
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// A delivery worker holds the mail until then.
    pub claimed_until: Option<DateTimeUtc>,
    /// The kind of one-time link to make when the mail leaves (`activation`, `password_reset`).
    pub link_purpose: Option<String>,
    /// The account that link opens.
    pub link_user_id: Option<Uuid>,
    /// How long that link works after the mail left, in seconds.
    pub link_valid_seconds: Option<i64>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

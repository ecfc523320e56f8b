//! `webhook_deliveries` table.

use sea_orm::entity::prelude::*;

/// One event for one endpoint, written in the same transaction as its cause.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// Id, sent as `webhook-id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The endpoint.
    pub endpoint_id: Uuid,
    /// Event name.
    pub event: String,
    /// The JSON body.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    /// When the event happened.
    pub created_at: DateTimeUtc,
    /// Attempts so far.
    pub attempts: i32,
    /// Earliest time of the next attempt.
    pub next_attempt_at: DateTimeUtc,
    /// A worker holds it until then.
    pub claimed_until: Option<DateTimeUtc>,
    /// The holding worker's token: only it records the attempt.
    pub claim_token: Option<Uuid>,
    /// When the endpoint answered 2xx.
    pub delivered_at: Option<DateTimeUtc>,
    /// HTTP status of the last answer.
    pub last_status: Option<i32>,
    /// Why the last attempt failed.
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

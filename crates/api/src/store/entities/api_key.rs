//! `api_keys` table.

use sea_orm::entity::prelude::*;

/// An API key of an institute's system (stored hashed).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Name given by the coordinator.
    pub name: String,
    /// Hex SHA-256 of the key.
    #[sea_orm(unique)]
    pub key_hash: String,
    /// The key's first characters, to recognise it.
    pub prefix: String,
    /// Who created it.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
    /// When last used.
    pub last_used_at: Option<DateTimeUtc>,
    /// When revoked.
    pub revoked_at: Option<DateTimeUtc>,
    /// Scopes, comma-separated (NULL: a key from before scopes, which has them all).
    pub scopes: Option<String>,
    /// When it stops working (NULL: a year after `created_at`).
    pub expires_at: Option<DateTimeUtc>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

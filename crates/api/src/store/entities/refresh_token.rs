//! `refresh_tokens` table.

use sea_orm::entity::prelude::*;

/// A refresh token (stored hashed). Tokens rotated from one login share a family.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Owner.
    pub user_id: Uuid,
    /// Shared by every token rotated from the same login.
    pub family_id: Uuid,
    /// Hex SHA-256 of the token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Expiry.
    pub expires_at: DateTimeUtc,
    /// When it was exchanged for a new token.
    pub used_at: Option<DateTimeUtc>,
    /// When it was revoked (logout or reuse detected).
    pub revoked_at: Option<DateTimeUtc>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `users` table.

use sea_orm::entity::prelude::*;

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute, for institute roles.
    pub institute_id: Option<Uuid>,
    /// Normalised e-mail address, unique.
    #[sea_orm(unique)]
    pub email: String,
    /// Name as shown.
    pub display_name: String,
    /// `Role` in snake_case.
    pub role: String,
    /// `UserStatus` in snake_case.
    pub status: String,
    /// Argon2id PHC string; absent until activation.
    #[sea_orm(column_type = "Text", nullable)]
    pub password_hash: Option<String>,
    /// `Locale` code.
    pub locale: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

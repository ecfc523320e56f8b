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
    /// The TOTP secret, sealed (see `auth::totp::SealingKey`), while two-factor sign-in is on.
    pub totp_secret: Option<String>,
    /// A sealed TOTP secret being enrolled, until a code confirms it.
    pub totp_pending_secret: Option<String>,
    /// When two-factor sign-in was turned on.
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The last TOTP step used to sign in: no code of it or an earlier step works again.
    pub totp_last_step: Option<i64>,
    /// SHA-256 hashes of the unused recovery codes, space-separated.
    #[sea_orm(column_type = "Text", nullable)]
    pub recovery_codes: Option<String>,
    /// SHA-256 of the secret in the user's calendar feed URL, while they have one.
    pub calendar_key_hash: Option<String>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Refresh and activation tokens, stored as hashes.
//!
//! Using a token is one conditional `UPDATE ... WHERE used_at IS NULL`, so two requests (or two
//! server processes) racing with the same token cannot both succeed.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{activation_token, refresh_token};

/// Stores a new refresh token.
pub async fn insert_refresh(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = refresh_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        family_id: Set(family_id),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    };
    refresh_token::Entity::insert(row).exec(db).await?;
    Ok(())
}

/// What happened when a refresh token was presented.
#[derive(Debug, PartialEq, Eq)]
pub enum RefreshUse {
    /// It was valid and is now used: issue the next token in `family_id`.
    Rotated {
        /// Owner.
        user_id: Uuid,
        /// Family to continue.
        family_id: Uuid,
    },
    /// It was already used or revoked: someone replayed it.
    Replayed {
        /// Family to revoke.
        family_id: Uuid,
    },
    /// Unknown or expired.
    Invalid,
}

/// Marks a refresh token used, if it is still valid.
pub async fn use_refresh(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<RefreshUse, DbErr> {
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(RefreshUse::Invalid);
    };
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    Ok(if claimed {
        RefreshUse::Rotated {
            user_id: row.user_id,
            family_id: row.family_id,
        }
    } else if row.used_at.is_some() || row.revoked_at.is_some() {
        RefreshUse::Replayed {
            family_id: row.family_id,
        }
    } else {
        RefreshUse::Invalid
    })
}

/// Revokes every token of a family (logout, or a replay detected).
pub async fn revoke_family(
    db: &impl ConnectionTrait,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Some(now)))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every refresh token of a user (password change or reset, deactivation), except those
/// of the sign-in `keep`.
pub async fn revoke_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Some(now)))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(refresh_token::Column::FamilyId.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}

/// The family of a refresh token, if the token is known.
pub async fn refresh_family(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Uuid>, DbErr> {
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(|row| row.family_id))
}

/// What a one-time token is for; one kind cannot be used as the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Choose the first password of an invited account.
    Activation,
    /// Choose a new password for an active account.
    PasswordReset,
}

impl Purpose {
    /// The name stored with the token (and with an outbox mail that will carry one).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activation => "activation",
            Self::PasswordReset => "password_reset",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Activation, Self::PasswordReset]
            .into_iter()
            .find(|purpose| purpose.as_str() == name)
    }
}

/// Stores a new one-time token.
pub async fn insert_one_time(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = activation_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        purpose: Set(purpose.as_str().to_owned()),
    };
    activation_token::Entity::insert(row).exec(db).await?;
    Ok(())
}

/// Marks a one-time token of `purpose` used if it is unused and unexpired; answers its user.
pub async fn use_one_time(
    db: &impl ConnectionTrait,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, DbErr> {
    let Some(row) = activation_token::Entity::find()
        .filter(activation_token::Column::TokenHash.eq(token_hash))
        .filter(activation_token::Column::Purpose.eq(purpose.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let claimed = activation_token::Entity::update_many()
        .col_expr(activation_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(activation_token::Column::Id.eq(row.id))
        .filter(activation_token::Column::UsedAt.is_null())
        .filter(activation_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    Ok(claimed.then_some(row.user_id))
}

/// The owner of a one-time token that could be used now, without using it (checked before a
/// new password is hashed, so a made-up token costs no hashing).
pub async fn usable_one_time(
    db: &impl ConnectionTrait,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, DbErr> {
    Ok(activation_token::Entity::find()
        .filter(activation_token::Column::TokenHash.eq(token_hash))
        .filter(activation_token::Column::Purpose.eq(purpose.as_str()))
        .filter(activation_token::Column::UsedAt.is_null())
        .filter(activation_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|row| row.user_id))
}

/// Marks every unused one-time token of a user used (after a password was set with one).
pub async fn spend_all_one_time(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    activation_token::Entity::update_many()
        .col_expr(activation_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(activation_token::Column::UserId.eq(user_id))
        .filter(activation_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

//! Queries on an account's two-factor sign-in: its sealed TOTP secret, the last step used and
//! its recovery codes. Using a step or a recovery code is one conditional update, so two
//! sign-ins at once cannot both use the same one.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr};
use sea_orm::{Condition, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::user;

/// An account's two-factor state as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwoFactor {
    /// The sealed secret, while two-factor sign-in is on.
    pub secret: Option<String>,
    /// The sealed secret being enrolled.
    pub pending: Option<String>,
    /// When it was turned on.
    pub enabled_at: Option<DateTime<Utc>>,
    /// The last step used.
    pub last_step: Option<i64>,
    /// Hashes of the unused recovery codes.
    pub recovery_codes: Vec<String>,
}

/// The two-factor state of an account.
pub async fn find(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<TwoFactor>, DbErr> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|row| TwoFactor {
            secret: row.totp_secret,
            pending: row.totp_pending_secret,
            enabled_at: row.totp_enabled_at,
            last_step: row.totp_last_step,
            recovery_codes: split(row.recovery_codes.as_deref()),
        }))
}

fn split(codes: Option<&str>) -> Vec<String> {
    codes
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Keeps a sealed secret being enrolled (replacing an earlier one not yet confirmed).
pub async fn set_pending(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    sealed: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    user::ActiveModel {
        id: Set(user_id),
        totp_pending_secret: Set(Some(sealed.to_owned())),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Turns two-factor sign-in on with the confirmed secret, the step its confirming code used
/// and the hashes of fresh recovery codes.
pub async fn enable(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    sealed: &str,
    step: i64,
    recovery_hashes: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    user::ActiveModel {
        id: Set(user_id),
        totp_secret: Set(Some(sealed.to_owned())),
        totp_pending_secret: Set(None),
        totp_enabled_at: Set(Some(now)),
        totp_last_step: Set(Some(step)),
        recovery_codes: Set(Some(recovery_hashes.join(" "))),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Records `step` as used, if it is later than the last one used; false if it was not (a code
/// replayed, or used by a sign-in at the same moment).
pub async fn claim_step(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    step: i64,
) -> Result<bool, DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    let result = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Uses up the recovery code with `hash`; false if the account has no such unused code.
pub async fn use_recovery_code(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    hash: &str,
) -> Result<bool, DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    let Some(row) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(false);
    };
    let codes = split(row.recovery_codes.as_deref());
    if !codes.iter().any(|code| code == hash) {
        return Ok(false);
    }
    let left: Vec<String> = codes.into_iter().filter(|code| code != hash).collect();
    // Only if nobody used a code in between: the same code cannot work twice.
    let result = user::Entity::update_many()
        .col_expr(user::Column::RecoveryCodes, Expr::value(left.join(" ")))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::RecoveryCodes.eq(row.recovery_codes.unwrap_or_default()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Turns two-factor sign-in off: secret, pending secret and recovery codes are removed.
pub async fn turn_off(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    user::ActiveModel {
        id: Set(user_id),
        totp_secret: Set(None),
        totp_pending_secret: Set(None),
        totp_enabled_at: Set(None),
        recovery_codes: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

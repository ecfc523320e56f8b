//! Sign-ins (`sessions`): made at sign-in, checked on every request with an access token, ended
//! by logout, a password change or reset, or a replayed refresh token.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::session;

/// A sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    /// Id (the `sid` of its access tokens and the family of its refresh tokens).
    pub id: Uuid,
    /// Who signed in.
    pub user_id: Uuid,
    /// The absolute end.
    pub expires_at: DateTime<Utc>,
}

/// Starts a sign-in for `user_id` that ends at `expires_at` at the latest.
pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Session, DbErr> {
    let id = Uuid::new_v4();
    session::Entity::insert(session::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ended_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(Session {
        id,
        user_id,
        expires_at,
    })
}

/// The sign-in `id`, if it has neither ended nor expired at `now`.
pub async fn live(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Session>, DbErr> {
    Ok(session::Entity::find_by_id(id)
        .filter(session::Column::EndedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|row| Session {
            id: row.id,
            user_id: row.user_id,
            expires_at: row.expires_at,
        }))
}

/// A live sign-in with its account, in one query: what the account check needs on every
/// request.
pub async fn live_with_user(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<(Session, super::users::User)>, DbErr> {
    let Some((row, Some(user))) = session::Entity::find_by_id(id)
        .filter(session::Column::EndedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .find_also_related(super::entities::user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let user =
        super::users::User::try_from(user).map_err(|error| DbErr::Custom(format!("{error:#}")))?;
    Ok(Some((
        Session {
            id: row.id,
            user_id: row.user_id,
            expires_at: row.expires_at,
        },
        user,
    )))
}

/// Ends one sign-in.
pub async fn end(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(Some(now)))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every sign-in of a user, except `keep` when given.
pub async fn end_all(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(Some(now)))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::EndedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}

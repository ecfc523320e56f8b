//! Counters of failed sign-ins per key (see `auth::throttle` for the policy). An increment is one
//! conditional update, so concurrent failures, also from several server processes, all count.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::entities::sign_in_throttle as entity;

/// Failures in a row for `key`, and the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// How many.
    pub count: i32,
    /// The latest.
    pub last: DateTime<Utc>,
}

/// The recorded failures of `key`, if any.
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<Failures>, DbErr> {
    Ok(entity::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|row| Failures {
            count: row.failures,
            last: row.last_failure_at,
        }))
}

/// Counts a failure for `key` at `now`. A count whose latest failure is older than `forget_before`
/// starts again at 1.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> Result<(), DbErr> {
    let counted = entity::Entity::update_many()
        .col_expr(
            entity::Column::Failures,
            Expr::col(entity::Column::Failures).add(1),
        )
        .col_expr(entity::Column::LastFailureAt, Expr::value(now))
        .filter(entity::Column::Key.eq(key))
        .filter(entity::Column::LastFailureAt.gte(forget_before))
        .exec(db)
        .await?
        .rows_affected;
    if counted == 0 {
        entity::Entity::insert(entity::ActiveModel {
            key: Set(key.to_owned()),
            failures: Set(1),
            last_failure_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(entity::Column::Key)
                .update_columns([entity::Column::Failures, entity::Column::LastFailureAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Forgets the failures of `key` (after a successful sign-in).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    entity::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

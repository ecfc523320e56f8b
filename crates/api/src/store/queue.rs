//! What the mail outbox and the webhook deliveries share: a table of items that workers claim
//! (one conditional update, so two workers or processes never both get one), attempt, and retry
//! later when an attempt fails.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, UpdateMany,
};

/// A queue table's columns.
pub(super) struct Queue<E: EntityTrait> {
    /// When the item was done (sent, delivered); `NULL` while it is not.
    pub done_at: E::Column,
    /// When the next attempt is due.
    pub next_attempt_at: E::Column,
    /// How many attempts were made.
    pub attempts: E::Column,
    /// Until when a worker's claim holds.
    pub claimed_until: E::Column,
}

impl<E: EntityTrait> Queue<E> {
    /// Not claimed, or the claim ran out before `now`.
    pub fn unclaimed(&self, now: DateTime<Utc>) -> Condition {
        Condition::any()
            .add(self.claimed_until.is_null())
            .add(self.claimed_until.lt(now))
    }

    /// Not done, due at `now`, under the attempt limit, and not claimed.
    pub fn due(&self, now: DateTime<Utc>, max_attempts: i32) -> Condition {
        Condition::all()
            .add(self.done_at.is_null())
            .add(self.next_attempt_at.lte(now))
            .add(self.attempts.lt(max_attempts))
            .add(self.unclaimed(now))
    }

    /// The items due, the longest waiting first.
    pub async fn due_items(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
        max_attempts: i32,
        limit: u64,
    ) -> Result<Vec<E::Model>, DbErr> {
        E::find()
            .filter(self.due(now, max_attempts))
            .order_by_asc(self.next_attempt_at)
            .limit(limit)
            .all(db)
            .await
    }

    /// An update that counts an attempt and ends its claim; the caller adds its outcome and
    /// which item.
    pub fn attempted(&self) -> UpdateMany<E> {
        E::update_many()
            .col_expr(self.attempts, Expr::col(self.attempts).add(1))
            .col_expr(
                self.claimed_until,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
    }
}

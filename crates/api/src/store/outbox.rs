//! The mail outbox: mails are written here in the same transaction as the change that causes
//! them, and delivered later, so a mail is never lost nor sent for a change that rolled back.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::outbox;
use super::queue::Queue;
use crate::mail::Mail;

/// Queues a mail.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    institute_id: Option<Uuid>,
    mail: &Mail,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    let row = outbox::ActiveModel {
        id: Set(id),
        institute_id: Set(institute_id),
        kind: Set(mail.kind.to_owned()),
        recipient: Set(mail.recipient.clone()),
        subject: Set(mail.subject.clone()),
        body: Set(mail.body.clone()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        last_error: Set(None),
        claimed_until: Set(None),
        link_purpose: Set(mail.link.map(|link| link.purpose.as_str().to_owned())),
        link_user_id: Set(mail.link.map(|link| link.user_id)),
        link_valid_seconds: Set(mail.link.map(|link| link.valid_for.num_seconds())),
    };
    outbox::Entity::insert(row).exec(db).await?;
    Ok(id)
}

/// How many mails of `kind` to `recipient` were queued since `since`.
pub async fn recent(
    db: &impl ConnectionTrait,
    kind: &str,
    recipient: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(kind))
        .filter(outbox::Column::Recipient.eq(recipient))
        .filter(outbox::Column::CreatedAt.gte(since))
        .count(db)
        .await
}

/// The outbox as a queue.
const QUEUE: Queue<outbox::Entity> = Queue {
    done_at: outbox::Column::SentAt,
    next_attempt_at: outbox::Column::NextAttemptAt,
    attempts: outbox::Column::Attempts,
    claimed_until: outbox::Column::ClaimedUntil,
};

/// Mails due for delivery: unsent, due, under the attempt limit and not claimed by a worker.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    max_attempts: i32,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    QUEUE.due_items(db, now, max_attempts, limit).await
}

/// Claims a mail for delivery until `until`; answers whether this worker got it. One
/// conditional update, so two workers (or processes) never both get the same mail.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Some(until)))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::SentAt.is_null())
        .filter(QUEUE.unclaimed(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a delivery.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    QUEUE
        .attempted()
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: Uuid,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> Result<(), DbErr> {
    QUEUE
        .attempted()
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(next_attempt_at))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Some(error.to_owned())),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The newest mails of the platform itself (the national lottery, password resets of accounts
/// without an institute).
pub async fn for_platform(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::InstituteId.is_null())
        .order_by_desc(outbox::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}

/// The newest mails of an institute.
pub async fn for_institute(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::InstituteId.eq(institute_id))
        .order_by_desc(outbox::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}

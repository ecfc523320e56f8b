//! Webhook endpoints and their delivery outbox. A delivery is written in the same transaction as
//! the change that causes it, and claimed by one worker at a time (one conditional update), so
//! several server processes on one database send each event once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::{webhook_delivery as delivery, webhook_endpoint as endpoint};
use super::queue::Queue;

/// Stores a new endpoint.
pub async fn insert_endpoint(db: &impl ConnectionTrait, row: endpoint::Model) -> Result<(), DbErr> {
    endpoint::Entity::insert(endpoint::ActiveModel {
        id: Set(row.id),
        institute_id: Set(row.institute_id),
        url: Set(row.url),
        events: Set(row.events),
        description: Set(row.description),
        secret_sealed: Set(row.secret_sealed),
        created_by: Set(row.created_by),
        created_at: Set(row.created_at),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// An institute's endpoints, oldest first.
pub async fn endpoints(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
) -> Result<Vec<endpoint::Model>, DbErr> {
    endpoint::Entity::find()
        .filter(endpoint::Column::InstituteId.eq(institute_id))
        .order_by_asc(endpoint::Column::CreatedAt)
        .order_by_asc(endpoint::Column::Id)
        .all(db)
        .await
}

/// One endpoint of an institute.
pub async fn endpoint(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Uuid,
) -> Result<Option<endpoint::Model>, DbErr> {
    endpoint::Entity::find_by_id(id)
        .filter(endpoint::Column::InstituteId.eq(institute_id))
        .one(db)
        .await
}

/// Endpoints by id (for the delivery worker).
pub async fn endpoints_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, endpoint::Model>, DbErr> {
    Ok(endpoint::Entity::find()
        .filter(endpoint::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// Deletes an endpoint with its deliveries (the foreign key cascades too; deleting them here keeps
/// the worker from meeting deliveries of no endpoint, whatever the database enforces); answers
/// whether it existed.
pub async fn delete_endpoint(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Uuid,
) -> Result<bool, DbErr> {
    let result = endpoint::Entity::delete_many()
        .filter(endpoint::Column::Id.eq(id))
        .filter(endpoint::Column::InstituteId.eq(institute_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Ok(false);
    }
    delivery::Entity::delete_many()
        .filter(delivery::Column::EndpointId.eq(id))
        .exec(db)
        .await?;
    Ok(true)
}

/// Queues `payload` for each of the institute's endpoints that wants `event`; answers how many.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    event: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let rows: Vec<delivery::ActiveModel> = endpoints(db, institute_id)
        .await?
        .into_iter()
        .filter(|endpoint| endpoint.events.split(',').any(|name| name == event))
        .map(|endpoint| active(new_delivery(endpoint.id, event, payload, now)))
        .collect();
    let queued = rows.len();
    if queued > 0 {
        delivery::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(queued)
}

/// Queues `payload` for one endpoint; answers the delivery.
pub async fn enqueue_for(
    db: &impl ConnectionTrait,
    endpoint_id: Uuid,
    event: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<delivery::Model, DbErr> {
    let row = new_delivery(endpoint_id, event, payload, now);
    delivery::Entity::insert(active(row.clone()))
        .exec(db)
        .await?;
    Ok(row)
}

fn new_delivery(
    endpoint_id: Uuid,
    event: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> delivery::Model {
    delivery::Model {
        id: Uuid::new_v4(),
        endpoint_id,
        event: event.to_owned(),
        payload: payload.to_owned(),
        created_at: now,
        attempts: 0,
        // Due at once, also when its cause ran at a time given by a test (the calendar's).
        next_attempt_at: std::cmp::min(now, Utc::now()),
        claimed_until: None,
        claim_token: None,
        delivered_at: None,
        last_status: None,
        last_error: None,
    }
}

fn active(row: delivery::Model) -> delivery::ActiveModel {
    delivery::ActiveModel {
        id: Set(row.id),
        endpoint_id: Set(row.endpoint_id),
        event: Set(row.event),
        payload: Set(row.payload),
        created_at: Set(row.created_at),
        attempts: Set(row.attempts),
        next_attempt_at: Set(row.next_attempt_at),
        claimed_until: Set(row.claimed_until),
        claim_token: Set(row.claim_token),
        delivered_at: Set(row.delivered_at),
        last_status: Set(row.last_status),
        last_error: Set(row.last_error),
    }
}

/// How many deliveries of each of the institute's endpoints have not arrived.
pub async fn undelivered_counts(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let counts: Vec<(Uuid, i64)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::EndpointId)
        .column_as(delivery::Column::Id.count(), "undelivered")
        .filter(delivery::Column::DeliveredAt.is_null())
        .filter(
            delivery::Column::EndpointId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(endpoint::Column::Id)
                    .from(endpoint::Entity)
                    .and_where(endpoint::Column::InstituteId.eq(institute_id))
                    .to_owned(),
            ),
        )
        .group_by(delivery::Column::EndpointId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// An endpoint's latest deliveries, newest first.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    endpoint_id: Uuid,
    limit: u64,
) -> Result<Vec<delivery::Model>, DbErr> {
    delivery::Entity::find()
        .filter(delivery::Column::EndpointId.eq(endpoint_id))
        .order_by_desc(delivery::Column::CreatedAt)
        .order_by_desc(delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The deliveries as a queue.
const QUEUE: Queue<delivery::Entity> = Queue {
    done_at: delivery::Column::DeliveredAt,
    next_attempt_at: delivery::Column::NextAttemptAt,
    attempts: delivery::Column::Attempts,
    claimed_until: delivery::Column::ClaimedUntil,
};

/// Deliveries due: not delivered, due, under the attempt limit and not claimed.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    max_attempts: i32,
    limit: u64,
) -> Result<Vec<delivery::Model>, DbErr> {
    QUEUE.due_items(db, now, max_attempts, limit).await
}

/// Claims a delivery until `until` if it is still due and unclaimed at `now`; answers the
/// claim's token, which [`record_attempt`] needs. One conditional update, so two workers (or
/// processes) never both get it, and a worker with a stale list cannot take one that another
/// just tried.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    max_attempts: i32,
) -> Result<Option<Uuid>, DbErr> {
    let token = Uuid::new_v4();
    let result = delivery::Entity::update_many()
        .col_expr(delivery::Column::ClaimedUntil, Expr::value(Some(until)))
        .col_expr(delivery::Column::ClaimToken, Expr::value(Some(token)))
        .filter(delivery::Column::Id.eq(id))
        .filter(QUEUE.due(now, max_attempts))
        .exec(db)
        .await?;
    Ok((result.rows_affected == 1).then_some(token))
}

/// Records the attempt of the claim `token`: delivered (`next_attempt_at` `None`) or failed,
/// with the time of the next. Answers false when the claim is no longer this worker's (the
/// endpoint was deleted, or the delivery was redelivered meanwhile).
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    id: Uuid,
    token: Uuid,
    now: DateTime<Utc>,
    next_attempt_at: Option<DateTime<Utc>>,
    status: Option<i32>,
    error: Option<String>,
) -> Result<bool, DbErr> {
    let delivered = next_attempt_at.is_none().then_some(now);
    let mut update = QUEUE
        .attempted()
        .col_expr(delivery::Column::DeliveredAt, Expr::value(delivered))
        .col_expr(delivery::Column::LastStatus, Expr::value(status))
        .col_expr(delivery::Column::LastError, Expr::value(error))
        .col_expr(
            delivery::Column::ClaimToken,
            Expr::value(Option::<Uuid>::None),
        );
    if let Some(next) = next_attempt_at {
        update = update.col_expr(delivery::Column::NextAttemptAt, Expr::value(next));
    }
    let result = update
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::ClaimToken.eq(token))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// What a redeliver found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redelivery {
    /// Queued again.
    Queued,
    /// A worker is sending it right now.
    Busy,
    /// No such delivery of the endpoint.
    Missing,
}

/// Queues a delivery again from its first attempt, keeping its id; the last answer is cleared.
pub async fn redeliver(
    db: &impl ConnectionTrait,
    endpoint_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Redelivery, DbErr> {
    let result = delivery::Entity::update_many()
        .col_expr(delivery::Column::Attempts, Expr::value(0))
        .col_expr(
            delivery::Column::DeliveredAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            delivery::Column::LastStatus,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(
            delivery::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(now))
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::EndpointId.eq(endpoint_id))
        .filter(QUEUE.unclaimed(now))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        return Ok(Redelivery::Queued);
    }
    let exists = delivery::Entity::find_by_id(id)
        .filter(delivery::Column::EndpointId.eq(endpoint_id))
        .one(db)
        .await?
        .is_some();
    Ok(if exists {
        Redelivery::Busy
    } else {
        Redelivery::Missing
    })
}

/// Deletes deliveries made before `before`, whatever became of them; answers how many.
pub async fn purge(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(delivery::Entity::delete_many()
        .filter(delivery::Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

//! The calendar's mail rounds per round ("step opened", reminders), each recorded once.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::entities::round_notice;

/// Records `notice` for a round unless it already is; answers whether this call recorded it.
/// In a transaction, a second server's attempt waits for the first and then records nothing,
/// so the mails queued beside it go once.
pub async fn record(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    notice: &str,
    mails: usize,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = round_notice::ActiveModel {
        round_id: Set(round_id),
        notice: Set(notice.to_owned()),
        mails: Set(i32::try_from(mails).unwrap_or(i32::MAX)),
        sent_at: Set(now),
    };
    let inserted = round_notice::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([round_notice::Column::RoundId, round_notice::Column::Notice])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// Whether `notice` was recorded for a round.
pub async fn recorded(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    notice: &str,
) -> Result<bool, DbErr> {
    // A count: rows written by the upgrade's migration carry a database timestamp format.
    Ok(round_notice::Entity::find()
        .filter(round_notice::Column::RoundId.eq(round_id))
        .filter(round_notice::Column::Notice.eq(notice))
        .count(db)
        .await?
        > 0)
}

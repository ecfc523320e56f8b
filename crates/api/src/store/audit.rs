//! The audit log: every state change, with actor, time and a summary, appended in the same
//! transaction as the change.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QueryTrait, Statement,
};
use uuid::Uuid;

use super::entities::audit_entry;
use super::rounds::Round;

/// An entry to append.
pub struct Entry<'a> {
    /// Institute.
    pub institute_id: Uuid,
    /// Round, if any.
    pub round_id: Option<Uuid>,
    /// Who.
    pub actor_id: Option<Uuid>,
    /// Kind of change, e.g. `round.created`.
    pub action: &'a str,
    /// In words.
    pub summary: String,
}

impl<'a> Entry<'a> {
    /// An entry about `round`, by `actor_id`.
    pub fn in_round(round: &Round, actor_id: Uuid, action: &'a str, summary: String) -> Self {
        Self {
            institute_id: round.institute_id,
            round_id: Some(round.id),
            actor_id: Some(actor_id),
            action,
            summary,
        }
    }

    /// An entry on the institute as a whole, by `actor_id`.
    pub fn in_institute(
        institute_id: Uuid,
        actor_id: Uuid,
        action: &'a str,
        summary: String,
    ) -> Self {
        Self {
            institute_id,
            round_id: None,
            actor_id: Some(actor_id),
            action,
            summary,
        }
    }

    /// Appends this entry.
    pub async fn append(self, db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
        append(db, self, now).await
    }
}

/// Appends an entry.
pub async fn append(
    db: &impl ConnectionTrait,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    db.execute_raw(appending(db.get_database_backend(), entry, now))
        .await?;
    Ok(())
}

/// The statement of [`append`], to run with others in one request ([`super::execute_all`]).
pub fn appending(backend: DbBackend, entry: Entry<'_>, now: DateTime<Utc>) -> Statement {
    let row = audit_entry::ActiveModel {
        // Time-ordered, so that each entry goes at the end of the id's index (as of the table)
        // rather than on a page of its own at random: under a deadline's load a random id cost
        // every grouped submission a page written of its own.
        id: Set(Uuid::now_v7()),
        institute_id: Set(entry.institute_id),
        round_id: Set(entry.round_id),
        actor_id: Set(entry.actor_id),
        action: Set(entry.action.to_owned()),
        summary: Set(entry.summary),
        created_at: Set(now),
    };
    audit_entry::Entity::insert(row).build(backend)
}

/// Entries of a round, oldest first.
pub async fn for_round(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<audit_entry::Model>, DbErr> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::RoundId.eq(round_id))
        .order_by_asc(audit_entry::Column::CreatedAt)
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await
}

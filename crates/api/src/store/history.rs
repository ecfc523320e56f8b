//! The history entries that published couplings write, and the trainers' `coupled_until`
//! that follows from them.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use sea_orm::{QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entities::{trainee_history, trainer};

/// A history entry written by a round's published coupling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundEntry {
    /// Trainee.
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// 1 or 3.
    pub training_year: i16,
    /// The placement start.
    pub starts_on: NaiveDate,
    /// The planned end, from the trainee's curriculum.
    pub ends_on: NaiveDate,
}

/// Replaces the entries `round_id` wrote with `entries`. Answers every trainer whose entries
/// were removed or added, whose `coupled_until` may have changed.
pub async fn replace_round_entries(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    entries: &[RoundEntry],
) -> Result<BTreeSet<Uuid>, DbErr> {
    let mut trainers: BTreeSet<Uuid> = trainee_history::Entity::find()
        .select_only()
        .column(trainee_history::Column::TrainerId)
        .filter(trainee_history::Column::RoundId.eq(round_id))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    trainee_history::Entity::delete_many()
        .filter(trainee_history::Column::RoundId.eq(round_id))
        .exec(db)
        .await?;
    let rows: Vec<trainee_history::ActiveModel> = entries
        .iter()
        .map(|entry| trainee_history::ActiveModel {
            id: Set(Uuid::new_v4()),
            trainee_id: Set(entry.trainee_id),
            trainer_id: Set(entry.trainer_id),
            training_year: Set(entry.training_year),
            starts_on: Set(entry.starts_on),
            ends_on: Set(Some(entry.ends_on)),
            round_id: Set(Some(round_id)),
        })
        .collect();
    trainers.extend(entries.iter().map(|entry| entry.trainer_id));
    for chunk in rows.chunks(super::people::INSERT_CHUNK) {
        trainee_history::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(trainers)
}

/// Sets each trainer's `coupled_until` to the latest planned end among the entries rounds
/// wrote for them (none when there are none left).
pub async fn recompute_coupled_until(
    db: &impl ConnectionTrait,
    trainer_ids: &BTreeSet<Uuid>,
) -> Result<(), DbErr> {
    for trainer_id in trainer_ids {
        let latest: Option<NaiveDate> = trainee_history::Entity::find()
            .select_only()
            .column(trainee_history::Column::EndsOn)
            .filter(trainee_history::Column::TrainerId.eq(*trainer_id))
            .filter(trainee_history::Column::RoundId.is_not_null())
            .filter(trainee_history::Column::EndsOn.is_not_null())
            .order_by_desc(trainee_history::Column::EndsOn)
            .into_tuple::<Option<NaiveDate>>()
            .one(db)
            .await?
            .flatten();
        trainer::Entity::update_many()
            .col_expr(trainer::Column::CoupledUntil, Expr::value(latest))
            .filter(trainer::Column::Id.eq(*trainer_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

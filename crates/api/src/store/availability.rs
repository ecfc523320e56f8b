//! Queries on trainers' availability for rounds.

use chrono::{DateTime, Utc};
use koppel_domain::{AvailabilityAnswer, TrainingYear};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use uuid::Uuid;

use super::entities::trainer_availability;

/// Every request of a round.
pub async fn for_round(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<trainer_availability::Model>, DbErr> {
    trainer_availability::Entity::find()
        .filter(trainer_availability::Column::RoundId.eq(round_id))
        .all(db)
        .await
}

/// Every request to a trainer.
pub async fn for_trainer(
    db: &impl ConnectionTrait,
    trainer_id: Uuid,
) -> Result<Vec<trainer_availability::Model>, DbErr> {
    trainer_availability::Entity::find()
        .filter(trainer_availability::Column::TrainerId.eq(trainer_id))
        .all(db)
        .await
}

/// The request of a round to a trainer.
pub async fn find(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
) -> Result<Option<trainer_availability::Model>, DbErr> {
    trainer_availability::Entity::find_by_id((round_id, trainer_id))
        .one(db)
        .await
}

/// Records a request unless the trainer was already asked; answers whether this call did.
pub async fn insert_request(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = trainer_availability::ActiveModel {
        round_id: Set(round_id),
        trainer_id: Set(trainer_id),
        requested_at: Set(now),
        reminded_at: Set(None),
        answered_at: Set(None),
        available: Set(None),
        year_1: Set(false),
        year_3: Set(false),
        capacity: Set(1),
        note: Set(None),
    };
    let inserted = trainer_availability::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                trainer_availability::Column::RoundId,
                trainer_availability::Column::TrainerId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// Notes that a trainer was reminded.
pub async fn mark_reminded(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    trainer_availability::ActiveModel {
        round_id: Set(round_id),
        trainer_id: Set(trainer_id),
        reminded_at: Set(Some(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Stores a trainer's answer.
pub async fn answer(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
    answer: &AvailabilityAnswer,
    now: DateTime<Utc>,
) -> Result<trainer_availability::Model, DbErr> {
    trainer_availability::ActiveModel {
        round_id: Set(round_id),
        trainer_id: Set(trainer_id),
        answered_at: Set(Some(now)),
        available: Set(Some(answer.available)),
        year_1: Set(answer.years.contains(&TrainingYear::One)),
        year_3: Set(answer.years.contains(&TrainingYear::Three)),
        capacity: Set(i32::from(answer.capacity)),
        note: Set(answer.note.clone()),
        ..Default::default()
    }
    .update(db)
    .await
}

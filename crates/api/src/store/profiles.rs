//! Queries on profiles.

use chrono::{DateTime, Utc};
use std::collections::HashSet;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::entities::{trainee_profile, trainer_profile};

/// Which of the trainees `ids` have a profile (one query per thousand ids, no file read).
pub async fn trainees_with_profile(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, DbErr> {
    having_profile::<trainee_profile::Entity>(db, trainee_profile::Column::TraineeId, ids).await
}

/// Which of the trainers `ids` have a profile (as [`trainees_with_profile`]).
pub async fn trainers_with_profile(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, DbErr> {
    having_profile::<trainer_profile::Entity>(db, trainer_profile::Column::TrainerId, ids).await
}

/// Which of `ids` stand in the key column `id` of profile table `E`.
async fn having_profile<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, DbErr> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(1000) {
        out.extend(
            E::find()
                .select_only()
                .column(id)
                .filter(id.is_in(chunk.iter().copied()))
                .into_tuple::<Uuid>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// A trainee's profile.
pub async fn trainee(
    db: &impl ConnectionTrait,
    trainee_id: Uuid,
) -> Result<Option<trainee_profile::Model>, DbErr> {
    trainee_profile::Entity::find_by_id(trainee_id)
        .one(db)
        .await
}

/// Saves a trainee's profile, keeping files unless given.
pub async fn save_trainee(
    db: &impl ConnectionTrait,
    row: trainee_profile::Model,
) -> Result<(), DbErr> {
    let exists = trainee(db, row.trainee_id).await?.is_some();
    let active = trainee_profile::ActiveModel {
        trainee_id: Set(row.trainee_id),
        introduction: Set(row.introduction),
        experience: Set(row.experience),
        learning_wishes: Set(row.learning_wishes),
        cv: Set(row.cv),
        photo: Set(row.photo),
        photo_type: Set(row.photo_type),
        updated_at: Set(row.updated_at),
    };
    if exists {
        active.update(db).await?;
    } else {
        trainee_profile::Entity::insert(active).exec(db).await?;
    }
    Ok(())
}

/// A trainer's profile.
pub async fn trainer(
    db: &impl ConnectionTrait,
    trainer_id: Uuid,
) -> Result<Option<trainer_profile::Model>, DbErr> {
    trainer_profile::Entity::find_by_id(trainer_id)
        .one(db)
        .await
}

/// Saves a trainer's profile.
pub async fn save_trainer(
    db: &impl ConnectionTrait,
    trainer_id: Uuid,
    learning_plan: &str,
    practice_description: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let exists = trainer(db, trainer_id).await?.is_some();
    let active = trainer_profile::ActiveModel {
        trainer_id: Set(trainer_id),
        learning_plan: Set(learning_plan.to_owned()),
        practice_description: Set(practice_description.to_owned()),
        updated_at: Set(now),
    };
    if exists {
        active.update(db).await?;
    } else {
        trainer_profile::Entity::insert(active).exec(db).await?;
    }
    Ok(())
}

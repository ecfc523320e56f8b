//! Queries on profiles.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::entities::{trainee_profile, trainer_profile};

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

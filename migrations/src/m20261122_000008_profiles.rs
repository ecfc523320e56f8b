//! Step 1: trainee profiles (with CV and photo) and trainer profiles (learning plan, practice).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TraineeProfiles::Table)
                    .col(uuid(TraineeProfiles::TraineeId).primary_key())
                    .col(text(TraineeProfiles::Introduction))
                    .col(text(TraineeProfiles::Experience))
                    .col(text(TraineeProfiles::LearningWishes))
                    .col(blob_null(TraineeProfiles::Cv))
                    .col(blob_null(TraineeProfiles::Photo))
                    .col(string_len_null(TraineeProfiles::PhotoType, 32))
                    .col(timestamp_with_time_zone(TraineeProfiles::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trainee_profiles_trainee")
                            .from(TraineeProfiles::Table, TraineeProfiles::TraineeId)
                            .to(Trainees::Table, Trainees::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainerProfiles::Table)
                    .col(uuid(TrainerProfiles::TrainerId).primary_key())
                    .col(text(TrainerProfiles::LearningPlan))
                    .col(text(TrainerProfiles::PracticeDescription))
                    .col(timestamp_with_time_zone(TrainerProfiles::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trainer_profiles_trainer")
                            .from(TrainerProfiles::Table, TrainerProfiles::TrainerId)
                            .to(Trainers::Table, Trainers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainerProfiles::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TraineeProfiles::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Trainees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Trainers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TraineeProfiles {
    Table,
    TraineeId,
    Introduction,
    Experience,
    LearningWishes,
    Cv,
    Photo,
    PhotoType,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainerProfiles {
    Table,
    TrainerId,
    LearningPlan,
    PracticeDescription,
    UpdatedAt,
}

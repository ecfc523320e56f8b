//! Trainer availability: before a round, the O-team asks the institute's trainers whether they
//! can take a trainee; each request and answer is a row per round and trainer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainerAvailability::Table)
                    .col(uuid(TrainerAvailability::RoundId))
                    .col(uuid(TrainerAvailability::TrainerId))
                    .col(timestamp_with_time_zone(TrainerAvailability::RequestedAt))
                    .col(timestamp_with_time_zone_null(
                        TrainerAvailability::RemindedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        TrainerAvailability::AnsweredAt,
                    ))
                    .col(boolean_null(TrainerAvailability::Available))
                    .col(boolean(TrainerAvailability::Year1).default(false))
                    .col(boolean(TrainerAvailability::Year3).default(false))
                    .col(integer(TrainerAvailability::Capacity).default(1))
                    .col(text_null(TrainerAvailability::Note))
                    .primary_key(
                        Index::create()
                            .col(TrainerAvailability::RoundId)
                            .col(TrainerAvailability::TrainerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trainer_availability_round")
                            .from(TrainerAvailability::Table, TrainerAvailability::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trainer_availability_trainer")
                            .from(TrainerAvailability::Table, TrainerAvailability::TrainerId)
                            .to(Trainers::Table, Trainers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_trainer_availability_trainer")
                    .table(TrainerAvailability::Table)
                    .col(TrainerAvailability::TrainerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainerAvailability::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Trainers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainerAvailability {
    Table,
    RoundId,
    TrainerId,
    RequestedAt,
    RemindedAt,
    AnsweredAt,
    Available,
    Year1,
    Year3,
    Capacity,
    Note,
}

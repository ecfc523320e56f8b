//! Publication writes history: a history entry remembers the round whose published coupling
//! wrote it (none for entries typed in or imported), and a trainer remembers until when Koppel
//! has coupled them to a trainee (the planned end of their latest published coupling).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_column(
            manager,
            TraineeHistory::Table,
            uuid_null(TraineeHistory::RoundId),
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_trainee_history_round")
                    .table(TraineeHistory::Table)
                    .col(TraineeHistory::RoundId)
                    .to_owned(),
            )
            .await?;
        crate::add_column(manager, Trainers::Table, date_null(Trainers::CoupledUntil)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(manager, Trainers::Table, Trainers::CoupledUntil).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_trainee_history_round")
                    .table(TraineeHistory::Table)
                    .to_owned(),
            )
            .await?;
        crate::drop_column(manager, TraineeHistory::Table, TraineeHistory::RoundId).await
    }
}

#[derive(DeriveIden)]
enum TraineeHistory {
    Table,
    RoundId,
}

#[derive(DeriveIden)]
enum Trainers {
    Table,
    CoupledUntil,
}

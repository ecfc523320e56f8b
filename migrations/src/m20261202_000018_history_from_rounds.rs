//! Publication writes history: a history entry remembers the round whose published coupling
//! wrote it (none for entries typed in or imported), and a trainer remembers until when Koppel
//! has coupled them to a trainee (the planned end of their latest published coupling).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TraineeHistory::Table)
                    .add_column(uuid_null(TraineeHistory::RoundId))
                    .to_owned(),
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
        manager
            .alter_table(
                Table::alter()
                    .table(Trainers::Table)
                    .add_column(date_null(Trainers::CoupledUntil))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Trainers::Table)
                    .drop_column(Trainers::CoupledUntil)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_trainee_history_round")
                    .table(TraineeHistory::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TraineeHistory::Table)
                    .drop_column(TraineeHistory::RoundId)
                    .to_owned(),
            )
            .await
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

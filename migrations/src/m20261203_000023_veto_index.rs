//! Vetoes are read per trainee of a round (what a trainee may rank, on every submission): an
//! index on (round, trainee) instead of a scan of the round's vetoes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_vetoes_round_trainee";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Vetoes::Table)
                    .col(Vetoes::RoundId)
                    .col(Vetoes::TraineeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Vetoes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Vetoes {
    Table,
    RoundId,
    TraineeId,
}

//! From the placement lottery to the institutes: each location may be linked to an institute;
//! once the second chance is over, the administrator hands the placed candidates over with their
//! placement start, and an institute's A-team imports them as year-1 trainees, each once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LotteryLocations::Table)
                    .add_column(uuid_null(LotteryLocations::InstituteId))
                    .to_owned(),
            )
            .await?;
        for column in [
            date_null(Lotteries::PlacementStart),
            timestamp_with_time_zone_null(Lotteries::HandedOverAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Lotteries::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(LotteryCandidates::Table)
                    .add_column(uuid_null(LotteryCandidates::TraineeId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LotteryCandidates::Table)
                    .drop_column(LotteryCandidates::TraineeId)
                    .to_owned(),
            )
            .await?;
        for column in [Lotteries::PlacementStart, Lotteries::HandedOverAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Lotteries::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(LotteryLocations::Table)
                    .drop_column(LotteryLocations::InstituteId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum LotteryLocations {
    Table,
    InstituteId,
}

#[derive(DeriveIden)]
enum Lotteries {
    Table,
    PlacementStart,
    HandedOverAt,
}

#[derive(DeriveIden)]
enum LotteryCandidates {
    Table,
    TraineeId,
}

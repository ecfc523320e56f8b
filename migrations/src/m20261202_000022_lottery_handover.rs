//! From the placement lottery to the institutes: each location may be linked to an institute;
//! once the second chance is over, the administrator hands the placed candidates over with their
//! placement start, and an institute's A-team imports them as year-1 trainees, each once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_column(
            manager,
            LotteryLocations::Table,
            uuid_null(LotteryLocations::InstituteId),
        )
        .await?;
        for column in [
            date_null(Lotteries::PlacementStart),
            timestamp_with_time_zone_null(Lotteries::HandedOverAt),
        ] {
            crate::add_column(manager, Lotteries::Table, column).await?;
        }
        crate::add_column(
            manager,
            LotteryCandidates::Table,
            uuid_null(LotteryCandidates::TraineeId),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(
            manager,
            LotteryCandidates::Table,
            LotteryCandidates::TraineeId,
        )
        .await?;
        for column in [Lotteries::PlacementStart, Lotteries::HandedOverAt] {
            crate::drop_column(manager, Lotteries::Table, column).await?;
        }
        crate::drop_column(
            manager,
            LotteryLocations::Table,
            LotteryLocations::InstituteId,
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

//! The national placement lottery: lotteries, their locations and candidates, and the
//! second-chance offers of unfilled places.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lotteries::Table)
                    .col(uuid(Lotteries::Id).primary_key())
                    .col(string_len(Lotteries::Name, 200))
                    .col(date(Lotteries::DrawOn))
                    .col(integer(Lotteries::Applicants))
                    .col(integer(Lotteries::Selected))
                    .col(integer(Lotteries::ResponseDays))
                    .col(string_len(Lotteries::Status, 16))
                    .col(string_len_null(Lotteries::Seed, 128))
                    .col(string_len_null(Lotteries::SeedCommitment, 64))
                    .col(string_len_null(Lotteries::InputsHash, 64))
                    .col(text_null(Lotteries::Output))
                    .col(timestamp_with_time_zone(Lotteries::CreatedAt))
                    .col(timestamp_with_time_zone_null(Lotteries::CommittedAt))
                    .col(timestamp_with_time_zone_null(Lotteries::DrawnAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LotteryLocations::Table)
                    .col(uuid(LotteryLocations::LotteryId))
                    .col(string_len(LotteryLocations::LocationId, 100))
                    .col(integer(LotteryLocations::Position))
                    .col(string_len(LotteryLocations::Name, 200))
                    .col(integer(LotteryLocations::Capacity))
                    .primary_key(
                        Index::create()
                            .col(LotteryLocations::LotteryId)
                            .col(LotteryLocations::LocationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lottery_locations_lottery")
                            .from(LotteryLocations::Table, LotteryLocations::LotteryId)
                            .to(Lotteries::Table, Lotteries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LotteryCandidates::Table)
                    .col(uuid(LotteryCandidates::LotteryId))
                    .col(string_len(LotteryCandidates::CandidateId, 100))
                    .col(integer(LotteryCandidates::Position))
                    .col(string_len(LotteryCandidates::Name, 200))
                    .col(string_len(LotteryCandidates::Email, 254))
                    .col(text(LotteryCandidates::Preferences))
                    .col(boolean(LotteryCandidates::SecondAttempt))
                    .col(date(LotteryCandidates::SuitableOn))
                    .col(uuid_null(LotteryCandidates::UserId))
                    .primary_key(
                        Index::create()
                            .col(LotteryCandidates::LotteryId)
                            .col(LotteryCandidates::CandidateId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lottery_candidates_lottery")
                            .from(LotteryCandidates::Table, LotteryCandidates::LotteryId)
                            .to(Lotteries::Table, Lotteries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lottery_candidates_email")
                    .table(LotteryCandidates::Table)
                    .col(LotteryCandidates::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LotteryOffers::Table)
                    .col(uuid(LotteryOffers::Id).primary_key())
                    .col(uuid(LotteryOffers::LotteryId))
                    .col(string_len(LotteryOffers::CandidateId, 100))
                    .col(string_len(LotteryOffers::LocationId, 100))
                    .col(integer(LotteryOffers::Sequence))
                    .col(boolean(LotteryOffers::Listed))
                    .col(string_len(LotteryOffers::Status, 16))
                    .col(timestamp_with_time_zone(LotteryOffers::OfferedAt))
                    .col(timestamp_with_time_zone(LotteryOffers::RespondBy))
                    .col(timestamp_with_time_zone_null(LotteryOffers::RespondedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lottery_offers_lottery")
                            .from(LotteryOffers::Table, LotteryOffers::LotteryId)
                            .to(Lotteries::Table, Lotteries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LotteryOffers::Table.into_iden(),
            LotteryCandidates::Table.into_iden(),
            LotteryLocations::Table.into_iden(),
            Lotteries::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Lotteries {
    Table,
    Id,
    Name,
    DrawOn,
    Applicants,
    Selected,
    ResponseDays,
    Status,
    Seed,
    SeedCommitment,
    InputsHash,
    Output,
    CreatedAt,
    CommittedAt,
    DrawnAt,
}

#[derive(DeriveIden)]
enum LotteryLocations {
    Table,
    LotteryId,
    LocationId,
    Position,
    Name,
    Capacity,
}

#[derive(DeriveIden)]
enum LotteryCandidates {
    Table,
    LotteryId,
    CandidateId,
    Position,
    Name,
    Email,
    Preferences,
    SecondAttempt,
    SuitableOn,
    UserId,
}

#[derive(DeriveIden)]
enum LotteryOffers {
    Table,
    Id,
    LotteryId,
    CandidateId,
    LocationId,
    Sequence,
    Listed,
    Status,
    OfferedAt,
    RespondBy,
    RespondedAt,
}

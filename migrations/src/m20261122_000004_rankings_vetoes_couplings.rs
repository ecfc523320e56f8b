//! Step 3 and the coupling: final rankings of both sides, vetoes, coupling runs and the
//! published couplings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn round_fk(
    name: &str,
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Rounds::Table, Rounds::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FinalRankings::Table)
                    .col(uuid(FinalRankings::RoundId))
                    .col(string_len(FinalRankings::Side, 8))
                    .col(uuid(FinalRankings::RankerId))
                    .col(uuid(FinalRankings::CounterpartId))
                    .col(integer(FinalRankings::Rank))
                    .col(timestamp_with_time_zone(FinalRankings::SubmittedAt))
                    .primary_key(
                        Index::create()
                            .col(FinalRankings::RoundId)
                            .col(FinalRankings::Side)
                            .col(FinalRankings::RankerId)
                            .col(FinalRankings::CounterpartId),
                    )
                    .foreign_key(&mut round_fk(
                        "fk_final_rankings_round",
                        FinalRankings::Table,
                        FinalRankings::RoundId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Vetoes::Table)
                    .col(uuid(Vetoes::Id).primary_key())
                    .col(uuid(Vetoes::RoundId))
                    .col(uuid(Vetoes::TraineeId))
                    .col(uuid(Vetoes::TrainerId))
                    .col(string_len(Vetoes::DeclaredBy, 8))
                    .col(string_len(Vetoes::Category, 32))
                    .col(string_len_null(Vetoes::Relationship, 32))
                    .col(text_null(Vetoes::Note))
                    .col(uuid(Vetoes::ActorId))
                    .col(timestamp_with_time_zone(Vetoes::CreatedAt))
                    .foreign_key(&mut round_fk(
                        "fk_vetoes_round",
                        Vetoes::Table,
                        Vetoes::RoundId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CouplingRuns::Table)
                    .col(uuid(CouplingRuns::Id).primary_key())
                    .col(uuid(CouplingRuns::RoundId))
                    .col(string_len(CouplingRuns::Objective, 16))
                    .col(text(CouplingRuns::Input))
                    .col(text(CouplingRuns::Output))
                    .col(integer(CouplingRuns::Matched))
                    .col(big_integer(CouplingRuns::TotalRank))
                    .col(uuid(CouplingRuns::CreatedBy))
                    .col(timestamp_with_time_zone(CouplingRuns::CreatedAt))
                    .foreign_key(&mut round_fk(
                        "fk_coupling_runs_round",
                        CouplingRuns::Table,
                        CouplingRuns::RoundId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Couplings::Table)
                    .col(uuid(Couplings::RoundId))
                    .col(uuid(Couplings::TraineeId))
                    .col(uuid(Couplings::TrainerId))
                    .col(uuid_null(Couplings::RunId))
                    .col(text_null(Couplings::Reason))
                    .col(uuid(Couplings::CreatedBy))
                    .col(timestamp_with_time_zone(Couplings::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(Couplings::RoundId)
                            .col(Couplings::TraineeId),
                    )
                    .foreign_key(&mut round_fk(
                        "fk_couplings_round",
                        Couplings::Table,
                        Couplings::RoundId,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Couplings::Table.into_iden(),
            CouplingRuns::Table.into_iden(),
            Vetoes::Table.into_iden(),
            FinalRankings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum FinalRankings {
    Table,
    RoundId,
    Side,
    RankerId,
    CounterpartId,
    Rank,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Vetoes {
    Table,
    Id,
    RoundId,
    TraineeId,
    TrainerId,
    DeclaredBy,
    Category,
    Relationship,
    Note,
    ActorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CouplingRuns {
    Table,
    Id,
    RoundId,
    Objective,
    Input,
    Output,
    Matched,
    TotalRank,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Couplings {
    Table,
    RoundId,
    TraineeId,
    TrainerId,
    RunId,
    Reason,
    CreatedBy,
    CreatedAt,
}

//! Step 2 and the start of step 3: trainees' preference lists, the interview proposal and the
//! interviews it publishes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Preferences::Table)
                    .col(uuid(Preferences::RoundId))
                    .col(uuid(Preferences::TraineeId))
                    .col(uuid(Preferences::TrainerId))
                    .col(integer(Preferences::Rank))
                    .col(timestamp_with_time_zone(Preferences::SubmittedAt))
                    .primary_key(
                        Index::create()
                            .col(Preferences::RoundId)
                            .col(Preferences::TraineeId)
                            .col(Preferences::TrainerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_preferences_round")
                            .from(Preferences::Table, Preferences::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(InterviewProposals::Table)
                    .col(uuid(InterviewProposals::RoundId).primary_key())
                    .col(string_len(InterviewProposals::Status, 16))
                    .col(text(InterviewProposals::Output))
                    .col(timestamp_with_time_zone(InterviewProposals::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        InterviewProposals::PublishedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_interview_proposals_round")
                            .from(InterviewProposals::Table, InterviewProposals::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Interviews::Table)
                    .col(uuid(Interviews::RoundId))
                    .col(uuid(Interviews::TraineeId))
                    .col(uuid(Interviews::TrainerId))
                    .col(date_null(Interviews::PlannedOn))
                    .col(date_null(Interviews::HeldOn))
                    .primary_key(
                        Index::create()
                            .col(Interviews::RoundId)
                            .col(Interviews::TraineeId)
                            .col(Interviews::TrainerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_interviews_round")
                            .from(Interviews::Table, Interviews::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Interviews::Table.into_iden(),
            InterviewProposals::Table.into_iden(),
            Preferences::Table.into_iden(),
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
enum Preferences {
    Table,
    RoundId,
    TraineeId,
    TrainerId,
    Rank,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum InterviewProposals {
    Table,
    RoundId,
    Status,
    Output,
    CreatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Interviews {
    Table,
    RoundId,
    TraineeId,
    TrainerId,
    PlannedOn,
    HeldOn,
}

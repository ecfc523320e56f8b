//! Practices, trainees (with their coupling history), trainers, rounds, round participants and
//! the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Practices::Table)
                    .col(uuid(Practices::Id).primary_key())
                    .col(uuid(Practices::InstituteId))
                    .col(string_len(Practices::Name, 200))
                    .col(string_len(Practices::City, 120))
                    .col(text(Practices::Description))
                    .col(timestamp_with_time_zone(Practices::CreatedAt))
                    .col(timestamp_with_time_zone(Practices::UpdatedAt))
                    .foreign_key(&mut institute_fk(
                        "fk_practices_institute",
                        Practices::Table,
                        Practices::InstituteId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_practices_institute",
            Practices::Table,
            Practices::InstituteId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Trainees::Table)
                    .col(uuid(Trainees::Id).primary_key())
                    .col(uuid(Trainees::InstituteId))
                    .col(uuid_null(Trainees::UserId))
                    .col(string_len(Trainees::Name, 200))
                    .col(string_len(Trainees::Email, 254))
                    .col(date(Trainees::TrainingStart))
                    .col(double(Trainees::PartTimeFactor))
                    .col(integer(Trainees::LeaveDays))
                    .col(timestamp_with_time_zone(Trainees::CreatedAt))
                    .col(timestamp_with_time_zone(Trainees::UpdatedAt))
                    .foreign_key(&mut institute_fk(
                        "fk_trainees_institute",
                        Trainees::Table,
                        Trainees::InstituteId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_trainees_institute",
            Trainees::Table,
            Trainees::InstituteId,
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_trainees_institute_email")
                    .table(Trainees::Table)
                    .col(Trainees::InstituteId)
                    .col(Trainees::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Trainers::Table)
                    .col(uuid(Trainers::Id).primary_key())
                    .col(uuid(Trainers::InstituteId))
                    .col(uuid_null(Trainers::UserId))
                    .col(uuid_null(Trainers::PracticeId))
                    .col(string_len(Trainers::Name, 200))
                    .col(string_len(Trainers::Email, 254))
                    .col(boolean(Trainers::EligibleYear1))
                    .col(boolean(Trainers::EligibleYear3))
                    .col(boolean(Trainers::LargeScaleStructure))
                    .col(date_null(Trainers::LastTraineeEnd))
                    .col(timestamp_with_time_zone(Trainers::CreatedAt))
                    .col(timestamp_with_time_zone(Trainers::UpdatedAt))
                    .foreign_key(&mut institute_fk(
                        "fk_trainers_institute",
                        Trainers::Table,
                        Trainers::InstituteId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trainers_practice")
                            .from(Trainers::Table, Trainers::PracticeId)
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_trainers_institute",
            Trainers::Table,
            Trainers::InstituteId,
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_trainers_institute_email")
                    .table(Trainers::Table)
                    .col(Trainers::InstituteId)
                    .col(Trainers::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TraineeHistory::Table)
                    .col(uuid(TraineeHistory::Id).primary_key())
                    .col(uuid(TraineeHistory::TraineeId))
                    .col(uuid(TraineeHistory::TrainerId))
                    .col(small_integer(TraineeHistory::TrainingYear))
                    .col(date(TraineeHistory::StartsOn))
                    .col(date_null(TraineeHistory::EndsOn))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_history_trainee")
                            .from(TraineeHistory::Table, TraineeHistory::TraineeId)
                            .to(Trainees::Table, Trainees::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_history_trainer")
                            .from(TraineeHistory::Table, TraineeHistory::TrainerId)
                            .to(Trainers::Table, Trainers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_history_trainee",
            TraineeHistory::Table,
            TraineeHistory::TraineeId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Rounds::Table)
                    .col(uuid(Rounds::Id).primary_key())
                    .col(uuid(Rounds::InstituteId))
                    .col(string_len(Rounds::StartMonth, 16))
                    .col(integer(Rounds::StartYear))
                    .col(string_len(Rounds::TrainingYears, 8))
                    .col(string_len(Rounds::Phase, 16))
                    .col(date(Rounds::Opens))
                    .col(date(Rounds::ProfilesDeadline))
                    .col(date(Rounds::PreferencesDeadline))
                    .col(date(Rounds::FinalRankingDeadline))
                    .col(date(Rounds::PlacementStart))
                    .col(timestamp_with_time_zone(Rounds::CreatedAt))
                    .col(timestamp_with_time_zone(Rounds::UpdatedAt))
                    .foreign_key(&mut institute_fk(
                        "fk_rounds_institute",
                        Rounds::Table,
                        Rounds::InstituteId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_rounds_institute_start")
                    .table(Rounds::Table)
                    .col(Rounds::InstituteId)
                    .col(Rounds::StartYear)
                    .col(Rounds::StartMonth)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoundTrainees::Table)
                    .col(uuid(RoundTrainees::RoundId))
                    .col(uuid(RoundTrainees::TraineeId))
                    .col(small_integer(RoundTrainees::TrainingYear))
                    .col(timestamp_with_time_zone(RoundTrainees::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(RoundTrainees::RoundId)
                            .col(RoundTrainees::TraineeId),
                    )
                    .foreign_key(&mut round_fk(
                        "fk_round_trainees_round",
                        RoundTrainees::Table,
                        RoundTrainees::RoundId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_round_trainees_trainee")
                            .from(RoundTrainees::Table, RoundTrainees::TraineeId)
                            .to(Trainees::Table, Trainees::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoundTrainers::Table)
                    .col(uuid(RoundTrainers::RoundId))
                    .col(uuid(RoundTrainers::TrainerId))
                    .col(integer(RoundTrainers::Capacity))
                    .col(timestamp_with_time_zone(RoundTrainers::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(RoundTrainers::RoundId)
                            .col(RoundTrainers::TrainerId),
                    )
                    .foreign_key(&mut round_fk(
                        "fk_round_trainers_round",
                        RoundTrainers::Table,
                        RoundTrainers::RoundId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_round_trainers_trainer")
                            .from(RoundTrainers::Table, RoundTrainers::TrainerId)
                            .to(Trainers::Table, Trainers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(uuid(AuditLog::Id).primary_key())
                    .col(uuid(AuditLog::InstituteId))
                    .col(uuid_null(AuditLog::RoundId))
                    .col(uuid_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::Action, 64))
                    .col(text(AuditLog::Summary))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .foreign_key(&mut institute_fk(
                        "fk_audit_institute",
                        AuditLog::Table,
                        AuditLog::InstituteId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_audit_institute",
            AuditLog::Table,
            AuditLog::InstituteId,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            RoundTrainers::Table.into_iden(),
            RoundTrainees::Table.into_iden(),
            Rounds::Table.into_iden(),
            TraineeHistory::Table.into_iden(),
            Trainers::Table.into_iden(),
            Trainees::Table.into_iden(),
            Practices::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn institute_fk<T: IntoIden + Copy + 'static, C: IntoIden + 'static>(
    name: &str,
    table: T,
    column: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Institutes::Table, Institutes::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn round_fk<T: IntoIden + Copy + 'static, C: IntoIden + 'static>(
    name: &str,
    table: T,
    column: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Rounds::Table, Rounds::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index<T: IntoIden + 'static, C: IntoIden + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    column: C,
) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(column)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum Institutes {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Practices {
    Table,
    Id,
    InstituteId,
    Name,
    City,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Trainees {
    Table,
    Id,
    InstituteId,
    UserId,
    Name,
    Email,
    TrainingStart,
    PartTimeFactor,
    LeaveDays,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Trainers {
    Table,
    Id,
    InstituteId,
    UserId,
    PracticeId,
    Name,
    Email,
    EligibleYear1,
    EligibleYear3,
    LargeScaleStructure,
    LastTraineeEnd,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TraineeHistory {
    Table,
    Id,
    TraineeId,
    TrainerId,
    TrainingYear,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rounds {
    Table,
    Id,
    InstituteId,
    StartMonth,
    StartYear,
    TrainingYears,
    Phase,
    Opens,
    ProfilesDeadline,
    PreferencesDeadline,
    FinalRankingDeadline,
    PlacementStart,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoundTrainees {
    Table,
    RoundId,
    TraineeId,
    TrainingYear,
    AddedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoundTrainers {
    Table,
    RoundId,
    TrainerId,
    Capacity,
    AddedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    InstituteId,
    RoundId,
    ActorId,
    Action,
    Summary,
    CreatedAt,
}

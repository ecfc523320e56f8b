//! Data over the years: when a round closed and when its personal data was deleted, and how many
//! months after closing an institute keeps it (12 unless it sets otherwise).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            timestamp_with_time_zone_null(Rounds::ClosedAt),
            timestamp_with_time_zone_null(Rounds::PurgedAt),
        ] {
            crate::add_column(manager, Rounds::Table, column).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Institutes::Table)
                    .add_column(integer(Institutes::RetentionMonths).default(12))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(manager, Institutes::Table, Institutes::RetentionMonths).await?;
        for column in [Rounds::ClosedAt, Rounds::PurgedAt] {
            crate::drop_column(manager, Rounds::Table, column).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    ClosedAt,
    PurgedAt,
}

#[derive(DeriveIden)]
enum Institutes {
    Table,
    RetentionMonths,
}

//! A coupling run records when it was published, so it is published once and the dashboard can
//! show which run stands.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CouplingRuns::Table)
                    .add_column(timestamp_with_time_zone_null(CouplingRuns::PublishedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CouplingRuns::Table)
                    .drop_column(CouplingRuns::PublishedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CouplingRuns {
    Table,
    PublishedAt,
}

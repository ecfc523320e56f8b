//! A coupling run records when it was published, so it is published once and the dashboard can
//! show which run stands.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_column(
            manager,
            CouplingRuns::Table,
            timestamp_with_time_zone_null(CouplingRuns::PublishedAt),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(manager, CouplingRuns::Table, CouplingRuns::PublishedAt).await
    }
}

#[derive(DeriveIden)]
enum CouplingRuns {
    Table,
    PublishedAt,
}

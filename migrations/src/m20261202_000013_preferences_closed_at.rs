//! When a round last left step 2 (`preferences`): what a trainee may rank is frozen from then on,
//! so a veto declared later cannot be read off the list.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_column(
            manager,
            Rounds::Table,
            timestamp_with_time_zone_null(Rounds::PreferencesClosedAt),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(manager, Rounds::Table, Rounds::PreferencesClosedAt).await
    }
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    PreferencesClosedAt,
}

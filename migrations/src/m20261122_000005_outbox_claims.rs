//! Delivery claims on the outbox, so that several server processes send each mail once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_column(
            manager,
            Outbox::Table,
            timestamp_with_time_zone_null(Outbox::ClaimedUntil),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(manager, Outbox::Table, Outbox::ClaimedUntil).await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    ClaimedUntil,
}

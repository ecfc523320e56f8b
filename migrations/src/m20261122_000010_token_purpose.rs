//! One-time tokens say what they are for (`activation` or `password_reset`), so one kind cannot
//! be used as the other.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ActivationTokens::Table)
                    .add_column(string_len(ActivationTokens::Purpose, 16).default("activation"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(manager, ActivationTokens::Table, ActivationTokens::Purpose).await
    }
}

#[derive(DeriveIden)]
enum ActivationTokens {
    Table,
    Purpose,
}

//! API keys get scopes and an end. Keys made before keep every scope (`scopes` NULL) and end a
//! year after they were made (`expires_at` NULL).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        crate::add_column(
            manager,
            ApiKeys::Table,
            string_len_null(ApiKeys::Scopes, 200),
        )
        .await?;
        crate::add_column(
            manager,
            ApiKeys::Table,
            timestamp_with_time_zone_null(ApiKeys::ExpiresAt),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [ApiKeys::Scopes, ApiKeys::ExpiresAt] {
            crate::drop_column(manager, ApiKeys::Table, column).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Scopes,
    ExpiresAt,
}

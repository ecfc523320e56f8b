//! Withdrawals (drop-outs) of round participants, with a reason.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RoundTrainees::Table.into_iden(),
            RoundTrainers::Table.into_iden(),
        ] {
            crate::add_column(
                manager,
                table.clone(),
                timestamp_with_time_zone_null(Withdrawal::WithdrawnAt),
            )
            .await?;
            crate::add_column(manager, table, text_null(Withdrawal::WithdrawReason)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RoundTrainees::Table.into_iden(),
            RoundTrainers::Table.into_iden(),
        ] {
            crate::drop_column(manager, table.clone(), Withdrawal::WithdrawReason).await?;
            crate::drop_column(manager, table, Withdrawal::WithdrawnAt).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum RoundTrainees {
    Table,
}

#[derive(DeriveIden)]
enum RoundTrainers {
    Table,
}

#[derive(DeriveIden)]
enum Withdrawal {
    WithdrawnAt,
    WithdrawReason,
}

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
            manager
                .alter_table(
                    Table::alter()
                        .table(table.clone())
                        .add_column(timestamp_with_time_zone_null(Withdrawal::WithdrawnAt))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(text_null(Withdrawal::WithdrawReason))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RoundTrainees::Table.into_iden(),
            RoundTrainers::Table.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table.clone())
                        .drop_column(Withdrawal::WithdrawReason)
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Withdrawal::WithdrawnAt)
                        .to_owned(),
                )
                .await?;
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

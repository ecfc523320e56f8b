//! A mail with a one-time link (activation, password reset) stores which link to make, not the
//! link: the worker makes the token when the mail leaves, so no reader of the outbox, its
//! backups or the log ever holds a usable link.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            string_len_null(Outbox::LinkPurpose, 32),
            uuid_null(Outbox::LinkUserId),
            big_integer_null(Outbox::LinkValidSeconds),
        ] {
            crate::add_column(manager, Outbox::Table, column).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Outbox::LinkPurpose,
            Outbox::LinkUserId,
            Outbox::LinkValidSeconds,
        ] {
            crate::drop_column(manager, Outbox::Table, column).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    LinkPurpose,
    LinkUserId,
    LinkValidSeconds,
}

//! The lottery's seed comes from two parts: the server's secret, committed to at the commit, and
//! a public value nobody knew then, entered at the draw. Until the draw the database keeps only a
//! nonce from which the secret is derived with a key from the environment; the secret and the
//! public value are stored once they are public. Candidates get a pseudonym at the commit, under
//! which they appear in the public verification document.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            string_len_null(Lotteries::SecretNonce, 64),
            string_len_null(Lotteries::Secret, 64),
            string_len_null(Lotteries::PublicValue, 500),
        ] {
            crate::add_column(manager, Lotteries::Table, column).await?;
        }
        crate::add_column(
            manager,
            LotteryCandidates::Table,
            string_len_null(LotteryCandidates::Pseudonym, 32),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(
            manager,
            LotteryCandidates::Table,
            LotteryCandidates::Pseudonym,
        )
        .await?;
        for column in [
            Lotteries::SecretNonce,
            Lotteries::Secret,
            Lotteries::PublicValue,
        ] {
            crate::drop_column(manager, Lotteries::Table, column).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum LotteryCandidates {
    Table,
    Pseudonym,
}

#[derive(DeriveIden)]
enum Lotteries {
    Table,
    SecretNonce,
    Secret,
    PublicValue,
}

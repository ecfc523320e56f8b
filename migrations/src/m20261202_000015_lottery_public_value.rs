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
            manager
                .alter_table(
                    Table::alter()
                        .table(Lotteries::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(LotteryCandidates::Table)
                    .add_column(string_len_null(LotteryCandidates::Pseudonym, 32))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LotteryCandidates::Table)
                    .drop_column(LotteryCandidates::Pseudonym)
                    .to_owned(),
            )
            .await?;
        for column in [
            Lotteries::SecretNonce,
            Lotteries::Secret,
            Lotteries::PublicValue,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Lotteries::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
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

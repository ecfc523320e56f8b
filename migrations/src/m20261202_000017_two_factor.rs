//! Two-factor sign-in: each account's sealed TOTP secret (and one being enrolled), when it was
//! turned on, the last step used (no code works twice), the hashes of its recovery codes; and
//! whether an institute requires two-factor sign-in of its coordinators.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            string_len_null(Users::TotpSecret, 200),
            string_len_null(Users::TotpPendingSecret, 200),
            timestamp_with_time_zone_null(Users::TotpEnabledAt),
            big_integer_null(Users::TotpLastStep),
            text_null(Users::RecoveryCodes),
        ] {
            crate::add_column(manager, Users::Table, column).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Institutes::Table)
                    .add_column(boolean(Institutes::RequireTwoFactor).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_column(manager, Institutes::Table, Institutes::RequireTwoFactor).await?;
        for column in [
            Users::TotpSecret,
            Users::TotpPendingSecret,
            Users::TotpEnabledAt,
            Users::TotpLastStep,
            Users::RecoveryCodes,
        ] {
            crate::drop_column(manager, Users::Table, column).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TotpSecret,
    TotpPendingSecret,
    TotpEnabledAt,
    TotpLastStep,
    RecoveryCodes,
}

#[derive(DeriveIden)]
enum Institutes {
    Table,
    RequireTwoFactor,
}

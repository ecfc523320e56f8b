//! Institutes, users, refresh and activation tokens, and the mail outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Institutes::Table)
                    .col(uuid(Institutes::Id).primary_key())
                    .col(string_len_uniq(Institutes::Name, 200))
                    .col(timestamp_with_time_zone(Institutes::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::Id).primary_key())
                    .col(uuid_null(Users::InstituteId))
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::DisplayName, 200))
                    .col(string_len(Users::Role, 32))
                    .col(string_len(Users::Status, 16))
                    .col(text_null(Users::PasswordHash))
                    .col(string_len(Users::Locale, 8))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_institute")
                            .from(Users::Table, Users::InstituteId)
                            .to(Institutes::Table, Institutes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_institute")
                    .table(Users::Table)
                    .col(Users::InstituteId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::Id).primary_key())
                    .col(uuid(RefreshTokens::UserId))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refresh_tokens_user")
                            .from(RefreshTokens::Table, RefreshTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivationTokens::Table)
                    .col(uuid(ActivationTokens::Id).primary_key())
                    .col(uuid(ActivationTokens::UserId))
                    .col(string_len_uniq(ActivationTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(ActivationTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ActivationTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ActivationTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activation_tokens_user")
                            .from(ActivationTokens::Table, ActivationTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(uuid(Outbox::Id).primary_key())
                    .col(uuid_null(Outbox::InstituteId))
                    .col(string_len(Outbox::Kind, 64))
                    .col(string_len(Outbox::Recipient, 254))
                    .col(string_len(Outbox::Subject, 300))
                    .col(text(Outbox::Body))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .col(text_null(Outbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_pending")
                    .table(Outbox::Table)
                    .col(Outbox::SentAt)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Outbox::Table.into_iden(),
            ActivationTokens::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Users::Table.into_iden(),
            Institutes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Institutes {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    InstituteId,
    Email,
    DisplayName,
    Role,
    Status,
    PasswordHash,
    Locale,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ActivationTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    InstituteId,
    Kind,
    Recipient,
    Subject,
    Body,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    SentAt,
    LastError,
}

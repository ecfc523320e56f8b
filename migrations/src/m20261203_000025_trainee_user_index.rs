//! A trainee is found from their account on every request of theirs in a round (their own list,
//! each ranking submission): an index on `trainees.user_id` instead of going through every
//! participant of the round.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_trainees_user";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Trainees::Table)
                    .col(Trainees::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Trainees::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Trainees {
    Table,
    UserId,
}

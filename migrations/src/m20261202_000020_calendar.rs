//! The calendar that runs itself: a round a coordinator holds is not moved on by its schedule;
//! each "step opened" mail and each reminder is recorded once per round (the primary key makes
//! a second server's attempt fail); institutes choose how many days before a deadline reminders
//! go; and each user may have a private calendar feed, found by the hash of its secret.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Rounds::Table)
                    .add_column(boolean(Rounds::Held).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Institutes::Table)
                    .add_column(integer(Institutes::ReminderDays).default(3))
                    .to_owned(),
            )
            .await?;
        crate::add_column(
            manager,
            Users::Table,
            string_len_null(Users::CalendarKeyHash, 64),
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_calendar_key_hash")
                    .table(Users::Table)
                    .col(Users::CalendarKeyHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoundNotices::Table)
                    .col(uuid(RoundNotices::RoundId))
                    .col(string_len(RoundNotices::Notice, 64))
                    .col(integer(RoundNotices::Mails))
                    .col(timestamp_with_time_zone(RoundNotices::SentAt))
                    .primary_key(
                        Index::create()
                            .col(RoundNotices::RoundId)
                            .col(RoundNotices::Notice),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_round_notices_round")
                            .from(RoundNotices::Table, RoundNotices::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Rounds running at the upgrade: their open step was announced when it opened (by
        // hand), so no "step opened" mail goes now; and a round whose schedule is already
        // behind (a step due to open by date) is held, so nothing moves on unasked: its
        // coordinators let it go when they want.
        let db = manager.get_connection();
        for (phase, notice) in [
            ("profiles", "opened:profiles"),
            ("preferences", "opened:preferences"),
            ("interviews", "opened:final_ranking"),
        ] {
            db.execute_unprepared(&format!(
                "INSERT INTO round_notices (round_id, notice, mails, sent_at) \
                 SELECT id, '{notice}', 0, updated_at FROM rounds WHERE phase = '{phase}'"
            ))
            .await?;
        }
        db.execute_unprepared(
            "UPDATE rounds SET held = TRUE WHERE \
             (phase = 'draft' AND opens <= CURRENT_DATE) \
             OR (phase = 'profiles' AND profiles_deadline < CURRENT_DATE) \
             OR (phase = 'preferences' AND preferences_deadline < CURRENT_DATE)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoundNotices::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ux_users_calendar_key_hash")
                    .table(Users::Table)
                    .to_owned(),
            )
            .await?;
        crate::drop_column(manager, Users::Table, Users::CalendarKeyHash).await?;
        crate::drop_column(manager, Institutes::Table, Institutes::ReminderDays).await?;
        crate::drop_column(manager, Rounds::Table, Rounds::Held).await
    }
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    Held,
}

#[derive(DeriveIden)]
enum Institutes {
    Table,
    ReminderDays,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    CalendarKeyHash,
}

#[derive(DeriveIden)]
enum RoundNotices {
    Table,
    RoundId,
    Notice,
    Mails,
    SentAt,
}

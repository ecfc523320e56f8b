//! Database schema of Koppel, as sea-orm migrations that run on SQLite and PostgreSQL.
//!
//! `koppel migrate` applies them, and so does `koppel serve` at start. One migration per file,
//! named `mYYYYMMDD_HHMMSS_name.rs`, each with a real `down`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_identity;
mod m20261122_000002_institute_data;
mod m20261122_000003_preferences_interviews;
mod m20261122_000004_rankings_vetoes_couplings;
mod m20261122_000005_outbox_claims;
mod m20261122_000006_api_keys;
mod m20261122_000007_withdrawals;
mod m20261122_000008_profiles;
mod m20261122_000009_lotteries;
mod m20261122_000010_token_purpose;
mod m20261122_000011_run_publication;
mod m20261202_000012_sessions_throttles;
mod m20261202_000013_preferences_closed_at;
mod m20261202_000014_outbox_links;
mod m20261202_000015_lottery_public_value;
mod m20261202_000016_api_key_scopes;
mod m20261202_000017_two_factor;
mod m20261202_000018_history_from_rounds;
mod m20261202_000019_retention;
mod m20261202_000020_calendar;
mod m20261202_000021_availability;
mod m20261202_000022_lottery_handover;
mod m20261203_000023_veto_index;
mod m20261203_000024_webhooks;
mod m20261203_000025_trainee_user_index;

/// Adds one column to a table (SQLite alters a table one column per statement).
pub(crate) async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoTableRef,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

/// Drops one column of a table.
pub(crate) async fn drop_column(
    manager: &SchemaManager<'_>,
    table: impl IntoTableRef,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_identity::Migration),
            Box::new(m20261122_000002_institute_data::Migration),
            Box::new(m20261122_000003_preferences_interviews::Migration),
            Box::new(m20261122_000004_rankings_vetoes_couplings::Migration),
            Box::new(m20261122_000005_outbox_claims::Migration),
            Box::new(m20261122_000006_api_keys::Migration),
            Box::new(m20261122_000007_withdrawals::Migration),
            Box::new(m20261122_000008_profiles::Migration),
            Box::new(m20261122_000009_lotteries::Migration),
            Box::new(m20261122_000010_token_purpose::Migration),
            Box::new(m20261122_000011_run_publication::Migration),
            Box::new(m20261202_000012_sessions_throttles::Migration),
            Box::new(m20261202_000013_preferences_closed_at::Migration),
            Box::new(m20261202_000014_outbox_links::Migration),
            Box::new(m20261202_000015_lottery_public_value::Migration),
            Box::new(m20261202_000016_api_key_scopes::Migration),
            Box::new(m20261202_000017_two_factor::Migration),
            Box::new(m20261202_000018_history_from_rounds::Migration),
            Box::new(m20261202_000019_retention::Migration),
            Box::new(m20261202_000020_calendar::Migration),
            Box::new(m20261202_000021_availability::Migration),
            Box::new(m20261202_000022_lottery_handover::Migration),
            Box::new(m20261203_000023_veto_index::Migration),
            Box::new(m20261203_000024_webhooks::Migration),
            Box::new(m20261203_000025_trainee_user_index::Migration),
        ]
    }
}

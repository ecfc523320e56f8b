//! `sign_in_throttles` table.

use sea_orm::entity::prelude::*;

/// Recent failed attempts for one account address or one client address.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_throttles")]
pub struct Model {
    /// `account:<e-mail address>` or `address:<IP address>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Failures in a row, since the last success or the last quiet hour.
    pub failures: i32,
    /// The latest failure.
    pub last_failure_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `institutes` table.

use sea_orm::entity::prelude::*;

/// An institute.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institutes")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique name.
    #[sea_orm(unique)]
    pub name: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Whether its coordinators must sign in with a second factor.
    pub require_two_factor: bool,
    /// Months after a round closes that its personal data is kept.
    pub retention_months: i32,
    /// Days before a deadline that reminders go.
    pub reminder_days: i32,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

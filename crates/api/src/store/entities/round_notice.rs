//! `round_notices` table.

use sea_orm::entity::prelude::*;

/// A mail round of the calendar ("step opened", a reminder), recorded once per round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_notices")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// Which notice, e.g. `opened:preferences` or `reminder:final_ranking`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub notice: String,
    /// How many mails it queued.
    pub mails: i32,
    /// When.
    pub sent_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

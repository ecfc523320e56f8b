//! `preferences` table.

use sea_orm::entity::prelude::*;

/// One entry of a trainee's step-2 preference list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preferences")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// Trainee.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainee_id: Uuid,
    /// Trainer.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainer_id: Uuid,
    /// 1-based rank.
    pub rank: i32,
    /// When submitted.
    pub submitted_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

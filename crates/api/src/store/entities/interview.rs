//! `interviews` table.

use sea_orm::entity::prelude::*;

/// An introductory interview (kennismakingsgesprek) between a trainee and a trainer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interviews")]
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
    /// When planned.
    pub planned_on: Option<Date>,
    /// When held.
    pub held_on: Option<Date>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

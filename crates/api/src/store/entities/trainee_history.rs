//! `trainee_history` table.

use sea_orm::entity::prelude::*;

/// An earlier coupling of a trainee.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trainee_history")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Trainee.
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// 1 or 3.
    pub training_year: i16,
    /// Start.
    pub starts_on: Date,
    /// End, if known.
    pub ends_on: Option<Date>,
    /// The round whose published coupling wrote this entry; none when typed in or imported.
    pub round_id: Option<Uuid>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

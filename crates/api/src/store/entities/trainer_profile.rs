//! `trainer_profiles` table.

use sea_orm::entity::prelude::*;

/// A trainer's learning plan (leerwerkplan) and practice description.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trainer_profiles")]
pub struct Model {
    /// Trainer.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainer_id: Uuid,
    /// Learning plan.
    #[sea_orm(column_type = "Text")]
    pub learning_plan: String,
    /// Practice description.
    #[sea_orm(column_type = "Text")]
    pub practice_description: String,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `round_trainers` table.

use sea_orm::entity::prelude::*;

/// A trainer available in a round.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "round_trainers")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// Trainer.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainer_id: Uuid,
    /// Trainees they take.
    pub capacity: i32,
    /// When added.
    pub added_at: DateTimeUtc,
    /// When withdrawn (drop-out).
    pub withdrawn_at: Option<DateTimeUtc>,
    /// Why withdrawn.
    #[sea_orm(column_type = "Text", nullable)]
    pub withdraw_reason: Option<String>,
}

/// The trainer.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The trainer.
    #[sea_orm(
        belongs_to = "super::trainer::Entity",
        from = "Column::TrainerId",
        to = "super::trainer::Column::Id"
    )]
    Trainer,
}

impl Related<super::trainer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Trainer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

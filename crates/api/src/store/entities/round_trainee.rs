//! `round_trainees` table.

use sea_orm::entity::prelude::*;

/// A trainee taking part in a round.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "round_trainees")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// Trainee.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainee_id: Uuid,
    /// 1 or 3.
    pub training_year: i16,
    /// When added.
    pub added_at: DateTimeUtc,
    /// When withdrawn (drop-out).
    pub withdrawn_at: Option<DateTimeUtc>,
    /// Why withdrawn.
    #[sea_orm(column_type = "Text", nullable)]
    pub withdraw_reason: Option<String>,
}

/// A participation belongs to its trainee: a trainee's own requests find both in one query.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The trainee.
    #[sea_orm(
        belongs_to = "super::trainee::Entity",
        from = "Column::TraineeId",
        to = "super::trainee::Column::Id"
    )]
    Trainee,
}

impl Related<super::trainee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Trainee.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

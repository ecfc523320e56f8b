//! `vetoes` table.

use sea_orm::entity::prelude::*;

/// A veto in a round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vetoes")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Round.
    pub round_id: Uuid,
    /// Trainee.
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// `trainee` or `trainer`.
    pub declared_by: String,
    /// Reason category.
    pub category: String,
    /// Kind of personal relationship.
    pub relationship: Option<String>,
    /// Optional note.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    /// The user who declared it.
    pub actor_id: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

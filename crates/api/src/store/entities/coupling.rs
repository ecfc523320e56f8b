//! `couplings` table.

use sea_orm::entity::prelude::*;

/// A published coupling of a trainee to a trainer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "couplings")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// Trainee.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// The run it came from; absent for a manual coupling.
    pub run_id: Option<Uuid>,
    /// Reason, for a manual coupling.
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    /// Who published or made it.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

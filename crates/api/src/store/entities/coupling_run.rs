//! `coupling_runs` table.

use sea_orm::entity::prelude::*;

/// A coupling run: the matcher input snapshot and its result.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coupling_runs")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Round.
    pub round_id: Uuid,
    /// `total` or `minimax`.
    pub objective: String,
    /// The matcher input, JSON.
    #[sea_orm(column_type = "Text")]
    pub input: String,
    /// The matcher output, JSON.
    #[sea_orm(column_type = "Text")]
    pub output: String,
    /// Trainees coupled.
    pub matched: i32,
    /// Sum of ranks.
    pub total_rank: i64,
    /// Who started it.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
    /// When it was published, if it was.
    pub published_at: Option<DateTimeUtc>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

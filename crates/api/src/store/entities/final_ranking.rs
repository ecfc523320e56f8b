//! `final_rankings` table.

use sea_orm::entity::prelude::*;

/// One entry of a step-3 final ranking.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "final_rankings")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// `trainee` or `trainer`: who ranks.
    #[sea_orm(primary_key, auto_increment = false)]
    pub side: String,
    /// The trainee or trainer who ranks.
    #[sea_orm(primary_key, auto_increment = false)]
    pub ranker_id: Uuid,
    /// The interview counterpart ranked.
    #[sea_orm(primary_key, auto_increment = false)]
    pub counterpart_id: Uuid,
    /// 1-based rank.
    pub rank: i32,
    /// When submitted.
    pub submitted_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

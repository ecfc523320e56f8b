//! `interview_proposals` table.

use sea_orm::entity::prelude::*;

/// The interview proposal of a round: a draft until published.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interview_proposals")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// `draft` or `published`.
    pub status: String,
    /// The matcher's output, JSON.
    #[sea_orm(column_type = "Text")]
    pub output: String,
    /// When generated.
    pub created_at: DateTimeUtc,
    /// When published.
    pub published_at: Option<DateTimeUtc>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

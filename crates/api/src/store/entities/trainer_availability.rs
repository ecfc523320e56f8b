//! `trainer_availability` table.

use sea_orm::entity::prelude::*;

/// The O-team's availability request to a trainer for a round, and the trainer's answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trainer_availability")]
pub struct Model {
    /// Round.
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: Uuid,
    /// Trainer.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainer_id: Uuid,
    /// When asked.
    pub requested_at: DateTimeUtc,
    /// When last reminded.
    pub reminded_at: Option<DateTimeUtc>,
    /// When answered; `None` while unanswered.
    pub answered_at: Option<DateTimeUtc>,
    /// Whether available; `None` while unanswered.
    pub available: Option<bool>,
    /// Available for a year-1 trainee.
    #[sea_orm(column_name = "year1")]
    pub year_1: bool,
    /// Available for a year-3 trainee.
    #[sea_orm(column_name = "year3")]
    pub year_3: bool,
    /// Trainees they can take: 1 or 2 (a duo practice).
    pub capacity: i32,
    /// The trainer's note to the O-team.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

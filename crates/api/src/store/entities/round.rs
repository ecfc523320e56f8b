//! `rounds` table.

use sea_orm::entity::prelude::*;

/// A coupling round of an institute.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rounds")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// `StartMonth` in snake_case.
    pub start_month: String,
    /// Year of the placement start.
    pub start_year: i32,
    /// Training years, e.g. `1,3`.
    pub training_years: String,
    /// `Phase` in snake_case.
    pub phase: String,
    /// Opening day.
    pub opens: Date,
    /// Step 1 deadline.
    pub profiles_deadline: Date,
    /// Step 2 deadline.
    pub preferences_deadline: Date,
    /// Step 3 deadline.
    pub final_ranking_deadline: Date,
    /// Placement start.
    pub placement_start: Date,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
    /// When the round last left `preferences` (step 2).
    pub preferences_closed_at: Option<DateTimeUtc>,
    /// When it was closed.
    pub closed_at: Option<DateTimeUtc>,
    /// When its personal data was deleted after the institute's retention period.
    pub purged_at: Option<DateTimeUtc>,
    /// Whether a coordinator holds the round: its calendar does not move it on or remind.
    pub held: bool,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

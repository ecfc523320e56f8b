//! `lottery_offers` table.

use sea_orm::entity::prelude::*;

/// A second-chance offer of an unfilled place.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lottery_offers")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lottery.
    pub lottery_id: Uuid,
    /// Candidate.
    pub candidate_id: String,
    /// Location offered.
    pub location_id: String,
    /// Order in which offers were made (1 = first).
    pub sequence: i32,
    /// Whether the candidate listed the location.
    pub listed: bool,
    /// `open`, `accepted`, `declined` or `expired`.
    pub status: String,
    /// When made.
    pub offered_at: DateTimeUtc,
    /// Answer before.
    pub respond_by: DateTimeUtc,
    /// When answered.
    pub responded_at: Option<DateTimeUtc>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

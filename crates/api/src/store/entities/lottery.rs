//! `lotteries` table.

use sea_orm::entity::prelude::*;

/// A placement lottery.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lotteries")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name, e.g. `Loting maart 2027`.
    pub name: String,
    /// Planned day of the draw; suitability older than 24 months before it is refused.
    pub draw_on: Date,
    /// Applicants in the selection before the lottery.
    pub applicants: i32,
    /// Candidates selected (found suitable) in that selection.
    pub selected: i32,
    /// Days a second-chance offer stays open.
    pub response_days: i32,
    /// `draft`, `committed` or `drawn`.
    pub status: String,
    /// The seed (hex), made at the draw from the secret and the public value.
    pub seed: Option<String>,
    /// Hex SHA-256 of the secret, published at the commit.
    pub seed_commitment: Option<String>,
    /// From the commit to the draw: the nonce the secret is derived from with the lottery key.
    pub secret_nonce: Option<String>,
    /// The secret, stored once revealed at the draw.
    pub secret: Option<String>,
    /// The public value entered at the draw.
    pub public_value: Option<String>,
    /// Hex SHA-256 of the frozen inputs, published at the commit.
    pub inputs_hash: Option<String>,
    /// The matcher's output (JSON), after the draw.
    pub output: Option<String>,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Commit time.
    pub committed_at: Option<DateTimeUtc>,
    /// Draw time.
    pub drawn_at: Option<DateTimeUtc>,
    /// The placement start given at the hand-over: the placed candidates' training start.
    pub placement_start: Option<Date>,
    /// When the placed candidates were handed to their institutes.
    pub handed_over_at: Option<DateTimeUtc>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

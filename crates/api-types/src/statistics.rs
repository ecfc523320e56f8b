//! Anonymised statistics: published counts describe at least five people (or none); smaller
//! counts are `null`, and so is any count they could be worked out from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many got a rank, or `null` when suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankCount {
    /// 1 = first choice.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub rank: u32,
    /// How many; `null` when fewer than five, or when it would give such a count away.
    #[cfg_attr(feature = "openapi", schema(example = 14))]
    pub count: Option<u32>,
}

/// A published coupling round in figures, anonymised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundStatistics {
    /// Round id.
    pub round_id: Uuid,
    /// The institute's name.
    #[cfg_attr(feature = "openapi", schema(example = "Huisartsopleiding Noord"))]
    pub institute: String,
    /// Start month of the placements (`march`, `june`, `september`, `december`).
    #[cfg_attr(feature = "openapi", schema(example = "september"))]
    pub start_month: String,
    /// Start year.
    #[cfg_attr(feature = "openapi", schema(example = 2027))]
    pub start_year: i32,
    /// When the coupling was published.
    pub published_at: DateTime<Utc>,
    /// Trainees in the coupling; `null` when the split below is suppressed.
    pub trainees: Option<u32>,
    /// Trainees coupled.
    pub coupled: Option<u32>,
    /// Trainees not coupled.
    pub uncoupled: Option<u32>,
    /// Coupled trainees by the rank they gave their trainer.
    pub trainee_ranks: Vec<RankCount>,
    /// Coupled trainees by the rank their trainer gave them.
    pub trainer_ranks: Vec<RankCount>,
    /// Share (0 to 1) of the coupled trainees at their first choice; `null` when suppressed.
    #[cfg_attr(feature = "openapi", schema(example = 0.62))]
    pub first_choice_share: Option<f64>,
    /// Pairs who would both rather have had each other than what they got (0 in a stable
    /// coupling); `null` for 1 to 4.
    #[cfg_attr(feature = "openapi", schema(example = 0))]
    pub blocking_pairs: Option<u32>,
    /// Counts below this are suppressed.
    #[cfg_attr(feature = "openapi", schema(example = 5))]
    pub suppressed_below: u32,
}

/// A location's figures in a lottery's statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationStatistics {
    /// The location's name.
    #[cfg_attr(feature = "openapi", schema(example = "Utrecht"))]
    pub name: String,
    /// Places offered.
    #[cfg_attr(feature = "openapi", schema(example = 40))]
    pub capacity: u32,
    /// Candidates placed; `null` when fewer than five.
    pub placed: Option<u32>,
    /// Places left unfilled; `null` when it would give the placed count away.
    pub unfilled: Option<u32>,
}

/// A drawn lottery in figures, anonymised: the round report the national body publishes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryStatistics {
    /// Lottery id.
    pub lottery_id: Uuid,
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Plaatsingsloting maart 2027"))]
    pub name: String,
    /// When drawn.
    pub drawn_at: Option<DateTime<Utc>>,
    /// Applicants.
    pub applicants: Option<u32>,
    /// Selected to take part.
    pub selected: Option<u32>,
    /// Taking part for the second time.
    pub second_attempts: Option<u32>,
    /// Total in the lottery.
    pub total_in_lottery: Option<u32>,
    /// Placed at a location of their own preference; `null` when it or the unplaced count is
    /// fewer than five (the total would give the other away).
    pub placed: Option<u32>,
    /// Not placed; hidden together with `placed`.
    pub unplaced: Option<u32>,
    /// Places offered.
    pub places_offered: u32,
    /// Places unfilled after the draw; `null` when the placed count is hidden, which it would
    /// give away (places offered minus unfilled).
    pub places_unfilled: Option<u32>,
    /// Per location.
    pub locations: Vec<LocationStatistics>,
    /// Placed candidates by the rank of their location among their preferences.
    pub by_preference_rank: Vec<RankCount>,
    /// Counts below this are suppressed.
    #[cfg_attr(feature = "openapi", schema(example = 5))]
    pub suppressed_below: u32,
}

/// A published round in the public index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedRound {
    /// Round id.
    pub round_id: Uuid,
    /// The institute's name.
    pub institute: String,
    /// Start month of the placements.
    pub start_month: String,
    /// Start year.
    pub start_year: i32,
}

/// A drawn lottery in the public index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawnLottery {
    /// Lottery id.
    pub lottery_id: Uuid,
    /// Name.
    pub name: String,
}

/// What has public statistics: published coupling rounds and drawn lotteries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatisticsIndex {
    /// Published coupling rounds.
    pub rounds: Vec<PublishedRound>,
    /// Drawn lotteries.
    pub lotteries: Vec<DrawnLottery>,
}

/// An institute's published rounds side by side, oldest first (coordinators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatisticsTrends {
    /// Per round.
    pub items: Vec<RoundStatistics>,
}

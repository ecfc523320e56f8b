//! Trainer availability: the O-team asks the institute's trainers before a round whether they
//! can take a trainee; each trainer answers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Ask the round's candidate trainers, or remind those who have not answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AvailabilityRequestRequest {
    /// `false` (default): ask every candidate trainer not asked yet (trainers without an
    /// account are invited). `true`: remind those asked who have not answered.
    #[serde(default)]
    pub remind: bool,
}

/// How many trainers were mailed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilityRequestsSent {
    /// Mails queued.
    #[cfg_attr(feature = "openapi", schema(example = 12))]
    pub sent: u64,
}

/// A trainer's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AvailabilityAnswerRequest {
    /// Whether they can take a trainee in this round.
    pub available: bool,
    /// For which years (1 and/or 3) of those the round couples and they are eligible for;
    /// at least one when available, ignored when not.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!([1, 3])))]
    pub training_years: Vec<u8>,
    /// How many trainees: 1, or 2 in a duo practice; ignored when not available.
    #[serde(default = "one")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 2, example = 1))]
    pub capacity: u8,
    /// A note to the O-team, at most 1000 characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 1000, example = "Vanaf maart vier dagen per week.")
    )]
    pub note: Option<String>,
}

fn one() -> u8 {
    1
}

/// The request to a trainer and their answer, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainerAvailability {
    /// When the O-team asked.
    pub requested_at: DateTime<Utc>,
    /// When last reminded.
    pub reminded_at: Option<DateTime<Utc>>,
    /// When answered; null while unanswered.
    pub answered_at: Option<DateTime<Utc>>,
    /// Whether available; null while unanswered.
    pub available: Option<bool>,
    /// The years offered.
    pub training_years: Vec<u8>,
    /// Trainees they can take (1 or 2); null unless available.
    pub capacity: Option<u8>,
    /// Their note.
    pub note: Option<String>,
}

/// An availability request to the signed-in trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAvailabilityRequest {
    /// The round.
    pub round_id: Uuid,
    /// Its placement start month (`march`, ...).
    #[cfg_attr(feature = "openapi", schema(example = "september"))]
    pub start_month: String,
    /// Its placement start year.
    #[cfg_attr(feature = "openapi", schema(example = 2027))]
    pub start_year: i32,
    /// The placement start.
    pub placement_start: NaiveDate,
    /// The years they can offer: the round's years they are eligible for.
    pub offered_years: Vec<u8>,
    /// Whether an answer can still be given or changed (until step 1 of the round ends).
    pub open: bool,
    /// The request and their answer.
    pub availability: TrainerAvailability,
}

/// Availability requests to the signed-in trainer, newest placement first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAvailabilityRequestList {
    /// The requests.
    pub items: Vec<MyAvailabilityRequest>,
}

//! Coupling rounds: creation from the calendar, phases and participants.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Create a round for a placement start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateRoundRequest {
    /// `march`, `june`, `september` or `december`.
    #[cfg_attr(feature = "openapi", schema(example = "september"))]
    pub start_month: String,
    /// Year of the placement start.
    #[cfg_attr(feature = "openapi", schema(example = 2027))]
    pub start_year: i32,
    /// Training years to couple (1 and/or 3); every year the month serves when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!([1, 3])))]
    pub training_years: Option<Vec<u8>>,
    /// Override of the profiles deadline.
    #[serde(default)]
    pub profiles_deadline: Option<NaiveDate>,
    /// Override of the preferences deadline.
    #[serde(default)]
    pub preferences_deadline: Option<NaiveDate>,
    /// Override of the final ranking deadline.
    #[serde(default)]
    pub final_ranking_deadline: Option<NaiveDate>,
}

/// The schedule of a round's coupling process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleResponse {
    /// Step 1 opens.
    #[cfg_attr(feature = "openapi", schema(example = "2027-06-01"))]
    pub opens: NaiveDate,
    /// Last day of step 1 (profiles).
    #[cfg_attr(feature = "openapi", schema(example = "2027-06-11"))]
    pub profiles_deadline: NaiveDate,
    /// Last day of step 2 (preferences).
    #[cfg_attr(feature = "openapi", schema(example = "2027-06-25"))]
    pub preferences_deadline: NaiveDate,
    /// Last day of step 3 (interviews and final rankings).
    #[cfg_attr(feature = "openapi", schema(example = "2027-07-12"))]
    pub final_ranking_deadline: NaiveDate,
    /// First day of the placement.
    #[cfg_attr(feature = "openapi", schema(example = "2027-09-01"))]
    pub placement_start: NaiveDate,
}

/// A coupling round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundResponse {
    /// Id.
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Placement start month.
    #[cfg_attr(feature = "openapi", schema(example = "september"))]
    pub start_month: String,
    /// Placement start year.
    #[cfg_attr(feature = "openapi", schema(example = 2027))]
    pub start_year: i32,
    /// Training years coupled.
    #[cfg_attr(feature = "openapi", schema(example = json!([1, 3])))]
    pub training_years: Vec<u8>,
    /// `draft`, `profiles`, `preferences`, `interviews`, `coupling`, `published`, `closed` or
    /// `cancelled`.
    #[cfg_attr(feature = "openapi", schema(example = "draft"))]
    pub phase: String,
    /// The schedule.
    pub schedule: ScheduleResponse,
    /// Trainees taking part.
    pub trainees: u64,
    /// Trainers taking part.
    pub trainers: u64,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Whether a coordinator holds the round: while held, its calendar opens no step and sends
    /// no reminders (a coordinator may still move it by hand).
    pub held: bool,
}

/// Hold a round's calendar, or let it run again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HoldRequest {
    /// `true` stops the calendar from opening steps and reminding; `false` lets it run.
    pub held: bool,
}

/// Rounds of an institute, newest placement first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundListResponse {
    /// The rounds.
    pub items: Vec<RoundResponse>,
}

/// Move a round to another phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// The phase to move to: the next one, or `cancelled`.
    #[cfg_attr(feature = "openapi", schema(example = "profiles"))]
    pub to: String,
}

/// A trainee due for a round by the curriculum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueTraineeResponse {
    /// Trainee id.
    pub trainee_id: Uuid,
    /// Name.
    pub name: String,
    /// The year they are due for.
    #[cfg_attr(feature = "openapi", schema(example = 3))]
    pub training_year: u8,
    /// Whether already added to the round.
    pub added: bool,
}

/// Trainees due for a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueTraineeListResponse {
    /// By name.
    pub items: Vec<DueTraineeResponse>,
}

/// A trainer who can take part, in continuity order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateTrainerResponse {
    /// Trainer id.
    pub trainer_id: Uuid,
    /// Name.
    pub name: String,
    /// Place in the continuity order (1 = longest without a trainee).
    pub continuity_rank: u32,
    /// When their last trainee left; absent if never.
    pub last_trainee_end: Option<NaiveDate>,
    /// Training years of this round they may train.
    pub eligible_for: Vec<u8>,
    /// Linked to a large-scale out-of-hours structure.
    pub large_scale_structure: bool,
    /// Whether already added to the round.
    pub added: bool,
    /// Trainees they take in this round, when added (2 for a duo practice).
    #[cfg_attr(feature = "openapi", schema(example = 1, minimum = 1, maximum = 4))]
    pub capacity: Option<u32>,
    /// The O-team's availability request and the trainer's answer; null if not asked.
    pub availability: Option<crate::TrainerAvailability>,
}

/// Trainers eligible for a round, in continuity order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateTrainerListResponse {
    /// In continuity order: never had a trainee first, then longest without one.
    pub items: Vec<CandidateTrainerResponse>,
}

/// Add a trainee to a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddRoundTraineeRequest {
    /// The trainee; must be due for the round.
    pub trainee_id: Uuid,
}

/// Add an available trainer to a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddRoundTrainerRequest {
    /// The trainer; must be eligible for a year the round couples.
    pub trainer_id: Uuid,
    /// Trainees they take in this round; when absent, the capacity they offered when asked for
    /// their availability, else 1.
    #[serde(default)]
    pub capacity: Option<u32>,
}

/// How many trainees a trainer takes in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetCapacityRequest {
    /// 1, or 2 for a duo practice (at most 4).
    #[cfg_attr(feature = "openapi", schema(example = 2, minimum = 1, maximum = 4))]
    pub capacity: u32,
}

/// An entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryResponse {
    /// Kind of change.
    #[cfg_attr(feature = "openapi", schema(example = "round.phase_changed"))]
    pub action: String,
    /// In words.
    #[cfg_attr(feature = "openapi", schema(example = "phase draft -> profiles"))]
    pub summary: String,
    /// Who (user id); absent for the platform itself.
    pub actor_id: Option<Uuid>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The audit log of a round, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLogResponse {
    /// Entries.
    pub items: Vec<AuditEntryResponse>,
}

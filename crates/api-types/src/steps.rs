//! Step 2 (preferences, interview proposal) and the interviews of step 3.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A trainer a trainee may rank in step 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankableTrainerResponse {
    /// Trainer id.
    pub trainer_id: Uuid,
    /// Name.
    pub name: String,
    /// Practice name, if recorded.
    pub practice: Option<String>,
    /// Practice place, if recorded.
    pub city: Option<String>,
    /// Linked to a large-scale out-of-hours structure.
    pub large_scale_structure: bool,
}

/// Trainers the calling trainee may rank, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankableTrainerListResponse {
    /// The trainers.
    pub items: Vec<RankableTrainerResponse>,
    /// How many the list must contain at least.
    #[cfg_attr(feature = "openapi", schema(example = 4))]
    pub minimum: usize,
}

/// A trainee's step-2 preference list, most preferred first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PreferencesRequest {
    /// Trainer ids, most preferred first; no duplicates; only rankable trainers.
    pub trainer_ids: Vec<Uuid>,
}

/// A trainee's preference list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreferencesResponse {
    /// Trainer ids, most preferred first; empty when not submitted.
    pub trainer_ids: Vec<Uuid>,
}

/// One trainee's preferences, for coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineePreferencesResponse {
    /// Trainee id.
    pub trainee_id: Uuid,
    /// Name.
    pub name: String,
    /// Whether a list was submitted.
    pub submitted: bool,
    /// The list, most preferred first.
    pub trainer_ids: Vec<Uuid>,
}

/// Everyone's preferences in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundPreferencesResponse {
    /// Per trainee, by name.
    pub items: Vec<TraineePreferencesResponse>,
}

/// A counterpart of the caller's interviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterviewCounterpartResponse {
    /// Trainee id.
    pub trainee_id: Uuid,
    /// Trainer id.
    pub trainer_id: Uuid,
    /// The other side's name.
    pub name: String,
    /// The other side's e-mail address, to arrange the interview.
    pub email: String,
    /// The trainer's practice, if recorded.
    pub practice: Option<String>,
    /// The day the interview is planned.
    pub planned_on: Option<chrono::NaiveDate>,
    /// The day it was held.
    pub held_on: Option<chrono::NaiveDate>,
}

/// The caller's interviews in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyInterviewsResponse {
    /// By name.
    pub items: Vec<InterviewCounterpartResponse>,
}

/// Record an interview as planned and/or held (the trainee arranges it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InterviewUpdateRequest {
    /// The day it is planned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2027-06-30"))]
    pub planned_on: Option<chrono::NaiveDate>,
    /// The day it was held.
    #[serde(default)]
    pub held_on: Option<chrono::NaiveDate>,
}

/// A participant in a progress list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressPerson {
    /// Trainee or trainer id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// `trainee` or `trainer`.
    pub side: String,
}

/// Who has and has not done one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepProgress {
    /// `activation`, `profiles`, `preferences` or `final_ranking`.
    #[cfg_attr(feature = "openapi", schema(example = "preferences"))]
    pub step: String,
    /// The step's last day, if it has one.
    pub deadline: Option<chrono::NaiveDate>,
    /// Done, by name.
    pub done: Vec<ProgressPerson>,
    /// Not done yet, by name.
    pub not_done: Vec<ProgressPerson>,
}

/// A round's progress per step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressResponse {
    /// The round's phase.
    pub phase: String,
    /// Per step.
    pub steps: Vec<StepProgress>,
}

/// Send a reminder to everyone who has not done a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReminderRequest {
    /// `activation`, `profiles`, `preferences` or `final_ranking`.
    #[cfg_attr(feature = "openapi", schema(example = "preferences"))]
    pub step: String,
}

/// How many reminders were queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderResponse {
    /// Mails queued.
    pub sent: usize,
}

/// Who a round message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageAudience {
    /// The round's trainees (the A-team's side).
    Trainees,
    /// The round's trainers (the O-team's side).
    Trainers,
}

/// A message from a team to its own side of a round: the A-team to the round's trainees, the
/// O-team to its trainers. Each person gets it in their language when both are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoundMessageRequest {
    /// Who it goes to. A team may leave it out (its own side) and may name only its own side;
    /// administrators must name it.
    #[serde(default)]
    pub audience: Option<MessageAudience>,
    /// Subject, in Dutch: 1 to 200 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Gesprekken plannen vóór 15 januari",
            min_length = 1,
            max_length = 200
        )
    )]
    pub subject: String,
    /// Text, in Dutch: 1 to 10,000 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Beste aios,\n\nPlan je kennismakingsgesprekken vóór 15 januari.",
            min_length = 1,
            max_length = 10000
        )
    )]
    pub body: String,
    /// Subject in English, for those who chose English (with `body_en`, or neither).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Plan your interviews before 15 January",
            min_length = 1,
            max_length = 200
        )
    )]
    pub subject_en: Option<String>,
    /// Text in English (with `subject_en`, or neither).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Dear trainee,\n\nPlease plan your interviews before 15 January.",
            min_length = 1,
            max_length = 10000
        )
    )]
    pub body_en: Option<String>,
}

/// How many mails a round message queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundMessageResponse {
    /// Who it went to.
    pub audience: MessageAudience,
    /// Mails queued (one per participant of that side who has not withdrawn).
    #[cfg_attr(feature = "openapi", schema(example = 12))]
    pub sent: usize,
}

/// Replace one trainee's interview candidates in the draft proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposalAdjustmentRequest {
    /// The trainers the trainee will interview (trainers of the round the rules allow).
    pub trainer_ids: Vec<Uuid>,
}

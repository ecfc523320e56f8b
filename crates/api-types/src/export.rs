//! A person's own data, as `GET /me/export` gives it (the right of access, AVG/GDPR art. 15).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{HistoryEntry, Locale, Role};

/// Everything Koppel holds that the signed-in person gave or that is about them and theirs to
/// see. How others ranked or vetoed them is not part of it: that stays confidential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyDataExport {
    /// When this export was made.
    pub exported_at: DateTime<Utc>,
    /// The account.
    pub account: ExportAccount,
    /// As a trainee of the institute, if so.
    pub trainee: Option<ExportTrainee>,
    /// As a trainer of the institute, if so.
    pub trainer: Option<ExportTrainer>,
    /// Each coupling round they take or took part in, with what they submitted there.
    pub rounds: Vec<ExportRound>,
}

/// The account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportAccount {
    /// Id.
    pub id: Uuid,
    /// E-mail address.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Language.
    pub locale: Locale,
    /// Whether two-factor sign-in is on.
    pub two_factor: bool,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
}

/// The person as a trainee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportTrainee {
    /// Trainee id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Start of the training.
    pub training_start: NaiveDate,
    /// Part-time factor.
    pub part_time_factor: f64,
    /// Leave and extension days.
    pub leave_days: u32,
    /// Earlier couplings.
    pub history: Vec<HistoryEntry>,
    /// The profile's texts.
    pub introduction: Option<String>,
    /// The profile's experience text.
    pub experience: Option<String>,
    /// The profile's learning wishes.
    pub learning_wishes: Option<String>,
    /// Where the CV can be downloaded, if there is one.
    pub cv_path: Option<String>,
    /// Where the photo can be downloaded, if there is one.
    pub photo_path: Option<String>,
}

/// The person as a trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportTrainer {
    /// Trainer id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// May train year-1 trainees.
    pub eligible_year1: bool,
    /// May train year-3 trainees.
    pub eligible_year3: bool,
    /// Linked to a large-scale out-of-hours structure.
    pub large_scale_structure: bool,
    /// When the last trainee left, as entered.
    pub last_trainee_end: Option<NaiveDate>,
    /// The planned end of the latest coupling published in Koppel.
    pub coupled_until: Option<NaiveDate>,
    /// The learning plan.
    pub learning_plan: Option<String>,
    /// The practice description.
    pub practice_description: Option<String>,
}

/// A round the person takes or took part in, with what they submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportRound {
    /// Round id.
    pub round_id: Uuid,
    /// The placement start.
    pub placement_start: NaiveDate,
    /// The round's phase.
    pub phase: String,
    /// Their step-2 preferences, first choice first (trainees).
    pub preferences: Vec<ExportRanked>,
    /// Their interviews.
    pub interviews: Vec<ExportInterview>,
    /// Their final ranking after the interviews.
    pub final_ranking: Vec<ExportRanked>,
    /// The vetoes they declared.
    pub vetoes: Vec<ExportVeto>,
    /// Who they are coupled to.
    pub coupled_to: Vec<String>,
}

/// Someone ranked, with the rank given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportRanked {
    /// Their name.
    pub name: String,
    /// The rank given (1 = first).
    pub rank: u32,
}

/// An interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportInterview {
    /// The counterpart.
    pub name: String,
    /// Planned on.
    pub planned_on: Option<NaiveDate>,
    /// Held on.
    pub held_on: Option<NaiveDate>,
}

/// A veto the person declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportVeto {
    /// The counterpart.
    pub name: String,
    /// The reason category.
    pub category: String,
    /// The relationship, for a personal relationship.
    pub relationship: Option<String>,
    /// The note given.
    pub note: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

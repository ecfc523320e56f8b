//! Trainees, trainers and practices of an institute, and their bulk import.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn full_time() -> f64 {
    1.0
}

/// An earlier coupling of a trainee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// The trainer (of this institute).
    pub trainer_id: Uuid,
    /// 1 or 3.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub training_year: u8,
    /// Start of that placement.
    #[cfg_attr(feature = "openapi", schema(example = "2025-09-01"))]
    pub starts_on: NaiveDate,
    /// End, if known (for an entry written by a published coupling: the planned end).
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// The round whose published coupling wrote this entry; absent for entries typed in or
    /// imported. Koppel keeps such entries up to date itself: in a request they are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_id: Option<Uuid>,
}

/// Create or replace a trainee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TraineeRequest {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Sanne Jansen"))]
    pub name: String,
    /// E-mail address, unique within the institute.
    #[cfg_attr(feature = "openapi", schema(example = "s.jansen@example.nl"))]
    pub email: String,
    /// Start of the training (the year-1 practice period starts then).
    #[cfg_attr(feature = "openapi", schema(example = "2025-09-01"))]
    pub training_start: NaiveDate,
    /// Share of a full-time week, 0.5-1.0; 1.0 when absent.
    #[serde(default = "full_time")]
    #[cfg_attr(feature = "openapi", schema(example = 0.8, default = 1.0))]
    pub part_time_factor: f64,
    /// Recorded leave and extension days; 0 when absent.
    #[serde(default)]
    pub leave_days: u32,
    /// Earlier couplings.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// A trainee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeResponse {
    /// Id.
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
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
    /// When the year-3 practice period starts, by the curriculum rule.
    #[cfg_attr(feature = "openapi", schema(example = "2027-09-01"))]
    pub year3_start: NaiveDate,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A page of trainees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeListResponse {
    /// This page, by name.
    pub items: Vec<TraineeResponse>,
    /// Matching trainees in all pages.
    pub total: u64,
    /// Page number (1-based).
    pub page: u64,
    /// Page size.
    pub per_page: u64,
}

/// Create or replace a trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainerRequest {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Dr. Pieter Visser"))]
    pub name: String,
    /// E-mail address, unique within the institute.
    #[cfg_attr(feature = "openapi", schema(example = "p.visser@example.nl"))]
    pub email: String,
    /// The practice (of this institute).
    #[serde(default)]
    pub practice_id: Option<Uuid>,
    /// May train year-1 trainees.
    pub eligible_year1: bool,
    /// May train year-3 trainees.
    pub eligible_year3: bool,
    /// Linked to a large-scale GP out-of-hours structure.
    #[serde(default)]
    pub large_scale_structure: bool,
    /// When their last trainee left; absent if they never had one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2026-08-31"))]
    pub last_trainee_end: Option<NaiveDate>,
}

/// A trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainerResponse {
    /// Id.
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Practice.
    pub practice_id: Option<Uuid>,
    /// May train year-1 trainees.
    pub eligible_year1: bool,
    /// May train year-3 trainees.
    pub eligible_year3: bool,
    /// Linked to a large-scale GP out-of-hours structure.
    pub large_scale_structure: bool,
    /// When their last trainee left.
    pub last_trainee_end: Option<NaiveDate>,
    /// The planned end of their latest trainee from a coupling published in Koppel (written
    /// by publication, corrected by withdrawals and re-runs). The continuity order takes the
    /// later of this and `last_trainee_end`.
    #[cfg_attr(feature = "openapi", schema(example = "2028-02-29"))]
    pub coupled_until: Option<NaiveDate>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A page of trainers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainerListResponse {
    /// This page, by name.
    pub items: Vec<TrainerResponse>,
    /// Matching trainers in all pages.
    pub total: u64,
    /// Page number (1-based).
    pub page: u64,
    /// Page size.
    pub per_page: u64,
}

/// Create or replace a practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PracticeRequest {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Huisartsenpraktijk De Linde"))]
    pub name: String,
    /// Place.
    #[cfg_attr(feature = "openapi", schema(example = "Zwolle"))]
    pub city: String,
    /// Description for trainees.
    #[serde(default)]
    pub description: String,
}

/// A practice (opleidingspraktijk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeResponse {
    /// Id.
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Name.
    pub name: String,
    /// Place.
    pub city: String,
    /// Description.
    pub description: String,
}

/// Practices of an institute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeListResponse {
    /// By name.
    pub items: Vec<PracticeResponse>,
}

/// A bulk import of trainees as JSON (CSV is accepted as `text/csv` too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TraineeImportRequest {
    /// The rows; all are imported or none.
    #[cfg_attr(feature = "openapi", schema(max_items = 10000))]
    pub rows: Vec<TraineeRequest>,
}

/// A bulk import of trainers as JSON (CSV is accepted as `text/csv` too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainerImportRequest {
    /// The rows; all are imported or none.
    #[cfg_attr(feature = "openapi", schema(max_items = 10000))]
    pub rows: Vec<TrainerRequest>,
}

/// The result of an import in which every row was valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResponse {
    /// Rows imported.
    #[cfg_attr(feature = "openapi", schema(example = 30))]
    pub imported: usize,
}

//! Step 1: trainee profiles (profielschets) and trainer profiles (leerwerkplan).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A trainee's profile text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TraineeProfileRequest {
    /// Who you are.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Ik ben Sanne, 29, en woon in Zwolle.")
    )]
    pub introduction: String,
    /// Experience so far.
    pub experience: String,
    /// What you want to learn.
    pub learning_wishes: String,
}

/// A trainee's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeProfileResponse {
    /// Trainee.
    pub trainee_id: Uuid,
    /// Name.
    pub name: String,
    /// Introduction.
    pub introduction: String,
    /// Experience.
    pub experience: String,
    /// Learning wishes.
    pub learning_wishes: String,
    /// Whether a CV (PDF) was uploaded.
    pub has_cv: bool,
    /// Whether a photo was uploaded.
    pub has_photo: bool,
    /// Last change; absent when never written.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A trainer's learning plan and practice description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainerProfileRequest {
    /// The learning plan (leerwerkplan).
    pub learning_plan: String,
    /// The practice: team, patients, way of working.
    pub practice_description: String,
}

/// A trainer's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainerProfileResponse {
    /// Trainer.
    pub trainer_id: Uuid,
    /// Name.
    pub name: String,
    /// Learning plan.
    pub learning_plan: String,
    /// Practice description.
    pub practice_description: String,
    /// Last change; absent when never written.
    pub updated_at: Option<DateTime<Utc>>,
}

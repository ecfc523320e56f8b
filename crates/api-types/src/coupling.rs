//! Step 3 (final rankings), vetoes, coupling runs and results.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One rank given to an interview counterpart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RankEntry {
    /// The counterpart: a trainer id for trainees, a trainee id for trainers.
    pub counterpart_id: Uuid,
    /// 1 = first choice.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub rank: u32,
}

/// A final ranking: ranks 1..n over exactly the interview counterparts, no ties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FinalRankingRequest {
    /// One entry per interview counterpart.
    pub ranks: Vec<RankEntry>,
}

/// A final ranking, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FinalRankingResponse {
    /// Counterpart ids, rank 1 first; empty when not submitted.
    pub counterpart_ids: Vec<Uuid>,
}

/// Declare a veto against a counterpart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VetoRequest {
    /// The trainer (for a trainee) or trainee (for a trainer) of this round.
    pub counterpart_id: Uuid,
    /// `personal_relationship`. Travel time, religion, political preference, skin colour,
    /// migration background, sexual orientation and gender are refused.
    #[cfg_attr(feature = "openapi", schema(example = "personal_relationship"))]
    pub category: String,
    /// For `personal_relationship`: `family`, `own_gp` or `other_personal_tie`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "family"))]
    pub relationship: Option<String>,
    /// Optional note; never replaces the category.
    #[serde(default)]
    pub note: Option<String>,
}

/// A recorded veto.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VetoResponse {
    /// Id.
    pub id: Uuid,
    /// Trainee.
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// `trainee` or `trainer`.
    pub declared_by: String,
    /// Reason category.
    pub category: String,
    /// Kind of relationship.
    pub relationship: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// The user who declared it.
    pub actor_id: Uuid,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Vetoes of a round, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VetoListResponse {
    /// The vetoes.
    pub items: Vec<VetoResponse>,
}

/// Start a coupling run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CouplingRunRequest {
    /// `total` (default) or `minimax`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "total"))]
    pub objective: Option<String>,
    /// Couplings that stand are left out of the run: manual couplings made before publication
    /// always; after publication the published ones too (the default), so only those left
    /// without a coupling are coupled, or nobody's (`false`: re-couple everyone).
    #[serde(default)]
    pub keep_published: Option<bool>,
}

/// A coupling run in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouplingRunSummary {
    /// Id.
    pub id: Uuid,
    /// Objective.
    pub objective: String,
    /// Trainees coupled.
    pub matched: u32,
    /// Sum of both sides' ranks.
    pub total_rank: u64,
    /// Largest rank either side got.
    pub worst_rank: u32,
    /// Trainees without a coupling.
    pub unmatched: u32,
    /// Pairs who prefer each other to what they got.
    pub blocking_pairs: u32,
    /// How many trainees got their 1st, 2nd, ... choice (index 0 = 1st).
    pub trainee_rank_distribution: Vec<u32>,
    /// How many couplings trainers ranked 1st, 2nd, ... (index 0 = 1st).
    pub trainer_rank_distribution: Vec<u32>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was published; absent while it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
}

/// Coupling runs of a round, oldest first, to compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouplingRunListResponse {
    /// The runs.
    pub items: Vec<CouplingRunSummary>,
}

/// The caller's published coupling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCouplingResponse {
    /// Whether the caller is coupled.
    pub coupled: bool,
    /// The other side's name.
    pub name: Option<String>,
    /// The other side's e-mail address.
    pub email: Option<String>,
    /// Why, in words, for trainees not at their first choice: which better choices they ranked,
    /// and that the best coupling for the whole group decided.
    pub explanation: Option<String>,
    /// Where the caller put this counterpart in their own final ranking (1 = first choice);
    /// absent for a manual coupling outside it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2))]
    pub rank: Option<u32>,
    /// For trainees: each choice they ranked higher than the one they got. Nothing about why
    /// each one did not come about: whether a pair was possible, or what it would have cost the
    /// group, depends on how trainers ranked and vetoed, and in a small round would reveal it.
    #[serde(default)]
    pub alternatives: Vec<CouplingAlternative>,
    /// Everyone the caller is coupled to: one, or for a trainer with a duo practice (capacity
    /// 2) two. `name`, `email` and `rank` repeat the first.
    #[serde(default)]
    pub counterparts: Vec<Counterpart>,
}

/// Someone the caller is coupled to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counterpart {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Sanne Jansen"))]
    pub name: String,
    /// E-mail address.
    #[cfg_attr(feature = "openapi", schema(example = "s.jansen@example.nl"))]
    pub email: String,
    /// Where the caller put them in their own final ranking; absent for a manual coupling
    /// outside it.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub rank: Option<u32>,
}

/// A better choice a trainee did not get: the best coupling for the whole group decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouplingAlternative {
    /// The trainer.
    #[cfg_attr(feature = "openapi", schema(example = "Dr. Pieter Visser"))]
    pub trainer_name: String,
    /// Where the trainee ranked them.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub rank: u32,
}

/// Withdraw a participant (drop-out). Exactly one of `trainee_id` and `trainer_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WithdrawalRequest {
    /// The trainee who drops out.
    #[serde(default)]
    pub trainee_id: Option<Uuid>,
    /// The trainer who drops out.
    #[serde(default)]
    pub trainer_id: Option<Uuid>,
    /// Why.
    #[cfg_attr(feature = "openapi", schema(example = "langdurig ziek"))]
    pub reason: String,
}

/// What a withdrawal changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalResponse {
    /// Trainees whose published coupling was dissolved and who need a manual coupling.
    pub uncoupled_trainees: Vec<Uuid>,
}

/// Couple a pair by hand, with the reason. The coupling rules and vetoes still apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManualCouplingRequest {
    /// Trainee.
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// Why this coupling.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "opleider uitgevallen; in overleg met A-team en O-team")
    )]
    pub reason: String,
}

//! The national placement lottery: lotteries, locations, candidates, commit-draw-reveal, the
//! second chance, the report and the equal-chance simulation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Create a lottery (administrators: the national body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateLotteryRequest {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Plaatsingsloting maart 2027"))]
    pub name: String,
    /// Planned day of the draw; candidates found suitable more than 24 months before are refused.
    #[cfg_attr(feature = "openapi", schema(example = "2026-11-14"))]
    pub draw_on: NaiveDate,
    /// Applicants in the selection before the lottery.
    #[cfg_attr(feature = "openapi", schema(example = 393))]
    pub applicants: u32,
    /// Candidates found suitable in that selection.
    #[cfg_attr(feature = "openapi", schema(example = 336))]
    pub selected: u32,
    /// Days a second-chance offer stays open; 7 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 7))]
    pub response_days: Option<u32>,
}

/// A lottery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryResponse {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Planned day of the draw.
    pub draw_on: NaiveDate,
    /// Applicants in the selection.
    pub applicants: u32,
    /// Candidates selected.
    pub selected: u32,
    /// Days a second-chance offer stays open.
    pub response_days: u32,
    /// `draft` (inputs can change), `committed` (frozen, seed committed) or `drawn`.
    #[cfg_attr(feature = "openapi", schema(example = "committed"))]
    pub status: String,
    /// Locations.
    pub locations: u32,
    /// Candidates.
    pub candidates: u32,
    /// Hex SHA-256 of the server's secret, published at the commit.
    pub seed_commitment: Option<String>,
    /// Hex SHA-256 of the frozen inputs, published at the commit.
    pub inputs_hash: Option<String>,
    /// The public value entered at the draw.
    #[serde(default)]
    pub public_value: Option<String>,
    /// The secret, revealed at the draw.
    #[serde(default)]
    pub secret: Option<String>,
    /// The seed, made at the draw: hex SHA-256 of `secret + ":" + public_value`.
    pub seed: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Commit time.
    pub committed_at: Option<DateTime<Utc>>,
    /// Draw time.
    pub drawn_at: Option<DateTime<Utc>>,
    /// The placement start given at the hand-over to the institutes.
    pub placement_start: Option<NaiveDate>,
    /// When the placed candidates were handed to their institutes.
    pub handed_over_at: Option<DateTime<Utc>>,
}

/// Lotteries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryListResponse {
    /// The lotteries.
    pub items: Vec<LotteryResponse>,
}

/// Draw a committed lottery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DrawLotteryRequest {
    /// A value nobody knew at the commit, made public at the draw: for example the randomness of
    /// a drand beacon round published after the commit, or a number a notary draws at the
    /// ceremony. The seed is `SHA-256(secret ":" public_value)`, with the value exactly as given.
    /// 1 to 500 characters, not only spaces.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 500,
            pattern = r"\S",
            example = "drand quicknet round 21834567: 6f1a0c9e5b2d4a7c8e3f1b0d9a6c5e4f3b2a1d0c9e8f7a6b5c4d3e2f1a0b9c8d"
        )
    )]
    pub public_value: String,
}

/// A training location with its places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LotteryLocation {
    /// Id used in the candidates' preferences.
    #[cfg_attr(feature = "openapi", schema(example = "utrecht"))]
    pub id: String,
    /// Name shown.
    #[cfg_attr(feature = "openapi", schema(example = "Huisartsopleiding Utrecht"))]
    pub name: String,
    /// Places offered.
    #[cfg_attr(feature = "openapi", schema(example = 40))]
    pub capacity: u32,
    /// The institute its placed candidates are handed to after the second chance; it must
    /// exist. Absent: not linked yet.
    #[serde(default)]
    pub institute_id: Option<Uuid>,
}

/// Every location of a lottery (replaces the list; only before the commit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LotteryLocationsRequest {
    /// The locations.
    pub locations: Vec<LotteryLocation>,
}

/// The locations of a lottery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryLocationListResponse {
    /// In input order.
    pub items: Vec<LotteryLocation>,
}

/// A candidate to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LotteryCandidateRow {
    /// Id from the selection (published in the verification; names and e-mails never are).
    #[cfg_attr(feature = "openapi", schema(example = "K-0001"))]
    pub id: String,
    /// Name.
    #[cfg_attr(feature = "openapi", schema(example = "Lotte Smit"))]
    pub name: String,
    /// E-mail address.
    #[cfg_attr(feature = "openapi", schema(example = "l.smit@example.nl"))]
    pub email: String,
    /// Location ids, most preferred first.
    #[cfg_attr(feature = "openapi", schema(example = json!(["utrecht", "amsterdam"])))]
    pub preferences: Vec<String>,
    /// Whether this is their second lottery; set automatically when they were unplaced in an
    /// earlier one.
    #[serde(default)]
    pub second_attempt: bool,
    /// When found suitable in the selection.
    #[cfg_attr(feature = "openapi", schema(example = "2026-10-01"))]
    pub suitable_on: NaiveDate,
}

/// Candidates to import as JSON (CSV: `id,name,email,preferences,second_attempt,suitable_on`,
/// preferences separated by `;`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LotteryCandidateImportRequest {
    /// The candidates.
    #[cfg_attr(feature = "openapi", schema(max_items = 10000))]
    pub rows: Vec<LotteryCandidateRow>,
}

/// A candidate of a lottery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryCandidateResponse {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Location ids, most preferred first.
    pub preferences: Vec<String>,
    /// Whether this is their second lottery.
    pub second_attempt: bool,
    /// When found suitable.
    pub suitable_on: NaiveDate,
}

/// The candidates of a lottery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryCandidateListResponse {
    /// In input order.
    pub items: Vec<LotteryCandidateResponse>,
}

/// Add the unplaced candidates of an earlier lottery as second-attempt candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CarryOverRequest {
    /// The earlier, drawn lottery.
    pub from_lottery_id: Uuid,
}

/// A candidate not carried over, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarryOverSkipped {
    /// Candidate id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// The outcome of a carry-over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarryOverResponse {
    /// Candidates added.
    pub added: u32,
    /// Candidates not added.
    pub skipped: Vec<CarryOverSkipped>,
}

/// A second-chance offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryOfferResponse {
    /// Id.
    pub id: Uuid,
    /// Candidate id.
    pub candidate_id: String,
    /// Candidate name (administrators and the candidate only).
    pub candidate_name: String,
    /// Location id.
    pub location_id: String,
    /// Location name.
    pub location_name: String,
    /// Order in which offers were made.
    pub sequence: u32,
    /// Whether the candidate listed this location.
    pub listed: bool,
    /// `open`, `accepted`, `declined` or `expired`.
    #[cfg_attr(feature = "openapi", schema(example = "open"))]
    pub status: String,
    /// When made.
    pub offered_at: DateTime<Utc>,
    /// Answer before.
    pub respond_by: DateTime<Utc>,
    /// When answered.
    pub responded_at: Option<DateTime<Utc>>,
}

/// The offers of a lottery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryOfferListResponse {
    /// In the order they were made.
    pub items: Vec<LotteryOfferResponse>,
}

/// Accept or decline an offer. Declining is final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferDecisionRequest {
    /// `true` to accept, `false` to decline.
    pub accept: bool,
}

/// Per location, after the draw and the second chance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationFigures {
    /// Location id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Places offered.
    pub capacity: u32,
    /// Placed by the draw.
    pub placed: u32,
    /// Unfilled after the draw.
    pub unfilled: u32,
    /// Places taken through an accepted second-chance offer.
    pub second_chance: u32,
}

/// Placed at their n-th preference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankFigures {
    /// 1 = first preference.
    pub preference_rank: u32,
    /// Candidates placed there.
    pub placed: u32,
}

/// The second chance so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondChanceFigures {
    /// Offers made.
    pub offers: u32,
    /// Open.
    pub open: u32,
    /// Accepted.
    pub accepted: u32,
    /// Declined.
    pub declined: u32,
    /// Expired without an answer.
    pub expired: u32,
}

/// The round report: the figures the national body publishes, and the details behind them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryReportResponse {
    /// Lottery id.
    pub lottery_id: Uuid,
    /// Name.
    pub name: String,
    /// Applicants (sollicitanten).
    #[cfg_attr(feature = "openapi", schema(example = 393))]
    pub applicants: u32,
    /// Selected to take part (geselecteerd).
    #[cfg_attr(feature = "openapi", schema(example = 336))]
    pub selected: u32,
    /// Taking part for the second time.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub second_attempts: u32,
    /// Total in the lottery.
    #[cfg_attr(feature = "openapi", schema(example = 337))]
    pub total_in_lottery: u32,
    /// Placed at a location of their own preference.
    #[cfg_attr(feature = "openapi", schema(example = 332))]
    pub placed_at_preferred: u32,
    /// Not placed (uitgeloot).
    #[cfg_attr(feature = "openapi", schema(example = 5))]
    pub unplaced: u32,
    /// Places offered.
    #[cfg_attr(feature = "openapi", schema(example = 442))]
    pub places_offered: u32,
    /// Places unfilled after the draw.
    #[cfg_attr(feature = "openapi", schema(example = 110))]
    pub places_unfilled: u32,
    /// Per location.
    pub locations: Vec<LocationFigures>,
    /// Per preference rank.
    pub by_preference_rank: Vec<RankFigures>,
    /// The second chance.
    pub second_chance: SecondChanceFigures,
}

/// Run N draws with fresh seeds on the frozen inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SimulationRequest {
    /// Number of draws, 1-100000.
    #[cfg_attr(feature = "openapi", schema(example = 1000))]
    pub draws: u32,
}

/// One candidate's estimated chances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateChance {
    /// Candidate id.
    pub id: String,
    /// Preferences given.
    pub preferences_given: u32,
    /// Share of draws in which they were placed.
    #[cfg_attr(feature = "openapi", schema(example = 0.98))]
    pub placed: f64,
    /// Standard error of `placed`, `sqrt(p (1 - p) / draws)`: the share is within about two of
    /// these of the true chance.
    #[cfg_attr(feature = "openapi", schema(example = 0.0014))]
    pub placed_standard_error: f64,
    /// Share of draws in which they got their first preference.
    #[cfg_attr(feature = "openapi", schema(example = 0.61))]
    pub first_preference: f64,
    /// Standard error of `first_preference`.
    #[cfg_attr(feature = "openapi", schema(example = 0.0049))]
    pub first_preference_standard_error: f64,
}

/// A simulation and, when finished, its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulationResponse {
    /// Id (poll `GET .../simulations/{id}`).
    pub id: Uuid,
    /// Draws asked.
    pub draws: u32,
    /// Draws done so far.
    pub done: u32,
    /// Whether finished.
    pub finished: bool,
    /// Per candidate, when finished.
    pub candidates: Vec<CandidateChance>,
    /// Why it stopped, if it failed (then `finished` is true and `candidates` empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A candidate's own lottery outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyLotteryOutcome {
    /// Lottery.
    pub lottery_id: Uuid,
    /// Name.
    pub name: String,
    /// `draft`, `committed` or `drawn`.
    pub status: String,
    /// Their candidate id.
    pub candidate_id: String,
    /// Their id in the public verification document (a pseudonym given at the commit), from the
    /// commit on: with it they find themselves there, and nobody else can.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "P-3f9a0c12d4e5b678"))]
    pub public_id: Option<String>,
    /// Their preferences, as location names.
    pub preferences: Vec<String>,
    /// Their lottery number (1 = first), after the draw.
    pub lottery_number: Option<u32>,
    /// Where they were placed (location name), if placed.
    pub placed_at: Option<String>,
    /// At which of their preferences.
    pub preference_rank: Option<u32>,
    /// Their second-chance offer, if any.
    pub offer: Option<LotteryOfferResponse>,
    /// For unplaced candidates: they may take part once more until this day.
    pub retry_until: Option<NaiveDate>,
}

/// The signed-in candidate's lotteries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyLotteryResponse {
    /// Newest first.
    pub items: Vec<MyLotteryOutcome>,
}

/// Link a lottery location to the institute its placed candidates go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationInstituteRequest {
    /// The institute; null unlinks the location.
    pub institute_id: Option<Uuid>,
}

/// Hand the placed candidates to their institutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    /// The placement start: the first day of March, June, September or December after the
    /// draw. It becomes the imported trainees' training start.
    #[cfg_attr(feature = "openapi", schema(example = "2027-03-01"))]
    pub placement_start: NaiveDate,
}

/// What one institute received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverInstitute {
    /// The institute.
    pub institute_id: Uuid,
    /// Its name.
    pub name: String,
    /// Placed candidates handed to it.
    pub candidates: u32,
}

/// The hand-over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverResponse {
    /// The lottery.
    pub lottery_id: Uuid,
    /// The placement start given.
    pub placement_start: NaiveDate,
    /// Per institute, how many placed candidates it received.
    pub institutes: Vec<HandoverInstitute>,
}

/// A placed candidate handed to the institute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedCandidate {
    /// The lottery.
    pub lottery_id: Uuid,
    /// Its name.
    pub lottery_name: String,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// The location they were placed at.
    pub location_id: String,
    /// Its name.
    pub location_name: String,
    /// Placed in the second chance (an accepted offer) rather than by the draw.
    pub second_chance: bool,
    /// Their training start.
    pub placement_start: NaiveDate,
    /// The trainee they were imported as; null until imported.
    pub trainee_id: Option<Uuid>,
}

/// The placed candidates handed to an institute, by lottery and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedCandidateListResponse {
    /// The candidates.
    pub items: Vec<PlacedCandidate>,
}

/// The import of the handed-over candidates as year-1 trainees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedImportResponse {
    /// Trainees made.
    pub imported: u32,
    /// Their ids.
    pub trainee_ids: Vec<Uuid>,
}

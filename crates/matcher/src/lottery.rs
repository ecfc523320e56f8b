//! The placement lottery: verifiable random serial dictatorship.
//!
//! # Rule (exact, so anyone can recompute it)
//! - The seed comes from two parts, so that no single party knows or chooses it in advance: a
//!   secret the lottery's organiser commits to before anyone knows the second part, and a public
//!   value nobody knew at that commit (a randomness beacon round, a notary's draw).
//!   `commitment` = lowercase hex SHA-256 of the secret (published at the commit);
//!   `seed` = lowercase hex SHA-256 of `secret + ":" + public_value` ([`seed_from`]).
//! - The output's `seed_commitment` is the SHA-256 of the seed itself.
//! - Each candidate's key = lowercase hex SHA-256 of the UTF-8 bytes of `seed + ":" + candidate_id`.
//! - The order is ascending by key; `lottery_number` 1 is first.
//! - In that order each candidate is placed at their highest preference with a place left;
//!   `preference_rank` is 1-based.
//! - `unplaced` is ordered by the number of preferences given (most first), then lottery number.
//! - Second phase: in that order, each unplaced candidate is offered a place that stayed unfilled.
//!   A location they listed comes first; but those were all full when their turn came and stay
//!   full, so in practice the offer is at the location with the most unfilled places (ties: input
//!   order of locations). Offers are proposals: accepting or declining happens outside the draw.
//!
//! # Input
//! ```json
//! {"seed": "<at least 32 hex characters>",
//!  "locations": [{"id": "amsterdam", "capacity": 30}],
//!  "candidates": [{"id": "c1", "preferences": ["amsterdam", "utrecht"], "second_attempt": false}]}
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::{InputError, check_ids};

/// A training location and its places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Unique id.
    #[cfg_attr(feature = "openapi", schema(example = "utrecht"))]
    pub id: String,
    /// Places offered.
    #[cfg_attr(feature = "openapi", schema(example = 30))]
    pub capacity: u32,
}

/// A candidate and their ordered location preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Unique id.
    #[cfg_attr(feature = "openapi", schema(example = "c1"))]
    pub id: String,
    /// Location ids, most preferred first.
    #[cfg_attr(feature = "openapi", schema(example = json!(["utrecht", "groningen"])))]
    pub preferences: Vec<String>,
    /// Whether this is their second lottery.
    #[serde(default)]
    pub second_attempt: bool,
}

/// A lottery instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LotteryInput {
    /// The secret seed: at least 32 hexadecimal characters.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "9f2c4e1a7b3d5f60818a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70")
    )]
    pub seed: String,
    /// Locations.
    pub locations: Vec<Location>,
    /// Candidates.
    pub candidates: Vec<Candidate>,
}

/// A candidate's place in the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderEntry {
    /// Candidate id.
    pub candidate: String,
    /// 1 = first.
    pub lottery_number: u32,
}

/// A placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Placement {
    /// Candidate id.
    pub candidate: String,
    /// Location id.
    pub location: String,
    /// Which preference it was (1-based).
    pub preference_rank: u32,
}

/// A candidate not placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnplacedCandidate {
    /// Candidate id.
    pub candidate: String,
    /// Their lottery number.
    pub lottery_number: u32,
    /// How many preferences they gave.
    pub preferences_given: u32,
}

/// A second-phase offer of an unfilled place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    /// Candidate id.
    pub candidate: String,
    /// Location id.
    pub location: String,
    /// Whether the candidate listed this location.
    pub listed: bool,
}

/// Placements at one preference rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankCount {
    /// Preference rank (1-based).
    pub preference_rank: u32,
    /// Candidates placed at it.
    pub placed: u32,
}

/// One location in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationReport {
    /// Location id.
    pub location: String,
    /// Places offered.
    pub capacity: u32,
    /// Places filled in the draw.
    pub placed: u32,
    /// Places left.
    pub unfilled: u32,
}

/// The figures the national body publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryReport {
    /// Candidates in the lottery.
    pub candidates: u32,
    /// Of whom in their second lottery.
    pub second_attempts: u32,
    /// Placed at a location they listed.
    pub placed: u32,
    /// Not placed (uitgeloot).
    pub unplaced: u32,
    /// Places offered.
    pub places_offered: u32,
    /// Places left unfilled by the draw.
    pub places_unfilled: u32,
    /// Placements per preference rank.
    pub placed_by_preference_rank: Vec<RankCount>,
    /// Per location.
    pub locations: Vec<LocationReport>,
}

/// The outcome of a draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotteryOutput {
    /// Lowercase hex SHA-256 of the seed.
    pub seed_commitment: String,
    /// Every candidate with their lottery number, in order.
    pub order: Vec<OrderEntry>,
    /// Placements, in lottery order.
    pub placements: Vec<Placement>,
    /// Candidates not placed, most preferences first, then by lottery number.
    pub unplaced: Vec<UnplacedCandidate>,
    /// Second-phase offers of unfilled places, in the order of `unplaced`.
    pub offers: Vec<Offer>,
    /// Figures.
    pub report: LotteryReport,
}

/// The seed from the committed secret and the public value: lowercase hex SHA-256 of
/// `secret + ":" + public_value`.
pub fn seed_from(secret: &str, public_value: &str) -> String {
    sha256_hex(&format!("{secret}:{public_value}"))
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// Each candidate's preferences as location indices, in one flat array.
struct Preferences {
    flat: Vec<usize>,
    starts: Vec<usize>,
}

impl Preferences {
    fn of(&self, candidate: usize) -> &[usize] {
        &self.flat[self.starts[candidate]..self.starts[candidate + 1]]
    }
}

/// Validates an instance and resolves the preferences to location indices.
fn validate(input: &LotteryInput) -> Result<Preferences, InputError> {
    if input.seed.len() < 32 || !input.seed.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(InputError::new(
            "seed",
            "must be at least 32 hexadecimal characters",
        ));
    }
    check_ids("locations", input.locations.iter().map(|l| l.id.as_str()))?;
    let places: u64 = input.locations.iter().map(|l| u64::from(l.capacity)).sum();
    if places > u64::from(u32::MAX) {
        return Err(InputError::new(
            "locations",
            format!("the places add up to {places}, more than {}", u32::MAX),
        ));
    }
    // Duplicate candidate ids are found after sorting the keys in `draw` (same id, same key).
    if let Some(index) = input.candidates.iter().position(|c| c.id.trim().is_empty()) {
        return Err(InputError::new(
            format!("candidates[{index}].id"),
            "must not be empty",
        ));
    }
    let location_index: HashMap<&str, usize> = input
        .locations
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let mut flat = Vec::with_capacity(input.candidates.len() * 4);
    let mut starts = Vec::with_capacity(input.candidates.len() + 1);
    for (c, candidate) in input.candidates.iter().enumerate() {
        let start = flat.len();
        starts.push(start);
        for (p, location) in candidate.preferences.iter().enumerate() {
            let field = || format!("candidates[{c}].preferences[{p}]");
            let index = *location_index.get(location.as_str()).ok_or_else(|| {
                InputError::new(field(), format!("unknown location '{location}'"))
            })?;
            if flat[start..].contains(&index) {
                return Err(InputError::new(
                    field(),
                    format!("'{location}' is listed twice"),
                ));
            }
            flat.push(index);
        }
    }
    starts.push(flat.len());
    Ok(Preferences { flat, starts })
}

/// Draws the lottery.
pub fn draw(input: &LotteryInput) -> Result<LotteryOutput, InputError> {
    let preferences = validate(input)?;
    // SHA-256 of `seed:id` for each candidate. Sorting the raw digests gives the same order as
    // sorting their lowercase hex, and the state after `seed:` is computed once.
    let mut prefix = Sha256::new();
    prefix.update(input.seed.as_bytes());
    prefix.update(b":");
    let mut keyed: Vec<([u8; 32], usize)> = input
        .candidates
        .iter()
        .enumerate()
        .map(|(c, candidate)| {
            let mut hasher = prefix.clone();
            hasher.update(candidate.id.as_bytes());
            (hasher.finalize().into(), c)
        })
        .collect();
    keyed.sort_unstable();
    // Equal ids give equal keys, adjacent after sorting; name the earliest second occurrence.
    let duplicate = keyed
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| pair[0].1.max(pair[1].1))
        .min();
    if let Some(index) = duplicate {
        let id = &input.candidates[index].id;
        return Err(InputError::new(
            format!("candidates[{index}].id"),
            format!("'{id}' is used twice"),
        ));
    }

    let mut left: Vec<u32> = input.locations.iter().map(|l| l.capacity).collect();
    let mut placements = Vec::new();
    let mut unplaced = Vec::new();
    let mut by_rank: Vec<u32> = Vec::new();
    let mut order = Vec::with_capacity(keyed.len());
    for (position, (_, c)) in keyed.iter().enumerate() {
        let candidate = &input.candidates[*c];
        let lottery_number = position as u32 + 1;
        order.push(OrderEntry {
            candidate: candidate.id.clone(),
            lottery_number,
        });
        match preferences
            .of(*c)
            .iter()
            .enumerate()
            .find(|(_, l)| left[**l] > 0)
        {
            Some((rank, &l)) => {
                left[l] -= 1;
                if by_rank.len() <= rank {
                    by_rank.resize(rank + 1, 0);
                }
                by_rank[rank] += 1;
                placements.push(Placement {
                    candidate: candidate.id.clone(),
                    location: input.locations[l].id.clone(),
                    preference_rank: rank as u32 + 1,
                });
            }
            None => unplaced.push((candidate.preferences.len() as u32, lottery_number, *c)),
        }
    }
    // Most preferences first, then lottery number.
    unplaced.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));

    let unfilled_after_draw = left.clone();
    let mut offers = Vec::new();
    for &(_, _, c) in &unplaced {
        let listed = preferences.of(c).iter().copied().find(|&l| left[l] > 0);
        let most_unfilled = || {
            (0..left.len())
                .filter(|&l| left[l] > 0)
                .max_by(|&a, &b| left[a].cmp(&left[b]).then(b.cmp(&a)))
        };
        let (location, is_listed) = match listed {
            Some(l) => (Some(l), true),
            None => (most_unfilled(), false),
        };
        let Some(l) = location else {
            break;
        };
        left[l] -= 1;
        offers.push(Offer {
            candidate: input.candidates[c].id.clone(),
            location: input.locations[l].id.clone(),
            listed: is_listed,
        });
    }

    let places_offered: u32 = input.locations.iter().map(|l| l.capacity).sum();
    let report = LotteryReport {
        candidates: input.candidates.len() as u32,
        second_attempts: input.candidates.iter().filter(|c| c.second_attempt).count() as u32,
        placed: placements.len() as u32,
        unplaced: unplaced.len() as u32,
        places_offered,
        places_unfilled: unfilled_after_draw.iter().sum(),
        placed_by_preference_rank: by_rank
            .iter()
            .enumerate()
            .map(|(rank, &placed)| RankCount {
                preference_rank: rank as u32 + 1,
                placed,
            })
            .collect(),
        locations: input
            .locations
            .iter()
            .zip(&unfilled_after_draw)
            .map(|(location, &unfilled)| LocationReport {
                location: location.id.clone(),
                capacity: location.capacity,
                placed: location.capacity - unfilled,
                unfilled,
            })
            .collect(),
    };
    Ok(LotteryOutput {
        seed_commitment: sha256_hex(&input.seed),
        order,
        placements,
        unplaced: unplaced
            .into_iter()
            .map(|(preferences_given, lottery_number, c)| UnplacedCandidate {
                candidate: input.candidates[c].id.clone(),
                lottery_number,
                preferences_given,
            })
            .collect(),
        offers,
        report,
    })
}

//! The public verification document, and its check.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use koppel_matcher::lottery::{self, Candidate, Location, LotteryInput, LotteryOutput, sha256_hex};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::draw::{Ids, inputs_hash, matcher_inputs, public_id, rename};
use super::outcomes::output_of;
use super::{DRAWN, not_found};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::lotteries;

/// What anyone may see of a lottery to check it: after the commit the commitment, the inputs
/// hash and the frozen inputs (ids and preferences, never names or e-mail addresses); after the
/// draw also the secret, the public value, the seed made from them, and the outcome.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LotteryVerification {
    /// Lottery id.
    pub lottery_id: Uuid,
    /// Name.
    pub name: String,
    /// `committed` or `drawn`.
    pub status: String,
    /// When committed.
    pub committed_at: Option<DateTime<Utc>>,
    /// When drawn.
    pub drawn_at: Option<DateTime<Utc>>,
    /// Hex SHA-256 of the secret, published at the commit.
    pub seed_commitment: String,
    /// Hex SHA-256 of the inputs' canonical text (see the README).
    pub inputs_hash: String,
    /// The secret committed to, after the draw.
    pub secret: Option<String>,
    /// The public value entered at the draw (nobody knew it at the commit).
    pub public_value: Option<String>,
    /// The seed, after the draw: hex SHA-256 of `secret + ":" + public_value`.
    pub seed: Option<String>,
    /// The frozen inputs.
    pub inputs: VerificationInputs,
    /// The matcher's outcome, after the draw.
    pub outcome: Option<LotteryOutput>,
}

/// The frozen inputs, in input order.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VerificationInputs {
    /// Locations and their places.
    pub locations: Vec<Location>,
    /// Candidates: ids, preferences, second attempt.
    pub candidates: Vec<Candidate>,
}

/// The public verification document of a committed or drawn lottery.
pub async fn verification(state: &AppState, id: Uuid) -> Result<LotteryVerification, ApiError> {
    let lottery = lotteries::find(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let (Some(seed_commitment), Some(inputs_hash)) =
        (lottery.seed_commitment.clone(), lottery.inputs_hash.clone())
    else {
        return Err(ApiError::NotFound(format!(
            "lottery '{id}' has not been committed yet"
        )));
    };
    let candidate_rows = lotteries::candidates(&state.db, id).await?;
    let (locations, candidates) = matcher_inputs(
        &lotteries::locations(&state.db, id).await?,
        &candidate_rows,
        Ids::Public,
    )?;
    let public: HashMap<String, String> = candidate_rows
        .iter()
        .map(|c| (c.candidate_id.clone(), public_id(c).to_owned()))
        .collect();
    let outcome = output_of(&lottery)?.map(|mut output| {
        rename(&mut output, &public);
        output
    });
    let drawn = lottery.status == DRAWN;
    Ok(LotteryVerification {
        lottery_id: id,
        name: lottery.name.clone(),
        status: lottery.status.clone(),
        committed_at: lottery.committed_at,
        drawn_at: lottery.drawn_at,
        seed_commitment,
        inputs_hash,
        secret: if drawn { lottery.secret.clone() } else { None },
        public_value: if drawn {
            lottery.public_value.clone()
        } else {
            None
        },
        seed: if drawn { lottery.seed.clone() } else { None },
        inputs: VerificationInputs {
            locations,
            candidates,
        },
        outcome,
    })
}

/// Checks a verification document: the secret against its commitment, the seed against the
/// secret and the public value, the inputs against their hash, and the outcome against a fresh
/// draw. Answers what differs (empty: verified).
pub fn verify(document: &LotteryVerification) -> Vec<String> {
    let mut differences = Vec::new();
    let Some(seed) = &document.seed else {
        return vec!["the lottery has not been drawn: no seed yet".to_owned()];
    };
    match (&document.secret, &document.public_value) {
        (Some(secret), Some(public_value)) => {
            if sha256_hex(secret) != document.seed_commitment {
                differences.push(
                    "the secret does not match the commitment published at the commit".to_owned(),
                );
            }
            if lottery::seed_from(secret, public_value) != *seed {
                differences.push(
                    "the seed is not SHA-256(secret \":\" public_value): the secret or the public value was changed"
                        .to_owned(),
                );
            }
        }
        // Drawn before the two-part seed: the commitment was to the seed itself.
        (None, None) => {
            if sha256_hex(seed) != document.seed_commitment {
                differences.push("the seed does not match the published commitment".to_owned());
            }
        }
        _ => differences
            .push("the document has only one of the secret and the public value".to_owned()),
    }
    let hash = inputs_hash(&document.inputs.locations, &document.inputs.candidates);
    if hash != document.inputs_hash {
        differences.push(format!(
            "the inputs hash to {hash}, not the published {}",
            document.inputs_hash
        ));
    }
    let Some(published) = &document.outcome else {
        differences.push("no outcome published".to_owned());
        return differences;
    };
    let input = LotteryInput {
        seed: seed.clone(),
        locations: document.inputs.locations.clone(),
        candidates: document.inputs.candidates.clone(),
    };
    match lottery::draw(&input) {
        Err(error) => differences.push(format!("the inputs cannot be drawn: {error}")),
        Ok(fresh) => {
            if fresh.order != published.order {
                differences.push("the order (lottery numbers) differs".to_owned());
            }
            if fresh.placements != published.placements {
                let wrong = fresh
                    .placements
                    .iter()
                    .filter(|p| !published.placements.contains(p))
                    .count();
                differences.push(format!("{wrong} placement(s) differ"));
            }
            if fresh.unplaced != published.unplaced {
                differences.push("the unplaced candidates differ".to_owned());
            }
            if fresh.offers != published.offers {
                differences.push("the second-chance offers differ".to_owned());
            }
            if fresh.report != published.report {
                differences.push("the report figures differ".to_owned());
            }
        }
    }
    differences
}

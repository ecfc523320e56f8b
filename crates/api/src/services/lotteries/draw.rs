//! The commit (a secret seed, published as its SHA-256) and the draw with the matcher's lottery,
//! on the inputs in the matcher's terms.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use koppel_matcher::lottery::{self, Candidate, Location, LotteryInput, LotteryOutput, sha256_hex};
use uuid::Uuid;

use super::mails::{account_link, outcome_mail};
use super::offers::draw_offers;
use super::outcomes::outcome_in;
use super::setup::preferences_of;
use super::{COMMITTED, DRAFT, DRAWN, get, lock_draft, micros, unsigned};
use crate::auth::opaque::hex;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::entities::{lottery as row, lottery_candidate, lottery_location, lottery_offer};
use crate::store::users::{self};
use crate::store::{lotteries, outbox};

/// The frozen inputs in the matcher's terms, in input order.
/// Which ids the matcher sees for candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// The public pseudonyms (the draw, its hash and the verification document).
    Public,
    /// The candidate ids of the import (simulations for administrators).
    Internal,
}

/// A candidate's id in the public verification document: their pseudonym, or their candidate id
/// for a lottery committed before pseudonyms.
pub fn public_id(candidate: &lottery_candidate::Model) -> &str {
    candidate
        .pseudonym
        .as_deref()
        .unwrap_or(&candidate.candidate_id)
}

/// Renames the candidates of an outcome with `names` (pseudonym to candidate id, or back).
pub fn rename(output: &mut LotteryOutput, names: &HashMap<String, String>) {
    let rename = |id: &mut String| {
        if let Some(name) = names.get(id.as_str()) {
            id.clone_from(name);
        }
    };
    output
        .order
        .iter_mut()
        .for_each(|e| rename(&mut e.candidate));
    output
        .placements
        .iter_mut()
        .for_each(|p| rename(&mut p.candidate));
    output
        .unplaced
        .iter_mut()
        .for_each(|u| rename(&mut u.candidate));
    output
        .offers
        .iter_mut()
        .for_each(|o| rename(&mut o.candidate));
}

/// New random pseudonyms, one per candidate: `P-` and 16 hexadecimal digits, unique in the
/// lottery.
fn pseudonyms(candidates: &[lottery_candidate::Model]) -> Vec<(String, String)> {
    let mut taken = HashSet::new();
    candidates
        .iter()
        .map(|candidate| {
            loop {
                let pseudonym = format!("P-{}", hex(&rand::random::<[u8; 8]>()));
                if taken.insert(pseudonym.clone()) {
                    break (candidate.candidate_id.clone(), pseudonym);
                }
            }
        })
        .collect()
}

/// The matcher's inputs, with the candidates under `ids`.
pub fn matcher_inputs(
    locations: &[lottery_location::Model],
    candidates: &[lottery_candidate::Model],
    ids: Ids,
) -> Result<(Vec<Location>, Vec<Candidate>), ApiError> {
    let locations = locations
        .iter()
        .map(|l| Location {
            id: l.location_id.clone(),
            capacity: unsigned(l.capacity),
        })
        .collect();
    let candidates = candidates
        .iter()
        .map(|c| {
            Ok(Candidate {
                id: match ids {
                    Ids::Public => public_id(c).to_owned(),
                    Ids::Internal => c.candidate_id.clone(),
                },
                preferences: preferences_of(c)?,
                second_attempt: c.second_attempt,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok((locations, candidates))
}

/// Hex SHA-256 of the inputs' canonical text: a line `location:<id>:<capacity>` per location,
/// then `candidate:<id>:<0|1 second attempt>:<preferences, comma-separated>` per candidate, in
/// input order, each line ending in `\n`.
pub fn inputs_hash(locations: &[Location], candidates: &[Candidate]) -> String {
    let mut text = String::new();
    for l in locations {
        text.push_str(&format!("location:{}:{}\n", l.id, l.capacity));
    }
    for c in candidates {
        text.push_str(&format!(
            "candidate:{}:{}:{}\n",
            c.id,
            u8::from(c.second_attempt),
            c.preferences.join(",")
        ));
    }
    sha256_hex(&text)
}

/// Freezes the inputs and commits to a secret: only its SHA-256 is published. The database keeps
/// a nonce, not the secret: the secret is derived from it with the lottery key at the draw (see
/// [`crate::auth::lottery_key`]).
pub async fn commit(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<row::Model, ApiError> {
    get(state, principal, id).await?;
    let txn = crate::store::begin(&state.db).await?;
    let lottery = lock_draft(&txn, id).await?;
    let locations = lotteries::locations(&txn, id).await?;
    let candidates = lotteries::candidates(&txn, id).await?;
    if locations.is_empty() || candidates.is_empty() {
        return Err(ApiError::Conflict(format!(
            "a lottery needs locations and candidates before the commit ({} locations, {} candidates)",
            locations.len(),
            candidates.len()
        )));
    }
    // Each candidate appears in the public document under a random pseudonym.
    let given = pseudonyms(&candidates);
    lotteries::set_pseudonyms(&txn, id, &given).await?;
    let names: HashMap<&str, &str> = given
        .iter()
        .map(|(id, pseudonym)| (id.as_str(), pseudonym.as_str()))
        .collect();
    let candidates: Vec<lottery_candidate::Model> = candidates
        .into_iter()
        .map(|c| lottery_candidate::Model {
            pseudonym: names.get(c.candidate_id.as_str()).map(|p| (*p).to_owned()),
            ..c
        })
        .collect();
    let (locations, candidates) = matcher_inputs(&locations, &candidates, Ids::Public)?;
    let nonce = hex(&rand::random::<[u8; 32]>());
    let secret = state.lottery_key.secret(id, &nonce);
    let committed = row::Model {
        status: COMMITTED.to_owned(),
        seed_commitment: Some(sha256_hex(&secret)),
        inputs_hash: Some(inputs_hash(&locations, &candidates)),
        secret_nonce: Some(nonce),
        committed_at: Some(micros(Utc::now())),
        ..lottery
    };
    if !lotteries::advance(&txn, DRAFT, committed.clone()).await? {
        return Err(ApiError::Conflict(
            "the lottery was committed by someone else just now".to_owned(),
        ));
    }
    txn.commit().await?;
    tracing::info!(lottery_id = %id, "lottery committed");
    Ok(committed)
}

/// Longest public value.
pub const MAX_PUBLIC_VALUE_CHARS: usize = 500;

/// Checks the public value entered at the draw: 1 to 500 characters, not only spaces. It is
/// kept exactly as given, since the seed is computed from exactly those characters.
pub fn parse_public_value(value: &str) -> Result<String, ApiError> {
    if value.trim().is_empty() || value.chars().count() > MAX_PUBLIC_VALUE_CHARS {
        return Err(ApiError::field(
            "public_value",
            format!(
                "give the public value: 1 to {MAX_PUBLIC_VALUE_CHARS} characters, not only spaces"
            ),
        ));
    }
    Ok(value.to_owned())
}

/// Draws: the seed is made from the committed secret and `public_value`, a value nobody knew at
/// the commit (`seed = SHA-256(secret ":" public_value)`); then the matcher's lottery runs on
/// the frozen inputs. Stores the order and placements, reveals the secret, the public value and
/// the seed, makes the second-chance offers and mails every candidate.
pub async fn draw(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    public_value: &str,
) -> Result<row::Model, ApiError> {
    let public_value = parse_public_value(public_value)?;
    let lottery = get(state, principal, id).await?;
    if lottery.status != COMMITTED {
        return Err(ApiError::Conflict(format!(
            "only a committed lottery can be drawn; this one is {}",
            lottery.status
        )));
    }
    // A lottery committed before the two-part seed stored its secret value as `seed`, and
    // published its SHA-256: that value is its secret.
    let secret = match (&lottery.secret_nonce, &lottery.seed) {
        (Some(nonce), _) => state.lottery_key.secret(id, nonce),
        (None, Some(committed_before)) => committed_before.clone(),
        (None, None) => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "committed lottery {id} has no secret nonce"
            )));
        }
    };
    if lottery.seed_commitment.as_deref() != Some(sha256_hex(&secret).as_str()) {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "lottery {id}: the secret no longer matches its commitment; KOPPEL_LOTTERY_KEY (or \
             KOPPEL_JWT_SECRET, when it is unset) must be the one in use at the commit"
        )));
    }
    let seed = lottery::seed_from(&secret, &public_value);
    let location_rows = lotteries::locations(&state.db, id).await?;
    let candidate_rows = lotteries::candidates(&state.db, id).await?;
    let (locations, candidates) = matcher_inputs(&location_rows, &candidate_rows, Ids::Public)?;
    if lottery.inputs_hash.as_deref() != Some(inputs_hash(&locations, &candidates).as_str()) {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "lottery {id}: the inputs no longer match the hash published at the commit"
        )));
    }
    let input = LotteryInput {
        seed,
        locations,
        candidates,
    };
    let mut output = lottery::draw(&input).map_err(|error| ApiError::Internal(error.into()))?;
    // Stored under the candidate ids; the verification document shows the pseudonyms again.
    let internal: HashMap<String, String> = candidate_rows
        .iter()
        .map(|c| (public_id(c).to_owned(), c.candidate_id.clone()))
        .collect();
    rename(&mut output, &internal);
    let now = micros(Utc::now());
    let drawn = row::Model {
        status: DRAWN.to_owned(),
        output: Some(
            serde_json::to_string(&output).map_err(|error| ApiError::Internal(error.into()))?,
        ),
        drawn_at: Some(now),
        seed: Some(input.seed.clone()),
        secret: Some(secret),
        secret_nonce: None,
        public_value: Some(public_value),
        ..lottery
    };
    let txn = crate::store::begin(&state.db).await?;
    if !lotteries::advance(&txn, COMMITTED, drawn.clone()).await? {
        return Err(ApiError::Conflict(
            "the lottery was drawn by someone else just now".to_owned(),
        ));
    }
    let mut offered: HashMap<String, lottery_offer::Model> = HashMap::new();
    for offer in draw_offers(&drawn, &output, now) {
        lotteries::insert_offer(&txn, offer.clone()).await?;
        offered.insert(offer.candidate_id.clone(), offer);
    }
    let names: HashMap<&str, &str> = location_rows
        .iter()
        .map(|l| (l.location_id.as_str(), l.name.as_str()))
        .collect();
    let mut mails = Vec::new();
    for candidate in &candidate_rows {
        let (link, one_time) = account_link(state, &txn, candidate).await?;
        let outcome = outcome_in(&output, &candidate.candidate_id);
        let locale = users::locale_of(&txn, candidate.user_id).await?;
        let mut mail = outcome_mail(
            locale,
            &drawn,
            candidate,
            outcome.as_ref(),
            offered.get(&candidate.candidate_id),
            &names,
            &link,
        );
        mail.link = one_time;
        outbox::enqueue(&txn, None, &mail, now).await?;
        mails.push(mail);
    }
    // Each institute with a location in the lottery hears of the draw once.
    let institutes: std::collections::BTreeSet<Uuid> = location_rows
        .iter()
        .filter_map(|l| l.institute_id)
        .collect();
    for institute_id in institutes {
        let event =
            crate::services::webhooks::Event::lottery_drawn(institute_id, id, &state.public_url);
        crate::services::webhooks::emit(&txn, &event, now).await?;
    }
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    tracing::info!(lottery_id = %id, placed = output.placements.len(), "lottery drawn");
    Ok(drawn)
}

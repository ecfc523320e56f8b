//! The national placement lottery: set-up by the platform administrator (the national body),
//! commit (a secret seed, published as its SHA-256), draw with the matcher's lottery, reveal,
//! public verification, second-chance offers, the round report and the equal-chance simulation.
//!
//! Second chance: the draw's offers (the matcher's order) are made at once, each open for
//! `response_days`. Accepting places the candidate. Declining is final, and so is letting an
//! offer expire; either way the place moves on to the next unplaced candidate (in the matcher's
//! order of `unplaced`) who has had no offer yet. Expiry is settled whenever the lottery's offers
//! are read or answered.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Months, Utc};
use koppel_api_types::{
    CandidateChance, CarryOverResponse, CarryOverSkipped, CreateLotteryRequest, FieldError, Locale,
    LocationFigures, LotteryCandidateResponse, LotteryCandidateRow, LotteryLocation,
    LotteryOfferResponse, LotteryReportResponse, MyLotteryOutcome, RankFigures, Role,
    SecondChanceFigures, SimulationResponse, UserStatus,
};
use koppel_domain::{DisplayName, EmailAddress};
use koppel_matcher::lottery::{self, Candidate, Location, LotteryInput, LotteryOutput, sha256_hex};
use sea_orm::DatabaseTransaction;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::auth::ACTIVATION_TTL;

use crate::auth::opaque::hex;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail::{Mail, OneTimeLink};
use crate::startup::AppState;
use crate::store::entities::{lottery as row, lottery_candidate, lottery_location, lottery_offer};
use crate::store::users::{self, NewUser};
use crate::store::{lotteries, outbox, tokens};

/// How long a candidate may take part again after being unplaced, and how old a suitability may
/// be at the draw.
pub const RETRY_WINDOW: Months = Months::new(24);
/// Largest simulation.
pub const MAX_SIMULATION_DRAWS: u32 = 100_000;
/// Most places at one location (the whole country offers a few hundred per round).
pub const MAX_CAPACITY: u32 = 100_000;
/// Most applicants (and so candidates selected) a lottery records.
pub const MAX_APPLICANTS: u32 = 1_000_000;
/// Simulations running at once.
const MAX_RUNNING_SIMULATIONS: usize = 2;
/// Finished simulations kept to read back.
const KEPT_SIMULATIONS: usize = 20;

const DRAFT: &str = "draft";
const COMMITTED: &str = "committed";
pub(crate) const DRAWN: &str = "drawn";

fn admin(principal: &Principal) -> Result<(), ApiError> {
    principal.require_role(&[Role::Admin])
}

fn not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("lottery '{id}' does not exist"))
}

/// A lottery for the administrator.
pub async fn get(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<row::Model, ApiError> {
    admin(principal)?;
    lotteries::find(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))
}

/// Takes the lottery's lock inside `txn` and checks, under it, that the inputs may still change:
/// an import racing the commit cannot slip in after the inputs hash was published.
async fn lock_draft(txn: &DatabaseTransaction, id: Uuid) -> Result<row::Model, ApiError> {
    lotteries::lock(txn, id).await?;
    let lottery = lotteries::find(txn, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    require_draft(&lottery)?;
    Ok(lottery)
}

fn require_draft(lottery: &row::Model) -> Result<(), ApiError> {
    if lottery.status == DRAFT {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "the lottery is {}: its inputs are frozen since the commit",
            lottery.status
        )))
    }
}

/// Ids appear in the verification and in the inputs hash: letters, digits, `-`, `_` and `.`.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Creates a lottery in `draft`.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    request: &CreateLotteryRequest,
) -> Result<row::Model, ApiError> {
    admin(principal)?;
    let mut errors = Vec::new();
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError {
            field: "name".to_owned(),
            message: "must be 1-200 characters".to_owned(),
        });
    }
    for (field, value) in [
        ("applicants", request.applicants),
        ("selected", request.selected),
    ] {
        if value > MAX_APPLICANTS {
            errors.push(FieldError {
                field: field.to_owned(),
                message: format!("must be at most {MAX_APPLICANTS}"),
            });
        }
    }
    if request.selected > request.applicants {
        errors.push(FieldError {
            field: "selected".to_owned(),
            message: format!("cannot exceed the {} applicants", request.applicants),
        });
    }
    let response_days = request.response_days.unwrap_or(7);
    if !(1..=60).contains(&response_days) {
        errors.push(FieldError {
            field: "response_days".to_owned(),
            message: "must be 1-60 days".to_owned(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let model = row::Model {
        id: Uuid::new_v4(),
        name: name.to_owned(),
        draw_on: request.draw_on,
        applicants: count(request.applicants),
        selected: count(request.selected),
        response_days: count(response_days),
        status: DRAFT.to_owned(),
        seed: None,
        seed_commitment: None,
        secret_nonce: None,
        secret: None,
        public_value: None,
        inputs_hash: None,
        output: None,
        created_at: micros(Utc::now()),
        committed_at: None,
        drawn_at: None,
        placement_start: None,
        handed_over_at: None,
    };
    lotteries::insert(&state.db, model.clone()).await?;
    Ok(model)
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn unsigned(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Microseconds, as PostgreSQL stores them, so answers equal what is read back.
fn micros(time: DateTime<Utc>) -> DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(time, 6)
}

/// Every lottery with its numbers of locations and candidates.
pub async fn list(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<(row::Model, u32, u32)>, ApiError> {
    admin(principal)?;
    let mut out = Vec::new();
    for lottery in lotteries::list(&state.db).await? {
        let (locations, candidates) = counts(state, lottery.id).await?;
        out.push((lottery, locations, candidates));
    }
    Ok(out)
}

/// The locations of a lottery, in input order (administrators).
pub async fn locations(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<LotteryLocation>, ApiError> {
    get(state, principal, id).await?;
    Ok(lotteries::locations(&state.db, id)
        .await?
        .into_iter()
        .map(location_of)
        .collect())
}

fn location_of(l: lottery_location::Model) -> LotteryLocation {
    LotteryLocation {
        id: l.location_id,
        name: l.name,
        capacity: unsigned(l.capacity),
        institute_id: l.institute_id,
    }
}

/// The candidates of a lottery, in input order (administrators).
pub async fn candidates(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<LotteryCandidateResponse>, ApiError> {
    get(state, principal, id).await?;
    lotteries::candidates(&state.db, id)
        .await?
        .into_iter()
        .map(|c| {
            Ok(LotteryCandidateResponse {
                preferences: preferences_of(&c)?,
                id: c.candidate_id,
                name: c.name,
                email: c.email,
                second_attempt: c.second_attempt,
                suitable_on: c.suitable_on,
            })
        })
        .collect()
}

/// Numbers of locations and candidates.
pub async fn counts(state: &AppState, id: Uuid) -> Result<(u32, u32), ApiError> {
    let locations = lotteries::locations(&state.db, id).await?.len();
    let candidates = lotteries::candidate_count(&state.db, id).await?;
    Ok((
        u32::try_from(locations).unwrap_or(u32::MAX),
        u32::try_from(candidates).unwrap_or(u32::MAX),
    ))
}

/// Replaces the locations (before the commit). Candidates' preferences must keep pointing at
/// existing locations.
pub async fn set_locations(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    locations: &[LotteryLocation],
) -> Result<Vec<LotteryLocation>, ApiError> {
    let lottery = get(state, principal, id).await?;
    require_draft(&lottery)?;
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (index, location) in locations.iter().enumerate() {
        let field = |name: &str| format!("locations[{index}].{name}");
        if !valid_id(&location.id) {
            errors.push(FieldError {
                field: field("id"),
                message: "use 1-100 letters, digits, '-', '_' or '.'".to_owned(),
            });
        } else if !seen.insert(location.id.as_str()) {
            errors.push(FieldError {
                field: field("id"),
                message: format!("'{}' is listed twice", location.id),
            });
        }
        if let Err(error) = koppel_domain::DisplayName::parse(&location.name) {
            errors.push(FieldError {
                field: field("name"),
                message: error.to_string(),
            });
        }
        if location.capacity > MAX_CAPACITY {
            errors.push(FieldError {
                field: field("capacity"),
                message: format!("must be at most {MAX_CAPACITY} places"),
            });
        }
    }
    for (index, location) in locations.iter().enumerate() {
        if let Some(institute) = location.institute_id
            && crate::store::institutes::find(&state.db, institute)
                .await?
                .is_none()
        {
            errors.push(FieldError {
                field: format!("locations[{index}].institute_id"),
                message: format!("institute '{institute}' does not exist"),
            });
        }
    }
    let txn = crate::store::begin(&state.db).await?;
    lock_draft(&txn, id).await?;
    for candidate in lotteries::candidates(&txn, id).await? {
        for preference in preferences_of(&candidate)? {
            if !seen.contains(preference.as_str()) {
                errors.push(FieldError {
                    field: "locations".to_owned(),
                    message: format!(
                        "candidate {} lists '{preference}', which would no longer exist",
                        candidate.candidate_id
                    ),
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let rows: Vec<lottery_location::Model> = locations
        .iter()
        .enumerate()
        .map(|(position, l)| lottery_location::Model {
            lottery_id: id,
            location_id: l.id.clone(),
            position: count(u32::try_from(position).unwrap_or(u32::MAX)),
            name: l.name.trim().to_owned(),
            capacity: count(l.capacity),
            institute_id: l.institute_id,
        })
        .collect();
    lotteries::replace_locations(&txn, id, rows.clone()).await?;
    txn.commit().await?;
    Ok(rows.into_iter().map(location_of).collect())
}

fn preferences_of(candidate: &lottery_candidate::Model) -> Result<Vec<String>, ApiError> {
    serde_json::from_str(&candidate.preferences).map_err(|error| ApiError::Internal(error.into()))
}

/// Imports candidates (before the commit): all rows or none; every bad row is named.
pub async fn import_candidates(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    rows: Vec<(String, LotteryCandidateRow)>,
) -> Result<usize, ApiError> {
    let lottery = get(state, principal, id).await?;
    require_draft(&lottery)?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let lottery = lock_draft(&txn, id).await?;
    let locations: HashSet<String> = lotteries::locations(&txn, id)
        .await?
        .into_iter()
        .map(|l| l.location_id)
        .collect();
    let existing = lotteries::candidates(&txn, id).await?;
    let mut ids: HashSet<String> = existing.iter().map(|c| c.candidate_id.clone()).collect();
    let mut emails: HashSet<String> = existing.iter().map(|c| c.email.clone()).collect();
    let oldest = lottery.draw_on.checked_sub_months(RETRY_WINDOW);
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (label, candidate) in &rows {
        let mut error = |field: &str, message: String| {
            errors.push(FieldError {
                field: format!("{label}.{field}"),
                message,
            })
        };
        if !valid_id(&candidate.id) {
            error(
                "id",
                "use 1-100 letters, digits, '-', '_' or '.'".to_owned(),
            );
        } else if !ids.insert(candidate.id.clone()) {
            error("id", format!("'{}' is already a candidate", candidate.id));
        }
        let name = DisplayName::parse(&candidate.name);
        if let Err(problem) = &name {
            error("name", problem.to_string());
        }
        let email = EmailAddress::parse(&candidate.email);
        match &email {
            Err(problem) => error("email", problem.to_string()),
            Ok(email) if !emails.insert(email.as_str().to_owned()) => {
                error("email", format!("'{email}' is already a candidate"));
            }
            Ok(_) => {}
        }
        if candidate.preferences.is_empty() {
            error("preferences", "list at least one location".to_owned());
        }
        let mut listed = HashSet::new();
        for (index, preference) in candidate.preferences.iter().enumerate() {
            if !locations.contains(preference) {
                error(
                    &format!("preferences[{index}]"),
                    format!("'{preference}' is not a location of this lottery"),
                );
            } else if !listed.insert(preference) {
                error(
                    &format!("preferences[{index}]"),
                    format!("'{preference}' is listed twice"),
                );
            }
        }
        if candidate.suitable_on > lottery.draw_on {
            error(
                "suitable_on",
                format!(
                    "{} is after the draw on {}",
                    candidate.suitable_on, lottery.draw_on
                ),
            );
        } else if oldest.is_some_and(|oldest| candidate.suitable_on < oldest) {
            error(
                "suitable_on",
                format!(
                    "found suitable on {}: more than 24 months before the draw on {}",
                    candidate.suitable_on, lottery.draw_on
                ),
            );
        }
        if let (Ok(name), Ok(email)) = (name, email) {
            parsed.push((label.clone(), candidate.clone(), name, email));
        }
    }
    // Earlier lotteries of the same people: at most two lotteries each, and a second one only
    // after being unplaced; that makes them second-attempt candidates.
    let history = lotteries::participations(
        &txn,
        parsed.iter().map(|(.., e)| e.as_str().to_owned()).collect(),
    )
    .await?;
    let mut earlier_lotteries: HashMap<Uuid, row::Model> = HashMap::new();
    for participation in &history {
        if !earlier_lotteries.contains_key(&participation.lottery_id)
            && let Some(found) = lotteries::find(&txn, participation.lottery_id).await?
        {
            earlier_lotteries.insert(found.id, found);
        }
    }
    let mut second_attempts = HashSet::new();
    for (label, _, _, email) in &parsed {
        let before: Vec<_> = history
            .iter()
            .filter(|p| p.email == email.as_str() && p.lottery_id != id)
            .collect();
        let field = format!("{label}.email");
        if before.len() >= 2 {
            errors.push(FieldError {
                field,
                message: "already took part in two lotteries".to_owned(),
            });
            continue;
        }
        let Some(earlier) = before.first() else {
            continue;
        };
        let Some(earlier_lottery) = earlier_lotteries.get(&earlier.lottery_id) else {
            continue;
        };
        match outcome_of(earlier_lottery, &earlier.candidate_id)? {
            None => errors.push(FieldError {
                field,
                message: format!(
                    "already a candidate in '{}', which has not been drawn",
                    earlier_lottery.name
                ),
            }),
            Some(Outcome::Placed { .. }) => errors.push(FieldError {
                field,
                message: format!("was placed in '{}'", earlier_lottery.name),
            }),
            Some(Outcome::Unplaced { .. }) => {
                let offers = lotteries::offers(&txn, earlier_lottery.id).await?;
                let accepted = offers
                    .iter()
                    .any(|o| o.candidate_id == earlier.candidate_id && o.status == "accepted");
                let drawn = earlier_lottery.drawn_at.map(|d| d.date_naive());
                let too_late = drawn
                    .and_then(|d| d.checked_add_months(RETRY_WINDOW))
                    .is_some_and(|until| lottery.draw_on > until);
                if accepted {
                    errors.push(FieldError {
                        field,
                        message: format!(
                            "accepted a place offered after '{}'",
                            earlier_lottery.name
                        ),
                    });
                } else if too_late {
                    errors.push(FieldError {
                        field,
                        message: format!(
                            "unplaced in '{}' more than 24 months before this draw",
                            earlier_lottery.name
                        ),
                    });
                } else {
                    second_attempts.insert(email.as_str().to_owned());
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let start = existing.len();
    let mut new_rows = Vec::new();
    for (index, (_, candidate, name, email)) in parsed.iter().enumerate() {
        let user_id = candidate_account(&txn, name, email, now).await?;
        new_rows.push(lottery_candidate::Model {
            pseudonym: None,
            lottery_id: id,
            candidate_id: candidate.id.clone(),
            position: count(u32::try_from(start + index).unwrap_or(u32::MAX)),
            name: name.as_str().to_owned(),
            email: email.as_str().to_owned(),
            preferences: serde_json::to_string(&candidate.preferences)
                .map_err(|error| ApiError::Internal(error.into()))?,
            second_attempt: candidate.second_attempt || second_attempts.contains(email.as_str()),
            suitable_on: candidate.suitable_on,
            user_id,
            trainee_id: None,
        });
    }
    let imported = new_rows.len();
    lotteries::insert_candidates(&txn, new_rows).await?;
    txn.commit().await?;
    Ok(imported)
}

/// The candidate's account: an existing `candidate` account, or a new invited one (activated
/// from the outcome mail).
async fn candidate_account(
    txn: &DatabaseTransaction,
    name: &DisplayName,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, ApiError> {
    if let Some(user) = users::find_by_email(txn, email).await? {
        return Ok((user.role == Role::Candidate).then_some(user.id));
    }
    let user = users::insert(
        txn,
        NewUser {
            institute_id: None,
            email,
            display_name: name,
            role: Role::Candidate,
            status: UserStatus::Invited,
            password_hash: None,
            locale: Locale::Nl,
        },
        now,
    )
    .await?;
    Ok(Some(user.id))
}

/// A candidate's result in a drawn lottery.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Placed {
        number: u32,
        location: String,
        rank: u32,
    },
    Unplaced {
        number: u32,
    },
}

pub(crate) fn output_of(lottery: &row::Model) -> Result<Option<LotteryOutput>, ApiError> {
    lottery
        .output
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|error| ApiError::Internal(error.into()))
}

fn outcome_of(lottery: &row::Model, candidate_id: &str) -> Result<Option<Outcome>, ApiError> {
    let Some(output) = output_of(lottery)? else {
        return Ok(None);
    };
    Ok(outcome_in(&output, candidate_id))
}

fn outcome_in(output: &LotteryOutput, candidate_id: &str) -> Option<Outcome> {
    let number = output
        .order
        .iter()
        .find(|o| o.candidate == candidate_id)?
        .lottery_number;
    Some(
        match output
            .placements
            .iter()
            .find(|p| p.candidate == candidate_id)
        {
            Some(p) => Outcome::Placed {
                number,
                location: p.location.clone(),
                rank: p.preference_rank,
            },
            None => Outcome::Unplaced { number },
        },
    )
}

/// Adds the unplaced candidates of an earlier drawn lottery as second-attempt candidates.
pub async fn carry_over(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    from: Uuid,
) -> Result<CarryOverResponse, ApiError> {
    let lottery = get(state, principal, id).await?;
    require_draft(&lottery)?;
    let earlier = lotteries::find(&state.db, from)
        .await?
        .ok_or_else(|| ApiError::field("from_lottery_id", "no such lottery"))?;
    let Some(output) = output_of(&earlier)? else {
        return Err(ApiError::field(
            "from_lottery_id",
            "that lottery has not been drawn",
        ));
    };
    let locations: HashSet<String> = lotteries::locations(&state.db, id)
        .await?
        .into_iter()
        .map(|l| l.location_id)
        .collect();
    let current: HashSet<String> = lotteries::candidates(&state.db, id)
        .await?
        .into_iter()
        .map(|c| c.email)
        .collect();
    let earlier_candidates = lotteries::candidates(&state.db, from).await?;
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for unplaced in &output.unplaced {
        let Some(candidate) = earlier_candidates
            .iter()
            .find(|c| c.candidate_id == unplaced.candidate)
        else {
            continue;
        };
        if current.contains(&candidate.email) {
            skipped.push(CarryOverSkipped {
                id: candidate.candidate_id.clone(),
                reason: "already a candidate in this lottery".to_owned(),
            });
            continue;
        }
        let preferences: Vec<String> = preferences_of(candidate)?
            .into_iter()
            .filter(|p| locations.contains(p))
            .collect();
        if preferences.is_empty() {
            skipped.push(CarryOverSkipped {
                id: candidate.candidate_id.clone(),
                reason: "none of their locations takes part in this lottery".to_owned(),
            });
            continue;
        }
        rows.push((
            format!("candidates[{}]", candidate.candidate_id),
            LotteryCandidateRow {
                id: candidate.candidate_id.clone(),
                name: candidate.name.clone(),
                email: candidate.email.clone(),
                preferences,
                second_attempt: true,
                suitable_on: candidate.suitable_on,
            },
        ));
    }
    // The same checks as an import: 24 months, two lotteries, an accepted offer.
    let mut added = 0;
    for (label, row) in rows {
        let id_for_skip = row.id.clone();
        match import_candidates(state, principal, id, vec![(label, row)]).await {
            Ok(n) => added += n,
            Err(ApiError::Validation(errors)) => skipped.push(CarryOverSkipped {
                id: id_for_skip,
                reason: errors
                    .into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
            Err(other) => return Err(other),
        }
    }
    Ok(CarryOverResponse {
        added: u32::try_from(added).unwrap_or(u32::MAX),
        skipped,
    })
}

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
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    tracing::info!(lottery_id = %id, placed = output.placements.len(), "lottery drawn");
    Ok(drawn)
}

/// The draw's second-chance offers, in the matcher's order, open for the lottery's response days.
pub fn draw_offers(
    lottery: &row::Model,
    output: &LotteryOutput,
    now: DateTime<Utc>,
) -> Vec<lottery_offer::Model> {
    let respond_by = now + Duration::days(i64::from(lottery.response_days));
    output
        .offers
        .iter()
        .enumerate()
        .map(|(index, offer)| lottery_offer::Model {
            id: Uuid::new_v4(),
            lottery_id: lottery.id,
            candidate_id: offer.candidate.clone(),
            location_id: offer.location.clone(),
            sequence: count(u32::try_from(index + 1).unwrap_or(u32::MAX)),
            listed: offer.listed,
            status: "open".to_owned(),
            offered_at: now,
            respond_by,
            responded_at: None,
        })
        .collect()
}

/// The link in a candidate's mail: for an account that was never used, an activation link made
/// when the mail leaves (see [`crate::mail::OneTimeLink`]); the SPA otherwise.
async fn account_link(
    state: &AppState,
    txn: &DatabaseTransaction,
    candidate: &lottery_candidate::Model,
) -> Result<(String, Option<OneTimeLink>), ApiError> {
    let base = state.public_url.trim_end_matches('/').to_owned();
    let Some(user_id) = candidate.user_id else {
        return Ok((format!("{base}/"), None));
    };
    let invited = users::find(txn, user_id)
        .await?
        .is_some_and(|u| u.status == UserStatus::Invited);
    if !invited {
        return Ok((format!("{base}/lottery"), None));
    }
    let link = OneTimeLink {
        purpose: tokens::Purpose::Activation,
        user_id,
        valid_for: ACTIVATION_TTL,
    };
    Ok((crate::mail::PERSONAL_LINK.to_owned(), Some(link)))
}

fn outcome_mail(
    locale: Locale,
    lottery: &row::Model,
    candidate: &lottery_candidate::Model,
    outcome: Option<&Outcome>,
    offer: Option<&lottery_offer::Model>,
    names: &HashMap<&str, &str>,
    link: &str,
) -> Mail {
    let location = |id: &str| names.get(id).copied().unwrap_or(id).to_owned();
    let name = &candidate.name;
    let commitment = lottery.seed_commitment.as_deref().unwrap_or("-");
    let public_id = public_id(candidate);
    let deadline = |offer: &lottery_offer::Model| offer.respond_by.format("%Y-%m-%d %H:%M UTC");
    let nl = locale == Locale::Nl;
    let what = match (outcome, offer, nl) {
        (
            Some(Outcome::Placed {
                number,
                location: l,
                rank,
            }),
            _,
            true,
        ) => format!(
            "Je lotnummer is {number}. Je bent geplaatst bij {} (je voorkeur {rank}). \
             Gefeliciteerd!",
            location(l)
        ),
        (
            Some(Outcome::Placed {
                number,
                location: l,
                rank,
            }),
            _,
            false,
        ) => format!(
            "Your lottery number is {number}. You are placed at {} (your preference {rank}). \
             Congratulations!",
            location(l)
        ),
        (Some(Outcome::Unplaced { number }), Some(offer), true) => format!(
            "Je lotnummer is {number}. Je bent helaas uitgeloot voor je voorkeurslocaties. Er is \
             een plek onvervuld gebleven die we je aanbieden: {}. Neem het aanbod aan of wijs het \
             af vóór {} (afwijzen is definitief).",
            location(&offer.location_id),
            deadline(offer)
        ),
        (Some(Outcome::Unplaced { number }), Some(offer), false) => format!(
            "Your lottery number is {number}. Unfortunately you were not placed at your preferred \
             locations. A place stayed unfilled and we offer it to you: {}. Accept or decline \
             before {} (declining is final).",
            location(&offer.location_id),
            deadline(offer)
        ),
        (Some(Outcome::Unplaced { number }), None, true) => format!(
            "Je lotnummer is {number}. Je bent helaas uitgeloot voor je voorkeurslocaties. Je \
             kunt binnen 24 maanden nog één keer meedoen aan de loting; komt er een plek vrij, \
             dan krijg je bericht."
        ),
        (Some(Outcome::Unplaced { number }), None, false) => format!(
            "Your lottery number is {number}. Unfortunately you were not placed at your preferred \
             locations. You may take part once more within 24 months; if a place becomes free, \
             you will hear from us."
        ),
        (None, _, true) => "De loting is gehouden.".to_owned(),
        (None, _, false) => "The lottery has been drawn.".to_owned(),
    };
    let (subject, body) = if nl {
        (
            format!("Uitslag {}", lottery.name),
            format!(
                "Beste {name},\n\n{what}\n\nJe uitslag, je lotnummer en de controle van de \
                 loting staan in Koppel:\n{link}\n\nDe loting is controleerbaar: het geheim \
                 van Koppel was vooraf vastgelegd (SHA-256 {commitment}) en is nu bekendgemaakt, \
                 met de publieke waarde waaruit samen de startwaarde volgt. In het openbare \
                 controledocument sta je als {public_id}.\n"
            ),
        )
    } else {
        (
            format!("Outcome of {}", lottery.name),
            format!(
                "Dear {name},\n\n{what}\n\nYour outcome, your lottery number and the check of \
                 the lottery are in Koppel:\n{link}\n\nThe lottery can be verified: Koppel's \
                 secret was committed beforehand (SHA-256 {commitment}) and is now revealed, with \
                 the public value that together with it makes the seed. In the public \
                 verification document you appear as {public_id}.\n"
            ),
        )
    };
    Mail {
        kind: "lottery_outcome",
        recipient: candidate.email.clone(),
        subject,
        body,
        link: None,
    }
}

fn offer_mail(
    locale: Locale,
    lottery: &row::Model,
    candidate: &lottery_candidate::Model,
    offer: &lottery_offer::Model,
    location: &str,
    link: &str,
) -> Mail {
    let deadline = offer.respond_by.format("%Y-%m-%d %H:%M UTC");
    let name = &candidate.name;
    let (subject, body) = match locale {
        Locale::Nl => (
            format!("Aanbod opleidingsplek na {}", lottery.name),
            format!(
                "Beste {name},\n\nEr is een opleidingsplek vrijgekomen die we je aanbieden: \
                 {location}. Neem het aanbod aan of wijs het af vóór {deadline} (afwijzen is \
                 definitief):\n{link}\n"
            ),
        ),
        Locale::En => (
            format!("A training place offered after {}", lottery.name),
            format!(
                "Dear {name},\n\nA training place has become free and we offer it to you: \
                 {location}. Accept or decline before {deadline} (declining is final):\n{link}\n"
            ),
        ),
    };
    Mail {
        kind: "lottery_offer",
        recipient: candidate.email.clone(),
        subject,
        body,
        link: None,
    }
}

/// Expires overdue offers and moves their places on. Answers the mails to send after commit.
async fn settle(
    state: &AppState,
    txn: &DatabaseTransaction,
    lottery: &row::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Mail>, ApiError> {
    let mut mails = Vec::new();
    for offer in lotteries::offers(txn, lottery.id).await? {
        if offer.status == "open"
            && offer.respond_by <= now
            && lotteries::close_offer(txn, offer.id, "expired", now).await?
        {
            mails.extend(move_on(state, txn, lottery, &offer.location_id, now).await?);
        }
    }
    Ok(mails)
}

/// Offers a freed place to the next unplaced candidate (the matcher's order) who has had no
/// offer yet; nobody left means the place stays unfilled.
async fn move_on(
    state: &AppState,
    txn: &DatabaseTransaction,
    lottery: &row::Model,
    location_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Mail>, ApiError> {
    let Some(output) = output_of(lottery)? else {
        return Ok(None);
    };
    let offers = lotteries::offers(txn, lottery.id).await?;
    let had_offer: HashSet<&str> = offers.iter().map(|o| o.candidate_id.as_str()).collect();
    let Some(next) = output
        .unplaced
        .iter()
        .find(|u| !had_offer.contains(u.candidate.as_str()))
    else {
        return Ok(None);
    };
    let candidates = lotteries::candidates(txn, lottery.id).await?;
    let Some(candidate) = candidates.iter().find(|c| c.candidate_id == next.candidate) else {
        return Ok(None);
    };
    let listed = preferences_of(candidate)?.iter().any(|p| p == location_id);
    let sequence = offers.iter().map(|o| o.sequence).max().unwrap_or(0) + 1;
    let offer = lottery_offer::Model {
        id: Uuid::new_v4(),
        lottery_id: lottery.id,
        candidate_id: candidate.candidate_id.clone(),
        location_id: location_id.to_owned(),
        sequence,
        listed,
        status: "open".to_owned(),
        offered_at: now,
        respond_by: now + Duration::days(i64::from(lottery.response_days)),
        responded_at: None,
    };
    lotteries::insert_offer(txn, offer.clone()).await?;
    let location = lotteries::locations(txn, lottery.id)
        .await?
        .into_iter()
        .find(|l| l.location_id == location_id)
        .map_or_else(|| location_id.to_owned(), |l| l.name);
    let (link, one_time) = account_link(state, txn, candidate).await?;
    let locale = users::locale_of(txn, candidate.user_id).await?;
    let mut mail = offer_mail(locale, lottery, candidate, &offer, &location, &link);
    mail.link = one_time;
    outbox::enqueue(txn, None, &mail, now).await?;
    Ok(Some(mail))
}

/// The offers of a lottery, settled first (administrators).
pub async fn offers(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<LotteryOfferResponse>, ApiError> {
    let lottery = get(state, principal, id).await?;
    settle_and_send(state, &lottery).await?;
    offer_responses(state, &lottery).await
}

/// Expires the overdue offers of every drawn lottery and moves their places on; the server runs
/// this regularly (`KOPPEL_OFFER_SETTLE_MS`), so a place moves on even when nobody looks.
pub async fn settle_overdue(state: &AppState) -> Result<(), ApiError> {
    for lottery in lotteries::list(&state.db).await? {
        if lottery.status == DRAWN
            && let Err(error) = settle_and_send(state, &lottery).await
        {
            // One lottery's trouble must not hold up the others.
            tracing::warn!(lottery_id = %lottery.id, %error, "settling offers failed");
        }
    }
    Ok(())
}

pub(crate) async fn settle_and_send(
    state: &AppState,
    lottery: &row::Model,
) -> Result<(), ApiError> {
    if lottery.status != DRAWN {
        return Ok(());
    }
    let txn = crate::store::begin(&state.db).await?;
    lotteries::lock(&txn, lottery.id).await?;
    let mails = settle(state, &txn, lottery, Utc::now()).await?;
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    Ok(())
}

async fn offer_responses(
    state: &AppState,
    lottery: &row::Model,
) -> Result<Vec<LotteryOfferResponse>, ApiError> {
    let candidates: HashMap<String, String> = lotteries::candidates(&state.db, lottery.id)
        .await?
        .into_iter()
        .map(|c| (c.candidate_id, c.name))
        .collect();
    let locations: HashMap<String, String> = lotteries::locations(&state.db, lottery.id)
        .await?
        .into_iter()
        .map(|l| (l.location_id, l.name))
        .collect();
    Ok(lotteries::offers(&state.db, lottery.id)
        .await?
        .into_iter()
        .map(|o| offer_response(o, &candidates, &locations))
        .collect())
}

fn offer_response(
    o: lottery_offer::Model,
    candidates: &HashMap<String, String>,
    locations: &HashMap<String, String>,
) -> LotteryOfferResponse {
    LotteryOfferResponse {
        candidate_name: candidates.get(&o.candidate_id).cloned().unwrap_or_default(),
        location_name: locations
            .get(&o.location_id)
            .cloned()
            .unwrap_or_else(|| o.location_id.clone()),
        id: o.id,
        candidate_id: o.candidate_id,
        location_id: o.location_id,
        sequence: unsigned(o.sequence),
        listed: o.listed,
        status: o.status,
        offered_at: o.offered_at,
        respond_by: o.respond_by,
        responded_at: o.responded_at,
    }
}

/// Accepts or declines an offer: the candidate themself, or an administrator on their behalf.
pub async fn respond(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    offer_id: Uuid,
    accept: bool,
) -> Result<LotteryOfferResponse, ApiError> {
    principal.require_role(&[Role::Admin, Role::Candidate])?;
    let lottery = lotteries::find(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let missing = || ApiError::NotFound(format!("offer '{offer_id}' does not exist"));
    let offer = lotteries::offers(&state.db, id)
        .await?
        .into_iter()
        .find(|o| o.id == offer_id)
        .ok_or_else(missing)?;
    if principal.role == Role::Candidate {
        let mine = lotteries::candidates(&state.db, id)
            .await?
            .into_iter()
            .any(|c| c.candidate_id == offer.candidate_id && c.user_id == Some(principal.user_id));
        if !mine {
            return Err(missing());
        }
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    lotteries::lock(&txn, lottery.id).await?;
    let mut mails = settle(state, &txn, &lottery, now).await?;
    let status = if accept { "accepted" } else { "declined" };
    if !lotteries::close_offer(&txn, offer.id, status, now).await? {
        txn.commit().await?;
        for mail in &mails {
            state.log_queued_mail(mail);
        }
        let current = lotteries::offers(&state.db, id)
            .await?
            .into_iter()
            .find(|o| o.id == offer_id)
            .map_or_else(|| "closed".to_owned(), |o| o.status);
        return Err(ApiError::Conflict(format!(
            "this offer is {current}: it can no longer be answered"
        )));
    }
    if !accept {
        mails.extend(move_on(state, &txn, &lottery, &offer.location_id, now).await?);
    }
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    offer_responses(state, &lottery)
        .await?
        .into_iter()
        .find(|o| o.id == offer_id)
        .ok_or_else(missing)
}

/// The round report (after the draw): the published figures and the details behind them.
pub async fn report(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<LotteryReportResponse, ApiError> {
    let lottery = get(state, principal, id).await?;
    let Some(output) = output_of(&lottery)? else {
        return Err(ApiError::Conflict(format!(
            "the lottery is {}: the report follows the draw",
            lottery.status
        )));
    };
    settle_and_send(state, &lottery).await?;
    let offers = lotteries::offers(&state.db, id).await?;
    let names: HashMap<String, String> = lotteries::locations(&state.db, id)
        .await?
        .into_iter()
        .map(|l| (l.location_id, l.name))
        .collect();
    let with = |status: &str| {
        u32::try_from(offers.iter().filter(|o| o.status == status).count()).unwrap_or(u32::MAX)
    };
    let r = &output.report;
    Ok(LotteryReportResponse {
        lottery_id: id,
        name: lottery.name.clone(),
        applicants: unsigned(lottery.applicants),
        selected: unsigned(lottery.selected),
        second_attempts: r.second_attempts,
        total_in_lottery: r.candidates,
        placed_at_preferred: r.placed,
        unplaced: r.unplaced,
        places_offered: r.places_offered,
        places_unfilled: r.places_unfilled,
        locations: r
            .locations
            .iter()
            .map(|l| LocationFigures {
                id: l.location.clone(),
                name: names.get(&l.location).cloned().unwrap_or_default(),
                capacity: l.capacity,
                placed: l.placed,
                unfilled: l.unfilled,
                second_chance: u32::try_from(
                    offers
                        .iter()
                        .filter(|o| o.location_id == l.location && o.status == "accepted")
                        .count(),
                )
                .unwrap_or(u32::MAX),
            })
            .collect(),
        by_preference_rank: r
            .placed_by_preference_rank
            .iter()
            .map(|c| RankFigures {
                preference_rank: c.preference_rank,
                placed: c.placed,
            })
            .collect(),
        second_chance: SecondChanceFigures {
            offers: u32::try_from(offers.len()).unwrap_or(u32::MAX),
            open: with("open"),
            accepted: with("accepted"),
            declined: with("declined"),
            expired: with("expired"),
        },
    })
}

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

/// The signed-in candidate's lotteries.
pub async fn mine(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<MyLotteryOutcome>, ApiError> {
    principal.require_role(&[Role::Candidate])?;
    let mut out = Vec::new();
    for participation in lotteries::participations_of_user(&state.db, principal.user_id).await? {
        let Some(lottery) = lotteries::find(&state.db, participation.lottery_id).await? else {
            continue;
        };
        settle_and_send(state, &lottery).await?;
        let names: HashMap<String, String> = lotteries::locations(&state.db, lottery.id)
            .await?
            .into_iter()
            .map(|l| (l.location_id, l.name))
            .collect();
        let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
        let outcome = outcome_of(&lottery, &participation.candidate_id)?;
        let offer = offer_responses(state, &lottery)
            .await?
            .into_iter()
            .rev()
            .find(|o| o.candidate_id == participation.candidate_id);
        let (lottery_number, placed_at, preference_rank) = match &outcome {
            Some(Outcome::Placed {
                number,
                location,
                rank,
            }) => (Some(*number), Some(name_of(location)), Some(*rank)),
            Some(Outcome::Unplaced { number }) => (Some(*number), None, None),
            None => (None, None, None),
        };
        let accepted = offer.as_ref().is_some_and(|o| o.status == "accepted");
        let retry_until = match (&outcome, accepted, lottery.drawn_at) {
            (Some(Outcome::Unplaced { .. }), false, Some(drawn))
                if !participation.second_attempt =>
            {
                drawn.date_naive().checked_add_months(RETRY_WINDOW)
            }
            _ => None,
        };
        out.push((
            lottery.draw_on,
            MyLotteryOutcome {
                lottery_id: lottery.id,
                name: lottery.name.clone(),
                status: lottery.status.clone(),
                candidate_id: participation.candidate_id.clone(),
                public_id: (lottery.status != DRAFT).then(|| public_id(&participation).to_owned()),
                preferences: preferences_of(&participation)?
                    .iter()
                    .map(|p| name_of(p))
                    .collect(),
                lottery_number,
                placed_at,
                preference_rank,
                offer,
                retry_until,
            },
        ));
    }
    out.sort_by_key(|(draw_on, _)| std::cmp::Reverse(*draw_on));
    Ok(out.into_iter().map(|(_, item)| item).collect())
}

/// Running and finished simulations, kept in memory (they can be run again at will).
#[derive(Default)]
pub struct Simulations {
    runs: Mutex<HashMap<Uuid, Arc<Simulation>>>,
}

struct Simulation {
    lottery_id: Uuid,
    draws: u32,
    started: std::time::Instant,
    done: AtomicU32,
    /// The chances, or why the simulation failed; `None` while it runs.
    result: Mutex<Option<Result<Vec<CandidateChance>, String>>>,
}

impl Simulation {
    fn finished(&self) -> bool {
        self.result.lock().map(|r| r.is_some()).unwrap_or(true)
    }

    fn response(&self, id: Uuid) -> SimulationResponse {
        let result = self
            .result
            .lock()
            .map(|guard| guard.clone())
            .unwrap_or_else(|_| Some(Err("the simulation's state is unreadable".to_owned())));
        let (candidates, error) = match &result {
            Some(Ok(chances)) => (chances.clone(), None),
            Some(Err(error)) => (Vec::new(), Some(error.clone())),
            None => (Vec::new(), None),
        };
        SimulationResponse {
            id,
            draws: self.draws,
            done: self.done.load(Ordering::Relaxed),
            finished: result.is_some(),
            candidates,
            error,
        }
    }
}

/// Runs `draws` draws with a fresh random simulation seed on all cores
/// ([`koppel_matcher::simulation`]) and gives, per candidate, how often they were placed and how
/// often at their first preference, with standard errors. `progress` hears the draws done.
pub fn simulate(
    locations: &[Location],
    candidates: &[Candidate],
    draws: u32,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<Vec<CandidateChance>, koppel_matcher::InputError> {
    let plan = koppel_matcher::simulation::Plan {
        draws,
        seed: rand::random(),
        threads: std::thread::available_parallelism().map_or(1, usize::from),
    };
    let chances = koppel_matcher::simulation::simulate(locations, candidates, plan, progress)?;
    Ok(chances
        .into_iter()
        .zip(candidates)
        .map(|(chance, candidate)| CandidateChance {
            id: chance.id,
            preferences_given: u32::try_from(candidate.preferences.len()).unwrap_or(u32::MAX),
            placed: chance.placed,
            placed_standard_error: chance.placed_standard_error,
            first_preference: chance.first_preference,
            first_preference_standard_error: chance.first_preference_standard_error,
        })
        .collect())
}

/// Starts a simulation on the frozen inputs (committed or drawn lotteries); poll its progress.
pub async fn start_simulation(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    draws: u32,
) -> Result<SimulationResponse, ApiError> {
    let lottery = get(state, principal, id).await?;
    if !(1..=MAX_SIMULATION_DRAWS).contains(&draws) {
        return Err(ApiError::field(
            "draws",
            format!("must be 1-{MAX_SIMULATION_DRAWS}"),
        ));
    }
    if lottery.status == DRAFT {
        return Err(ApiError::Conflict(
            "simulate on frozen inputs: commit the lottery first".to_owned(),
        ));
    }
    let (locations, candidates) = matcher_inputs(
        &lotteries::locations(&state.db, id).await?,
        &lotteries::candidates(&state.db, id).await?,
        Ids::Internal,
    )?;
    let simulation_id = Uuid::new_v4();
    let simulation = Arc::new(Simulation {
        lottery_id: id,
        draws,
        started: std::time::Instant::now(),
        done: AtomicU32::new(0),
        result: Mutex::new(None),
    });
    {
        let mut runs = state.simulations.runs.lock().map_err(|_| {
            ApiError::Internal(anyhow::anyhow!("the simulations' state is unreadable"))
        })?;
        let running = runs.values().filter(|s| !s.finished()).count();
        if running >= MAX_RUNNING_SIMULATIONS {
            return Err(ApiError::Conflict(format!(
                "{running} simulations are running; start another when one has finished"
            )));
        }
        // Keep the newest finished ones to read back.
        let mut finished: Vec<(Uuid, std::time::Instant)> = runs
            .iter()
            .filter(|(_, s)| s.finished())
            .map(|(id, s)| (*id, s.started))
            .collect();
        finished.sort_by_key(|(_, started)| std::cmp::Reverse(*started));
        for (old, _) in finished.into_iter().skip(KEPT_SIMULATIONS - 1) {
            runs.remove(&old);
        }
        runs.insert(simulation_id, Arc::clone(&simulation));
    }
    let running = Arc::clone(&simulation);
    tokio::task::spawn_blocking(move || {
        let outcome = simulate(&locations, &candidates, draws, &|done| {
            running.done.fetch_max(done, Ordering::Relaxed);
        })
        .map_err(|error| {
            tracing::error!(%error, "simulation failed");
            format!("the simulation failed: {error}")
        });
        if let Ok(mut result) = running.result.lock() {
            *result = Some(outcome);
        }
    });
    Ok(simulation.response(simulation_id))
}

/// A simulation's progress and, when finished, its result.
pub async fn simulation(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    simulation_id: Uuid,
) -> Result<SimulationResponse, ApiError> {
    get(state, principal, id).await?;
    let found = state
        .simulations
        .runs
        .lock()
        .ok()
        .and_then(|runs| runs.get(&simulation_id).cloned())
        .filter(|s| s.lottery_id == id);
    found
        .map(|s| s.response(simulation_id))
        .ok_or_else(|| ApiError::NotFound(format!("simulation '{simulation_id}' does not exist")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lottery() -> row::Model {
        row::Model {
            id: Uuid::nil(),
            name: "Loting maart".to_owned(),
            draw_on: chrono::NaiveDate::MIN,
            applicants: 2,
            selected: 2,
            response_days: 7,
            status: DRAWN.to_owned(),
            seed: Some("ab".repeat(32)),
            seed_commitment: Some("cd".repeat(32)),
            secret_nonce: None,
            secret: Some("ef".repeat(32)),
            public_value: Some("drand 1".to_owned()),
            inputs_hash: None,
            output: None,
            created_at: Utc::now(),
            committed_at: None,
            drawn_at: None,
            placement_start: None,
            handed_over_at: None,
        }
    }

    fn candidate() -> lottery_candidate::Model {
        lottery_candidate::Model {
            pseudonym: Some("P-0123456789abcdef".to_owned()),
            lottery_id: Uuid::nil(),
            candidate_id: "K-1".to_owned(),
            position: 0,
            name: "Lotte Smit".to_owned(),
            email: "l.smit@example.nl".to_owned(),
            preferences: "[\"utrecht\"]".to_owned(),
            second_attempt: false,
            suitable_on: chrono::NaiveDate::MIN,
            user_id: None,
            trainee_id: None,
        }
    }

    #[test]
    fn outcome_mails_follow_the_candidates_language_and_name_the_place_and_commitment() {
        let names = HashMap::from([("utrecht", "Huisartsopleiding Utrecht")]);
        let placed = Outcome::Placed {
            number: 3,
            location: "utrecht".to_owned(),
            rank: 1,
        };
        let nl = outcome_mail(
            Locale::Nl,
            &lottery(),
            &candidate(),
            Some(&placed),
            None,
            &names,
            "https://x/",
        );
        assert_eq!(nl.subject, "Uitslag Loting maart");
        assert!(nl.body.contains(
            "Je lotnummer is 3. Je bent geplaatst bij Huisartsopleiding Utrecht (je voorkeur 1)."
        ));
        assert!(nl.body.contains(&"cd".repeat(32)));
        let en = outcome_mail(
            Locale::En,
            &lottery(),
            &candidate(),
            Some(&Outcome::Unplaced { number: 9 }),
            None,
            &names,
            "https://x/",
        );
        assert_eq!(en.subject, "Outcome of Loting maart");
        assert!(
            en.body
                .contains("Your lottery number is 9. Unfortunately you were not placed")
        );
        assert!(en.body.contains("once more within 24 months"));
    }

    #[test]
    fn a_lottery_drawn_before_the_two_part_seed_still_verifies_by_its_own_rule() {
        let locations = vec![Location {
            id: "a".to_owned(),
            capacity: 1,
        }];
        let candidates: Vec<Candidate> = ["K-1", "K-2"]
            .into_iter()
            .map(|id| Candidate {
                id: id.to_owned(),
                preferences: vec!["a".to_owned()],
                second_attempt: false,
            })
            .collect();
        let seed = "ab".repeat(32);
        let outcome = lottery::draw(&LotteryInput {
            seed: seed.clone(),
            locations: locations.clone(),
            candidates: candidates.clone(),
        })
        .unwrap();
        let mut document = LotteryVerification {
            lottery_id: Uuid::nil(),
            name: "Loting 2025".to_owned(),
            status: DRAWN.to_owned(),
            committed_at: None,
            drawn_at: None,
            seed_commitment: sha256_hex(&seed),
            inputs_hash: inputs_hash(&locations, &candidates),
            secret: None,
            public_value: None,
            seed: Some(seed),
            inputs: VerificationInputs {
                locations,
                candidates,
            },
            outcome: Some(outcome),
        };
        assert!(verify(&document).is_empty(), "{:?}", verify(&document));
        document.seed = Some("cd".repeat(32));
        assert!(
            verify(&document)
                .contains(&"the seed does not match the published commitment".to_owned())
        );
    }

    #[test]
    fn the_inputs_hash_is_the_sha256_of_the_documented_lines() {
        let locations = vec![Location {
            id: "a".to_owned(),
            capacity: 2,
        }];
        let candidates = vec![Candidate {
            id: "K-1".to_owned(),
            preferences: vec!["a".to_owned(), "b".to_owned()],
            second_attempt: true,
        }];
        assert_eq!(
            inputs_hash(&locations, &candidates),
            sha256_hex("location:a:2\ncandidate:K-1:1:a,b\n")
        );
    }
}

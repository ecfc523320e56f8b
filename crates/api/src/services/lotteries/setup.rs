//! Setting a lottery up: creation, locations, the candidates' import (with their accounts) and
//! the carry-over of an earlier lottery's unplaced candidates.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use koppel_api_types::{
    CarryOverResponse, CarryOverSkipped, CreateLotteryRequest, FieldError, Locale,
    LotteryCandidateResponse, LotteryCandidateRow, LotteryLocation, Role, UserStatus,
};
use koppel_domain::{DisplayName, EmailAddress};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::outcomes::{Outcome, outcome_of, output_of};
use super::{DRAFT, admin, count, get, lock_draft, micros, require_draft, unsigned};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::entities::{lottery as row, lottery_candidate, lottery_location};
use crate::store::lotteries;
use crate::store::users::{self, NewUser};
use koppel_domain::lottery::{
    Attempt, EarlierLottery, EarlierOutcome, check_suitability, eligibility,
};

/// Most places at one location (the whole country offers a few hundred per round).
pub const MAX_CAPACITY: u32 = 100_000;

/// Most applicants (and so candidates selected) a lottery records.
pub const MAX_APPLICANTS: u32 = 1_000_000;

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

pub(super) fn preferences_of(
    candidate: &lottery_candidate::Model,
) -> Result<Vec<String>, ApiError> {
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
        if let Err(problem) = check_suitability(candidate.suitable_on, lottery.draw_on) {
            error("suitable_on", problem.to_string());
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
        let mut earlier = Vec::new();
        for participation in history
            .iter()
            .filter(|p| p.email == email.as_str() && p.lottery_id != id)
        {
            let Some(earlier_lottery) = earlier_lotteries.get(&participation.lottery_id) else {
                continue;
            };
            let outcome = match outcome_of(earlier_lottery, &participation.candidate_id)? {
                None => EarlierOutcome::NotDrawn,
                Some(Outcome::Placed { .. }) => EarlierOutcome::Placed,
                Some(Outcome::Unplaced { .. }) => EarlierOutcome::Unplaced {
                    accepted_offer: lotteries::offers(&txn, earlier_lottery.id)
                        .await?
                        .iter()
                        .any(|o| {
                            o.candidate_id == participation.candidate_id && o.status == "accepted"
                        }),
                },
            };
            earlier.push(EarlierLottery {
                name: &earlier_lottery.name,
                drawn_on: earlier_lottery.drawn_at.map(|d| d.date_naive()),
                outcome,
            });
        }
        match eligibility(&earlier, lottery.draw_on) {
            Ok(Attempt::First) => {}
            Ok(Attempt::Second) => {
                second_attempts.insert(email.as_str().to_owned());
            }
            Err(problem) => errors.push(FieldError {
                field: format!("{label}.email"),
                message: problem.to_string(),
            }),
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

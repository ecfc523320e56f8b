//! From the placement lottery to the institutes. Each lottery location is linked to an
//! institute. Once the draw's second chance is over (see `koppel_domain::lottery`), the
//! administrator hands the placed candidates over with their placement start; each institute's
//! A-team is mailed, sees its own placed candidates, and imports them as year-1 trainees (the
//! placement start as training start) in one step. Each candidate is imported once.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use koppel_api_types::{HandoverInstitute, HandoverResponse, PlacedCandidate, Role, UserStatus};
use koppel_domain::lottery::{LotteryState, check_handover};
use uuid::Uuid;

use super::lotteries::{DRAWN, get, output_of, settle_and_send};
use super::people::access;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::entities::{lottery, lottery_candidate};
use crate::store::people::{self, TraineeFields};
use crate::store::{handover as store, institutes, lotteries, outbox, users};

/// Who sees and imports an institute's placed candidates.
const IMPORTERS: [Role; 3] = [Role::Admin, Role::TraineeTeam, Role::Integration];

/// A placed candidate with where they were placed.
struct Placed {
    candidate: lottery_candidate::Model,
    location_id: String,
    second_chance: bool,
}

/// The final placements of a drawn lottery: by the draw, and by accepted second-chance offers.
async fn placements(state: &AppState, lottery: &lottery::Model) -> Result<Vec<Placed>, ApiError> {
    let Some(output) = output_of(lottery)? else {
        return Ok(Vec::new());
    };
    let mut placed: Vec<(String, String, bool)> = output
        .placements
        .iter()
        .map(|p| (p.candidate.clone(), p.location.clone(), false))
        .collect();
    placed.extend(
        lotteries::offers(&state.db, lottery.id)
            .await?
            .into_iter()
            .filter(|offer| offer.status == "accepted")
            .map(|offer| (offer.candidate_id, offer.location_id, true)),
    );
    let candidates: HashMap<String, lottery_candidate::Model> =
        lotteries::candidates(&state.db, lottery.id)
            .await?
            .into_iter()
            .map(|c| (c.candidate_id.clone(), c))
            .collect();
    Ok(placed
        .into_iter()
        .filter_map(|(candidate, location_id, second_chance)| {
            Some(Placed {
                candidate: candidates.get(&candidate)?.clone(),
                location_id,
                second_chance,
            })
        })
        .collect())
}

/// Links a location to an institute (administrators; until the hand-over).
pub async fn link_location(
    state: &AppState,
    principal: &Principal,
    lottery_id: Uuid,
    location_id: &str,
    institute_id: Option<Uuid>,
) -> Result<(), ApiError> {
    get(state, principal, lottery_id).await?;
    if let Some(id) = institute_id
        && institutes::find(&state.db, id).await?.is_none()
    {
        return Err(ApiError::field(
            "institute_id",
            format!("institute '{id}' does not exist"),
        ));
    }
    // Under the lottery's lock, so a hand-over cannot slip in between the check and the link.
    let txn = crate::store::begin(&state.db).await?;
    lotteries::lock(&txn, lottery_id).await?;
    let lottery = lotteries::find(&txn, lottery_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("lottery '{lottery_id}' does not exist")))?;
    if lottery.handed_over_at.is_some() {
        return Err(ApiError::Conflict(
            "the placed candidates were already handed over; the locations' institutes stay as they were"
                .to_owned(),
        ));
    }
    if !store::set_location_institute(&txn, lottery_id, location_id, institute_id).await? {
        return Err(ApiError::NotFound(format!(
            "the lottery has no location '{location_id}'"
        )));
    }
    txn.commit().await?;
    Ok(())
}

/// Hands a lottery's placed candidates to their institutes (administrators).
pub async fn hand_over(
    state: &AppState,
    principal: &Principal,
    lottery_id: Uuid,
    placement_start: NaiveDate,
) -> Result<HandoverResponse, ApiError> {
    let lottery = get(state, principal, lottery_id).await?;
    // Expired offers move their places on first: only then is it clear whether any are open.
    settle_and_send(state, &lottery).await?;
    let open_offers = lotteries::offers(&state.db, lottery_id)
        .await?
        .iter()
        .filter(|offer| offer.status == "open")
        .count();
    check_handover(
        LotteryState {
            drawn: lottery.status == DRAWN,
            open_offers,
            handed_over: lottery.handed_over_at.is_some(),
            draw_on: lottery.draw_on,
        },
        placement_start,
    )
    .map_err(|error| match error.field() {
        Some(field) => ApiError::field(field, error),
        None => ApiError::Conflict(error.to_string()),
    })?;
    let placed = placements(state, &lottery).await?;
    let txn = crate::store::begin(&state.db).await?;
    lotteries::lock(&txn, lottery_id).await?;
    let locations = lotteries::locations(&txn, lottery_id).await?;
    let mut per_institute: BTreeMap<Uuid, u32> = BTreeMap::new();
    let mut unlinked = Vec::new();
    for p in &placed {
        match locations
            .iter()
            .find(|l| l.location_id == p.location_id)
            .and_then(|l| l.institute_id)
        {
            Some(institute) => *per_institute.entry(institute).or_default() += 1,
            None if !unlinked.contains(&p.location_id) => unlinked.push(p.location_id.clone()),
            None => {}
        }
    }
    if !unlinked.is_empty() {
        return Err(ApiError::Conflict(format!(
            "link every location with placed candidates to an institute first; not linked: {}",
            unlinked.join(", ")
        )));
    }
    let now = Utc::now();
    let url = format!("{}/admin/people", state.public_url.trim_end_matches('/'));
    if !store::mark_handed_over(&txn, lottery_id, placement_start, now).await? {
        return Err(ApiError::Conflict(
            "the placed candidates were already handed over".to_owned(),
        ));
    }
    let mut mails = Vec::new();
    let mut institutes_out = Vec::new();
    for (&institute_id, &count) in &per_institute {
        let Some(institute) = institutes::find(&txn, institute_id).await? else {
            continue;
        };
        Entry::in_institute(institute_id, principal.user_id, "lottery.handed_over", format!(
                    "{count} placed candidate(s) of '{}' handed over, placement start {placement_start}",
                    lottery.name
                ))
.append(&txn, now)
.await?;
        for user in users::list_by_institute(&txn, institute_id).await? {
            if user.role != Role::TraineeTeam || user.status != UserStatus::Active {
                continue;
            }
            let mail = mail::placed_candidates(
                user.locale,
                &user.email,
                &user.display_name,
                &lottery.name,
                count,
                placement_start,
                &url,
            );
            outbox::enqueue(&txn, Some(institute_id), &mail, now).await?;
            mails.push(mail);
        }
        institutes_out.push(HandoverInstitute {
            institute_id,
            name: institute.name,
            candidates: count,
        });
    }
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    tracing::info!(%lottery_id, institutes = institutes_out.len(), "lottery handed over");
    Ok(HandoverResponse {
        lottery_id,
        placement_start,
        institutes: institutes_out,
    })
}

/// A placed candidate handed to an institute.
struct PlacedRow {
    lottery: lottery::Model,
    placement_start: NaiveDate,
    placed: Placed,
    location_name: String,
}

/// The placed candidates handed to an institute, by lottery and name (its A-team and
/// administrators).
pub async fn placed(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<PlacedCandidate>, ApiError> {
    access(state, principal, institute_id, &IMPORTERS).await?;
    Ok(placed_rows(state, institute_id)
        .await?
        .into_iter()
        .map(|row| PlacedCandidate {
            lottery_id: row.lottery.id,
            lottery_name: row.lottery.name,
            name: row.placed.candidate.name,
            email: row.placed.candidate.email,
            location_id: row.placed.location_id,
            location_name: row.location_name,
            second_chance: row.placed.second_chance,
            placement_start: row.placement_start,
            trainee_id: row.placed.candidate.trainee_id,
        })
        .collect())
}

async fn placed_rows(state: &AppState, institute_id: Uuid) -> Result<Vec<PlacedRow>, ApiError> {
    let locations = store::locations_of_institute(&state.db, institute_id).await?;
    let mut lottery_ids: Vec<Uuid> = locations.iter().map(|l| l.lottery_id).collect();
    lottery_ids.sort();
    lottery_ids.dedup();
    let mut out = Vec::new();
    for lottery_id in lottery_ids {
        let Some(lottery) = lotteries::find(&state.db, lottery_id).await? else {
            continue;
        };
        let (Some(_), Some(placement_start)) = (lottery.handed_over_at, lottery.placement_start)
        else {
            continue;
        };
        for p in placements(state, &lottery).await? {
            let Some(location) = locations
                .iter()
                .find(|l| l.lottery_id == lottery_id && l.location_id == p.location_id)
            else {
                continue;
            };
            out.push(PlacedRow {
                lottery: lottery.clone(),
                placement_start,
                location_name: location.name.clone(),
                placed: p,
            });
        }
    }
    out.sort_by(|a, b| {
        (
            a.lottery.name.as_str(),
            a.placed.candidate.name.to_lowercase(),
        )
            .cmp(&(
                b.lottery.name.as_str(),
                b.placed.candidate.name.to_lowercase(),
            ))
    });
    Ok(out)
}

/// Imports every handed-over candidate of the institute not imported yet as a year-1 trainee,
/// with the placement start as training start, in one transaction; answers the new trainees.
/// An e-mail address that is already a trainee's refuses the whole import, naming them.
pub async fn import(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    access(state, principal, institute_id, &IMPORTERS).await?;
    let waiting: Vec<PlacedRow> = placed_rows(state, institute_id)
        .await?
        .into_iter()
        .filter(|row| row.placed.candidate.trainee_id.is_none())
        .collect();
    let (existing, _) = people::list_trainees(&state.db, institute_id, None, None).await?;
    // Already a trainee, or placed twice (in two lotteries): one address, one trainee.
    let taken: Vec<&str> = waiting
        .iter()
        .enumerate()
        .filter(|(index, row)| {
            let email = &row.placed.candidate.email;
            existing.iter().any(|t| &t.email == email)
                || waiting[..*index]
                    .iter()
                    .any(|other| &other.placed.candidate.email == email)
        })
        .map(|(_, row)| row.placed.candidate.name.as_str())
        .collect();
    if !taken.is_empty() {
        return Err(ApiError::Conflict(format!(
            "already trainees of the institute, or placed twice (same e-mail address): {}; nothing was imported",
            taken.join(", ")
        )));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let mut made = Vec::new();
    for row in &waiting {
        let candidate = &row.placed.candidate;
        let fields = TraineeFields {
            name: candidate.name.clone(),
            email: candidate.email.clone(),
            training_start: row.placement_start,
            part_time_factor: 1.0,
            leave_days: 0,
            history: Vec::new(),
        };
        let trainee = people::save_trainee(&txn, institute_id, None, &fields, now).await?;
        if !store::set_candidate_trainee(&txn, row.lottery.id, &candidate.candidate_id, trainee.id)
            .await?
        {
            return Err(ApiError::Conflict(
                "another import of these candidates ran at the same time; reload and try again"
                    .to_owned(),
            ));
        }
        made.push(trainee.id);
    }
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "lottery.candidates_imported",
        format!(
            "{} placed candidate(s) imported as year-1 trainees",
            made.len()
        ),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(made)
}

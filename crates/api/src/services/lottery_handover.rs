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
use crate::startup::AppState;
use crate::store::audit::{self, Entry};
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
    let lottery = get(state, principal, lottery_id).await?;
    if lottery.handed_over_at.is_some() {
        return Err(ApiError::Conflict(
            "the placed candidates were already handed over; the locations' institutes stay as they were"
                .to_owned(),
        ));
    }
    if let Some(id) = institute_id
        && institutes::find(&state.db, id).await?.is_none()
    {
        return Err(ApiError::field(
            "institute_id",
            format!("institute '{id}' does not exist"),
        ));
    }
    if !store::set_location_institute(&state.db, lottery_id, location_id, institute_id).await? {
        return Err(ApiError::NotFound(format!(
            "the lottery has no location '{location_id}'"
        )));
    }
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
    let locations = lotteries::locations(&state.db, lottery_id).await?;
    let placed = placements(state, &lottery).await?;
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
    let txn = crate::store::begin(&state.db).await?;
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
        audit::append(
            &txn,
            Entry {
                institute_id,
                round_id: None,
                actor_id: Some(principal.user_id),
                action: "lottery.handed_over",
                summary: format!(
                    "{count} placed candidate(s) of '{}' handed over, placement start {placement_start}",
                    lottery.name
                ),
            },
            now,
        )
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

/// The placed candidates handed to an institute, by lottery and name (its A-team and
/// administrators).
pub async fn placed(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<PlacedCandidate>, ApiError> {
    access(state, principal, institute_id, &IMPORTERS).await?;
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
            out.push(PlacedCandidate {
                lottery_id,
                lottery_name: lottery.name.clone(),
                name: p.candidate.name,
                email: p.candidate.email,
                location_id: p.location_id,
                location_name: location.name.clone(),
                second_chance: p.second_chance,
                placement_start,
                trainee_id: p.candidate.trainee_id,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.lottery_name.as_str(), a.name.to_lowercase())
            .cmp(&(b.lottery_name.as_str(), b.name.to_lowercase()))
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
    let waiting: Vec<PlacedCandidate> = placed(state, principal, institute_id)
        .await?
        .into_iter()
        .filter(|p| p.trainee_id.is_none())
        .collect();
    let (existing, _) = people::list_trainees(&state.db, institute_id, None, None).await?;
    let taken: Vec<&str> = waiting
        .iter()
        .filter(|p| existing.iter().any(|t| t.email == p.email))
        .map(|p| p.name.as_str())
        .collect();
    if !taken.is_empty() {
        return Err(ApiError::Conflict(format!(
            "already trainees of the institute (same e-mail address): {}; nothing was imported",
            taken.join(", ")
        )));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let mut made = Vec::new();
    for p in &waiting {
        let candidates = lotteries::candidates(&txn, p.lottery_id).await?;
        let Some(candidate) = candidates
            .iter()
            .find(|c| c.email == p.email && c.trainee_id.is_none())
        else {
            continue;
        };
        let fields = TraineeFields {
            name: p.name.clone(),
            email: p.email.clone(),
            training_start: p.placement_start,
            part_time_factor: 1.0,
            leave_days: 0,
            history: Vec::new(),
        };
        let trainee = people::save_trainee(&txn, institute_id, None, &fields, now).await?;
        if !store::set_candidate_trainee(&txn, p.lottery_id, &candidate.candidate_id, trainee.id)
            .await?
        {
            return Err(ApiError::Conflict(
                "another import of these candidates ran at the same time; reload and try again"
                    .to_owned(),
            ));
        }
        made.push(trainee.id);
    }
    audit::append(
        &txn,
        Entry {
            institute_id,
            round_id: None,
            actor_id: Some(principal.user_id),
            action: "lottery.candidates_imported",
            summary: format!(
                "{} placed candidate(s) imported as year-1 trainees",
                made.len()
            ),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(made)
}

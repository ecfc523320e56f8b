//! Second-chance offers: made at the draw in the matcher's order, answered by candidates, and
//! moved on when declined or expired.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use koppel_api_types::{LotteryOfferResponse, Role};
use koppel_matcher::lottery::LotteryOutput;
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::mails::{account_link, offer_mail};
use super::outcomes::output_of;
use super::setup::preferences_of;
use super::{DRAWN, count, get, not_found, unsigned};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail::Mail;
use crate::state::AppState;
use crate::store::entities::{lottery as row, lottery_offer};
use crate::store::users::{self};
use crate::store::{lotteries, outbox};

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
            decided(state, txn, lottery, &offer, "expired", now).await?;
            mails.extend(move_on(state, txn, lottery, &offer.location_id, now).await?);
        }
    }
    Ok(mails)
}

/// Tells the institute of the offer's location, if it has one, that the offer was decided.
async fn decided(
    state: &AppState,
    txn: &DatabaseTransaction,
    lottery: &row::Model,
    offer: &lottery_offer::Model,
    decision: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let institute = lotteries::locations(txn, lottery.id)
        .await?
        .into_iter()
        .find(|l| l.location_id == offer.location_id)
        .and_then(|l| l.institute_id);
    if let Some(institute_id) = institute {
        let event = crate::services::webhooks::Event::lottery_offer_decided(
            institute_id,
            lottery.id,
            offer.id,
            &offer.location_id,
            decision,
            &state.public_url,
        );
        crate::services::webhooks::emit(txn, &event, now).await?;
    }
    Ok(())
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
    let Some(next) = koppel_domain::lottery::next_for_offer(&output.unplaced, |u| {
        had_offer.contains(u.candidate.as_str())
    }) else {
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

pub(super) async fn offer_responses(
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
    decided(state, &txn, &lottery, &offer, status, now).await?;
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

//! A candidate's own view of their lotteries.

use std::collections::HashMap;

use koppel_api_types::{MyLotteryOutcome, Role};

use super::DRAFT;
use super::draw::public_id;
use super::offers::{offer_responses, settle_and_send};
use super::outcomes::{Outcome, outcome_of};
use super::setup::preferences_of;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::lotteries;

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
                koppel_domain::lottery::retry_until(drawn.date_naive())
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

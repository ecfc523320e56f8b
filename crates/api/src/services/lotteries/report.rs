//! The round report, like the one the national body publishes.

use std::collections::HashMap;

use koppel_api_types::{LocationFigures, LotteryReportResponse, RankFigures, SecondChanceFigures};
use uuid::Uuid;

use super::offers::settle_and_send;
use super::outcomes::output_of;
use super::{get, row, unsigned};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::lotteries;

/// The round report (after the draw): the published figures and the details behind them.
pub async fn report(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<LotteryReportResponse, ApiError> {
    let lottery = get(state, principal, id).await?;
    if output_of(&lottery)?.is_some() {
        settle_and_send(state, &lottery).await?;
    }
    figures(state, &lottery).await
}

/// The report's figures of a lottery as they stand (409 before the draw), for whoever may see
/// them: administrators, and in anonymised form the public statistics.
pub(crate) async fn figures(
    state: &AppState,
    lottery: &row::Model,
) -> Result<LotteryReportResponse, ApiError> {
    let id = lottery.id;
    let Some(output) = output_of(lottery)? else {
        return Err(ApiError::Conflict(format!(
            "the lottery is {}: the report follows the draw",
            lottery.status
        )));
    };
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

//! A drawn lottery's outcome per candidate, read from its stored output.

use koppel_matcher::lottery::LotteryOutput;

use crate::error::ApiError;
use crate::store::entities::lottery as row;

/// A candidate's result in a drawn lottery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
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

pub(super) fn outcome_of(
    lottery: &row::Model,
    candidate_id: &str,
) -> Result<Option<Outcome>, ApiError> {
    let Some(output) = output_of(lottery)? else {
        return Ok(None);
    };
    Ok(outcome_in(&output, candidate_id))
}

pub(super) fn outcome_in(output: &LotteryOutput, candidate_id: &str) -> Option<Outcome> {
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

//! The national placement lottery: set-up by the platform administrator (the national body),
//! commit (a secret seed, published as its SHA-256), draw with the matcher's lottery, reveal,
//! public verification, second-chance offers, the round report and the equal-chance simulation.
//!
//! Second chance: the draw's offers (the matcher's order) are made at once, each open for
//! `response_days`. Accepting places the candidate. Declining is final, and so is letting an
//! offer expire; either way the place moves on to the next unplaced candidate (in the matcher's
//! order of `unplaced`) who has had no offer yet. Expiry is settled whenever the lottery's offers
//! are read or answered.
//!
//! How the modules fit: [`setup`] makes a draft lottery and fills it; [`draw`] commits and draws
//! it; [`outcomes`] reads the draw per candidate, for [`mails`], [`offers`] (the second chance)
//! and [`mine`]; [`report`] and [`verification`] publish it; [`simulation`] checks the chances.

mod draw;
mod mails;
mod mine;
mod offers;
mod outcomes;
mod report;
mod setup;
mod simulation;
#[cfg(test)]
mod tests;
mod verification;

pub use draw::{
    Ids, MAX_PUBLIC_VALUE_CHARS, commit, draw, inputs_hash, matcher_inputs, parse_public_value,
    public_id, rename,
};
pub use mine::mine;
pub(crate) use offers::settle_and_send;
pub use offers::{draw_offers, offers, respond, settle_overdue};
pub(crate) use outcomes::output_of;
pub(crate) use report::figures;
pub use report::report;
pub use setup::{
    MAX_APPLICANTS, MAX_CAPACITY, candidates, carry_over, counts, create, import_candidates, list,
    locations, set_locations,
};
pub use simulation::{MAX_SIMULATION_DRAWS, Simulations, simulate, simulation, start_simulation};
pub use verification::{LotteryVerification, VerificationInputs, verification, verify};

use chrono::{DateTime, Utc};
use koppel_api_types::Role;
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::entities::lottery as row;
use crate::store::lotteries;

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

//! What a published coupling leaves behind: each coupled trainee's history entry (trainer,
//! training year, the placement start and the planned end from their curriculum), and each
//! trainer's `coupled_until`. The next rounds' rules read them: a year-3 trainee's year-1
//! trainer, the large-scale rule and the continuity order.

use std::collections::HashMap;

use koppel_domain::{Curriculum, PartTimeFactor, Phase};
use sea_orm::ConnectionTrait;

use crate::error::ApiError;
use crate::store::history::{self, RoundEntry};
use crate::store::rounds::{self, Round};
use crate::store::{people, steps};

/// Makes the history entries of `round` match its couplings as they now stand: every coupling
/// of a published round is an entry; entries of couplings dissolved since (a withdrawal, a
/// replacing run) are removed; before publication there are none. Then each trainer concerned
/// gets their `coupled_until` again. Runs in the caller's transaction.
pub async fn sync_round(
    db: &impl ConnectionTrait,
    round: &Round,
    phase: Phase,
) -> Result<(), ApiError> {
    let entries = if matches!(phase, Phase::Published | Phase::Closed) {
        round_entries(db, round).await?
    } else {
        Vec::new()
    };
    let trainers = history::replace_round_entries(db, round.id, &entries).await?;
    history::recompute_coupled_until(db, &trainers).await?;
    Ok(())
}

async fn round_entries(
    db: &impl ConnectionTrait,
    round: &Round,
) -> Result<Vec<RoundEntry>, ApiError> {
    let years: HashMap<_, _> = rounds::trainees(db, round.id)
        .await?
        .iter()
        .map(|participant| (participant.trainee_id, rounds::training_year(participant)))
        .collect();
    let starts_on = round.key.start_date();
    let mut entries = Vec::new();
    for coupling in steps::couplings(db, round.id).await? {
        let Some(year) = years.get(&coupling.trainee_id) else {
            continue; // withdrawn: its coupling is dissolved too
        };
        let Some(trainee) =
            people::find_trainee(db, round.institute_id, coupling.trainee_id).await?
        else {
            continue;
        };
        let curriculum = PartTimeFactor::parse(trainee.part_time_factor)
            .and_then(|factor| {
                Curriculum::new(
                    trainee.training_start,
                    factor,
                    trainee.leave_days.max(0) as u32,
                )
            })
            .map_err(|error| {
                ApiError::Internal(anyhow::anyhow!(
                    "trainee {} has an invalid curriculum: {error}",
                    trainee.id
                ))
            })?;
        entries.push(RoundEntry {
            trainee_id: coupling.trainee_id,
            trainer_id: coupling.trainer_id,
            training_year: i16::from(year.number()),
            starts_on,
            ends_on: curriculum.planned_end(starts_on),
        });
    }
    Ok(entries)
}

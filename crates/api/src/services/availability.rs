//! Trainer availability before a round: the O-team asks the round's candidate trainers (those
//! eligible for a year it couples) whether they can take a trainee; trainers without an account
//! are invited. Each trainer answers in the SPA (the mail links there): available or not, for
//! which years, for one trainee or two, with a note. The candidate list shows the answers, and a
//! reminder goes to those who have not answered. Requests and answers are possible while the
//! round is in draft or step 1.

use chrono::Utc;
use koppel_api_types::Role;
use koppel_domain::{AvailabilityAnswer, TrainingYear, availability};
use uuid::Uuid;

use super::people::TRAINER_WRITERS;
use super::rounds::{Account, Participant, candidate_trainers, ensure_account, get};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::entities::trainer_availability;
use crate::store::rounds::{self, Round};
use crate::store::{availability as store, institutes, outbox, people, steps};

fn require_open(round: &Round) -> Result<(), ApiError> {
    if availability::is_open(round.phase) {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "the round is in phase '{}': availability is asked and answered before the round, in draft or step 1",
            round.phase
        )))
    }
}

/// Asks every candidate trainer not asked yet or, with `remind`, reminds those asked who have
/// not answered; answers how many were mailed.
pub async fn request(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    remind: bool,
) -> Result<usize, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&TRAINER_WRITERS)?;
    require_open(&round)?;
    let institute = institutes::find(&state.db, round.institute_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("round '{round_id}' does not exist")))?;
    let candidates = candidate_trainers(state, principal, round_id).await?;
    let url = format!("{}/availability", state.public_url.trim_end_matches('/'));
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let mut mails = Vec::new();
    for candidate in candidates {
        let asked = candidate.availability.is_some();
        let unanswered = candidate
            .availability
            .as_ref()
            .is_some_and(|row| row.answered_at.is_none());
        if (remind && !unanswered) || (!remind && asked) {
            continue;
        }
        let row = candidate.row;
        let account = ensure_account(
            &txn,
            &institute,
            Participant {
                linked: row.user_id,
                email: &row.email,
                name: &row.name,
                role: Role::Trainer,
            },
            now,
        )
        .await;
        let (user, invitation) = match account {
            Ok(Account::Existing(user)) => (user, None),
            Ok(Account::Invited(user, mail)) => (user, Some(mail)),
            // An address that belongs to another account: the list shows them as not asked.
            Err(ApiError::Conflict(reason)) => {
                tracing::warn!(trainer_id = %row.id, %reason, "availability not asked");
                continue;
            }
            Err(error) => return Err(error),
        };
        steps::link_trainer(&txn, row.id, user.id).await?;
        if remind {
            store::mark_reminded(&txn, round_id, row.id, now).await?;
        } else if !store::insert_request(&txn, round_id, row.id, now).await? {
            continue;
        }
        let mail = mail::availability_request(
            user.locale,
            &row.email,
            &row.name,
            &institute.name,
            &round.key,
            round.schedule.placement_start,
            &url,
            remind,
            invitation.is_some(),
        );
        outbox::enqueue(&txn, Some(institute.id), &mail, now).await?;
        mails.extend(invitation);
        mails.push(mail);
    }
    let sent = mails
        .iter()
        .filter(|mail| mail.kind == "availability_request")
        .count();
    Entry::in_round(
        &round,
        principal.user_id,
        if remind {
            "availability.reminded"
        } else {
            "availability.requested"
        },
        format!("{sent} trainers mailed"),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    Ok(sent)
}

/// A request to the signed-in trainer, with the round and the years they can offer.
pub struct MyRequest {
    /// The round.
    pub round: Round,
    /// The years they can offer.
    pub offered: Vec<TrainingYear>,
    /// The request and answer.
    pub row: trainer_availability::Model,
}

async fn my_trainer(state: &AppState, principal: &Principal) -> Result<Uuid, ApiError> {
    principal.require_role(&[Role::Trainer])?;
    let institute_id = principal
        .institute_id
        .ok_or_else(|| ApiError::Forbidden("a trainer belongs to an institute".to_owned()))?;
    Ok(
        steps::trainer_of_user(&state.db, institute_id, principal.user_id)
            .await?
            .ok_or_else(|| {
                ApiError::Forbidden("this account is not linked to a trainer".to_owned())
            })?
            .id,
    )
}

async fn offered(
    state: &AppState,
    round: &Round,
    trainer_id: Uuid,
) -> Result<Vec<TrainingYear>, ApiError> {
    let row = people::find_trainer(&state.db, round.institute_id, trainer_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("trainer '{trainer_id}' does not exist")))?;
    Ok(super::steps::trainer_facts(&row).eligible_years(round.key.training_years()))
}

/// The signed-in trainer's requests, newest placement first (cancelled and closed rounds left
/// out).
pub async fn mine(state: &AppState, principal: &Principal) -> Result<Vec<MyRequest>, ApiError> {
    let trainer_id = my_trainer(state, principal).await?;
    let mut out = Vec::new();
    for row in store::for_trainer(&state.db, trainer_id).await? {
        let Some(round) = rounds::find(&state.db, row.round_id).await? else {
            continue;
        };
        if round.phase.is_final() {
            continue;
        }
        let offered = offered(state, &round, trainer_id).await?;
        out.push(MyRequest {
            round,
            offered,
            row,
        });
    }
    out.sort_by(|a, b| {
        b.round
            .schedule
            .placement_start
            .cmp(&a.round.schedule.placement_start)
    });
    Ok(out)
}

/// The signed-in trainer answers a round's request.
pub async fn answer(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    request: &koppel_api_types::AvailabilityAnswerRequest,
) -> Result<MyRequest, ApiError> {
    let trainer_id = my_trainer(state, principal).await?;
    let not_asked = || {
        ApiError::NotFound(format!(
            "the O-team has not asked your availability for round '{round_id}'"
        ))
    };
    let round = rounds::find(&state.db, round_id)
        .await?
        .filter(|round| Some(round.institute_id) == principal.institute_id)
        .ok_or_else(not_asked)?;
    store::find(&state.db, round_id, trainer_id)
        .await?
        .ok_or_else(not_asked)?;
    require_open(&round)?;
    let offered = offered(state, &round, trainer_id).await?;
    let parsed = AvailabilityAnswer::parse(
        request.available,
        &request.training_years,
        request.capacity,
        request.note.as_deref(),
        &offered,
    )
    .map_err(|error| ApiError::field(error.field(), error))?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let row = store::answer(&txn, round_id, trainer_id, &parsed, now).await?;
    Entry::in_round(
        &round,
        principal.user_id,
        "availability.answered",
        if parsed.available {
            format!(
                "available for year(s) {}, {} trainee(s)",
                parsed
                    .years
                    .iter()
                    .map(|y| y.number().to_string())
                    .collect::<Vec<_>>()
                    .join(" and "),
                parsed.capacity
            )
        } else {
            "not available".to_owned()
        },
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(MyRequest {
        round,
        offered,
        row,
    })
}

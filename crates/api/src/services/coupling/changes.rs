//! Changes outside a run: a participant's withdrawal and a coupling made by hand.

use chrono::Utc;
use koppel_domain::{Action, Phase, check_action, inadmissibility};
use uuid::Uuid;

use super::MAX_REASON_CHARS;
use super::publication::result_mails;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::services::rounds::{ROUND_WRITERS, get};
use crate::services::steps::{round_trainers, trainee_facts, trainer_facts};
use crate::state::AppState;
use crate::store::anonymise::Person;
use crate::store::audit::Entry;
use crate::store::rounds;
use crate::store::{outbox, people, steps};

/// Withdraws a participant with a reason; a published coupling of theirs is dissolved. Answers
/// the trainees left without a coupling.
pub async fn withdraw(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    request: &koppel_api_types::WithdrawalRequest,
) -> Result<Vec<Uuid>, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    if round.phase.is_final() {
        return Err(ApiError::Conflict(format!(
            "the round is {}; nothing can change any more",
            round.phase
        )));
    }
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::field(
            "reason",
            format!("give a reason of 1 to {MAX_REASON_CHARS} characters"),
        ));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let (withdrawn, dissolved, (kind, participant_id)) =
        match (request.trainee_id, request.trainer_id) {
            (Some(trainee_id), None) => (
                rounds::withdraw(&txn, round_id, Person::Trainee(trainee_id), reason, now).await?,
                steps::dissolve_couplings(&txn, round_id, Some(trainee_id), None).await?,
                ("trainee", trainee_id),
            ),
            (None, Some(trainer_id)) => (
                rounds::withdraw(&txn, round_id, Person::Trainer(trainer_id), reason, now).await?,
                steps::dissolve_couplings(&txn, round_id, None, Some(trainer_id)).await?,
                ("trainer", trainer_id),
            ),
            _ => {
                return Err(ApiError::field(
                    "trainee_id",
                    "give exactly one of trainee_id and trainer_id",
                ));
            }
        };
    let who = format!("{kind} {participant_id}");
    // A dissolved published coupling is no longer history.
    crate::services::history::sync_round(&txn, &round, round.phase).await?;
    if !withdrawn {
        return Err(ApiError::NotFound(format!(
            "{who} does not take part in this round"
        )));
    }
    let uncoupled: Vec<Uuid> = dissolved
        .iter()
        .map(|c| c.trainee_id)
        .filter(|t| Some(*t) != request.trainee_id)
        .collect();
    let summary = format!(
        "{who} withdrawn ({reason}); {} coupling(s) dissolved",
        dissolved.len()
    );
    Entry::in_round(&round, principal.user_id, "participant.withdrawn", summary)
        .append(&txn, now)
        .await?;
    let event = crate::services::webhooks::Event::participant_withdrawn(
        round.institute_id,
        round.id,
        kind,
        participant_id,
        &state.public_url,
    );
    crate::services::webhooks::emit(&txn, &event, now).await?;
    txn.commit().await?;
    Ok(uncoupled)
}

/// Couples a pair by hand (phase `coupling` or `published`): both take part, the trainee is not
/// coupled yet, the trainer has a place left, and the coupling rules and vetoes allow the pair.
pub async fn manual_coupling(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    request: &koppel_api_types::ManualCouplingRequest,
) -> Result<(), ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    check_action(
        Action::ManualCoupling,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::field(
            "reason",
            format!("give a reason of 1 to {MAX_REASON_CHARS} characters"),
        ));
    }
    let participation = rounds::trainees(&state.db, round_id)
        .await?
        .into_iter()
        .find(|p| p.trainee_id == request.trainee_id)
        .ok_or_else(|| {
            ApiError::field("trainee_id", "this trainee does not take part in the round")
        })?;
    let (trainer, capacity) = round_trainers(state, &round)
        .await?
        .into_iter()
        .find(|(t, _)| t.id == request.trainer_id)
        .ok_or_else(|| {
            ApiError::field("trainer_id", "this trainer does not take part in the round")
        })?;
    let trainee = people::find_trainee(&state.db, round.institute_id, request.trainee_id)
        .await?
        .ok_or_else(|| ApiError::field("trainee_id", "this trainee does not exist"))?;
    let year = rounds::training_year(&participation);
    let facts = trainee_facts(state, &trainee, year).await?;
    let vetoes = crate::services::steps::domain_vetoes(state, round_id).await?;
    let reasons = inadmissibility(&facts, &trainer_facts(&trainer), &vetoes);
    if !reasons.is_empty() {
        let words: Vec<String> = reasons.iter().map(ToString::to_string).collect();
        return Err(ApiError::field(
            "trainer_id",
            format!(
                "{} and {} may not be coupled: {}",
                trainee.name,
                trainer.name,
                words.join("; ")
            ),
        ));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    rounds::lock(&txn, round_id).await?;
    // Under the round's lock, as they stand now: a publication or another manual coupling may
    // have committed since the round was read above.
    let round = rounds::find(&txn, round_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("round '{round_id}' does not exist")))?;
    check_action(Action::ManualCoupling, round.phase, &round.schedule, now)
        .map_err(ApiError::from)?;
    let couplings = steps::couplings(&txn, round_id).await?;
    if couplings.iter().any(|c| c.trainee_id == request.trainee_id) {
        return Err(ApiError::Conflict(
            "this trainee is already coupled".to_owned(),
        ));
    }
    if couplings
        .iter()
        .filter(|c| c.trainer_id == request.trainer_id)
        .count() as u32
        >= capacity
    {
        return Err(ApiError::Conflict(format!(
            "{} has no place left (capacity {capacity})",
            trainer.name
        )));
    }
    steps::insert_manual_coupling(
        &txn,
        round_id,
        trainee.id,
        trainer.id,
        reason,
        principal.user_id,
        now,
    )
    .await?;
    crate::services::history::sync_round(&txn, &round, round.phase).await?;
    // Once the round is published the pair hears of it now; the trainer's mail names every
    // trainee they now have (two in a duo practice). Before, they hear of it with everyone
    // else, when a run is published.
    let mails = if round.phase == Phase::Published {
        result_mails(&txn, &round, |id| *id == trainee.id || *id == trainer.id).await?
    } else {
        Vec::new()
    };
    for mail in &mails {
        outbox::enqueue(&txn, Some(round.institute_id), mail, now).await?;
    }
    let summary = format!(
        "manual coupling {} - {} ({reason})",
        trainee.name, trainer.name
    );
    Entry::in_round(&round, principal.user_id, "coupling.manual", summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    Ok(())
}

//! The interview proposal: generated with the matcher, adjusted by hand, and published.

use std::collections::HashMap;

use chrono::Utc;
use koppel_api_types::FieldError;
use koppel_domain::{TrainerFacts, continuity_order, inadmissibility};
use koppel_matcher::coupling::{CouplingTrainee, Pair};
use koppel_matcher::interviews::{InterviewInput, InterviewOutput, InterviewTrainer};
use uuid::Uuid;

use super::preferences::{Viewer, admissible_for};
use super::{domain_vetoes, round_trainers, trainee_facts, trainer_facts};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::services::rounds::{ROUND_WRITERS, get};
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::rounds::{self, Round};
use crate::store::{participants, people, steps};

/// The interview proposal is made, adjusted and published in phase `preferences` only.
fn proposal_phase(round: &Round) -> Result<(), ApiError> {
    if round.phase != koppel_domain::Phase::Preferences {
        return Err(ApiError::Conflict(format!(
            "the interview proposal is made in phase 'preferences'; the round is in '{}'",
            round.phase
        )));
    }
    Ok(())
}

/// Generates (or regenerates) the draft interview proposal with the matcher.
pub async fn generate_proposal(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<InterviewOutput, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    proposal_phase(&round)?;
    if steps::proposal(&state.db, round_id)
        .await?
        .is_some_and(|p| p.status == "published")
    {
        return Err(ApiError::Conflict(
            "the interview proposal is already published".to_owned(),
        ));
    }
    let trainers = round_trainers(state, &round).await?;
    let facts: Vec<TrainerFacts> = trainers.iter().map(|(t, _)| trainer_facts(t)).collect();
    let continuity: HashMap<Uuid, u32> = continuity_order(&facts, None)
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.0, i as u32 + 1))
        .collect();
    let preferences = steps::preferences(&state.db, round_id).await?;
    let vetoes = domain_vetoes(state, round_id).await?;
    let mut trainees = Vec::new();
    let mut forbidden = Vec::new();
    for participant in
        participants::trainees_of_round(&state.db, round_id, round.institute_id).await?
    {
        let trainee_facts = participant.facts();
        let row = participant.trainee;
        // A trainer who withdrew after being ranked is left out of the list.
        let ranking: Vec<Uuid> = preferences
            .iter()
            .filter(|p| p.trainee_id == row.id)
            .map(|p| p.trainer_id)
            .filter(|id| trainers.iter().any(|(t, _)| t.id == *id))
            .collect();
        for trainer_id in &ranking {
            if let Some((trainer, _)) = trainers.iter().find(|(t, _)| t.id == *trainer_id)
                && !inadmissibility(&trainee_facts, &trainer_facts(trainer), &vetoes).is_empty()
            {
                forbidden.push(Pair {
                    trainee: row.id.to_string(),
                    trainer: trainer_id.to_string(),
                });
            }
        }
        trainees.push(CouplingTrainee {
            id: row.id.to_string(),
            ranking: ranking.iter().map(Uuid::to_string).collect(),
        });
    }
    let input = InterviewInput {
        interviews_per_trainee: 4,
        max_interviews_per_trainer: None,
        trainees,
        trainers: trainers
            .iter()
            .map(|(t, capacity)| InterviewTrainer {
                id: t.id.to_string(),
                capacity: *capacity,
                continuity_rank: continuity.get(&t.id).copied().unwrap_or(1),
            })
            .collect(),
        forbidden,
    };
    crate::solving::check_interviews(&input)?;
    let output = state
        .solvers
        .run(move |limit| koppel_matcher::interviews::propose_within(&input, limit))
        .await?
        .map_err(|error| match error {
            koppel_matcher::interviews::InterviewError::Solver(error) => {
                crate::solving::solve_failed(error, "the interview proposal")
            }
            other => ApiError::Internal(
                anyhow::Error::new(other).context("the interview proposal failed"),
            ),
        })?;
    let json = serde_json::to_string(&output).map_err(|error| ApiError::Internal(error.into()))?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    steps::save_draft_proposal(&txn, round_id, json, now).await?;
    let summary = format!(
        "interview proposal generated: {} interviews, {} trainers covered, coupling guarantee {}",
        output
            .interviews
            .iter()
            .map(|i| i.trainers.len())
            .sum::<usize>(),
        output.score.covered_trainers,
        if output.guarantee.complete {
            "complete"
        } else {
            "incomplete"
        }
    );
    Entry::in_round(&round, principal.user_id, "proposal.generated", summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(output)
}

/// Publishes the draft proposal: records the interviews and mails both sides their counterparts.
pub async fn publish_proposal(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<usize, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    proposal_phase(&round)?;
    let proposal = steps::proposal(&state.db, round_id).await?.ok_or_else(|| {
        ApiError::Conflict("generate the interview proposal before publishing it".to_owned())
    })?;
    if proposal.status != "draft" {
        return Err(ApiError::Conflict(
            "the interview proposal is already published".to_owned(),
        ));
    }
    let output: InterviewOutput =
        serde_json::from_str(&proposal.output).map_err(|error| ApiError::Internal(error.into()))?;
    let mut pairs = Vec::new();
    for interviews in &output.interviews {
        let trainee_id: Uuid = interviews
            .trainee
            .parse()
            .map_err(|error: uuid::Error| ApiError::Internal(error.into()))?;
        for trainer in &interviews.trainers {
            pairs.push((
                trainee_id,
                trainer
                    .parse()
                    .map_err(|error: uuid::Error| ApiError::Internal(error.into()))?,
            ));
        }
    }
    // Withdrawals and vetoes since the draft was made: generate it again rather than mail
    // interviews that no longer make sense.
    let (trainees, trainers) = rounds::participant_ids(&state.db, round_id).await?;
    let vetoes = steps::vetoes(&state.db, round_id).await?;
    let outdated = |what: &str| {
        ApiError::Conflict(format!(
            "{what} since the proposal was made: generate it again before publishing"
        ))
    };
    for (trainee, trainer) in &pairs {
        if !trainees.contains(trainee) || !trainers.contains(trainer) {
            return Err(outdated("a participant withdrew"));
        }
        if vetoes
            .iter()
            .any(|v| v.trainee_id == *trainee && v.trainer_id == *trainer)
        {
            return Err(outdated("a veto was declared"));
        }
    }
    let deadline = round.schedule.final_ranking_deadline;
    let mut mails = Vec::new();
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    if !steps::publish_proposal(&txn, round_id, now).await? {
        return Err(ApiError::Conflict(
            "the interview proposal is already published".to_owned(),
        ));
    }
    steps::insert_interviews(&txn, round_id, &pairs).await?;
    // Everyone with an interview hears with whom.
    let contacts = participants::contacts_of_round(&txn, round_id, round.institute_id).await?;
    for (_, contact, counterparts) in contacts.with_counterparts(&pairs) {
        if !counterparts.is_empty() {
            mails.push(mail::interviews_published(
                contact.locale,
                &contact.email,
                &contact.name,
                &round.key,
                &counterparts,
                deadline,
            ));
        }
    }
    for mail in &mails {
        crate::store::outbox::enqueue(&txn, Some(round.institute_id), mail, now).await?;
    }
    Entry::in_round(
        &round,
        principal.user_id,
        "proposal.published",
        format!(
            "interview proposal published: {} interviews, {} mails",
            pairs.len(),
            mails.len()
        ),
    )
    .append(&txn, now)
    .await?;
    let event = crate::services::webhooks::Event::interview_proposal_published(
        round.institute_id,
        round.id,
        &state.public_url,
    );
    crate::services::webhooks::emit(&txn, &event, now).await?;
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    Ok(pairs.len())
}

/// Whether the round's proposal is published (a guard of the move to `interviews`).
pub async fn proposal_published(
    db: &sea_orm::DatabaseConnection,
    round_id: Uuid,
) -> Result<bool, ApiError> {
    Ok(steps::proposal(db, round_id)
        .await?
        .is_some_and(|p| p.status == "published"))
}

/// Replaces one trainee's candidates in the draft proposal (coordinators), checking the rules and
/// vetoes, and recomputes load, coverage and the coupling guarantee so the effect is visible.
pub async fn adjust_proposal(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainee_id: Uuid,
    trainer_ids: &[Uuid],
) -> Result<InterviewOutput, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    proposal_phase(&round)?;
    let proposal = steps::proposal(&state.db, round_id).await?.ok_or_else(|| {
        ApiError::Conflict("generate the interview proposal before adjusting it".to_owned())
    })?;
    if proposal.status != "draft" {
        return Err(ApiError::Conflict(
            "the interview proposal is already published".to_owned(),
        ));
    }
    let participation = rounds::trainees(&state.db, round_id)
        .await?
        .into_iter()
        .find(|p| p.trainee_id == trainee_id)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "trainee '{trainee_id}' does not take part in this round"
            ))
        })?;
    let trainee = people::find_trainee(&state.db, round.institute_id, trainee_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("trainee '{trainee_id}' does not exist")))?;
    let year = rounds::training_year(&participation);
    let facts = trainee_facts(state, &trainee, year).await?;
    let admissible: Vec<Uuid> = admissible_for(state, &round, &facts, Viewer::Coordinator)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut errors = Vec::new();
    for (index, trainer_id) in trainer_ids.iter().enumerate() {
        if trainer_ids[..index].contains(trainer_id) {
            errors.push(FieldError {
                field: format!("trainer_ids[{index}]"),
                message: "listed twice".to_owned(),
            });
        } else if !admissible.contains(trainer_id) {
            errors.push(FieldError {
                field: format!("trainer_ids[{index}]"),
                message: "not a trainer of this round that the coupling rules and vetoes allow for this trainee".to_owned(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut output: InterviewOutput =
        serde_json::from_str(&proposal.output).map_err(|error| ApiError::Internal(error.into()))?;
    let preferences = steps::preferences(&state.db, round_id).await?;
    let rank_of = |trainer: &Uuid| {
        preferences
            .iter()
            .find(|p| p.trainee_id == trainee_id && p.trainer_id == *trainer)
            .map_or(0, |p| p.rank as u32)
    };
    if let Some(entry) = output
        .interviews
        .iter_mut()
        .find(|i| i.trainee == trainee_id.to_string())
    {
        entry.trainers = trainer_ids.iter().map(Uuid::to_string).collect();
        entry.ranks = trainer_ids.iter().map(rank_of).collect();
    }
    // Recompute what follows from the interviews: load, coverage and the guarantee.
    let trainer_index: HashMap<String, usize> = output
        .load
        .iter()
        .enumerate()
        .map(|(j, l)| (l.trainer.clone(), j))
        .collect();
    let mut pairs = Vec::new();
    for load in &mut output.load {
        load.interviews = 0;
    }
    for (i, interviews) in output.interviews.iter().enumerate() {
        for trainer in &interviews.trainers {
            if let Some(&j) = trainer_index.get(trainer) {
                output.load[j].interviews += 1;
                pairs.push((i, j));
            }
        }
    }
    let trainers = round_trainers(state, &round).await?;
    let capacity: Vec<u32> = output
        .load
        .iter()
        .map(|l| {
            trainers
                .iter()
                .find(|(t, _)| t.id.to_string() == l.trainer)
                .map_or(1, |(_, c)| *c)
        })
        .collect();
    let coupled =
        koppel_matcher::bipartite::max_coupling(output.interviews.len(), &capacity, &pairs)
            .iter()
            .filter(|t| t.is_some())
            .count();
    output.guarantee.coupled = coupled as u32;
    output.guarantee.complete = coupled == output.interviews.len();
    output.score.covered_trainers = output.load.iter().filter(|l| l.interviews > 0).count() as u32;
    output.score.preference_cost = output
        .interviews
        .iter()
        .flat_map(|i| i.ranks.iter())
        .map(|r| u64::from(r.saturating_sub(1)))
        .sum();

    let json = serde_json::to_string(&output).map_err(|error| ApiError::Internal(error.into()))?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    steps::save_draft_proposal(&txn, round_id, json, now).await?;
    let summary = format!(
        "interview proposal adjusted by hand for {}: {} trainers; coupling guarantee {}",
        trainee.name,
        trainer_ids.len(),
        if output.guarantee.complete {
            "complete"
        } else {
            "incomplete"
        }
    );
    Entry::in_round(&round, principal.user_id, "proposal.adjusted", summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(output)
}

//! Step 2 and the interviews: trainees rank the trainers they may be coupled to, coordinators
//! generate the interview proposal with the matcher and publish it.

use std::collections::HashMap;

use chrono::Utc;
use koppel_api_types::{FieldError, Role};
use koppel_domain::{
    Action, PreferenceList, RankingProblem, Relationship, StepTwo, TraineeFacts, TraineeId,
    TrainerFacts, TrainerId, TrainingYear, Veto, VetoParty, VetoReason, check_action,
    continuity_order, inadmissibility,
};
use koppel_matcher::coupling::{CouplingTrainee, Pair};
use koppel_matcher::interviews::{InterviewInput, InterviewOutput, InterviewTrainer};
use uuid::Uuid;

use super::rounds::{ROUND_WRITERS, get};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::{self, Entry};
use crate::store::entities::{practice, trainee, trainer, veto};
use crate::store::rounds::{self, Round};
use crate::store::{participants, people, steps};

/// A preference list holds at least this many trainers (or all rankable ones, if fewer).
pub const MIN_PREFERENCES: usize = 4;

/// The calling trainee's record and training year in the round.
async fn me_as_trainee(
    state: &AppState,
    principal: &Principal,
    round: &Round,
) -> Result<(trainee::Model, TrainingYear), ApiError> {
    principal.require_role(&[Role::Trainee])?;
    let not_in_round = || ApiError::NotFound("you do not take part in this round".to_owned());
    let (me, participation) =
        rounds::trainee_of_user_in(&state.db, round.id, round.institute_id, principal.user_id)
            .await?
            .ok_or_else(not_in_round)?;
    let year = rounds::training_year(&participation);
    Ok((me, year))
}

/// The round, the calling trainee and the rules' view of them: in one query for a trainee of the
/// round, else the checks one by one, to say precisely why not (404 or 403).
async fn trainee_in_round(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<(Round, trainee::Model, TraineeFacts), ApiError> {
    if principal.role == Role::Trainee
        && let Some(institute_id) = principal.institute_id
        && let Some((round, me)) =
            participants::trainee_of_user(&state.db, round_id, institute_id, principal.user_id)
                .await?
    {
        let facts = me.facts();
        return Ok((round, me.trainee, facts));
    }
    let round = round_for_participant(state, principal, round_id).await?;
    let (me, year) = me_as_trainee(state, principal, &round).await?;
    let facts = trainee_facts(state, &me, year).await?;
    Ok((round, me, facts))
}

/// A round, for its trainees and trainers as well as its coordinators (404 otherwise).
pub(crate) async fn round_for_participant(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Round, ApiError> {
    let round = rounds::find(&state.db, round_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("round '{round_id}' does not exist")))?;
    principal
        .require_institute(round.institute_id, "round")
        .map_err(|_| ApiError::NotFound(format!("round '{round_id}' does not exist")))?;
    Ok(round)
}

pub(crate) fn trainer_facts(row: &trainer::Model) -> TrainerFacts {
    TrainerFacts {
        id: TrainerId(row.id),
        name: row.name.clone(),
        eligible_year1: row.eligible_year1,
        eligible_year3: row.eligible_year3,
        large_scale_structure: row.large_scale_structure,
        available: true,
        last_trainee_end: row.last_trainee_end_known(),
    }
}

/// The round's trainers, with the facts the rules need.
pub(crate) async fn round_trainers(
    state: &AppState,
    round: &Round,
) -> Result<Vec<(trainer::Model, u32)>, ApiError> {
    Ok(participants::trainers_of_round(&state.db, round.id, round.institute_id).await?)
}

/// The rules' view of a trainee: year, year-1 trainer and large-scale experience, from history.
pub(crate) async fn trainee_facts(
    state: &AppState,
    row: &trainee::Model,
    year: TrainingYear,
) -> Result<TraineeFacts, ApiError> {
    let history = people::histories(&state.db, &[row.id]).await?;
    let earlier: Vec<Uuid> = history.iter().map(|entry| entry.trainer_id).collect();
    let had_large_scale = people::trainers_by_id(&state.db, row.institute_id, &earlier)
        .await?
        .values()
        .any(|trainer| trainer.large_scale_structure);
    Ok(TraineeFacts {
        id: TraineeId(row.id),
        year,
        year1_trainer: history
            .iter()
            .find(|h| h.training_year == 1)
            .map(|h| TrainerId(h.trainer_id)),
        had_large_scale_trainer: had_large_scale,
    })
}

/// The round's vetoes as domain values.
pub(crate) async fn domain_vetoes(state: &AppState, round_id: Uuid) -> Result<Vec<Veto>, ApiError> {
    Ok(steps::vetoes(&state.db, round_id)
        .await?
        .into_iter()
        .map(domain_veto)
        .collect())
}

fn domain_veto(row: veto::Model) -> Veto {
    Veto {
        trainee: TraineeId(row.trainee_id),
        trainer: TrainerId(row.trainer_id),
        declared_by: if row.declared_by == "trainer" {
            VetoParty::Trainer
        } else {
            VetoParty::Trainee
        },
        reason: VetoReason::PersonalRelationship(match row.relationship.as_deref() {
            Some("family") => Relationship::Family,
            Some("own_gp") => Relationship::OwnGp,
            _ => Relationship::OtherPersonalTie,
        }),
        note: row.note,
    }
}

/// Whose view of the vetoes decides what is admissible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    /// A coordinator: every veto.
    Coordinator,
    /// The trainee: once step 2 has closed, only the vetoes declared before (see [`StepTwo`]),
    /// so the list cannot reveal a later veto.
    Trainee,
}

/// Trainers of the round the trainee may be coupled to (rules and vetoes).
async fn admissible_for(
    state: &AppState,
    round: &Round,
    facts: &TraineeFacts,
    viewer: Viewer,
) -> Result<Vec<trainer::Model>, ApiError> {
    let vetoes = vetoes_seen(state, round, facts, viewer).await?;
    Ok(round_trainers(state, round)
        .await?
        .into_iter()
        .filter(|(trainer, _)| inadmissibility(facts, &trainer_facts(trainer), &vetoes).is_empty())
        .map(|(trainer, _)| trainer)
        .collect())
}

/// The ids of [`admissible_for`], from the trainers' facts alone (a submission's check).
async fn admissible_ids(
    state: &AppState,
    round: &Round,
    facts: &TraineeFacts,
    viewer: Viewer,
) -> Result<std::collections::BTreeSet<Uuid>, ApiError> {
    let (trainers, vetoes) = participants::trainer_facts_with_vetoes(
        &state.db,
        round.id,
        round.institute_id,
        facts.id.0,
    )
    .await?;
    let vetoes = seen_by(round, viewer, vetoes);
    Ok(trainers
        .into_iter()
        .filter(|trainer| inadmissibility(facts, trainer, &vetoes).is_empty())
        .map(|trainer| trainer.id.0)
        .collect())
}

/// The vetoes on the trainee that `viewer` may take into account.
async fn vetoes_seen(
    state: &AppState,
    round: &Round,
    facts: &TraineeFacts,
    viewer: Viewer,
) -> Result<Vec<Veto>, ApiError> {
    let vetoes = steps::vetoes_of_trainee(&state.db, round.id, facts.id.0).await?;
    Ok(seen_by(round, viewer, vetoes))
}

/// Of the vetoes on a trainee, those `viewer` may take into account.
fn seen_by(round: &Round, viewer: Viewer, vetoes: Vec<veto::Model>) -> Vec<Veto> {
    let step_two = StepTwo {
        phase: round.phase,
        deadline: round.schedule.preferences_deadline,
        left_at: round.preferences_closed_at,
    };
    let now = Utc::now();
    vetoes
        .into_iter()
        .filter(|row| viewer == Viewer::Coordinator || step_two.veto_counts(row.created_at, now))
        .map(domain_veto)
        .collect()
}

/// The trainers the calling trainee may rank, each with their practice, and the minimum list
/// length. Frozen once step 2 closes: a veto declared later does not change it.
pub async fn rankable(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<(Vec<(trainer::Model, Option<practice::Model>)>, usize), ApiError> {
    let (round, _, facts) = trainee_in_round(state, principal, round_id).await?;
    let vetoes = vetoes_seen(state, &round, &facts, Viewer::Trainee).await?;
    let mut out: Vec<_> =
        participants::trainers_with_practices(&state.db, round.id, round.institute_id)
            .await?
            .into_iter()
            .filter(|(trainer, _)| {
                inadmissibility(&facts, &trainer_facts(trainer), &vetoes).is_empty()
            })
            .collect();
    out.sort_by_key(|(trainer, _)| trainer.name.to_lowercase());
    let minimum = MIN_PREFERENCES.min(out.len());
    Ok((out, minimum))
}

/// Submits or replaces the calling trainee's preference list.
pub async fn submit_preferences(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainer_ids: &[Uuid],
) -> Result<(), ApiError> {
    let (round, me, facts) = trainee_in_round(state, principal, round_id).await?;
    check_action(
        Action::SubmitPreferences,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let rankable = admissible_ids(state, &round, &facts, Viewer::Trainee).await?;
    PreferenceList::parse(trainer_ids, &rankable, MIN_PREFERENCES).map_err(|error| {
        ApiError::Validation(
            error
                .0
                .iter()
                .map(|problem| FieldError {
                    field: match problem {
                        RankingProblem::Duplicate { index, .. }
                        | RankingProblem::NotRankable { index, .. } => {
                            format!("trainer_ids[{index}]")
                        }
                        _ => "trainer_ids".to_owned(),
                    },
                    message: problem.to_string(),
                })
                .collect(),
        )
    })?;
    let now = Utc::now();
    let backend = state.db.get_database_backend();
    let mut statements: Vec<_> = rounds::locking_trainee(backend, round_id, me.id)
        .into_iter()
        .collect();
    statements.extend(steps::replacing_preferences(
        backend,
        round_id,
        me.id,
        trainer_ids,
        now,
    ));
    statements.push(audit::appending(
        backend,
        Entry::in_round(
            &round,
            principal.user_id,
            "preferences.submitted",
            format!("{} ranked {} trainers", me.name, trainer_ids.len()),
        ),
        now,
    ));
    state.write_turns.commit(&state.db, statements).await?;
    Ok(())
}

/// The calling trainee's preference list.
pub async fn my_preferences(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    // One query for a trainee of the round; the checks one by one for everyone else, to say
    // precisely why not.
    if principal.role == Role::Trainee
        && let Some(institute_id) = principal.institute_id
        && let Some(list) =
            steps::own_preferences(&state.db, round_id, institute_id, principal.user_id).await?
    {
        return Ok(list);
    }
    let round = round_for_participant(state, principal, round_id).await?;
    let (me, _) = me_as_trainee(state, principal, &round).await?;
    Ok(steps::preferences_of(&state.db, round_id, me.id).await?)
}

/// Every trainee's preferences, for coordinators: (trainee, list).
pub async fn round_preferences(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<(trainee::Model, Vec<Uuid>)>, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let all = steps::preferences(&state.db, round_id).await?;
    let mut out = Vec::new();
    for participant in rounds::trainees(&state.db, round_id).await? {
        if let Some(row) =
            people::find_trainee(&state.db, round.institute_id, participant.trainee_id).await?
        {
            let list = all
                .iter()
                .filter(|p| p.trainee_id == row.id)
                .map(|p| p.trainer_id)
                .collect();
            out.push((row, list));
        }
    }
    out.sort_by_key(|(trainee, _)| trainee.name.to_lowercase());
    Ok(out)
}

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
    let event = super::webhooks::Event::interview_proposal_published(
        round.institute_id,
        round.id,
        &state.public_url,
    );
    super::webhooks::emit(&txn, &event, now).await?;
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

/// One of the caller's interviews.
pub struct Counterpart {
    /// Trainee.
    pub trainee_id: Uuid,
    /// Trainer.
    pub trainer_id: Uuid,
    /// The other side's name.
    pub name: String,
    /// The other side's e-mail address.
    pub email: String,
    /// The trainer's practice.
    pub practice: Option<String>,
    /// Planned day.
    pub planned_on: Option<chrono::NaiveDate>,
    /// Held day.
    pub held_on: Option<chrono::NaiveDate>,
}

/// The caller's interview counterparts, by name.
pub async fn my_interviews(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<Counterpart>, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let interviews = steps::current_interviews(&state.db, round_id).await?;
    let not_in_round = || ApiError::NotFound("you do not take part in this round".to_owned());
    let mut out = Vec::new();
    match principal.role {
        Role::Trainee => {
            let me = steps::trainee_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            for interview in interviews.iter().filter(|i| i.trainee_id == me.id) {
                if let Some(trainer) =
                    people::find_trainer(&state.db, round.institute_id, interview.trainer_id)
                        .await?
                {
                    let practice = match trainer.practice_id {
                        Some(id) => people::find_practice(&state.db, round.institute_id, id)
                            .await?
                            .map(|p| format!("{}, {}", p.name, p.city)),
                        None => None,
                    };
                    out.push(Counterpart {
                        trainee_id: me.id,
                        trainer_id: trainer.id,
                        name: trainer.name,
                        email: trainer.email,
                        practice,
                        planned_on: interview.planned_on,
                        held_on: interview.held_on,
                    });
                }
            }
        }
        Role::Trainer => {
            let me = steps::trainer_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            for interview in interviews.iter().filter(|i| i.trainer_id == me.id) {
                if let Some(trainee) =
                    people::find_trainee(&state.db, round.institute_id, interview.trainee_id)
                        .await?
                {
                    out.push(Counterpart {
                        trainee_id: trainee.id,
                        trainer_id: me.id,
                        name: trainee.name,
                        email: trainee.email,
                        practice: None,
                        planned_on: interview.planned_on,
                        held_on: interview.held_on,
                    });
                }
            }
        }
        _ => {
            return Err(ApiError::Forbidden(
                "only trainees and trainers have interviews".to_owned(),
            ));
        }
    }
    out.sort_by_key(|counterpart| counterpart.name.to_lowercase());
    Ok(out)
}

/// The calling trainee records an interview as planned and/or held.
pub async fn record_interview(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainer_id: Uuid,
    planned_on: Option<chrono::NaiveDate>,
    held_on: Option<chrono::NaiveDate>,
) -> Result<(), ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (me, _) = me_as_trainee(state, principal, &round).await?;
    check_action(
        Action::RecordInterview,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    if let (Some(planned), Some(held)) = (planned_on, held_on)
        && held < planned
    {
        return Err(ApiError::field("held_on", "must not be before planned_on"));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    if !steps::update_interview(&txn, round_id, me.id, trainer_id, planned_on, held_on).await? {
        return Err(ApiError::NotFound(format!(
            "you have no interview with trainer '{trainer_id}'"
        )));
    }
    let day = |date: Option<chrono::NaiveDate>| date.map_or("-".to_owned(), |d| d.to_string());
    let summary = format!(
        "{} recorded an interview (planned {}, held {})",
        me.name,
        day(planned_on),
        day(held_on)
    );
    Entry::in_round(&round, principal.user_id, "interview.recorded", summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(())
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

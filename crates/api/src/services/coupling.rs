//! Step 3 and the coupling: final rankings, vetoes, coupling runs with the matcher, and the
//! publication of one run.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use koppel_api_types::{FieldError, Role};
use koppel_domain::{
    Action, FinalRanking, Phase, RankingProblem, RoundFacts, TraineeId, TrainerId, Veto, VetoError,
    VetoParty, check_action, check_transition, inadmissibility,
};
use koppel_matcher::coupling::{
    self, CouplingInput, CouplingOutput, CouplingTrainee, CouplingTrainer, Explanation, Objective,
    Pair,
};
use uuid::Uuid;

use super::rounds::{ROUND_WRITERS, get};
use super::steps::{round_for_participant, round_trainers, trainee_facts, trainer_facts};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::state::AppState;
use crate::store::anonymise::Person;
use crate::store::audit::Entry;
use crate::store::entities::{coupling_run, veto};
use crate::store::rounds::{self, Round};
use crate::store::{outbox, participants, people, steps};

/// Longest reason for a withdrawal or a manual coupling, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// The caller's side and record id in the round.
async fn me_in_round(
    state: &AppState,
    principal: &Principal,
    round: &Round,
) -> Result<(VetoParty, Uuid, String), ApiError> {
    let not_in_round = || ApiError::NotFound("you do not take part in this round".to_owned());
    match principal.role {
        Role::Trainee => {
            let me = steps::trainee_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            if !rounds::trainees(&state.db, round.id)
                .await?
                .iter()
                .any(|p| p.trainee_id == me.id)
            {
                return Err(not_in_round());
            }
            Ok((VetoParty::Trainee, me.id, me.name))
        }
        Role::Trainer => {
            let me = steps::trainer_of_user(&state.db, round.institute_id, principal.user_id)
                .await?
                .ok_or_else(not_in_round)?;
            if !rounds::trainers(&state.db, round.id)
                .await?
                .iter()
                .any(|p| p.trainer_id == me.id)
            {
                return Err(not_in_round());
            }
            Ok((VetoParty::Trainer, me.id, me.name))
        }
        _ => Err(ApiError::Forbidden(
            "only trainees and trainers take part in a round".to_owned(),
        )),
    }
}

fn side_name(party: VetoParty) -> &'static str {
    match party {
        VetoParty::Trainee => "trainee",
        VetoParty::Trainer => "trainer",
        VetoParty::System => "system",
    }
}

/// Submits or replaces the caller's final ranking of their interview counterparts.
pub async fn submit_final_ranking(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    ranks: &[(Uuid, u32)],
) -> Result<(), ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, name) = me_in_round(state, principal, &round).await?;
    check_action(
        Action::SubmitFinalRanking,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let interviewed: BTreeSet<Uuid> = steps::current_interviews(&state.db, round_id)
        .await?
        .into_iter()
        .filter_map(|i| match side {
            VetoParty::Trainee if i.trainee_id == me => Some(i.trainer_id),
            VetoParty::Trainer if i.trainer_id == me => Some(i.trainee_id),
            _ => None,
        })
        .collect();
    let ranking = FinalRanking::parse(ranks, &interviewed).map_err(|error| {
        let position = |id: &Uuid| ranks.iter().position(|(c, _)| c == id);
        ApiError::Validation(
            error
                .0
                .iter()
                .map(|problem| FieldError {
                    field: match problem {
                        RankingProblem::Duplicate { index, .. }
                        | RankingProblem::NotRankable { index, .. } => {
                            format!("ranks[{index}].counterpart_id")
                        }
                        RankingProblem::RankOutOfRange { id, .. } => {
                            position(id).map_or("ranks".to_owned(), |i| format!("ranks[{i}].rank"))
                        }
                        _ => "ranks".to_owned(),
                    },
                    message: problem.to_string(),
                })
                .collect(),
        )
    })?;
    let _turn = state.write_turns.take().await;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    match side {
        VetoParty::Trainee => rounds::lock_trainee(&txn, round_id, me).await?,
        VetoParty::Trainer => rounds::lock_trainer(&txn, round_id, me).await?,
        VetoParty::System => {}
    }
    steps::replace_final_ranking(&txn, round_id, side_name(side), me, ranking.in_order(), now)
        .await?;
    Entry::in_round(
        &round,
        principal.user_id,
        "final_ranking.submitted",
        format!(
            "{name} submitted a final ranking of {}",
            ranking.in_order().len()
        ),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The caller's final ranking, rank 1 first.
pub async fn my_final_ranking(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, _) = me_in_round(state, principal, &round).await?;
    Ok(steps::final_rankings(&state.db, round_id)
        .await?
        .into_iter()
        .filter(|r| r.side == side_name(side) && r.ranker_id == me)
        .map(|r| r.counterpart_id)
        .collect())
}

/// Declares a veto; refused reasons get an error that explains the policy.
pub async fn declare_veto(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    request: &koppel_api_types::VetoRequest,
) -> Result<veto::Model, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, name) = me_in_round(state, principal, &round).await?;
    check_action(
        Action::DeclareVeto,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let (trainee, trainer) = match side {
        VetoParty::Trainee => (me, request.counterpart_id),
        _ => (request.counterpart_id, me),
    };
    let in_round = match side {
        VetoParty::Trainee => rounds::trainers(&state.db, round_id)
            .await?
            .iter()
            .any(|p| p.trainer_id == trainer),
        _ => rounds::trainees(&state.db, round_id)
            .await?
            .iter()
            .any(|p| p.trainee_id == trainee),
    };
    if !in_round {
        return Err(ApiError::field(
            "counterpart_id",
            "this person does not take part in the round",
        ));
    }
    let veto = Veto::declare(
        TraineeId(trainee),
        TrainerId(trainer),
        side,
        &request.category,
        request.relationship.as_deref(),
        request.note.as_deref(),
    )
    .map_err(|error| {
        let field = match error {
            VetoError::MissingRelationship | VetoError::UnknownRelationship(_) => "relationship",
            VetoError::NoteTooLong { .. } => "note",
            _ => "category",
        };
        ApiError::field(field, error)
    })?;
    let (category, relationship) = match veto.reason {
        koppel_domain::VetoReason::PersonalRelationship(kind) => (
            "personal_relationship",
            Some(match kind {
                koppel_domain::Relationship::Family => "family",
                koppel_domain::Relationship::OwnGp => "own_gp",
                koppel_domain::Relationship::OtherPersonalTie => "other_personal_tie",
            }),
        ),
        koppel_domain::VetoReason::PreviousTrainer => ("previous_trainer", None),
    };
    let now = Utc::now();
    let row = veto::Model {
        id: Uuid::new_v4(),
        round_id,
        trainee_id: trainee,
        trainer_id: trainer,
        declared_by: side_name(side).to_owned(),
        category: category.to_owned(),
        relationship: relationship.map(str::to_owned),
        note: veto.note.clone(),
        actor_id: principal.user_id,
        created_at: now,
    };
    let txn = crate::store::begin(&state.db).await?;
    steps::insert_veto(&txn, row.clone()).await?;
    Entry::in_round(
        &round,
        principal.user_id,
        "veto.declared",
        format!("{name} declared a veto ({category})"),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Vetoes of a round, for coordinators.
pub async fn vetoes(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<veto::Model>, ApiError> {
    get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    Ok(steps::vetoes(&state.db, round_id).await?)
}

/// Builds the matcher input from the final rankings, vetoes and the coupling rules.
async fn coupling_input(
    state: &AppState,
    round: &Round,
    objective: Objective,
    keep: &[crate::store::entities::coupling::Model],
) -> Result<CouplingInput, ApiError> {
    let rankings = steps::final_rankings(&state.db, round.id).await?;
    let vetoes = steps::vetoes(&state.db, round.id).await?;
    let trainers = round_trainers(state, round).await?;
    let list = |side: &str, ranker: Uuid| -> Vec<String> {
        rankings
            .iter()
            .filter(|r| r.side == side && r.ranker_id == ranker)
            .map(|r| r.counterpart_id.to_string())
            .collect()
    };
    let mut forbidden: Vec<Pair> = vetoes
        .iter()
        .map(|v| Pair {
            trainee: v.trainee_id.to_string(),
            trainer: v.trainer_id.to_string(),
        })
        .collect();
    let mut trainees = Vec::new();
    for participant in
        participants::trainees_of_round(&state.db, round.id, round.institute_id).await?
    {
        // Kept couplings stay as published: those trainees are not re-coupled.
        if keep.iter().any(|c| c.trainee_id == participant.trainee.id) {
            continue;
        }
        let facts = participant.facts();
        let row = participant.trainee;
        for (trainer, _) in &trainers {
            if !inadmissibility(&facts, &trainer_facts(trainer), &[]).is_empty() {
                forbidden.push(Pair {
                    trainee: row.id.to_string(),
                    trainer: trainer.id.to_string(),
                });
            }
        }
        trainees.push(CouplingTrainee {
            id: row.id.to_string(),
            ranking: list("trainee", row.id),
        });
    }
    // Rankings may name people who withdrew or whose coupling is kept: leave those out, so
    // the instance only speaks of the participants it couples.
    let included: std::collections::HashSet<String> =
        trainees.iter().map(|t| t.id.clone()).collect();
    let trainer_ids: std::collections::HashSet<String> =
        trainers.iter().map(|(t, _)| t.id.to_string()).collect();
    for trainee in &mut trainees {
        trainee
            .ranking
            .retain(|trainer| trainer_ids.contains(trainer));
    }
    forbidden
        .retain(|pair| included.contains(&pair.trainee) && trainer_ids.contains(&pair.trainer));
    Ok(CouplingInput {
        trainees,
        trainers: trainers
            .iter()
            .map(|(t, capacity)| CouplingTrainer {
                id: t.id.to_string(),
                capacity: capacity
                    .saturating_sub(keep.iter().filter(|c| c.trainer_id == t.id).count() as u32),
                ranking: list("trainer", t.id)
                    .into_iter()
                    .filter(|trainee| included.contains(trainee))
                    .collect(),
            })
            .collect(),
        forbidden,
        objective,
        explain: true,
    })
}

/// Runs the matcher on the round's final rankings and stores input and result.
pub async fn create_run(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    objective: Option<&str>,
    keep_published: bool,
) -> Result<(coupling_run::Model, CouplingOutput), ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    check_action(
        Action::RunCoupling,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)?;
    let objective = match objective.unwrap_or("total") {
        "total" => Objective::Total,
        "minimax" => Objective::Minimax,
        other => {
            return Err(ApiError::field(
                "objective",
                format!("'{other}' is not an objective: use total or minimax"),
            ));
        }
    };
    // Couplings that stand are kept out of the run: manual ones before the first publication,
    // published ones afterwards unless the coordinator asks to re-couple everyone.
    let keep = if round.phase == Phase::Published && !keep_published {
        Vec::new()
    } else {
        steps::couplings(&state.db, round_id).await?
    };
    let input = coupling_input(state, &round, objective, &keep).await?;
    let input_json =
        serde_json::to_string(&input).map_err(|error| ApiError::Internal(error.into()))?;
    crate::solving::check_coupling(&input)?;
    let output = state
        .solvers
        .run(move |limit| coupling::solve_within(&input, limit))
        .await?
        .map_err(|error| match error {
            coupling::CouplingError::Solver(error) => {
                crate::solving::solve_failed(error, "the coupling")
            }
            other => ApiError::Internal(anyhow::Error::new(other).context("the coupling failed")),
        })?;
    // Microseconds, as PostgreSQL stores them: the answer equals what is read back later.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
    let row = coupling_run::Model {
        id: Uuid::new_v4(),
        round_id,
        objective: if objective == Objective::Total {
            "total"
        } else {
            "minimax"
        }
        .to_owned(),
        input: input_json,
        output: serde_json::to_string(&output).map_err(|error| ApiError::Internal(error.into()))?,
        matched: output.matched as i32,
        total_rank: output.total_rank as i64,
        created_by: principal.user_id,
        created_at: now,
        published_at: None,
    };
    let txn = crate::store::begin(&state.db).await?;
    steps::insert_run(&txn, row.clone()).await?;
    let summary = format!(
        "coupling run ({}): {} coupled, total rank {}, {} blocking pairs",
        row.objective,
        output.matched,
        output.total_rank,
        output.blocking_pairs.len()
    );
    Entry::in_round(&round, principal.user_id, "coupling.run", summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    Ok((row, output))
}

/// Coupling runs of a round, to compare.
pub async fn runs(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<coupling_run::Model>, ApiError> {
    get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    Ok(steps::runs(&state.db, round_id).await?)
}

/// A stored run's outcome.
pub(crate) fn output_of(run: &coupling_run::Model) -> Result<CouplingOutput, ApiError> {
    serde_json::from_str(&run.output).map_err(|error| ApiError::Internal(error.into()))
}

/// One run of a round with its outcome, and the round (coordinators; 404 for a run of another
/// round or institute).
pub async fn run(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    run_id: Uuid,
) -> Result<(Round, coupling_run::Model, CouplingOutput), ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let row = steps::runs(&state.db, round_id)
        .await?
        .into_iter()
        .find(|row| row.id == run_id)
        .ok_or_else(|| ApiError::NotFound(format!("coupling run '{run_id}' does not exist")))?;
    let output = output_of(&row)?;
    Ok((round, row, output))
}

/// Publishes a run: stores its couplings, moves the round to `published` and mails everyone.
pub async fn publish_run(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    run_id: Uuid,
) -> Result<usize, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let run = steps::runs(&state.db, round_id)
        .await?
        .into_iter()
        .find(|r| r.id == run_id)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "coupling run '{run_id}' does not exist in this round"
            ))
        })?;
    let (trainees, trainers) = super::rounds::participant_counts(state, round_id).await?;
    let facts = RoundFacts {
        trainees: trainees as usize,
        trainers: trainers as usize,
        interview_proposal_published: true,
        coupling_run_chosen: true,
        schedule: Some(round.schedule),
    };
    // A run couples the trainees of its input (its scope) and leaves every other coupling as it
    // is: those were kept when it was computed (published couplings in a re-run after drop-outs,
    // manual couplings before the first publication). Publishing replaces the scope's couplings.
    let republish = round.phase == Phase::Published;
    if !republish {
        check_transition(round.phase, Phase::Published, &facts)
            .map_err(|error| ApiError::Conflict(error.to_string()))?;
    }
    let output = output_of(&run)?;
    let input: CouplingInput =
        serde_json::from_str(&run.input).map_err(|error| ApiError::Internal(error.into()))?;
    let parse = |id: &str| {
        id.parse::<Uuid>()
            .map_err(|error| ApiError::Internal(error.into()))
    };
    let mut pairs = Vec::new();
    for assignment in &output.assignments {
        pairs.push((parse(&assignment.trainee)?, parse(&assignment.trainer)?));
    }
    let scope = input
        .trainees
        .iter()
        .map(|t| parse(&t.id))
        .collect::<Result<std::collections::HashSet<Uuid>, _>>()?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    rounds::lock(&txn, round_id).await?;
    let current = steps::couplings(&txn, round_id).await?;
    check_still_valid(&txn, &round, &run, &scope, &pairs, &current).await?;
    if !republish && !rounds::set_phase(&txn, round_id, round.phase, Phase::Published, now).await? {
        return Err(ApiError::Conflict(
            "the round changed phase meanwhile; reload and try again".to_owned(),
        ));
    }
    let before: HashMap<Uuid, Uuid> = current
        .iter()
        .filter(|c| scope.contains(&c.trainee_id))
        .map(|c| (c.trainee_id, c.trainer_id))
        .collect();
    for trainee in before.keys() {
        steps::dissolve_couplings(&txn, round_id, Some(*trainee), None).await?;
    }
    steps::insert_couplings(&txn, round_id, run_id, &pairs, principal.user_id, now).await?;
    if !steps::mark_run_published(&txn, run_id, now).await? {
        return Err(ApiError::Conflict(
            "this run is published already".to_owned(),
        ));
    }
    // The couplings become history: the next rounds' rules read it.
    super::history::sync_round(&txn, &round, Phase::Published).await?;
    // Who hears of it: everyone at the first publication; afterwards only those whose coupling
    // changed. Each mail lists all of the person's couplings as they now stand.
    let after: HashMap<Uuid, Uuid> = pairs.iter().copied().collect();
    let mut changed: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
    for trainee in &scope {
        let (old, new) = (before.get(trainee), after.get(trainee));
        if old != new {
            changed.insert(*trainee);
            changed.extend(old.copied());
            changed.extend(new.copied());
        }
    }
    let mails = result_mails(&txn, &round, |id| !republish || changed.contains(id)).await?;
    for mail in &mails {
        outbox::enqueue(&txn, Some(round.institute_id), mail, now).await?;
    }
    Entry::in_round(
        &round,
        principal.user_id,
        "coupling.published",
        format!(
            "run {run_id} published: {} couplings, {} mails",
            pairs.len(),
            mails.len()
        ),
    )
    .append(&txn, now)
    .await?;
    let event = super::webhooks::Event::coupling_published(
        round.institute_id,
        round.id,
        run_id,
        &state.public_url,
    );
    super::webhooks::emit(&txn, &event, now).await?;
    if !republish {
        let event = super::webhooks::Event::round_phase_changed(
            round.institute_id,
            round.id,
            round.phase,
            Phase::Published,
            "coordinator",
            &state.public_url,
        );
        super::webhooks::emit(&txn, &event, now).await?;
    }
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    Ok(pairs.len())
}

/// Refuses to publish a run the round has moved past: published already, or computed before a
/// withdrawal, a veto or a manual coupling that concerns it, or one that would overfill a
/// trainer next to the couplings it keeps. The answer says what changed; a new run fixes it.
async fn check_still_valid(
    txn: &sea_orm::DatabaseTransaction,
    round: &Round,
    run: &coupling_run::Model,
    scope: &std::collections::HashSet<Uuid>,
    pairs: &[(Uuid, Uuid)],
    current: &[crate::store::entities::coupling::Model],
) -> Result<(), ApiError> {
    let stale = |what: String| {
        ApiError::Conflict(format!(
            "{what} after this run was computed: compute a new run and publish that"
        ))
    };
    if run.published_at.is_some() || current.iter().any(|c| c.run_id == Some(run.id)) {
        return Err(ApiError::Conflict(
            "this run is published already".to_owned(),
        ));
    }
    let trainee_name = |id: Uuid| async move {
        Ok::<String, ApiError>(
            people::find_trainee(txn, round.institute_id, id)
                .await?
                .map_or_else(|| id.to_string(), |t| t.name),
        )
    };
    let trainer_name = |id: Uuid| async move {
        Ok::<String, ApiError>(
            people::find_trainer(txn, round.institute_id, id)
                .await?
                .map_or_else(|| id.to_string(), |t| t.name),
        )
    };
    let (trainees, _) = rounds::participant_ids(txn, round.id).await?;
    let capacities: HashMap<Uuid, u32> = rounds::trainers(txn, round.id)
        .await?
        .iter()
        .map(|p| (p.trainer_id, p.capacity.max(0) as u32))
        .collect();
    for (trainee, trainer) in pairs {
        if !trainees.contains(trainee) {
            return Err(stale(format!("{} withdrew", trainee_name(*trainee).await?)));
        }
        if !capacities.contains_key(trainer) {
            return Err(stale(format!("{} withdrew", trainer_name(*trainer).await?)));
        }
    }
    if let Some(manual) = current.iter().find(|c| {
        scope.contains(&c.trainee_id) && c.run_id.is_none() && c.created_at > run.created_at
    }) {
        return Err(stale(format!(
            "{} was coupled by hand",
            trainee_name(manual.trainee_id).await?
        )));
    }
    let vetoes = steps::vetoes(txn, round.id).await?;
    if let Some((trainee, trainer)) = pairs.iter().find(|(trainee, trainer)| {
        vetoes
            .iter()
            .any(|v| v.trainee_id == *trainee && v.trainer_id == *trainer)
    }) {
        return Err(stale(format!(
            "a veto between {} and {} was declared",
            trainee_name(*trainee).await?,
            trainer_name(*trainer).await?
        )));
    }
    let mut load: HashMap<Uuid, u32> = HashMap::new();
    for coupling in current.iter().filter(|c| !scope.contains(&c.trainee_id)) {
        *load.entry(coupling.trainer_id).or_default() += 1;
    }
    for (_, trainer) in pairs {
        *load.entry(*trainer).or_default() += 1;
    }
    for (trainer, count) in load {
        let capacity = capacities.get(&trainer).copied().unwrap_or(0);
        if count > capacity && pairs.iter().any(|(_, t)| *t == trainer) {
            return Err(stale(format!(
                "{} has {capacity} place(s) but would get {count} trainees: their couplings changed",
                trainer_name(trainer).await?
            )));
        }
    }
    Ok(())
}

/// The caller's published coupling, with the matcher's explanation for trainees.
pub async fn my_coupling(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<koppel_api_types::MyCouplingResponse, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, _) = me_in_round(state, principal, &round).await?;
    let couplings = steps::couplings(&state.db, round_id).await?;
    let all_mine: Vec<_> = couplings
        .iter()
        .filter(|c| match side {
            VetoParty::Trainee => c.trainee_id == me,
            _ => c.trainer_id == me,
        })
        .collect();
    let mine = all_mine.first().copied();
    // The published run: the caller's own coupling's, or any other's when uncoupled.
    let run_id = mine
        .map(|c| c.run_id)
        .unwrap_or_else(|| couplings.iter().find_map(|c| c.run_id));
    let explanation = match (side, run_id) {
        (VetoParty::Trainee, Some(run_id)) => steps::runs(&state.db, round_id)
            .await?
            .into_iter()
            .find(|r| r.id == run_id)
            .and_then(|run| serde_json::from_str::<CouplingOutput>(&run.output).ok())
            .and_then(|output| {
                output
                    .explanations
                    .into_iter()
                    .find(|e| e.trainee == me.to_string())
            }),
        _ => None,
    };
    let mut alternatives = Vec::new();
    for (trainer, rank) in explanation.iter().flat_map(trainee_side) {
        let trainer_name = match trainer.parse::<Uuid>() {
            Ok(id) => people::find_trainer(&state.db, round.institute_id, id)
                .await?
                .map(|t| t.name),
            Err(_) => None,
        }
        .unwrap_or_else(|| trainer.to_owned());
        alternatives.push(koppel_api_types::CouplingAlternative { trainer_name, rank });
    }
    if mine.is_none() {
        return Ok(koppel_api_types::MyCouplingResponse {
            coupled: false,
            name: None,
            email: None,
            explanation: (!alternatives.is_empty()).then(|| explain(None, None, &alternatives)),
            rank: None,
            alternatives,
            counterparts: Vec::new(),
        });
    }
    let side_name = match side {
        VetoParty::Trainee => "trainee",
        _ => "trainer",
    };
    let rankings = steps::final_rankings(&state.db, round_id).await?;
    let mut counterparts = Vec::new();
    for coupling in &all_mine {
        let counterpart = match side {
            VetoParty::Trainee => coupling.trainer_id,
            _ => coupling.trainee_id,
        };
        let rank = rankings
            .iter()
            .find(|r| r.side == side_name && r.ranker_id == me && r.counterpart_id == counterpart)
            .and_then(|r| u32::try_from(r.rank).ok());
        let found = match side {
            VetoParty::Trainee => people::find_trainer(&state.db, round.institute_id, counterpart)
                .await?
                .map(|t| (t.name, t.email)),
            _ => people::find_trainee(&state.db, round.institute_id, counterpart)
                .await?
                .map(|t| (t.name, t.email)),
        };
        if let Some((name, email)) = found {
            counterparts.push(koppel_api_types::Counterpart { name, email, rank });
        }
    }
    let first = counterparts.first();
    let (name, email, rank) = (
        first.map(|c| c.name.clone()),
        first.map(|c| c.email.clone()),
        first.and_then(|c| c.rank),
    );
    let explanation = explanation
        .is_some()
        .then(|| explain(name.as_deref(), rank, &alternatives));
    Ok(koppel_api_types::MyCouplingResponse {
        coupled: true,
        name,
        email,
        explanation,
        rank,
        alternatives,
        counterparts,
    })
}

/// What a trainee may learn from the matcher's explanation: the trainers they ranked higher than
/// what they got, with their own rank. Nothing else: whether a pair was possible and what it
/// would have cost the group are computed from trainers' rankings and vetoes.
fn trainee_side(explanation: &Explanation) -> impl Iterator<Item = (&str, u32)> {
    explanation
        .alternatives
        .iter()
        .map(|alternative| (alternative.trainer.as_str(), alternative.trainee_rank))
}

/// A trainee's explanation in words, with names: their better choices, and that the best coupling
/// for the whole group decided.
fn explain(
    trainer: Option<&str>,
    rank: Option<u32>,
    alternatives: &[koppel_api_types::CouplingAlternative],
) -> String {
    let mut text = match (trainer, rank) {
        (Some(trainer), Some(rank)) => format!("You are coupled to {trainer}, your choice {rank}."),
        (Some(trainer), None) => format!("You are coupled to {trainer}."),
        _ => "You are not coupled.".to_owned(),
    };
    if !alternatives.is_empty() {
        let choices: Vec<String> = alternatives
            .iter()
            .map(|a| format!("{} (your choice {})", a.trainer_name, a.rank))
            .collect();
        text.push_str(&format!(
            " You ranked higher: {}. Koppel computes the best coupling for the whole group at \
             once, with everyone's rankings and the coupling rules; that coupling did not give you \
             a higher choice.",
            choices.join(", ")
        ));
    }
    text
}

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
    super::history::sync_round(&txn, &round, round.phase).await?;
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
    let event = super::webhooks::Event::participant_withdrawn(
        round.institute_id,
        round.id,
        kind,
        participant_id,
        &state.public_url,
    );
    super::webhooks::emit(&txn, &event, now).await?;
    txn.commit().await?;
    Ok(uncoupled)
}

/// The result mails, as the round's couplings now stand, of the participants `to` selects: each
/// names all of its reader's counterparts ("not coupled" when there are none).
async fn result_mails(
    txn: &sea_orm::DatabaseTransaction,
    round: &Round,
    to: impl Fn(&Uuid) -> bool,
) -> Result<Vec<mail::Mail>, ApiError> {
    let couplings: Vec<(Uuid, Uuid)> = steps::couplings(txn, round.id)
        .await?
        .iter()
        .map(|c| (c.trainee_id, c.trainer_id))
        .collect();
    let contacts = participants::contacts_of_round(txn, round.id, round.institute_id).await?;
    Ok(contacts
        .with_counterparts(&couplings)
        .into_iter()
        .filter(|(id, _, _)| to(id))
        .map(|(_, contact, counterparts)| {
            mail::coupling_result(
                contact.locale,
                &contact.email,
                &contact.name,
                &round.key,
                &counterparts,
            )
        })
        .collect())
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
    let vetoes = super::steps::domain_vetoes(state, round_id).await?;
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
    let couplings = steps::couplings(&state.db, round_id).await?;
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
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    rounds::lock(&txn, round_id).await?;
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
    super::history::sync_round(&txn, &round, round.phase).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Three trainees and three trainers; only trainer Y's order of b and c differs between the
    /// two instances.
    fn three_trainee_round(y_ranks: [&str; 3]) -> CouplingOutput {
        let strings = |ids: &[&str]| ids.iter().map(|id| (*id).to_owned()).collect::<Vec<_>>();
        let input = CouplingInput {
            trainees: [
                ("a", ["X", "Y", "Z"]),
                ("b", ["X", "Y", "Z"]),
                ("c", ["X", "Z", "Y"]),
            ]
            .into_iter()
            .map(|(id, ranking)| CouplingTrainee {
                id: id.to_owned(),
                ranking: strings(&ranking),
            })
            .collect(),
            trainers: [
                ("X", ["a", "b", "c"]),
                ("Y", y_ranks),
                ("Z", ["a", "b", "c"]),
            ]
            .into_iter()
            .map(|(id, ranking)| CouplingTrainer {
                id: id.to_owned(),
                capacity: 1,
                ranking: strings(&ranking),
            })
            .collect(),
            forbidden: Vec::new(),
            objective: Objective::Total,
            explain: true,
        };
        coupling::solve(&input).unwrap()
    }

    fn explanation_of_a(output: &CouplingOutput) -> &Explanation {
        output
            .explanations
            .iter()
            .find(|e| e.trainee == "a")
            .unwrap()
    }

    #[test]
    fn a_trainees_explanation_does_not_depend_on_how_trainers_ranked() {
        let first = three_trainee_round(["a", "b", "c"]);
        let second = three_trainee_round(["a", "c", "b"]);
        let (first, second) = (explanation_of_a(&first), explanation_of_a(&second));
        // Trainee a gets Y, their second choice, in both rounds ...
        assert_eq!(first.trainee_rank, Some(2));
        assert_eq!(second.trainee_rank, Some(2));
        // ... and the matcher's own figures differ: the old "worse for the group" flag told a how
        // trainer Y ordered b and c.
        let worse = |e: &Explanation| {
            e.alternatives
                .iter()
                .map(|a| a.total_rank_change > 0 || a.worst_rank_change > 0)
                .collect::<Vec<_>>()
        };
        assert_ne!(worse(first), worse(second));

        // What a is told is the same in both.
        let told = |e: &Explanation| {
            let alternatives: Vec<_> = trainee_side(e)
                .map(|(trainer, rank)| koppel_api_types::CouplingAlternative {
                    trainer_name: trainer.to_owned(),
                    rank,
                })
                .collect();
            let text = explain(Some("Y"), e.trainee_rank, &alternatives);
            (alternatives, text)
        };
        assert_eq!(told(first), told(second));
        let (alternatives, text) = told(first);
        assert_eq!(
            alternatives,
            [koppel_api_types::CouplingAlternative {
                trainer_name: "X".to_owned(),
                rank: 1
            }]
        );
        assert!(text.contains("X (your choice 1)"), "{text}");
    }
}

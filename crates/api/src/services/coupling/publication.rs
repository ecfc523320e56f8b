//! Publishing a run: its couplings replace those they overtake, become history, and are mailed.

use std::collections::HashMap;

use chrono::Utc;
use koppel_domain::{Phase, RoundFacts, check_transition};
use koppel_matcher::coupling::CouplingInput;
use uuid::Uuid;

use super::runs::output_of;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::services::rounds::{ROUND_WRITERS, get};
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::entities::coupling_run;
use crate::store::rounds::{self, Round};
use crate::store::{outbox, participants, people, steps};

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
    let (trainees, trainers) = crate::services::rounds::participant_counts(state, round_id).await?;
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
    crate::services::history::sync_round(&txn, &round, Phase::Published).await?;
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
    let event = crate::services::webhooks::Event::coupling_published(
        round.institute_id,
        round.id,
        run_id,
        &state.public_url,
    );
    crate::services::webhooks::emit(&txn, &event, now).await?;
    if !republish {
        let event = crate::services::webhooks::Event::round_phase_changed(
            round.institute_id,
            round.id,
            round.phase,
            Phase::Published,
            "coordinator",
            &state.public_url,
        );
        crate::services::webhooks::emit(&txn, &event, now).await?;
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

/// The result mails, as the round's couplings now stand, of the participants `to` selects: each
/// names all of its reader's counterparts ("not coupled" when there are none).
pub(super) async fn result_mails(
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

//! Coupling rounds: creation from the domain calendar, guarded phase changes, and the
//! participants the A-team and O-team add.

use std::collections::HashMap;

use chrono::Utc;
use koppel_api_types::Locale;
use koppel_api_types::{CreateRoundRequest, Role};
use koppel_domain::{
    Action, CalendarError, Curriculum, PartTimeFactor, Phase, RoundFacts, RoundKey, TrainerFacts,
    TrainingYear, check_action, check_transition, continuity_order,
};
use koppel_domain::{DisplayName, EmailAddress};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::institutes::{Invitation, create_invited};
use super::people::{READERS, TRAINEE_WRITERS, TRAINER_WRITERS, access};
use super::webhooks::Event;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail::{self, Mail};
use crate::state::AppState;
use crate::store::audit::{self, Entry};
use crate::store::entities::{audit_entry, trainee, trainer, trainer_availability};
use crate::store::people;
use crate::store::rounds::{self, Round, start_month_from};
use crate::store::{outbox, steps, users};

/// Who may create rounds and change their phase: both coordinator teams.
pub const ROUND_WRITERS: [Role; 4] = [
    Role::Admin,
    Role::TraineeTeam,
    Role::TrainerTeam,
    Role::Integration,
];

/// Largest capacity of a trainer in one round.
pub const MAX_CAPACITY: u32 = 4;

fn calendar_field(error: &CalendarError) -> &'static str {
    match error {
        CalendarError::NotAStartMonth(_) => "start_month",
        CalendarError::YearNotServed { .. } | CalendarError::NoTrainingYears => "training_years",
        CalendarError::YearOutOfRange(_) => "start_year",
        CalendarError::DeadlinesOutOfOrder { later, .. } => match *later {
            "the profiles deadline" => "profiles_deadline",
            "the preferences deadline" => "preferences_deadline",
            _ => "final_ranking_deadline",
        },
        CalendarError::NoSchedule => "schedule",
    }
}

/// Creates a round in `draft` with the default schedule and any overrides.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    request: &CreateRoundRequest,
) -> Result<Round, ApiError> {
    access(state, principal, institute_id, &ROUND_WRITERS).await?;
    let month = start_month_from(&request.start_month).ok_or_else(|| {
        ApiError::field(
            "start_month",
            format!(
                "'{}' is not a placement start month: use march, june, september or december",
                request.start_month
            ),
        )
    })?;
    let years = match &request.training_years {
        None => month.training_years().to_vec(),
        Some(years) => years
            .iter()
            .map(|year| match year {
                1 => Ok(TrainingYear::One),
                3 => Ok(TrainingYear::Three),
                other => Err(ApiError::field(
                    "training_years",
                    format!("{other} is not a practice year: rounds couple year 1 and year 3"),
                )),
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    let key = RoundKey::with_years(month, request.start_year, &years)
        .map_err(|error| ApiError::field(calendar_field(&error), error))?;
    let schedule = key
        .default_schedule()
        .with_overrides(
            request.profiles_deadline,
            request.preferences_deadline,
            request.final_ranking_deadline,
        )
        .map_err(|error| ApiError::field(calendar_field(&error), error))?;
    if rounds::exists(&state.db, institute_id, &key).await? {
        return Err(ApiError::Conflict(format!(
            "the institute already has a round for {} {}",
            month,
            key.year()
        )));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let mut round = rounds::insert(&txn, institute_id, &key, &schedule, now).await?;
    // Created after its opening day, a round would open as soon as its first participants are
    // in: it starts held, and its coordinators let the calendar run when they are ready.
    if koppel_domain::timetable::starts_held(&schedule, koppel_domain::dutch_date(now)) {
        rounds::set_held(&txn, round.id, true, now).await?;
        round.held = true;
    }
    Entry::in_round(
        &round,
        principal.user_id,
        "round.created",
        format!(
            "round for {} {} created (process {} to {})",
            month,
            key.year(),
            schedule.opens,
            schedule.final_ranking_deadline
        ),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(round)
}

/// One round, for readers of its institute (404 for other institutes).
pub async fn get(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Round, ApiError> {
    let round = of_callers_institute(state, principal, round_id).await?;
    principal.require_role(&READERS)?;
    Ok(round)
}

/// One round of the caller's institute, whatever their role there (404 otherwise, also for
/// other institutes).
pub(crate) async fn of_callers_institute(
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

/// Rounds of an institute.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<Round>, ApiError> {
    access(state, principal, institute_id, &READERS).await?;
    Ok(rounds::list(&state.db, institute_id).await?)
}

/// Rounds the caller takes part in as trainee or trainer (not withdrawn), latest placement
/// first; empty for other roles and for accounts not linked to a trainee or trainer.
pub async fn mine(state: &AppState, principal: &Principal) -> Result<Vec<Round>, ApiError> {
    let Some(institute_id) = principal.institute_id else {
        return Ok(Vec::new());
    };
    let (trainee, trainer) = match principal.role {
        Role::Trainee => (
            steps::trainee_of_user(&state.db, institute_id, principal.user_id)
                .await?
                .map(|t| t.id),
            None,
        ),
        Role::Trainer => (
            None,
            steps::trainer_of_user(&state.db, institute_id, principal.user_id)
                .await?
                .map(|t| t.id),
        ),
        _ => (None, None),
    };
    Ok(rounds::of_participant(&state.db, trainee, trainer).await?)
}

/// Numbers of trainees and trainers taking part.
pub async fn participant_counts(state: &AppState, round_id: Uuid) -> Result<(u64, u64), ApiError> {
    Ok((
        rounds::trainees(&state.db, round_id).await?.len() as u64,
        rounds::trainers(&state.db, round_id).await?.len() as u64,
    ))
}

/// What the guards of a plain phase change (by a coordinator or by the calendar) need to know.
pub(crate) async fn transition_facts(
    db: &sea_orm::DatabaseConnection,
    round: &Round,
) -> Result<RoundFacts, ApiError> {
    Ok(RoundFacts {
        trainees: rounds::trainees(db, round.id).await?.len(),
        trainers: rounds::trainers(db, round.id).await?.len(),
        interview_proposal_published: super::steps::proposal_published(db, round.id).await?,
        // `published` is reached by publishing a coupling run, never by a plain transition.
        coupling_run_chosen: false,
        schedule: Some(round.schedule),
    })
}

/// Moves a round to another phase, if the domain guards allow it.
pub async fn transition(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    to: &str,
) -> Result<Round, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let to = [
        Phase::Draft,
        Phase::Profiles,
        Phase::Preferences,
        Phase::Interviews,
        Phase::Coupling,
        Phase::Published,
        Phase::Closed,
        Phase::Cancelled,
    ]
    .into_iter()
    .find(|phase| phase.as_str() == to)
    .ok_or_else(|| ApiError::field("to", format!("'{to}' is not a phase")))?;
    let facts = transition_facts(&state.db, &round).await?;
    check_transition(round.phase, to, &facts)
        .map_err(|error| ApiError::Conflict(error.to_string()))?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    if !rounds::set_phase(&txn, round_id, round.phase, to, now).await? {
        return Err(ApiError::Conflict(
            "the round changed phase meanwhile; reload and try again".to_owned(),
        ));
    }
    Entry::in_round(
        &round,
        principal.user_id,
        "round.phase_changed",
        format!("phase {} -> {}", round.phase, to),
    )
    .append(&txn, now)
    .await?;
    let event = Event::round_phase_changed(
        round.institute_id,
        round.id,
        round.phase,
        to,
        "coordinator",
        &state.public_url,
    );
    super::webhooks::emit(&txn, &event, now).await?;
    txn.commit().await?;
    let round = Round { phase: to, ..round };
    // The step's "opened" mails go now; if this fails, the calendar's next tick sends them.
    if let Err(error) = super::timetable::announce(&state.db, &round, &state.public_url, now).await
    {
        tracing::warn!(%error, %round_id, "the step's opening mails wait for the next tick");
    }
    Ok(round)
}

/// Holds a round's calendar or lets it run again.
pub async fn hold(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    held: bool,
) -> Result<Round, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    if round.phase.is_final() {
        return Err(ApiError::Conflict(format!(
            "the round is {}: its calendar has nothing left to do",
            round.phase
        )));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    rounds::set_held(&txn, round_id, held, now).await?;
    Entry::in_round(
        &round,
        principal.user_id,
        if held { "round.held" } else { "round.released" },
        if held {
            "calendar held: no step opens by date, no reminders".to_owned()
        } else {
            "calendar running again".to_owned()
        },
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(Round { held, ..round })
}

fn curriculum(row: &trainee::Model) -> Option<Curriculum> {
    let factor = PartTimeFactor::parse(row.part_time_factor).ok()?;
    Curriculum::new(
        row.training_start,
        factor,
        u32::try_from(row.leave_days).ok()?,
    )
    .ok()
}

/// Trainees of the institute due for the round, with the year and whether already added.
pub async fn due_trainees(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<(trainee::Model, TrainingYear, bool)>, ApiError> {
    let round = get(state, principal, round_id).await?;
    let added: Vec<Uuid> = rounds::trainees(&state.db, round_id)
        .await?
        .into_iter()
        .map(|r| r.trainee_id)
        .collect();
    let (all, _) = people::list_trainees(&state.db, round.institute_id, None, None).await?;
    Ok(all
        .into_iter()
        .filter_map(|row| {
            let year = curriculum(&row)?.due_for(&round.key)?;
            let is_added = added.contains(&row.id);
            Some((row, year, is_added))
        })
        .collect())
}

/// A trainer eligible for a year a round couples.
pub struct CandidateTrainer {
    /// The trainer.
    pub row: trainer::Model,
    /// Place in the continuity order, from 1.
    pub continuity_rank: u32,
    /// The round's years they may train.
    pub eligible_for: Vec<u8>,
    /// Their capacity in the round, when they take part.
    pub capacity: Option<u32>,
    /// The O-team's availability request and their answer, if asked.
    pub availability: Option<trainer_availability::Model>,
}

/// Trainers eligible for a year the round couples, in continuity order, with their capacity
/// when they take part and their availability when asked.
pub async fn candidate_trainers(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<CandidateTrainer>, ApiError> {
    let round = get(state, principal, round_id).await?;
    let mut asked: HashMap<Uuid, trainer_availability::Model> =
        crate::store::availability::for_round(&state.db, round_id)
            .await?
            .into_iter()
            .map(|row| (row.trainer_id, row))
            .collect();
    let added: HashMap<Uuid, u32> = rounds::trainers(&state.db, round_id)
        .await?
        .into_iter()
        .map(|r| (r.trainer_id, r.capacity.max(0) as u32))
        .collect();
    let (rows, _) = people::list_trainers(&state.db, round.institute_id, None, None).await?;
    let facts: Vec<TrainerFacts> = rows.iter().map(super::steps::trainer_facts).collect();
    let ordered = continuity_order(&facts, None);
    Ok(ordered
        .into_iter()
        .enumerate()
        .filter_map(|(position, fact)| {
            let years: Vec<u8> = fact
                .eligible_years(round.key.training_years())
                .iter()
                .map(|y| y.number())
                .collect();
            if years.is_empty() {
                return None;
            }
            let row = rows.iter().find(|row| row.id == fact.id.0)?.clone();
            Some(CandidateTrainer {
                capacity: added.get(&row.id).copied(),
                availability: asked.remove(&row.id),
                continuity_rank: position as u32 + 1,
                eligible_for: years,
                row,
            })
        })
        .collect())
}

/// Who is added to a round (or asked for availability), for [`ensure_account`].
pub(crate) struct Participant<'a> {
    pub(crate) linked: Option<Uuid>,
    pub(crate) email: &'a str,
    pub(crate) name: &'a str,
    pub(crate) role: Role,
}

/// A participant's account: one they have, or a new one with its queued invitation.
pub(crate) enum Account {
    /// They have one.
    Existing(users::User),
    /// Invited now; the invitation mail is queued.
    Invited(users::User, Mail),
}

/// Gives a participant an account: finds theirs or invites them (the invitation mail, queued).
/// Runs inside the caller's transaction.
pub(crate) async fn ensure_account(
    txn: &DatabaseTransaction,
    institute: &crate::store::institutes::Institute,
    participant: Participant<'_>,
    now: chrono::DateTime<Utc>,
) -> Result<Account, ApiError> {
    let Participant {
        linked,
        email,
        name,
        role,
    } = participant;
    let email = EmailAddress::parse(email).map_err(|error| {
        ApiError::Conflict(format!("{name} has no valid e-mail address: {error}"))
    })?;
    let existing = match linked {
        Some(user_id) => users::find(txn, user_id).await?,
        None => users::find_by_email(txn, &email).await?,
    };
    match existing {
        Some(user) if user.institute_id == Some(institute.id) && user.role == role => {
            Ok(Account::Existing(user))
        }
        Some(_) => Err(ApiError::Conflict(format!(
            "the e-mail address '{email}' belongs to another account; give {name} their own address"
        ))),
        None => {
            let invitation = Invitation {
                email,
                display_name: DisplayName::parse(name)
                    .map_err(|error| ApiError::Conflict(error.to_string()))?,
                role,
                locale: Locale::Nl,
            };
            let (user, mail) = create_invited(txn, institute, &invitation, now).await?;
            Ok(Account::Invited(user, mail))
        }
    }
}

/// Gives a participant an account: links an existing one (and mails "round started") or invites
/// a new one (the invitation mail). Runs inside the caller's transaction; answers the account
/// and the queued mail.
async fn participant_account(
    state: &AppState,
    txn: &DatabaseTransaction,
    round: &Round,
    participant: Participant<'_>,
    now: chrono::DateTime<Utc>,
) -> Result<(Uuid, Mail), ApiError> {
    let institute = crate::store::institutes::find(txn, round.institute_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("institute '{}' does not exist", round.institute_id))
        })?;
    match ensure_account(txn, &institute, participant, now).await? {
        Account::Existing(user) => {
            let url = state.public_url.trim_end_matches('/').to_owned();
            let mail = mail::round_started(
                user.locale,
                &user.email,
                &user.display_name,
                &institute.name,
                &round.key,
                round.schedule.profiles_deadline,
                &url,
            );
            outbox::enqueue(txn, Some(institute.id), &mail, now).await?;
            Ok((user.id, mail))
        }
        Account::Invited(user, mail) => Ok((user.id, mail)),
    }
}

fn participants_editable(round: &Round) -> Result<(), ApiError> {
    check_action(
        Action::EditParticipants,
        round.phase,
        &round.schedule,
        Utc::now(),
    )
    .map_err(ApiError::from)
}

/// Adds a trainee who is due for the round (the A-team).
pub async fn add_trainee(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainee_id: Uuid,
) -> Result<TrainingYear, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&TRAINEE_WRITERS)?;
    participants_editable(&round)?;
    let row = people::find_trainee(&state.db, round.institute_id, trainee_id)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "trainee_id",
                format!("trainee '{trainee_id}' does not exist in this institute"),
            )
        })?;
    let curriculum = curriculum(&row)
        .ok_or_else(|| ApiError::field("trainee_id", "the trainee's curriculum data is invalid"))?;
    let year = curriculum.due_for(&round.key).ok_or_else(|| {
        ApiError::field(
            "trainee_id",
            format!(
                "{} is not due for this round: training started {}, year 3 starts {}",
                row.name,
                curriculum.start(),
                curriculum.year3_start()
            ),
        )
    })?;
    if let Some(taking_part) =
        rounds::trainee_participation(&state.db, round_id, trainee_id).await?
    {
        return Err(already_added(&row.name, taking_part));
    }
    admit(
        state,
        principal,
        &round,
        trainee_id,
        Participant {
            linked: row.user_id,
            email: &row.email,
            name: &row.name,
            role: Role::Trainee,
        },
        async |txn, now| rounds::add_trainee(txn, round_id, trainee_id, year, now).await,
        (
            "round.trainee_added",
            format!("trainee {} added for {year}", row.name),
        ),
    )
    .await?;
    Ok(year)
}

/// Adds an available trainer eligible for a year the round couples (the O-team).
pub async fn add_trainer(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainer_id: Uuid,
    capacity: Option<u32>,
) -> Result<u32, ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&TRAINER_WRITERS)?;
    participants_editable(&round)?;
    // Unless the O-team says otherwise, the capacity the trainer offered when asked.
    let offered = crate::store::availability::find(&state.db, round_id, trainer_id)
        .await?
        .filter(|row| row.answered_at.is_some() && row.available == Some(true))
        .map_or(1, |row| row.capacity.clamp(1, 2) as u32);
    let capacity = capacity.unwrap_or(offered);
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        return Err(ApiError::field(
            "capacity",
            format!("must be between 1 and {MAX_CAPACITY}"),
        ));
    }
    let row = people::find_trainer(&state.db, round.institute_id, trainer_id)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "trainer_id",
                format!("trainer '{trainer_id}' does not exist in this institute"),
            )
        })?;
    let facts = super::steps::trainer_facts(&row);
    if facts.eligible_years(round.key.training_years()).is_empty() {
        return Err(ApiError::field(
            "trainer_id",
            format!(
                "{} is not eligible for the training years of this round",
                row.name
            ),
        ));
    }
    if let Some(taking_part) =
        rounds::trainer_participation(&state.db, round_id, trainer_id).await?
    {
        return Err(already_added(&row.name, taking_part));
    }
    admit(
        state,
        principal,
        &round,
        trainer_id,
        Participant {
            linked: row.user_id,
            email: &row.email,
            name: &row.name,
            role: Role::Trainer,
        },
        async |txn, now| rounds::add_trainer(txn, round_id, trainer_id, capacity, now).await,
        (
            "round.trainer_added",
            format!("trainer {} added (capacity {capacity})", row.name),
        ),
    )
    .await?;
    Ok(capacity)
}

/// Adds a trainee or trainer (`person_id`) to a round in one transaction: their participation
/// (`add`), their account (theirs, or a new one with its invitation queued) linked to their
/// record, and the audit entry (`action`, `summary`).
async fn admit(
    state: &AppState,
    principal: &Principal,
    round: &Round,
    person_id: Uuid,
    participant: Participant<'_>,
    add: impl AsyncFnOnce(&DatabaseTransaction, chrono::DateTime<Utc>) -> Result<(), sea_orm::DbErr>,
    (action, summary): (&'static str, String),
) -> Result<(), ApiError> {
    let role = participant.role;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    add(&txn, now).await?;
    let (user_id, mail) = participant_account(state, &txn, round, participant, now).await?;
    if role == Role::Trainer {
        steps::link_trainer(&txn, person_id, user_id).await?;
    } else {
        steps::link_trainee(&txn, person_id, user_id).await?;
    }
    Entry::in_round(round, principal.user_id, action, summary)
        .append(&txn, now)
        .await?;
    txn.commit().await?;
    state.log_queued_mail(&mail);
    Ok(())
}

/// Changes how many trainees a trainer takes in a round (the O-team): 2 for a duo practice. Not
/// below the trainees they are coupled to now, and not once the round is over.
pub async fn set_capacity(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    trainer_id: Uuid,
    capacity: u32,
) -> Result<(), ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&TRAINER_WRITERS)?;
    if round.phase.is_final() {
        return Err(ApiError::Conflict(format!(
            "the round is {}; nothing can change any more",
            round.phase
        )));
    }
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        return Err(ApiError::field(
            "capacity",
            format!("must be between 1 and {MAX_CAPACITY}"),
        ));
    }
    let row = people::find_trainer(&state.db, round.institute_id, trainer_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("trainer '{trainer_id}' does not exist")))?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    rounds::lock(&txn, round_id).await?;
    if !rounds::trainers(&txn, round_id)
        .await?
        .iter()
        .any(|p| p.trainer_id == trainer_id)
    {
        return Err(ApiError::NotFound(format!(
            "{} does not take part in this round",
            row.name
        )));
    }
    let coupled = steps::couplings(&txn, round_id)
        .await?
        .iter()
        .filter(|c| c.trainer_id == trainer_id)
        .count() as u32;
    if coupled > capacity {
        return Err(ApiError::Conflict(format!(
            "{} is coupled to {coupled} trainees now: dissolve a coupling first",
            row.name
        )));
    }
    rounds::set_capacity(&txn, round_id, trainer_id, capacity).await?;
    Entry::in_round(
        &round,
        principal.user_id,
        "round.trainer_capacity",
        format!("{} takes {capacity} trainee(s)", row.name),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The audit log of a round, for coordinators.
pub async fn audit_log(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<Vec<audit_entry::Model>, ApiError> {
    get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    Ok(audit::for_round(&state.db, round_id).await?)
}

/// Someone added twice: still taking part, or withdrawn (which is final for the round).
fn already_added(name: &str, taking_part: bool) -> ApiError {
    ApiError::Conflict(if taking_part {
        format!("{name} already takes part in this round")
    } else {
        format!("{name} withdrew from this round; a withdrawal is final for the round")
    })
}

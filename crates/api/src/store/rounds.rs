//! Queries on rounds and their participants.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use koppel_domain::{Phase, RoundKey, Schedule, StartMonth, TrainingYear};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QueryTrait,
};
use uuid::Uuid;

use super::anonymise::Person;
use super::entities::{round, round_trainee, round_trainer};

/// A round as stored, with typed columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// Id.
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Which round.
    pub key: RoundKey,
    /// Phase.
    pub phase: Phase,
    /// Schedule.
    pub schedule: Schedule,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// When the round last left step 2 (`preferences`).
    pub preferences_closed_at: Option<DateTime<Utc>>,
    /// Whether a coordinator holds it: its calendar neither moves it on nor reminds.
    pub held: bool,
}

fn phase_from(name: &str) -> Option<Phase> {
    use Phase::*;
    [
        Draft,
        Profiles,
        Preferences,
        Interviews,
        Coupling,
        Published,
        Closed,
        Cancelled,
    ]
    .into_iter()
    .find(|phase| phase.as_str() == name)
}

/// Parses a start month name (`september`).
pub fn start_month_from(name: &str) -> Option<StartMonth> {
    StartMonth::ALL
        .into_iter()
        .find(|month| month.to_string().eq_ignore_ascii_case(name.trim()))
}

impl TryFrom<round::Model> for Round {
    type Error = anyhow::Error;

    fn try_from(row: round::Model) -> anyhow::Result<Self> {
        let month = start_month_from(&row.start_month).ok_or_else(|| {
            anyhow::anyhow!("round {} has unknown month '{}'", row.id, row.start_month)
        })?;
        let years: Vec<TrainingYear> = row
            .training_years
            .split(',')
            .filter_map(|year| match year.trim() {
                "1" => Some(TrainingYear::One),
                "3" => Some(TrainingYear::Three),
                _ => None,
            })
            .collect();
        Ok(Self {
            id: row.id,
            institute_id: row.institute_id,
            key: RoundKey::with_years(month, row.start_year, &years)?,
            phase: phase_from(&row.phase).ok_or_else(|| {
                anyhow::anyhow!("round {} has unknown phase '{}'", row.id, row.phase)
            })?,
            schedule: Schedule {
                opens: row.opens,
                profiles_deadline: row.profiles_deadline,
                preferences_deadline: row.preferences_deadline,
                final_ranking_deadline: row.final_ranking_deadline,
                placement_start: row.placement_start,
            },
            created_at: row.created_at,
            preferences_closed_at: row.preferences_closed_at,
            held: row.held,
        })
    }
}

/// Inserts a round in `draft`.
pub async fn insert(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    key: &RoundKey,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Result<Round, DbErr> {
    let years: Vec<String> = key
        .training_years()
        .iter()
        .map(|y| y.number().to_string())
        .collect();
    let row = round::ActiveModel {
        id: Set(Uuid::new_v4()),
        institute_id: Set(institute_id),
        start_month: Set(key.month().to_string().to_lowercase()),
        start_year: Set(key.year()),
        training_years: Set(years.join(",")),
        phase: Set(Phase::Draft.as_str().to_owned()),
        opens: Set(schedule.opens),
        profiles_deadline: Set(schedule.profiles_deadline),
        preferences_deadline: Set(schedule.preferences_deadline),
        final_ranking_deadline: Set(schedule.final_ranking_deadline),
        placement_start: Set(schedule.placement_start),
        created_at: Set(now),
        updated_at: Set(now),
        preferences_closed_at: Set(None),
        ..Default::default()
    };
    round::Entity::insert(row)
        .exec_with_returning(db)
        .await?
        .try_into()
        .map_err(|error: anyhow::Error| DbErr::Custom(format!("{error:#}")))
}

/// Whether the institute has a round for this placement start.
pub async fn exists(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    key: &RoundKey,
) -> Result<bool, DbErr> {
    Ok(round::Entity::find()
        .filter(round::Column::InstituteId.eq(institute_id))
        .filter(round::Column::StartYear.eq(key.year()))
        .filter(round::Column::StartMonth.eq(key.month().to_string().to_lowercase()))
        .count(db)
        .await?
        > 0)
}

/// One round.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> anyhow::Result<Option<Round>> {
    round::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Round::try_from)
        .transpose()
}

/// The rounds among `ids` (at most a thousand per query).
pub async fn find_many(db: &impl ConnectionTrait, ids: &[Uuid]) -> anyhow::Result<Vec<Round>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        for row in round::Entity::find()
            .filter(round::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.push(Round::try_from(row)?);
        }
    }
    Ok(out)
}

/// Rounds of an institute, latest placement first.
pub async fn list(db: &impl ConnectionTrait, institute_id: Uuid) -> anyhow::Result<Vec<Round>> {
    round::Entity::find()
        .filter(round::Column::InstituteId.eq(institute_id))
        .order_by_desc(round::Column::PlacementStart)
        .all(db)
        .await?
        .into_iter()
        .map(Round::try_from)
        .collect()
}

/// Moves a round from `from` to `to`, only if it is still in `from` (so two coordinators
/// racing cannot both move it). Answers whether it moved.
pub async fn set_phase(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: Phase,
    to: Phase,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = phase_update(from, to, now)
        .filter(round::Column::Id.eq(id))
        .filter(round::Column::Phase.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// As [`set_phase`], for the calendar: only while nobody holds the round.
pub async fn set_phase_by_calendar(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: Phase,
    to: Phase,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = phase_update(from, to, now)
        .filter(round::Column::Id.eq(id))
        .filter(round::Column::Phase.eq(from.as_str()))
        .filter(round::Column::Held.eq(false))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The columns a move from `from` to `to` sets.
fn phase_update(from: Phase, to: Phase, now: DateTime<Utc>) -> sea_orm::UpdateMany<round::Entity> {
    let mut update = round::Entity::update_many()
        .col_expr(round::Column::Phase, Expr::value(to.as_str()))
        .col_expr(round::Column::UpdatedAt, Expr::value(now));
    // Leaving step 2 freezes what trainees may rank; going back to it opens it again.
    if from == Phase::Preferences {
        update = update.col_expr(round::Column::PreferencesClosedAt, Expr::value(Some(now)));
    } else if to == Phase::Preferences {
        update = update.col_expr(
            round::Column::PreferencesClosedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    }
    if to == Phase::Closed {
        update = update.col_expr(round::Column::ClosedAt, Expr::value(Some(now)));
    }
    update
}

/// Holds a round (its calendar stops moving it on and reminding) or lets it go.
pub async fn set_held(
    db: &impl ConnectionTrait,
    id: Uuid,
    held: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    round::Entity::update_many()
        .col_expr(round::Column::Held, Expr::value(held))
        .col_expr(round::Column::UpdatedAt, Expr::value(now))
        .filter(round::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Rounds whose calendar may act: not held, and in draft or one of steps 1 to 3.
pub async fn on_the_calendar(db: &impl ConnectionTrait) -> Result<Vec<Round>, DbErr> {
    round::Entity::find()
        .filter(round::Column::Held.eq(false))
        .filter(round::Column::Phase.is_in([
            Phase::Draft.as_str(),
            Phase::Profiles.as_str(),
            Phase::Preferences.as_str(),
            Phase::Interviews.as_str(),
        ]))
        .order_by_asc(round::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Round::try_from(row).map_err(|error: anyhow::Error| DbErr::Custom(format!("{error:#}")))
        })
        .collect()
}

/// The training year a trainee takes part for.
pub fn training_year(row: &round_trainee::Model) -> TrainingYear {
    if row.training_year == 1 {
        TrainingYear::One
    } else {
        TrainingYear::Three
    }
}

/// Takes the round's row lock until the transaction ends (a no-op update: PostgreSQL locks the
/// row; SQLite's `BEGIN IMMEDIATE` already serialises writers), so two publications or a
/// publication and a manual coupling cannot interleave.
pub async fn lock(db: &impl ConnectionTrait, round_id: Uuid) -> Result<(), DbErr> {
    round::Entity::update_many()
        .col_expr(round::Column::Phase, Expr::col(round::Column::Phase))
        .filter(round::Column::Id.eq(round_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The institute's trainee linked to `user_id` with their participation in the round, if they
/// take part (not withdrawn): one query.
pub async fn trainee_of_user_in(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    institute_id: Uuid,
    user_id: Uuid,
) -> Result<Option<(super::entities::trainee::Model, round_trainee::Model)>, DbErr> {
    use super::entities::trainee;
    Ok(round_trainee::Entity::find()
        .filter(round_trainee::Column::RoundId.eq(round_id))
        .filter(round_trainee::Column::WithdrawnAt.is_null())
        .find_also_related(trainee::Entity)
        .filter(trainee::Column::InstituteId.eq(institute_id))
        .filter(trainee::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .and_then(|(participation, trainee)| Some((trainee?, participation))))
}

/// Locks a trainee's participation row until the transaction ends (a no-op update), so that
/// concurrent replacements of their lists wait for each other instead of colliding. On SQLite
/// the transaction's write lock does this already.
pub async fn lock_trainee(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
) -> Result<(), DbErr> {
    if let Some(statement) = locking_trainee(db.get_database_backend(), round_id, trainee_id) {
        db.execute_raw(statement).await?;
    }
    Ok(())
}

/// The statement of [`lock_trainee`]; none on SQLite.
pub fn locking_trainee(
    backend: sea_orm::DbBackend,
    round_id: Uuid,
    trainee_id: Uuid,
) -> Option<sea_orm::Statement> {
    if backend == sea_orm::DbBackend::Sqlite {
        return None;
    }
    Some(
        round_trainee::Entity::update_many()
            .col_expr(
                round_trainee::Column::TrainingYear,
                Expr::col(round_trainee::Column::TrainingYear),
            )
            .filter(round_trainee::Column::RoundId.eq(round_id))
            .filter(round_trainee::Column::TraineeId.eq(trainee_id))
            .build(backend),
    )
}

/// As [`lock_trainee`], for a trainer's participation.
pub async fn lock_trainer(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
) -> Result<(), DbErr> {
    round_trainer::Entity::update_many()
        .col_expr(
            round_trainer::Column::Capacity,
            Expr::col(round_trainer::Column::Capacity),
        )
        .filter(round_trainer::Column::RoundId.eq(round_id))
        .filter(round_trainer::Column::TrainerId.eq(trainer_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Trainees taking part in a round (not withdrawn).
pub async fn trainees(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<round_trainee::Model>, DbErr> {
    round_trainee::Entity::find()
        .filter(round_trainee::Column::RoundId.eq(round_id))
        .filter(round_trainee::Column::WithdrawnAt.is_null())
        // A fixed order, so everything built from it (a coupling run's input) is reproducible.
        .order_by_asc(round_trainee::Column::TraineeId)
        .all(db)
        .await
}

/// Trainers taking part in a round (not withdrawn).
pub async fn trainers(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<round_trainer::Model>, DbErr> {
    round_trainer::Entity::find()
        .filter(round_trainer::Column::RoundId.eq(round_id))
        .filter(round_trainer::Column::WithdrawnAt.is_null())
        .order_by_asc(round_trainer::Column::TrainerId)
        .all(db)
        .await
}

/// Whether the trainee was ever added to the round: `None` if not, else whether they still take
/// part (`false`: withdrawn).
pub async fn trainee_participation(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
) -> Result<Option<bool>, DbErr> {
    Ok(round_trainee::Entity::find_by_id((round_id, trainee_id))
        .one(db)
        .await?
        .map(|row| row.withdrawn_at.is_none()))
}

/// Whether the trainer was ever added to the round: `None` if not, else whether they still take
/// part (`false`: withdrawn).
pub async fn trainer_participation(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
) -> Result<Option<bool>, DbErr> {
    Ok(round_trainer::Entity::find_by_id((round_id, trainer_id))
        .one(db)
        .await?
        .map(|row| row.withdrawn_at.is_none()))
}

/// Ids of the trainees and of the trainers taking part (not withdrawn).
pub async fn participant_ids(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<(HashSet<Uuid>, HashSet<Uuid>), DbErr> {
    let trainees = trainees(db, round_id)
        .await?
        .iter()
        .map(|p| p.trainee_id)
        .collect();
    let trainers = trainers(db, round_id)
        .await?
        .iter()
        .map(|p| p.trainer_id)
        .collect();
    Ok((trainees, trainers))
}

/// Withdraws a trainee or a trainer; answers whether they were taking part.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    person: Person,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let rows = match person {
        Person::Trainee(id) => {
            use round_trainee::Column;
            let columns = [
                Column::RoundId,
                Column::TraineeId,
                Column::WithdrawnAt,
                Column::WithdrawReason,
            ];
            withdrawal::<round_trainee::Entity>(columns, round_id, id, reason, now)
                .exec(db)
                .await?
        }
        Person::Trainer(id) => {
            use round_trainer::Column;
            let columns = [
                Column::RoundId,
                Column::TrainerId,
                Column::WithdrawnAt,
                Column::WithdrawReason,
            ];
            withdrawal::<round_trainer::Entity>(columns, round_id, id, reason, now)
                .exec(db)
                .await?
        }
    };
    Ok(rows.rows_affected == 1)
}

/// The update that withdraws `person_id` from round `round_id`, given a participation table's
/// `[round, person, withdrawn_at, withdraw_reason]` columns.
fn withdrawal<E: EntityTrait>(
    [round, person, withdrawn_at, withdraw_reason]: [E::Column; 4],
    round_id: Uuid,
    person_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> sea_orm::UpdateMany<E> {
    E::update_many()
        .col_expr(withdrawn_at, Expr::value(Some(now)))
        .col_expr(withdraw_reason, Expr::value(Some(reason.to_owned())))
        .filter(round.eq(round_id))
        .filter(person.eq(person_id))
        .filter(withdrawn_at.is_null())
}

/// Adds a trainee to a round.
pub async fn add_trainee(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
    year: TrainingYear,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    round_trainee::Entity::insert(round_trainee::ActiveModel {
        round_id: Set(round_id),
        trainee_id: Set(trainee_id),
        training_year: Set(i16::from(year.number())),
        added_at: Set(now),
        withdrawn_at: Set(None),
        withdraw_reason: Set(None),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Adds a trainer to a round.
pub async fn add_trainer(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
    capacity: u32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    round_trainer::Entity::insert(round_trainer::ActiveModel {
        round_id: Set(round_id),
        trainer_id: Set(trainer_id),
        capacity: Set(capacity as i32),
        added_at: Set(now),
        withdrawn_at: Set(None),
        withdraw_reason: Set(None),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Sets how many trainees a trainer takes in a round.
pub async fn set_capacity(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainer_id: Uuid,
    capacity: u32,
) -> Result<(), DbErr> {
    round_trainer::Entity::update_many()
        .col_expr(
            round_trainer::Column::Capacity,
            Expr::value(capacity as i32),
        )
        .filter(round_trainer::Column::RoundId.eq(round_id))
        .filter(round_trainer::Column::TrainerId.eq(trainer_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Rounds a person takes part in (not withdrawn), as trainee or as trainer, latest placement
/// first.
pub async fn of_participant(
    db: &impl ConnectionTrait,
    trainee_id: Option<Uuid>,
    trainer_id: Option<Uuid>,
) -> anyhow::Result<Vec<Round>> {
    let mut ids: Vec<Uuid> = Vec::new();
    if let Some(trainee_id) = trainee_id {
        ids.extend(
            round_trainee::Entity::find()
                .filter(round_trainee::Column::TraineeId.eq(trainee_id))
                .filter(round_trainee::Column::WithdrawnAt.is_null())
                .all(db)
                .await?
                .into_iter()
                .map(|row| row.round_id),
        );
    }
    if let Some(trainer_id) = trainer_id {
        ids.extend(
            round_trainer::Entity::find()
                .filter(round_trainer::Column::TrainerId.eq(trainer_id))
                .filter(round_trainer::Column::WithdrawnAt.is_null())
                .all(db)
                .await?
                .into_iter()
                .map(|row| row.round_id),
        );
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    round::Entity::find()
        .filter(round::Column::Id.is_in(ids))
        .order_by_desc(round::Column::PlacementStart)
        .all(db)
        .await?
        .into_iter()
        .map(Round::try_from)
        .collect()
}

//! A round's participants with the facts the rules need, each question in one query.

use std::collections::{BTreeMap, HashMap};

use koppel_api_types::Locale;
use koppel_domain::{TraineeFacts, TraineeId, TrainerFacts, TrainerId};
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, IntoIden, Order, Query, SelectStatement, SubQueryStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, Iterable,
    JoinType, QueryFilter, QueryOrder, QueryResult, QuerySelect, RelationTrait, Select,
};
use uuid::Uuid;

use super::cached::CachedQuery;
use super::entities::{
    practice, round, round_trainee, round_trainer, trainee, trainee_history, trainer, user, veto,
};
use super::rounds::Round;
use super::{Reads, file_reads};

/// A trainee taking part in a round, with what their history says, as the rules need it.
#[derive(Debug, Clone)]
pub struct TraineeOfRound {
    /// The trainee.
    pub trainee: trainee::Model,
    /// Their participation (training year, ...).
    pub participation: round_trainee::Model,
    /// Their year-1 trainer, the earliest year-1 entry of their history.
    pub year1_trainer: Option<Uuid>,
    /// Whether any trainer of their history (in the institute) has a large-scale structure.
    pub had_large_scale_trainer: bool,
}

impl TraineeOfRound {
    /// The rules' view of the trainee.
    pub fn facts(&self) -> TraineeFacts {
        TraineeFacts {
            id: TraineeId(self.trainee.id),
            year: super::rounds::training_year(&self.participation),
            year1_trainer: self.year1_trainer.map(TrainerId),
            had_large_scale_trainer: self.had_large_scale_trainer,
        }
    }

    fn from_row(row: &QueryResult) -> anyhow::Result<Self> {
        Ok(Self {
            trainee: trainee::Model::from_query_result(row, TRAINEE)?,
            participation: round_trainee::Model::from_query_result(row, PARTICIPATION)?,
            year1_trainer: row.try_get("", YEAR1_TRAINER)?,
            had_large_scale_trainer: flag(row, HAD_LARGE_SCALE)?,
        })
    }
}

/// The trainee of `user_id` taking part in round `round_id` of institute `institute_id`, with
/// the round and their history's facts; `None` when the round does not exist, belongs to another
/// institute, or the user is not a trainee taking part in it.
pub async fn trainee_of_user(
    reads: &Reads,
    round_id: Uuid,
    institute_id: Uuid,
    user_id: Uuid,
) -> anyhow::Result<Option<(Round, TraineeOfRound)>> {
    static QUERY: CachedQuery<3> = CachedQuery::new(|[round_id, institute_id, user_id]| {
        let mut query = Query::select();
        prefixed::<round::Entity>(&mut query, ROUND);
        trainee_columns(&mut query);
        // At most one row: a user is one trainee, once in a round.
        from_trainee_of_user(&mut query, round_id, institute_id, user_id);
        query
    });
    let db = reads.pool();
    let statement =
        QUERY.statement(db.get_database_backend(), [round_id, institute_id, user_id])?;
    let (round, trainee) = if let Some(file) = reads.file() {
        let found = file.read(|connection| {
            let mut query = connection.prepare_cached(&statement.sql)?;
            let mut rows =
                query.query(rusqlite::params_from_iter(file_reads::values(&statement)?))?;
            let Some(row) = rows.next()? else {
                return Ok(None);
            };
            let round = file_reads::round(row, ROUND)?;
            let trainee = TraineeOfRound {
                trainee: file_reads::trainee(row, TRAINEE)?,
                participation: file_reads::participation(row, PARTICIPATION)?,
                year1_trainer: row.get(YEAR1_TRAINER)?,
                had_large_scale_trainer: row.get(HAD_LARGE_SCALE)?,
            };
            Ok(Some((round, trainee)))
        })?;
        let Some(found) = found else {
            return Ok(None);
        };
        found
    } else {
        let Some(row) = db.query_one_raw(statement).await? else {
            return Ok(None);
        };
        (
            round::Model::from_query_result(&row, ROUND)?,
            TraineeOfRound::from_row(&row)?,
        )
    };
    Ok(Some((Round::try_from(round)?, trainee)))
}

/// Every trainee taking part in a round (not withdrawn) of institute `institute_id`, with their
/// history's facts, in one query; by trainee id.
pub async fn trainees_of_round(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    institute_id: Uuid,
) -> anyhow::Result<Vec<TraineeOfRound>> {
    let mut query = Query::select();
    trainee_columns(&mut query);
    from_trainees_of_round(&mut query, round_id, institute_id);
    query.order_by(
        (round_trainee::Entity, round_trainee::Column::TraineeId),
        Order::Asc,
    );
    db.query_all(&query)
        .await?
        .iter()
        .map(TraineeOfRound::from_row)
        .collect()
}

/// Selects the trainee's and the participation's columns and the two facts of their history.
fn trainee_columns(query: &mut SelectStatement) {
    prefixed::<trainee::Entity>(query, TRAINEE);
    prefixed::<round_trainee::Entity>(query, PARTICIPATION);
    let history_of_trainee = || {
        Expr::col((trainee_history::Entity, trainee_history::Column::TraineeId))
            .equals((trainee::Entity, trainee::Column::Id))
    };
    let year1_trainer = Query::select()
        .column((trainee_history::Entity, trainee_history::Column::TrainerId))
        .from(trainee_history::Entity)
        .and_where(history_of_trainee())
        .and_where(
            Expr::col((
                trainee_history::Entity,
                trainee_history::Column::TrainingYear,
            ))
            .eq(1),
        )
        .order_by(
            (trainee_history::Entity, trainee_history::Column::StartsOn),
            Order::Asc,
        )
        .limit(1)
        .to_owned();
    let large_scale = Query::select()
        .expr(Expr::val(1))
        .from(trainee_history::Entity)
        .inner_join(
            trainer::Entity,
            Expr::col((trainer::Entity, trainer::Column::Id))
                .equals((trainee_history::Entity, trainee_history::Column::TrainerId)),
        )
        .and_where(history_of_trainee())
        .and_where(
            Expr::col((trainer::Entity, trainer::Column::InstituteId))
                .equals((trainee::Entity, trainee::Column::InstituteId)),
        )
        .and_where(Expr::col((trainer::Entity, trainer::Column::LargeScaleStructure)).eq(true))
        .to_owned();
    query
        .expr_as(
            Expr::SubQuery(None, Box::new(SubQueryStatement::from(year1_trainer))),
            Alias::new(YEAR1_TRAINER),
        )
        .expr_as(Expr::exists(large_scale), Alias::new(HAD_LARGE_SCALE));
}

/// The trainers taking part in a round (not withdrawn), each with their capacity in it, by id.
pub async fn trainers_of_round(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    institute_id: Uuid,
) -> Result<Vec<(trainer::Model, u32)>, DbErr> {
    Ok(round_trainer::Entity::find()
        .filter(round_trainer::Column::RoundId.eq(round_id))
        .filter(round_trainer::Column::WithdrawnAt.is_null())
        .find_also_related(trainer::Entity)
        .filter(trainer::Column::InstituteId.eq(institute_id))
        .order_by_asc(round_trainer::Column::TrainerId)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(participation, trainer)| {
            Some((trainer?, u32::try_from(participation.capacity).unwrap_or(0)))
        })
        .collect())
}

/// The trainers taking part in a round (not withdrawn), each with their practice (one of the
/// institute's, if any), in one query; by id.
pub async fn trainers_with_practices(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    institute_id: Uuid,
) -> Result<Vec<(trainer::Model, Option<practice::Model>)>, DbErr> {
    Ok(trainer::Entity::find()
        .find_also_related(practice::Entity)
        .join(
            JoinType::InnerJoin,
            round_trainer::Relation::Trainer.def().rev(),
        )
        .filter(round_trainer::Column::RoundId.eq(round_id))
        .filter(round_trainer::Column::WithdrawnAt.is_null())
        .filter(trainer::Column::InstituteId.eq(institute_id))
        .order_by_asc(trainer::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|(trainer, practice)| {
            let practice = practice.filter(|p| p.institute_id == institute_id);
            (trainer, practice)
        })
        .collect())
}

/// The trainee rows of a round's participants (not withdrawn), in one query; by trainee id.
pub async fn trainee_rows_of_round(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    institute_id: Uuid,
) -> Result<Vec<trainee::Model>, DbErr> {
    Ok(round_trainee::Entity::find()
        .filter(round_trainee::Column::RoundId.eq(round_id))
        .filter(round_trainee::Column::WithdrawnAt.is_null())
        .find_also_related(trainee::Entity)
        .filter(trainee::Column::InstituteId.eq(institute_id))
        .order_by_asc(round_trainee::Column::TraineeId)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, trainee)| trainee)
        .collect())
}

/// The facts the rules need of each trainer taking part in a round (not withdrawn), by id (the
/// columns they come from only), with the vetoes between each trainer and trainee
/// `trainee_id` in the round: in one query when there are none (as for most trainees), in two
/// otherwise (what a submission's check needs).
pub async fn trainer_facts_with_vetoes(
    reads: &Reads,
    round_id: Uuid,
    institute_id: Uuid,
    trainee_id: Uuid,
) -> Result<(Vec<TrainerFacts>, Vec<veto::Model>), DbErr> {
    static QUERY: CachedQuery<3> = CachedQuery::new(|[round_id, institute_id, trainee_id]| {
        let mut query = trainer_facts_query(round_id, institute_id);
        query.column((veto::Entity, veto::Column::Id)).left_join(
            veto::Entity,
            Condition::all()
                .add(
                    Expr::col((veto::Entity, veto::Column::RoundId))
                        .equals((round_trainer::Entity, round_trainer::Column::RoundId)),
                )
                .add(
                    Expr::col((veto::Entity, veto::Column::TrainerId))
                        .equals((round_trainer::Entity, round_trainer::Column::TrainerId)),
                )
                .add(Expr::col((veto::Entity, veto::Column::TraineeId)).eq(trainee_id)),
        );
        query
    });
    let db = reads.pool();
    let statement = QUERY.statement(
        db.get_database_backend(),
        [round_id, institute_id, trainee_id],
    )?;
    let mut trainers: Vec<TrainerFacts> = Vec::new();
    let mut vetoed = false;
    // A trainer's row stands once per veto between them (at least once); the veto's id follows
    // the trainer's seven columns.
    let mut add = |trainer: TrainerFacts, veto: Option<Uuid>| {
        vetoed |= veto.is_some();
        if trainers.last().is_none_or(|last| last.id != trainer.id) {
            trainers.push(trainer);
        }
    };
    if let Some(file) = reads.file() {
        file.read(|connection| {
            let mut query = connection.prepare_cached(&statement.sql)?;
            let mut rows =
                query.query(rusqlite::params_from_iter(file_reads::values(&statement)?))?;
            while let Some(row) = rows.next()? {
                let trainer = trainer_facts_of(
                    row.get(0)?,
                    row.get(1)?,
                    [row.get(2)?, row.get(3)?, row.get(4)?],
                    row.get(5)?,
                    row.get(6)?,
                );
                add(trainer, row.get(7)?);
            }
            Ok(())
        })?;
    } else {
        for row in db.query_all_raw(statement).await? {
            let trainer = trainer_facts_from_row(&row)?;
            add(trainer, row.try_get_by_index(7)?);
        }
    }
    let vetoes = if vetoed {
        super::steps::vetoes_of_trainee(db, round_id, trainee_id).await?
    } else {
        Vec::new()
    };
    Ok((trainers, vetoes))
}

/// The trainers of a round with their facts, by id; the facts' columns come first, in the order
/// [`trainer_facts_from_row`] reads them.
fn trainer_facts_query(round_id: Uuid, institute_id: Uuid) -> SelectStatement {
    Query::select()
        .columns([
            (trainer::Entity, trainer::Column::Id),
            (trainer::Entity, trainer::Column::Name),
            (trainer::Entity, trainer::Column::EligibleYear1),
            (trainer::Entity, trainer::Column::EligibleYear3),
            (trainer::Entity, trainer::Column::LargeScaleStructure),
            (trainer::Entity, trainer::Column::LastTraineeEnd),
            (trainer::Entity, trainer::Column::CoupledUntil),
        ])
        .from(round_trainer::Entity)
        .inner_join(
            trainer::Entity,
            Expr::col((trainer::Entity, trainer::Column::Id))
                .equals((round_trainer::Entity, round_trainer::Column::TrainerId)),
        )
        .and_where(Expr::col((round_trainer::Entity, round_trainer::Column::RoundId)).eq(round_id))
        .and_where(Expr::col((round_trainer::Entity, round_trainer::Column::WithdrawnAt)).is_null())
        .and_where(Expr::col((trainer::Entity, trainer::Column::InstituteId)).eq(institute_id))
        .order_by(
            (round_trainer::Entity, round_trainer::Column::TrainerId),
            Order::Asc,
        )
        .to_owned()
}

fn trainer_facts_from_row(row: &QueryResult) -> Result<TrainerFacts, DbErr> {
    Ok(trainer_facts_of(
        row.try_get_by_index(0)?,
        row.try_get_by_index(1)?,
        [
            row.try_get_by_index(2)?,
            row.try_get_by_index(3)?,
            row.try_get_by_index(4)?,
        ],
        row.try_get_by_index(5)?,
        row.try_get_by_index(6)?,
    ))
}

/// A trainer's facts from [`trainer_facts_query`]'s columns: id, name, the three flags (eligible
/// for year 1, for year 3, large-scale structure), the end of their last trainee and the end of
/// their coupling.
fn trainer_facts_of(
    id: Uuid,
    name: String,
    [eligible_year1, eligible_year3, large_scale_structure]: [bool; 3],
    last_trainee_end: Option<chrono::NaiveDate>,
    coupled_until: Option<chrono::NaiveDate>,
) -> TrainerFacts {
    TrainerFacts {
        id: TrainerId(id),
        name,
        eligible_year1,
        eligible_year3,
        large_scale_structure,
        available: true,
        last_trainee_end: trainer::last_trainee_end_known(last_trainee_end, coupled_until),
    }
}

/// `FROM` the participations in round `round_id` (not withdrawn), joined with their trainees of
/// institute `institute_id`.
fn from_trainees_of_round(query: &mut SelectStatement, round_id: Uuid, institute_id: Uuid) {
    query
        .from(round_trainee::Entity)
        .inner_join(
            trainee::Entity,
            Expr::col((trainee::Entity, trainee::Column::Id))
                .equals((round_trainee::Entity, round_trainee::Column::TraineeId)),
        )
        .and_where(Expr::col((round_trainee::Entity, round_trainee::Column::RoundId)).eq(round_id))
        .and_where(Expr::col((round_trainee::Entity, round_trainee::Column::WithdrawnAt)).is_null())
        .and_where(Expr::col((trainee::Entity, trainee::Column::InstituteId)).eq(institute_id));
}

/// As [`from_trainees_of_round`], for the trainee of `user_id` only, joined with the round,
/// which must be of the same institute.
pub(super) fn from_trainee_of_user(
    query: &mut SelectStatement,
    round_id: Uuid,
    institute_id: Uuid,
    user_id: Uuid,
) {
    from_trainees_of_round(query, round_id, institute_id);
    query
        .inner_join(
            round::Entity,
            Expr::col((round::Entity, round::Column::Id))
                .equals((round_trainee::Entity, round_trainee::Column::RoundId)),
        )
        .and_where(Expr::col((round::Entity, round::Column::InstituteId)).eq(institute_id))
        .and_where(Expr::col((trainee::Entity, trainee::Column::UserId)).eq(user_id))
        // The participation by its key, from the account's trainee (index `idx_trainees_user`),
        // rather than every participant of the round in turn.
        .and_where(
            Expr::col((round_trainee::Entity, round_trainee::Column::TraineeId)).in_subquery(
                Query::select()
                    .column(trainee::Column::Id)
                    .from(trainee::Entity)
                    .and_where(Expr::col(trainee::Column::UserId).eq(user_id))
                    .to_owned(),
            ),
        );
}

const ROUND: &str = "r_";
const TRAINEE: &str = "t_";
const PARTICIPATION: &str = "p_";
const YEAR1_TRAINER: &str = "year1_trainer";
const HAD_LARGE_SCALE: &str = "had_large_scale";

/// Selects every column of `E` as `prefix` + column name, as [`FromQueryResult`] reads them.
fn prefixed<E: EntityTrait>(query: &mut SelectStatement, prefix: &str) {
    for column in E::Column::iter() {
        query.expr_as(
            Expr::col((E::default().into_iden(), column.into_iden())),
            Alias::new(format!("{prefix}{}", column.as_str())),
        );
    }
}

/// A boolean expression's value: PostgreSQL answers a boolean, SQLite an integer.
fn flag(row: &QueryResult, column: &str) -> Result<bool, DbErr> {
    match row.try_get::<bool>("", column) {
        Ok(value) => Ok(value),
        Err(_) => Ok(row.try_get::<i64>("", column)? != 0),
    }
}

/// How to write to someone taking part in a round.
#[derive(Debug, Clone)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Their account's language; Dutch without an account.
    pub locale: Locale,
}

impl Contact {
    /// `Name <address>`, as a mail lists a counterpart.
    pub fn line(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
}

/// How to write to a round's trainees and trainers taking part (not withdrawn), by id.
#[derive(Debug, Default)]
pub struct Contacts {
    /// By trainee id.
    pub trainees: BTreeMap<Uuid, Contact>,
    /// By trainer id.
    pub trainers: BTreeMap<Uuid, Contact>,
}

impl Contacts {
    /// Every participant (the trainees, then the trainers, each by id) with the lines of their
    /// counterparts in `pairs` (trainee, trainer), in the order of `pairs`.
    pub fn with_counterparts(&self, pairs: &[(Uuid, Uuid)]) -> Vec<(Uuid, &Contact, Vec<String>)> {
        let mut lines: HashMap<Uuid, Vec<String>> = HashMap::new();
        for (trainee_id, trainer_id) in pairs {
            if let (Some(trainee), Some(trainer)) =
                (self.trainees.get(trainee_id), self.trainers.get(trainer_id))
            {
                lines.entry(*trainee_id).or_default().push(trainer.line());
                lines.entry(*trainer_id).or_default().push(trainee.line());
            }
        }
        self.trainees
            .iter()
            .chain(&self.trainers)
            .map(|(id, contact)| (*id, contact, lines.remove(id).unwrap_or_default()))
            .collect()
    }
}

/// The contacts of a round's participants (not withdrawn) of institute `institute_id`: one query
/// a side, each joining the account for its language.
pub async fn contacts_of_round(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    institute_id: Uuid,
) -> Result<Contacts, DbErr> {
    let trainees = round_trainee::Entity::find()
        .filter(round_trainee::Column::RoundId.eq(round_id))
        .filter(round_trainee::Column::WithdrawnAt.is_null())
        .join(JoinType::InnerJoin, round_trainee::Relation::Trainee.def())
        .filter(trainee::Column::InstituteId.eq(institute_id));
    let trainers = round_trainer::Entity::find()
        .filter(round_trainer::Column::RoundId.eq(round_id))
        .filter(round_trainer::Column::WithdrawnAt.is_null())
        .join(JoinType::InnerJoin, round_trainer::Relation::Trainer.def())
        .filter(trainer::Column::InstituteId.eq(institute_id));
    use trainee::Column as Trainee;
    use trainer::Column as Trainer;
    let trainee_account = trainee::Entity::belongs_to(user::Entity)
        .from(Trainee::UserId)
        .to(user::Column::Id);
    let trainer_account = trainer::Entity::belongs_to(user::Entity)
        .from(Trainer::UserId)
        .to(user::Column::Id);
    Ok(Contacts {
        trainees: read_contacts(
            db,
            trainees.join(JoinType::LeftJoin, trainee_account.into()),
            [Trainee::Id, Trainee::Name, Trainee::Email],
        )
        .await?,
        trainers: read_contacts(
            db,
            trainers.join(JoinType::LeftJoin, trainer_account.into()),
            [Trainer::Id, Trainer::Name, Trainer::Email],
        )
        .await?,
    })
}

/// Reads `[id, name, email]` of the people `query` selects (joined to their accounts), with
/// their account's language.
async fn read_contacts<E: EntityTrait, C: ColumnTrait>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    [id, name, email]: [C; 3],
) -> Result<BTreeMap<Uuid, Contact>, DbErr> {
    let rows: Vec<(Uuid, String, String, Option<String>)> = query
        .select_only()
        .column(id)
        .column(name)
        .column(email)
        .column(user::Column::Locale)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, locale)| {
            let locale = locale
                .and_then(|code| Locale::from_code(&code))
                .unwrap_or_default();
            (
                id,
                Contact {
                    name,
                    email,
                    locale,
                },
            )
        })
        .collect())
}

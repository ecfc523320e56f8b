//! Queries for the steps of a round: preference lists, the interview proposal and interviews.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Statement,
};
use uuid::Uuid;

use super::cached::CachedQuery;
use super::{Reads, file_reads};

use super::entities::{
    coupling, coupling_run, final_ranking, interview, interview_proposal, preference, trainee,
    trainer, veto,
};

/// Replaces a trainee's preference list.
pub async fn replace_preferences(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
    trainers: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let statements = replacing_preferences(
        db.get_database_backend(),
        round_id,
        trainee_id,
        trainers,
        now,
    );
    super::execute_all(db, statements).await
}

/// The statements that replace a trainee's preference list, to run with others in one request
/// ([`super::execute_all`]).
pub fn replacing_preferences(
    backend: DbBackend,
    round_id: Uuid,
    trainee_id: Uuid,
    trainers: &[Uuid],
    now: DateTime<Utc>,
) -> Vec<Statement> {
    let delete = preference::Entity::delete_many()
        .filter(preference::Column::RoundId.eq(round_id))
        .filter(preference::Column::TraineeId.eq(trainee_id))
        .build(backend);
    if trainers.is_empty() {
        return vec![delete];
    }
    let rows = trainers
        .iter()
        .enumerate()
        .map(|(position, trainer_id)| preference::ActiveModel {
            round_id: Set(round_id),
            trainee_id: Set(trainee_id),
            trainer_id: Set(*trainer_id),
            rank: Set(position as i32 + 1),
            submitted_at: Set(now),
        });
    vec![delete, preference::Entity::insert_many(rows).build(backend)]
}

/// One trainee's preference list in a round, best first.
pub async fn preferences_of(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(preference::Entity::find()
        .filter(preference::Column::RoundId.eq(round_id))
        .filter(preference::Column::TraineeId.eq(trainee_id))
        .order_by_asc(preference::Column::Rank)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.trainer_id)
        .collect())
}

/// [`own_preferences`]'s query.
static OWN_PREFERENCES: CachedQuery<3> = CachedQuery::new(|[round_id, institute_id, user_id]| {
    use super::entities::round_trainee;
    use sea_orm::sea_query::{Condition, ExprTrait, Order, Query};
    let mut query = Query::select();
    query
        .column((round_trainee::Entity, round_trainee::Column::TraineeId))
        .column((preference::Entity, preference::Column::TrainerId));
    super::participants::from_trainee_of_user(&mut query, round_id, institute_id, user_id);
    query
        .left_join(
            preference::Entity,
            Condition::all()
                .add(
                    Expr::col((preference::Entity, preference::Column::RoundId))
                        .equals((round_trainee::Entity, round_trainee::Column::RoundId)),
                )
                .add(
                    Expr::col((preference::Entity, preference::Column::TraineeId))
                        .equals((round_trainee::Entity, round_trainee::Column::TraineeId)),
                ),
        )
        .order_by((preference::Entity, preference::Column::Rank), Order::Asc);
    query
});

/// A trainee's own preference list in a round, found from their account in one query (the
/// busiest read before a deadline): `None` when the account is no trainee of `institute_id`
/// taking part in the round (not withdrawn), `Some` of the list, best first, otherwise.
pub async fn own_preferences(
    reads: &Reads,
    round_id: Uuid,
    institute_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Vec<Uuid>>, DbErr> {
    let db = reads.pool();
    let statement =
        OWN_PREFERENCES.statement(db.get_database_backend(), [round_id, institute_id, user_id])?;
    // A participant without a list has one row, without trainer.
    if let Some(file) = reads.file() {
        return file.read(|connection| {
            let mut query = connection.prepare_cached(&statement.sql)?;
            let at = query.column_index("trainer_id")?;
            let mut rows =
                query.query(rusqlite::params_from_iter(file_reads::values(&statement)?))?;
            let mut list = None;
            while let Some(row) = rows.next()? {
                let list = list.get_or_insert_with(Vec::new);
                if let Some(trainer_id) = row.get::<_, Option<Uuid>>(at)? {
                    list.push(trainer_id);
                }
            }
            Ok(list)
        });
    }
    let rows = db.query_all_raw(statement).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(trainer_id) = row.try_get::<Option<Uuid>>("", "trainer_id")? {
            list.push(trainer_id);
        }
    }
    Ok(Some(list))
}

/// Every preference of a round, by trainee and rank.
pub async fn preferences(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<preference::Model>, DbErr> {
    preference::Entity::find()
        .filter(preference::Column::RoundId.eq(round_id))
        .order_by_asc(preference::Column::TraineeId)
        .order_by_asc(preference::Column::Rank)
        .all(db)
        .await
}

/// Stores a (new) draft proposal, replacing an earlier draft.
pub async fn save_draft_proposal(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    output_json: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    interview_proposal::Entity::delete_by_id(round_id)
        .exec(db)
        .await?;
    interview_proposal::Entity::insert(interview_proposal::ActiveModel {
        round_id: Set(round_id),
        status: Set("draft".to_owned()),
        output: Set(output_json),
        created_at: Set(now),
        published_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The round's proposal, if generated.
pub async fn proposal(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Option<interview_proposal::Model>, DbErr> {
    interview_proposal::Entity::find_by_id(round_id)
        .one(db)
        .await
}

/// Marks the draft published, if it still is a draft; answers whether it was.
pub async fn publish_proposal(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = interview_proposal::Entity::update_many()
        .col_expr(interview_proposal::Column::Status, Expr::value("published"))
        .col_expr(
            interview_proposal::Column::PublishedAt,
            Expr::value(Some(now)),
        )
        .filter(interview_proposal::Column::RoundId.eq(round_id))
        .filter(interview_proposal::Column::Status.eq("draft"))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records the interviews of a published proposal.
pub async fn insert_interviews(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    pairs: &[(Uuid, Uuid)],
) -> Result<(), DbErr> {
    if pairs.is_empty() {
        return Ok(());
    }
    let rows = pairs
        .iter()
        .map(|(trainee_id, trainer_id)| interview::ActiveModel {
            round_id: Set(round_id),
            trainee_id: Set(*trainee_id),
            trainer_id: Set(*trainer_id),
            planned_on: Set(None),
            held_on: Set(None),
        });
    interview::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Interviews of a round.
pub async fn interviews(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<interview::Model>, DbErr> {
    interview::Entity::find()
        .filter(interview::Column::RoundId.eq(round_id))
        .all(db)
        .await
}

/// Interviews between people who still take part (a withdrawn counterpart is no longer ranked).
pub async fn current_interviews(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<interview::Model>, DbErr> {
    let (trainees, trainers) = super::rounds::participant_ids(db, round_id).await?;
    Ok(interviews(db, round_id)
        .await?
        .into_iter()
        .filter(|i| trainees.contains(&i.trainee_id) && trainers.contains(&i.trainer_id))
        .collect())
}

/// The institute's trainee linked to a user account.
pub async fn trainee_of_user(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    user_id: Uuid,
) -> Result<Option<trainee::Model>, DbErr> {
    trainee::Entity::find()
        .filter(trainee::Column::InstituteId.eq(institute_id))
        .filter(trainee::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// The institute's trainer linked to a user account.
pub async fn trainer_of_user(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    user_id: Uuid,
) -> Result<Option<trainer::Model>, DbErr> {
    trainer::Entity::find()
        .filter(trainer::Column::InstituteId.eq(institute_id))
        .filter(trainer::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Links a trainee record to a user account.
pub async fn link_trainee(
    db: &impl ConnectionTrait,
    trainee_id: Uuid,
    user_id: Uuid,
) -> Result<(), DbErr> {
    trainee::Entity::update_many()
        .col_expr(trainee::Column::UserId, Expr::value(Some(user_id)))
        .filter(trainee::Column::Id.eq(trainee_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Links a trainer record to a user account.
pub async fn link_trainer(
    db: &impl ConnectionTrait,
    trainer_id: Uuid,
    user_id: Uuid,
) -> Result<(), DbErr> {
    trainer::Entity::update_many()
        .col_expr(trainer::Column::UserId, Expr::value(Some(user_id)))
        .filter(trainer::Column::Id.eq(trainer_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Replaces one side's final ranking.
pub async fn replace_final_ranking(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    side: &str,
    ranker_id: Uuid,
    ordered: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    final_ranking::Entity::delete_many()
        .filter(final_ranking::Column::RoundId.eq(round_id))
        .filter(final_ranking::Column::Side.eq(side))
        .filter(final_ranking::Column::RankerId.eq(ranker_id))
        .exec(db)
        .await?;
    if ordered.is_empty() {
        return Ok(());
    }
    let rows =
        ordered
            .iter()
            .enumerate()
            .map(|(position, counterpart)| final_ranking::ActiveModel {
                round_id: Set(round_id),
                side: Set(side.to_owned()),
                ranker_id: Set(ranker_id),
                counterpart_id: Set(*counterpart),
                rank: Set(position as i32 + 1),
                submitted_at: Set(now),
            });
    final_ranking::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Every final ranking of a round, by side, ranker and rank.
pub async fn final_rankings(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<final_ranking::Model>, DbErr> {
    final_ranking::Entity::find()
        .filter(final_ranking::Column::RoundId.eq(round_id))
        .order_by_asc(final_ranking::Column::Side)
        .order_by_asc(final_ranking::Column::RankerId)
        .order_by_asc(final_ranking::Column::Rank)
        .all(db)
        .await
}

/// Records a veto.
pub async fn insert_veto(db: &impl ConnectionTrait, row: veto::Model) -> Result<(), DbErr> {
    veto::Entity::insert(veto::ActiveModel {
        id: Set(row.id),
        round_id: Set(row.round_id),
        trainee_id: Set(row.trainee_id),
        trainer_id: Set(row.trainer_id),
        declared_by: Set(row.declared_by),
        category: Set(row.category),
        relationship: Set(row.relationship),
        note: Set(row.note),
        actor_id: Set(row.actor_id),
        created_at: Set(row.created_at),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Vetoes of a round, oldest first.
pub async fn vetoes(db: &impl ConnectionTrait, round_id: Uuid) -> Result<Vec<veto::Model>, DbErr> {
    veto::Entity::find()
        .filter(veto::Column::RoundId.eq(round_id))
        .order_by_asc(veto::Column::CreatedAt)
        .all(db)
        .await
}

/// The vetoes between one trainee and the round's trainers, oldest first.
pub async fn vetoes_of_trainee(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
) -> Result<Vec<veto::Model>, DbErr> {
    static VETOES_OF_TRAINEE: CachedQuery<2> = CachedQuery::new(|[round_id, trainee_id]| {
        veto::Entity::find()
            .filter(veto::Column::RoundId.eq(round_id))
            .filter(veto::Column::TraineeId.eq(trainee_id))
            .order_by_asc(veto::Column::CreatedAt)
            .into_query()
    });
    let statement =
        VETOES_OF_TRAINEE.statement(db.get_database_backend(), [round_id, trainee_id])?;
    db.query_all_raw(statement)
        .await?
        .iter()
        .map(|row| <veto::Model as sea_orm::FromQueryResult>::from_query_result(row, ""))
        .collect()
}

/// Stores a coupling run.
pub async fn insert_run(db: &impl ConnectionTrait, row: coupling_run::Model) -> Result<(), DbErr> {
    coupling_run::Entity::insert(coupling_run::ActiveModel {
        id: Set(row.id),
        round_id: Set(row.round_id),
        objective: Set(row.objective),
        input: Set(row.input),
        output: Set(row.output),
        matched: Set(row.matched),
        total_rank: Set(row.total_rank),
        created_by: Set(row.created_by),
        created_at: Set(row.created_at),
        published_at: Set(row.published_at),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Marks a run published; false when it was already (another request was first).
pub async fn mark_run_published(
    db: &impl ConnectionTrait,
    run_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = coupling_run::Entity::update_many()
        .col_expr(coupling_run::Column::PublishedAt, Expr::value(now))
        .filter(coupling_run::Column::Id.eq(run_id))
        .filter(coupling_run::Column::PublishedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Coupling runs of a round, oldest first.
pub async fn runs(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<coupling_run::Model>, DbErr> {
    coupling_run::Entity::find()
        .filter(coupling_run::Column::RoundId.eq(round_id))
        .order_by_asc(coupling_run::Column::CreatedAt)
        .all(db)
        .await
}

/// The round's latest published coupling run, if any.
pub async fn latest_published_run(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Option<coupling_run::Model>, DbErr> {
    coupling_run::Entity::find()
        .filter(coupling_run::Column::RoundId.eq(round_id))
        .filter(coupling_run::Column::PublishedAt.is_not_null())
        .order_by_desc(coupling_run::Column::PublishedAt)
        .one(db)
        .await
}

/// Every published coupling run as (round, when published), without their contents.
pub async fn published_runs(
    db: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, DateTime<Utc>)>, DbErr> {
    coupling_run::Entity::find()
        .select_only()
        .column(coupling_run::Column::RoundId)
        .column(coupling_run::Column::PublishedAt)
        .filter(coupling_run::Column::PublishedAt.is_not_null())
        .into_tuple::<(Uuid, Option<DateTime<Utc>>)>()
        .all(db)
        .await
        .map(|rows| {
            rows.into_iter()
                .filter_map(|(round, at)| at.map(|at| (round, at)))
                .collect()
        })
}

/// Stores published couplings: (trainee, trainer) from a run.
pub async fn insert_couplings(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    run_id: Uuid,
    pairs: &[(Uuid, Uuid)],
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if pairs.is_empty() {
        return Ok(());
    }
    let rows = pairs
        .iter()
        .map(|(trainee_id, trainer_id)| coupling::ActiveModel {
            round_id: Set(round_id),
            trainee_id: Set(*trainee_id),
            trainer_id: Set(*trainer_id),
            run_id: Set(Some(run_id)),
            reason: Set(None),
            created_by: Set(actor),
            created_at: Set(now),
        });
    coupling::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Published couplings of a round, by trainee (so that a trainer's mail lists theirs in one order).
pub async fn couplings(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<coupling::Model>, DbErr> {
    coupling::Entity::find()
        .filter(coupling::Column::RoundId.eq(round_id))
        .order_by_asc(coupling::Column::TraineeId)
        .all(db)
        .await
}

/// Sets an interview's planned and held days.
pub async fn update_interview(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
    trainer_id: Uuid,
    planned_on: Option<chrono::NaiveDate>,
    held_on: Option<chrono::NaiveDate>,
) -> Result<bool, DbErr> {
    let result = interview::Entity::update_many()
        .col_expr(interview::Column::PlannedOn, Expr::value(planned_on))
        .col_expr(interview::Column::HeldOn, Expr::value(held_on))
        .filter(interview::Column::RoundId.eq(round_id))
        .filter(interview::Column::TraineeId.eq(trainee_id))
        .filter(interview::Column::TrainerId.eq(trainer_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Dissolves the published couplings of a withdrawn participant; answers the pairs dissolved.
pub async fn dissolve_couplings(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Option<Uuid>,
    trainer_id: Option<Uuid>,
) -> Result<Vec<coupling::Model>, DbErr> {
    let mut query = coupling::Entity::find().filter(coupling::Column::RoundId.eq(round_id));
    if let Some(trainee_id) = trainee_id {
        query = query.filter(coupling::Column::TraineeId.eq(trainee_id));
    }
    if let Some(trainer_id) = trainer_id {
        query = query.filter(coupling::Column::TrainerId.eq(trainer_id));
    }
    let rows = query.all(db).await?;
    for row in &rows {
        coupling::Entity::delete_by_id((row.round_id, row.trainee_id))
            .exec(db)
            .await?;
    }
    Ok(rows)
}

/// Records a manual coupling with its reason.
pub async fn insert_manual_coupling(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    trainee_id: Uuid,
    trainer_id: Uuid,
    reason: &str,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    coupling::Entity::insert(coupling::ActiveModel {
        round_id: Set(round_id),
        trainee_id: Set(trainee_id),
        trainer_id: Set(trainer_id),
        run_id: Set(None),
        reason: Set(Some(reason.to_owned())),
        created_by: Set(actor),
        created_at: Set(now),
    })
    .exec(db)
    .await?;
    Ok(())
}

//! Deleting a closed round's personal data once the institute's retention period is over.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{
    coupling, coupling_run, final_ranking, interview_proposal, preference, round, round_trainee,
    trainee_profile, veto,
};

/// Closed rounds whose data is not deleted yet, with when they closed.
pub async fn closed_unpurged(
    db: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Uuid, DateTime<Utc>)>, DbErr> {
    Ok(round::Entity::find()
        .filter(round::Column::Phase.eq("closed"))
        .filter(round::Column::PurgedAt.is_null())
        .filter(round::Column::ClosedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| Some((row.id, row.institute_id, row.closed_at?)))
        .collect())
}

/// Deletes a round's vetoes, rankings, preferences, interview proposal and coupling runs (whose
/// inputs hold the rankings), keeps its couplings, and marks it purged. Answers how many rows
/// went.
pub async fn purge_round(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut deleted = 0;
    deleted += veto::Entity::delete_many()
        .filter(veto::Column::RoundId.eq(round_id))
        .exec(db)
        .await?
        .rows_affected;
    deleted += final_ranking::Entity::delete_many()
        .filter(final_ranking::Column::RoundId.eq(round_id))
        .exec(db)
        .await?
        .rows_affected;
    deleted += preference::Entity::delete_many()
        .filter(preference::Column::RoundId.eq(round_id))
        .exec(db)
        .await?
        .rows_affected;
    deleted += interview_proposal::Entity::delete_many()
        .filter(interview_proposal::Column::RoundId.eq(round_id))
        .exec(db)
        .await?
        .rows_affected;
    coupling::Entity::update_many()
        .col_expr(coupling::Column::RunId, Expr::value(Option::<Uuid>::None))
        .filter(coupling::Column::RoundId.eq(round_id))
        .exec(db)
        .await?;
    deleted += coupling_run::Entity::delete_many()
        .filter(coupling_run::Column::RoundId.eq(round_id))
        .exec(db)
        .await?
        .rows_affected;
    round::Entity::update_many()
        .col_expr(round::Column::PurgedAt, Expr::value(Some(now)))
        .filter(round::Column::Id.eq(round_id))
        .exec(db)
        .await?;
    Ok(deleted)
}

/// Deletes the CV and photo of each of the round's trainees who takes part in no other round
/// whose data is still kept. Answers how many profiles lost their files.
pub async fn clear_files(db: &impl ConnectionTrait, round_id: Uuid) -> Result<u64, DbErr> {
    let trainees: Vec<Uuid> = round_trainee::Entity::find()
        .filter(round_trainee::Column::RoundId.eq(round_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.trainee_id)
        .collect();
    let mut cleared = 0;
    for trainee_id in trainees {
        let rounds: Vec<Uuid> = round_trainee::Entity::find()
            .filter(round_trainee::Column::TraineeId.eq(trainee_id))
            .filter(round_trainee::Column::RoundId.ne(round_id))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.round_id)
            .collect();
        let kept = if rounds.is_empty() {
            0
        } else {
            round::Entity::find()
                .filter(round::Column::Id.is_in(rounds))
                .filter(round::Column::PurgedAt.is_null())
                .count(db)
                .await?
        };
        if kept > 0 {
            continue;
        }
        cleared += trainee_profile::Entity::update_many()
            .col_expr(
                trainee_profile::Column::Cv,
                Expr::value(Option::<Vec<u8>>::None),
            )
            .col_expr(
                trainee_profile::Column::Photo,
                Expr::value(Option::<Vec<u8>>::None),
            )
            .col_expr(
                trainee_profile::Column::PhotoType,
                Expr::value(Option::<String>::None),
            )
            .filter(trainee_profile::Column::TraineeId.eq(trainee_id))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(cleared)
}

//! Queries of the lottery's hand-over to the institutes.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{lottery, lottery_candidate, lottery_location};

/// Links a location to an institute (or unlinks it); answers whether the location exists.
pub async fn set_location_institute(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
    location_id: &str,
    institute_id: Option<Uuid>,
) -> Result<bool, DbErr> {
    let result = lottery_location::Entity::update_many()
        .col_expr(
            lottery_location::Column::InstituteId,
            Expr::value(institute_id),
        )
        .filter(lottery_location::Column::LotteryId.eq(lottery_id))
        .filter(lottery_location::Column::LocationId.eq(location_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks a lottery handed over with its placement start, unless it already is; answers
/// whether this call did.
pub async fn mark_handed_over(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
    placement_start: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = lottery::Entity::update_many()
        .col_expr(
            lottery::Column::PlacementStart,
            Expr::value(placement_start),
        )
        .col_expr(lottery::Column::HandedOverAt, Expr::value(now))
        .filter(lottery::Column::Id.eq(lottery_id))
        .filter(lottery::Column::HandedOverAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Every location linked to an institute.
pub async fn locations_of_institute(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
) -> Result<Vec<lottery_location::Model>, DbErr> {
    lottery_location::Entity::find()
        .filter(lottery_location::Column::InstituteId.eq(institute_id))
        .all(db)
        .await
}

/// Records the trainee a candidate was imported as, unless they already were; answers whether
/// this call did.
pub async fn set_candidate_trainee(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
    candidate_id: &str,
    trainee_id: Uuid,
) -> Result<bool, DbErr> {
    let result = lottery_candidate::Entity::update_many()
        .col_expr(
            lottery_candidate::Column::TraineeId,
            Expr::value(trainee_id),
        )
        .filter(lottery_candidate::Column::LotteryId.eq(lottery_id))
        .filter(lottery_candidate::Column::CandidateId.eq(candidate_id))
        .filter(lottery_candidate::Column::TraineeId.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

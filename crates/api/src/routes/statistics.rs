//! Anonymised statistics: public for published coupling rounds and drawn lotteries, and an
//! institute's rounds side by side for its coordinators.

use actix_web::{get, web};
use koppel_api_types::{
    LotteryStatistics, Problem, RoundStatistics, StatisticsIndex, StatisticsTrends,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::openapi::responses::{InstituteNotFound, Unauthorized};
use crate::services::statistics as service;
use crate::state::AppState;

/// What has public statistics: every published coupling round and every drawn lottery, newest
/// first. No sign-in needed.
#[utoipa::path(
    tag = "statistics", operation_id = "listStatistics",
    responses(
        (status = 200, description = "Published rounds and drawn lotteries.", body = StatisticsIndex),
    )
)]
#[get("/statistics")]
pub async fn index(state: web::Data<AppState>) -> Result<web::Json<StatisticsIndex>, ApiError> {
    Ok(web::Json(service::index(&state).await?))
}

/// A coupling round in figures, once its coupling is published: trainees coupled and not, the
/// ranks both sides gave each other, the share at first choice and the blocking pairs. Counts
/// of fewer than five people are `null`, and so is any count they could be worked out from. No
/// sign-in needed.
#[utoipa::path(
    tag = "statistics", operation_id = "getRoundStatistics",
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "The round's statistics.", body = RoundStatistics),
        (status = 404, description = "No such round, or its coupling is not published.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/statistics/rounds/{round_id}")]
pub async fn round(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<web::Json<RoundStatistics>, ApiError> {
    Ok(web::Json(service::round(&state, path.into_inner()).await?))
}

/// A placement lottery in figures, once drawn: the round report the national body publishes,
/// per location and per preference rank, counts of fewer than five people `null`. No sign-in
/// needed.
#[utoipa::path(
    tag = "statistics", operation_id = "getLotteryStatistics",
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    responses(
        (status = 200, description = "The lottery's statistics.", body = LotteryStatistics),
        (status = 404, description = "No such lottery, or not drawn yet.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/statistics/lotteries/{lottery_id}")]
pub async fn lottery(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<web::Json<LotteryStatistics>, ApiError> {
    Ok(web::Json(
        service::lottery(&state, path.into_inner()).await?,
    ))
}

/// The statistics of each of the institute's published rounds, oldest first, to follow them
/// over time (coordinators, administrators and integrations).
#[utoipa::path(
    tag = "statistics", operation_id = "getInstituteStatisticsTrends", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "Per published round.", body = StatisticsTrends),
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
    )
)]
#[get("/statistics")]
pub async fn trends(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<StatisticsTrends>, ApiError> {
    Ok(web::Json(StatisticsTrends {
        items: service::trends(&state, &principal, path.into_inner()).await?,
    }))
}

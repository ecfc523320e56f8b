//! From the placement lottery to the institutes: locations linked to institutes, the hand-over
//! after the second chance, and the A-team's import of its placed candidates.

use actix_web::{HttpResponse, get, patch, post, web};
use koppel_api_types::{
    HandoverRequest, HandoverResponse, LocationInstituteRequest, PlacedCandidateListResponse,
    PlacedImportResponse, Problem,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{InstituteNotFound, LotteryNotFound, Unauthorized};
use crate::services::lottery_handover as service;
use crate::state::AppState;

/// Links a lottery location to the institute its placed candidates are handed to, or unlinks
/// it (administrators; until the hand-over).
#[utoipa::path(
    tag = "lottery", operation_id = "linkLotteryLocation", security(("bearer" = [])),
    params(
        ("lottery_id" = Uuid, Path, description = "Lottery id"),
        ("location_id" = String, Path, description = "Location id, as in the candidates' preferences"),
    ),
    request_body(content = LocationInstituteRequest, example = json!({"institute_id": "0b9f6a9e-4c1d-4f0e-9a51-6f2f3d7c8b10"})),
    responses(
        (status = 204, description = "Linked."),
        Unauthorized,
        (status = 403, description = "Only administrators run lotteries.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lottery or location.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already handed over.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The institute does not exist.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/locations/{location_id}")]
pub async fn link_lottery_location(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, String)>,
    body: ValidJson<LocationInstituteRequest>,
) -> Result<HttpResponse, ApiError> {
    let (lottery_id, location_id) = path.into_inner();
    service::link_location(
        &state,
        &principal,
        lottery_id,
        &location_id,
        body.0.institute_id,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hands the placed candidates (by the draw and by accepted second-chance offers) to the
/// institutes of their locations, with their placement start; each institute's A-team is
/// mailed. Once, after the second chance is over (administrators).
#[utoipa::path(
    tag = "lottery", operation_id = "handOverLottery", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    request_body(content = HandoverRequest, example = json!({"placement_start": "2027-03-01"})),
    responses(
        (status = 200, description = "Handed over; per institute, how many candidates.", body = HandoverResponse),
        Unauthorized,
        (status = 403, description = "Only administrators run lotteries.", body = Problem, content_type = "application/problem+json"),
        LotteryNotFound,
        (status = 409, description = "Not drawn, offers still open, already handed over, or a location with placed candidates is not linked to an institute; `detail` says which.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`placement_start` is not the first day of March, June, September or December after the draw.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/handover")]
pub async fn hand_over_lottery(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<HandoverRequest>,
) -> Result<web::Json<HandoverResponse>, ApiError> {
    Ok(web::Json(
        service::hand_over(
            &state,
            &principal,
            path.into_inner(),
            body.0.placement_start,
        )
        .await?,
    ))
}

/// The placed candidates handed to the institute, with whether each is imported yet (its
/// A-team and administrators).
#[utoipa::path(
    tag = "people", operation_id = "listPlacedCandidates", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "By lottery and name.", body = PlacedCandidateListResponse),
        Unauthorized,
        (status = 403, description = "Only the A-team, administrators and integrations see them.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
    )
)]
#[get("/placed-candidates")]
pub async fn list_placed_candidates(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<PlacedCandidateListResponse>, ApiError> {
    let items = service::placed(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(PlacedCandidateListResponse { items }))
}

/// Imports every handed-over candidate not imported yet as a year-1 trainee of the institute,
/// the placement start as training start, in one step (all or nothing).
#[utoipa::path(
    tag = "people", operation_id = "importPlacedCandidates", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 201, description = "The new trainees (none when every candidate was imported already).", body = PlacedImportResponse),
        Unauthorized,
        (status = 403, description = "Only the A-team, administrators and integrations import them.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        (status = 409, description = "A candidate's e-mail address is already a trainee's; nothing was imported and `detail` names them.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/placed-candidates/import")]
pub async fn import_placed_candidates(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let trainee_ids = service::import(&state, &principal, path.into_inner()).await?;
    Ok(HttpResponse::Created().json(PlacedImportResponse {
        imported: trainee_ids.len() as u32,
        trainee_ids,
    }))
}

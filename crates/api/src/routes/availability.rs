//! Trainer availability before a round: the O-team's requests and reminders, and the trainers'
//! answers.

use actix_web::{HttpResponse, get, post, put, web};
use koppel_api_types::{
    AvailabilityAnswerRequest, AvailabilityRequestRequest, AvailabilityRequestsSent,
    MyAvailabilityRequest, MyAvailabilityRequestList, Problem, TrainerAvailability,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{RoundNotFound, Unauthorized};
use crate::services::availability::{self as service, MyRequest};
use crate::state::AppState;
use crate::store::entities::trainer_availability;

/// The API form of a request and its answer.
pub fn availability_response(row: trainer_availability::Model) -> TrainerAvailability {
    let answered = row.answered_at.is_some();
    let available = row.available.filter(|_| answered);
    TrainerAvailability {
        requested_at: row.requested_at,
        reminded_at: row.reminded_at,
        answered_at: row.answered_at,
        available,
        training_years: [(row.year_1, 1), (row.year_3, 3)]
            .into_iter()
            .filter(|(offered, _)| *offered)
            .map(|(_, year)| year)
            .collect(),
        capacity: (available == Some(true)).then(|| row.capacity.clamp(1, 2) as u8),
        note: row.note,
    }
}

fn my_request_response(request: MyRequest) -> MyAvailabilityRequest {
    MyAvailabilityRequest {
        round_id: request.round.id,
        start_month: request.round.key.month().to_string().to_lowercase(),
        start_year: request.round.key.year(),
        placement_start: request.round.schedule.placement_start,
        offered_years: request.offered.iter().map(|y| y.number()).collect(),
        open: koppel_domain::availability::is_open(request.round.phase),
        availability: availability_response(request.row),
    }
}

/// Asks the round's candidate trainers (eligible for a year it couples) whether they can take
/// a trainee, by mail with a link to Koppel; trainers without an account are invited. With
/// `remind`, mails those asked who have not answered instead. The O-team, in draft or step 1.
#[utoipa::path(
    tag = "rounds", operation_id = "requestAvailability", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = AvailabilityRequestRequest, examples(
        ("ask" = (summary = "Ask every candidate not asked yet", value = json!({}))),
        ("remind" = (summary = "Remind who has not answered", value = json!({"remind": true}))),
    )),
    responses(
        (status = 202, description = "Mails queued.", body = AvailabilityRequestsSent),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations ask trainers.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        (status = 409, description = "The round is past step 1: availability is asked before it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`remind` is not a boolean.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/availability-requests")]
pub async fn request_availability(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<AvailabilityRequestRequest>,
) -> Result<HttpResponse, ApiError> {
    let sent = service::request(&state, &principal, path.into_inner(), body.0.remind).await?;
    Ok(HttpResponse::Accepted().json(AvailabilityRequestsSent { sent: sent as u64 }))
}

/// The signed-in trainer's availability requests, newest placement first, with their answers.
#[utoipa::path(
    tag = "rounds", operation_id = "listMyAvailabilityRequests", security(("bearer" = [])),
    responses(
        (status = 200, description = "The requests.", body = MyAvailabilityRequestList),
        Unauthorized,
        (status = 403, description = "Only trainers are asked for availability.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/availability-requests")]
pub async fn list_my_availability_requests(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<MyAvailabilityRequestList>, ApiError> {
    let items = service::mine(&state, &principal)
        .await?
        .into_iter()
        .map(my_request_response)
        .collect();
    Ok(web::Json(MyAvailabilityRequestList { items }))
}

/// The signed-in trainer answers a round's availability request (and may change the answer
/// until step 1 ends).
#[utoipa::path(
    tag = "rounds", operation_id = "answerAvailability", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = AvailabilityAnswerRequest, examples(
        ("available" = (summary = "Available for both years, duo practice", value = json!({"available": true, "training_years": [1, 3], "capacity": 2, "note": "Duopraktijk met dr. Jansen."}))),
        ("not available" = (summary = "Not this round", value = json!({"available": false, "note": "Met verlof tot september."}))),
    )),
    responses(
        (status = 200, description = "The answer as stored.", body = MyAvailabilityRequest),
        Unauthorized,
        (status = 403, description = "Only trainers answer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The O-team has not asked this trainer for this round (or it is another institute's).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The round is past step 1.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Available without a year, a year not offered, a capacity other than 1 or 2, or a note over 1000 characters; the field is named.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/availability/mine")]
pub async fn answer_availability(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<AvailabilityAnswerRequest>,
) -> Result<web::Json<MyAvailabilityRequest>, ApiError> {
    let answered = service::answer(&state, &principal, path.into_inner(), &body.0).await?;
    Ok(web::Json(my_request_response(answered)))
}

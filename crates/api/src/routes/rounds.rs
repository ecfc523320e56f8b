//! `/institutes/{id}/rounds` and `/rounds/{id}`: coupling rounds, phases and participants.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use koppel_api_types::{
    AddRoundTraineeRequest, AddRoundTrainerRequest, AuditEntryResponse, AuditLogResponse,
    CandidateTrainerListResponse, CandidateTrainerResponse, CreateRoundRequest,
    DueTraineeListResponse, DueTraineeResponse, HoldRequest, Problem, RoundListResponse,
    RoundResponse, ScheduleResponse, SetCapacityRequest, TransitionRequest,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{InstituteNotFound, RoundNotFound, RoundReadersOnly, Unauthorized};
use crate::services::rounds as service;
use crate::state::AppState;
use crate::store::rounds::Round;

async fn round_response(state: &AppState, round: Round) -> Result<RoundResponse, ApiError> {
    let (trainees, trainers) = service::participant_counts(state, round.id).await?;
    Ok(RoundResponse {
        id: round.id,
        institute_id: round.institute_id,
        start_month: round.key.month().to_string().to_lowercase(),
        start_year: round.key.year(),
        training_years: round
            .key
            .training_years()
            .iter()
            .map(|y| y.number())
            .collect(),
        phase: round.phase.as_str().to_owned(),
        schedule: ScheduleResponse {
            opens: round.schedule.opens,
            profiles_deadline: round.schedule.profiles_deadline,
            preferences_deadline: round.schedule.preferences_deadline,
            final_ranking_deadline: round.schedule.final_ranking_deadline,
            placement_start: round.schedule.placement_start,
        },
        trainees,
        trainers,
        created_at: round.created_at,
        held: round.held,
    })
}

/// Lists the institute's rounds, latest placement first.
#[utoipa::path(
    tag = "rounds", operation_id = "listRounds", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "The rounds.", body = RoundListResponse),
        Unauthorized,
        (status = 403, description = "The role may not list rounds.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
    )
)]
#[get("/rounds")]
pub async fn list_rounds(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<RoundListResponse>, ApiError> {
    let mut items = Vec::new();
    for round in service::list(&state, &principal, path.into_inner()).await? {
        items.push(round_response(&state, round).await?);
    }
    Ok(web::Json(RoundListResponse { items }))
}

/// The rounds the caller takes part in as trainee or trainer, latest placement first: what the
/// SPA's home page shows (phase, schedule and deadlines). Empty for other roles.
#[utoipa::path(
    tag = "rounds", operation_id = "listMyRounds", security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's rounds.", body = RoundListResponse),
        Unauthorized,
    )
)]
#[get("/me/rounds")]
pub async fn list_my_rounds(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<RoundListResponse>, ApiError> {
    let mut items = Vec::new();
    for round in service::mine(&state, &principal).await? {
        items.push(round_response(&state, round).await?);
    }
    Ok(web::Json(RoundListResponse { items }))
}

/// Creates a round for a placement start; the schedule comes from the calendar (three months
/// before the start, six weeks), with optional deadline overrides that must stay in order. A
/// round created on or after its opening day starts held (`held`), so its calendar does not
/// open step 1 while participants are still being added.
#[utoipa::path(
    tag = "rounds", operation_id = "createRound", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = CreateRoundRequest, example = json!({"start_month": "september", "start_year": 2027})),
    responses(
        (status = 201, description = "Created in phase `draft`.", body = RoundResponse),
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations create rounds.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        (status = 409, description = "A round for this placement start exists.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Impossible month/year combination or deadlines out of order; `errors` says which field and why.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/rounds")]
pub async fn create_round(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<CreateRoundRequest>,
) -> Result<HttpResponse, ApiError> {
    let round = service::create(&state, &principal, path.into_inner(), &body.0).await?;
    let location = format!("/api/v1/rounds/{}", round.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(round_response(&state, round).await?))
}

/// One round.
#[utoipa::path(
    tag = "rounds", operation_id = "getRound", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "The round.", body = RoundResponse),
        Unauthorized,
        RoundReadersOnly,
        RoundNotFound,
    )
)]
#[get("")]
pub async fn get_round(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<RoundResponse>, ApiError> {
    let round = service::get(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(round_response(&state, round).await?))
}

/// Moves a round to its next phase, or cancels it. A refused move says why in `detail`.
#[utoipa::path(
    tag = "rounds", operation_id = "transitionRound", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = TransitionRequest, example = json!({"to": "profiles"})),
    responses(
        (status = 200, description = "Moved.", body = RoundResponse),
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations move rounds.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        (status = 409, description = "Refused by a guard (for example: no participants yet); `detail` says why.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown phase.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/transitions")]
pub async fn transition_round(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<TransitionRequest>,
) -> Result<web::Json<RoundResponse>, ApiError> {
    let round = service::transition(&state, &principal, path.into_inner(), &body.0.to).await?;
    Ok(web::Json(round_response(&state, round).await?))
}

/// Holds a round's calendar (no step opens on its date, no reminders go) or lets it run again.
/// Coordinators may still move a held round by hand.
#[utoipa::path(
    tag = "rounds", operation_id = "holdRound", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = HoldRequest, example = json!({"held": true})),
    responses(
        (status = 200, description = "The round, held or running.", body = RoundResponse),
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations hold rounds.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        (status = 409, description = "The round is closed or cancelled: its calendar has nothing left to do.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`held` missing or not a boolean.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/hold")]
pub async fn hold_round(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<HoldRequest>,
) -> Result<web::Json<RoundResponse>, ApiError> {
    let round = service::hold(&state, &principal, path.into_inner(), body.0.held).await?;
    Ok(web::Json(round_response(&state, round).await?))
}

/// Trainees of the institute due for the round by their curriculum (for the A-team).
#[utoipa::path(
    tag = "rounds", operation_id = "listDueTrainees", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Due trainees by name.", body = DueTraineeListResponse),
        Unauthorized,
        RoundReadersOnly,
        RoundNotFound,
    )
)]
#[get("/due-trainees")]
pub async fn due_trainees(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<DueTraineeListResponse>, ApiError> {
    let items = service::due_trainees(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(|(row, year, added)| DueTraineeResponse {
            trainee_id: row.id,
            name: row.name,
            training_year: year.number(),
            added,
        })
        .collect();
    Ok(web::Json(DueTraineeListResponse { items }))
}

/// Trainers eligible for the round, in continuity order: never had a trainee first, then the
/// longest without one; ties by name, then id (for the O-team).
#[utoipa::path(
    tag = "rounds", operation_id = "listCandidateTrainers", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Eligible trainers in continuity order.", body = CandidateTrainerListResponse),
        Unauthorized,
        RoundReadersOnly,
        RoundNotFound,
    )
)]
#[get("/candidate-trainers")]
pub async fn candidate_trainers(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<CandidateTrainerListResponse>, ApiError> {
    let items = service::candidate_trainers(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(|candidate| CandidateTrainerResponse {
            trainer_id: candidate.row.id,
            last_trainee_end: candidate.row.last_trainee_end_known(),
            name: candidate.row.name,
            continuity_rank: candidate.continuity_rank,
            eligible_for: candidate.eligible_for,
            large_scale_structure: candidate.row.large_scale_structure,
            added: candidate.capacity.is_some(),
            capacity: candidate.capacity,
            availability: candidate
                .availability
                .map(super::availability::availability_response),
        })
        .collect();
    Ok(web::Json(CandidateTrainerListResponse { items }))
}

/// Adds a due trainee to the round (the A-team; in `draft` or `profiles`).
#[utoipa::path(
    tag = "rounds", operation_id = "addRoundTrainee", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body = AddRoundTraineeRequest,
    responses(
        (status = 204, description = "Added."),
        Unauthorized,
        (status = 403, description = "Only the A-team, administrators and integrations add trainees.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        (status = 409, description = "Already added, or the round's phase no longer allows it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown trainee, or not due for this round (the reason names the dates).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/trainees")]
pub async fn add_round_trainee(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<AddRoundTraineeRequest>,
) -> Result<HttpResponse, ApiError> {
    service::add_trainee(&state, &principal, path.into_inner(), body.0.trainee_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds an available trainer to the round (the O-team; in `draft` or `profiles`).
#[utoipa::path(
    tag = "rounds", operation_id = "addRoundTrainer", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body = AddRoundTrainerRequest,
    responses(
        (status = 204, description = "Added."),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations add trainers.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        (status = 409, description = "Already added, or the round's phase no longer allows it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown trainer, not eligible, or a capacity outside 1-4.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/trainers")]
pub async fn add_round_trainer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<AddRoundTrainerRequest>,
) -> Result<HttpResponse, ApiError> {
    service::add_trainer(
        &state,
        &principal,
        path.into_inner(),
        body.0.trainer_id,
        body.0.capacity,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets how many trainees a trainer takes in the round (the O-team): 2 for a duo practice.
///
/// Possible until the round is closed or cancelled, also after publication (a re-run or a
/// manual coupling can then fill the new place), but not below the trainees the trainer is
/// coupled to now.
#[utoipa::path(
    tag = "rounds", operation_id = "setRoundTrainerCapacity", security(("bearer" = [])),
    params(
        ("round_id" = Uuid, Path, description = "Round id"),
        ("trainer_id" = Uuid, Path, description = "Trainer id"),
    ),
    request_body(content = SetCapacityRequest, example = json!({"capacity": 2})),
    responses(
        (status = 204, description = "Set."),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such round in the caller's institute, or the trainer does not take part in it.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The round is over, or the trainer is coupled to more trainees than that.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A capacity outside 1-4.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/trainers/{trainer_id}")]
pub async fn set_trainer_capacity(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<SetCapacityRequest>,
) -> Result<HttpResponse, ApiError> {
    let (round_id, trainer_id) = path.into_inner();
    service::set_capacity(&state, &principal, round_id, trainer_id, body.0.capacity).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The round's audit log, oldest first (coordinators).
#[utoipa::path(
    tag = "rounds", operation_id = "getRoundAuditLog", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Entries.", body = AuditLogResponse),
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations read the audit log.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
    )
)]
#[get("/audit")]
pub async fn round_audit_log(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<AuditLogResponse>, ApiError> {
    let items = service::audit_log(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(|entry| AuditEntryResponse {
            action: entry.action,
            summary: entry.summary,
            actor_id: entry.actor_id,
            created_at: entry.created_at,
        })
        .collect();
    Ok(web::Json(AuditLogResponse { items }))
}

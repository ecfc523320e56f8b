//! `/rounds/{id}/...` for step 2 and the interviews: rankable trainers, preference lists, the
//! interview proposal and each participant's interviews.

use actix_web::{HttpResponse, get, post, put, web};
use koppel_api_types::{
    InterviewCounterpartResponse, InterviewUpdateRequest, MyInterviewsResponse, PreferencesRequest,
    PreferencesResponse, Problem, ProgressResponse, ProposalAdjustmentRequest,
    RankableTrainerListResponse, RankableTrainerResponse, ReminderRequest, ReminderResponse,
    RoundPreferencesResponse, TraineePreferencesResponse,
};
use koppel_matcher::interviews::InterviewOutput;
use uuid::Uuid;

use super::sheet::{Cell, ExportQuery, Sheet, sheet_response};
use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{
    CoordinatorsOnly, RoundNotFound, RoundNotFoundForParticipant, SolveBusy, SpreadsheetExport,
    Unauthorized, Validation,
};
use crate::services::steps as service;
use crate::services::tables;
use crate::state::AppState;

/// Trainers the calling trainee may rank in step 2 (available, eligible for their year and not
/// excluded by the coupling rules), with the minimum list length.
#[utoipa::path(
    tag = "steps", operation_id = "listRankableTrainers", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Rankable trainers by name.", body = RankableTrainerListResponse),
        Unauthorized,
        (status = 403, description = "Only trainees rank trainers.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
    )
)]
#[get("/rankable-trainers")]
pub async fn rankable_trainers(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<RankableTrainerListResponse>, ApiError> {
    let (trainers, minimum) = service::rankable(&state, &principal, path.into_inner()).await?;
    let items = trainers
        .into_iter()
        .map(|(trainer, practice)| RankableTrainerResponse {
            trainer_id: trainer.id,
            name: trainer.name,
            practice: practice.as_ref().map(|p| p.name.clone()),
            city: practice.map(|p| p.city),
            large_scale_structure: trainer.large_scale_structure,
        })
        .collect();
    Ok(web::Json(RankableTrainerListResponse { items, minimum }))
}

/// Submits or replaces the calling trainee's preference list, until the preferences deadline.
#[utoipa::path(
    tag = "steps", operation_id = "submitPreferences", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body = PreferencesRequest,
    responses(
        (status = 200, description = "Stored.", body = PreferencesResponse),
        Unauthorized,
        (status = 403, description = "Only trainees submit preferences.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
        (status = 409, description = "Wrong phase, or the deadline has passed; `detail` names it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Duplicates, trainers that cannot be ranked, or too short; `errors` names each entry.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/preferences")]
pub async fn submit_preferences(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<PreferencesRequest>,
) -> Result<web::Json<PreferencesResponse>, ApiError> {
    let round_id = path.into_inner();
    service::submit_preferences(&state, &principal, round_id, &body.0.trainer_ids).await?;
    Ok(web::Json(PreferencesResponse {
        trainer_ids: body.0.trainer_ids,
    }))
}

/// The calling trainee's preference list.
#[utoipa::path(
    tag = "steps", operation_id = "getMyPreferences", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "The list; empty when not submitted.", body = PreferencesResponse),
        Unauthorized,
        (status = 403, description = "Only trainees have preferences.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
    )
)]
#[get("/preferences/mine")]
pub async fn my_preferences(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<PreferencesResponse>, ApiError> {
    let trainer_ids = service::my_preferences(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(PreferencesResponse { trainer_ids }))
}

/// Every trainee's preferences and who has not submitted yet (coordinators).
#[utoipa::path(
    tag = "steps", operation_id = "listRoundPreferences", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Per trainee.", body = RoundPreferencesResponse),
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations see all preferences.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
    )
)]
#[get("/preferences")]
pub async fn round_preferences(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<RoundPreferencesResponse>, ApiError> {
    let items = service::round_preferences(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(|(trainee, trainer_ids)| TraineePreferencesResponse {
            trainee_id: trainee.id,
            name: trainee.name,
            submitted: !trainer_ids.is_empty(),
            trainer_ids,
        })
        .collect();
    Ok(web::Json(RoundPreferencesResponse { items }))
}

/// Every submitted preference of the round as a table (coordinators): a row per trainee and rank,
/// as CSV or as an Excel workbook with `?format=xlsx`. Columns: `trainee`, `trainee_email`,
/// `rank` (1 = first choice), `trainer`, `trainer_email`.
#[utoipa::path(
    tag = "steps", operation_id = "exportRoundPreferences", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ExportQuery),
    responses(
        SpreadsheetExport,
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations see all preferences.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        Validation,
    )
)]
#[get("/preferences/export")]
pub async fn export_round_preferences(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let written = query.written()?;
    let rows = tables::preference_rows(&state, &principal, path.into_inner()).await?;
    let sheet = Sheet {
        name: "preferences",
        header: &[
            "trainee",
            "trainee_email",
            "rank",
            "trainer",
            "trainer_email",
        ],
        rows: rows
            .into_iter()
            .map(|(trainee, rank, trainer)| {
                vec![
                    Cell::text(trainee.name),
                    Cell::text(trainee.email),
                    Cell::integer(rank),
                    Cell::text(trainer.name),
                    Cell::text(trainer.email),
                ]
            })
            .collect(),
    };
    sheet_response(&sheet, written)
}

/// Generates the draft interview proposal with the matcher (coordinators, phase `preferences`):
/// four candidates per trainee, every trainer covered when possible, a complete coupling
/// guaranteed within the interviews when one exists. Regenerating replaces the draft.
#[utoipa::path(
    tag = "steps", operation_id = "generateInterviewProposal", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "The draft proposal.", body = InterviewOutput),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
        (status = 409, description = "Wrong phase, or already published.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The round is larger than the solve limits, or `time_limit_reached`: no proposal was proven optimal within the time limit.", body = Problem, content_type = "application/problem+json"),
        SolveBusy,
    )
)]
#[post("/interview-proposal")]
pub async fn generate_proposal(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<InterviewOutput>, ApiError> {
    Ok(web::Json(
        service::generate_proposal(&state, &principal, path.into_inner()).await?,
    ))
}

/// Publishes the draft proposal: the interviews are recorded and both sides get a mail with
/// their counterparts. Then the round may move to `interviews`.
#[utoipa::path(
    tag = "steps", operation_id = "publishInterviewProposal", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 204, description = "Published."),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
        (status = 409, description = "No draft to publish, or already published.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/interview-proposal/publish")]
pub async fn publish_proposal(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service::publish_proposal(&state, &principal, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's interviews with contact details (trainees and trainers).
#[utoipa::path(
    tag = "steps", operation_id = "getMyInterviews", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Counterparts by name; empty before publication.", body = MyInterviewsResponse),
        Unauthorized,
        (status = 403, description = "Only trainees and trainers have interviews.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
    )
)]
#[get("/interviews/mine")]
pub async fn my_interviews(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<MyInterviewsResponse>, ApiError> {
    let items = service::my_interviews(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(|c| InterviewCounterpartResponse {
            trainee_id: c.trainee_id,
            trainer_id: c.trainer_id,
            name: c.name,
            email: c.email,
            practice: c.practice,
            planned_on: c.planned_on,
            held_on: c.held_on,
        })
        .collect();
    Ok(web::Json(MyInterviewsResponse { items }))
}

/// The calling trainee records an interview with a trainer as planned and/or held.
#[utoipa::path(
    tag = "steps", operation_id = "recordInterview", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ("trainer_id" = Uuid, Path, description = "Trainer id")),
    request_body(content = InterviewUpdateRequest, example = json!({"planned_on": "2027-06-30"})),
    responses(
        (status = 204, description = "Recorded."),
        Unauthorized,
        (status = 403, description = "Only trainees record interviews.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such round or interview for the caller.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Wrong phase, or the deadline has passed.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Held before planned.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/interviews/{trainer_id}")]
pub async fn record_interview(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<InterviewUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let (round_id, trainer_id) = path.into_inner();
    service::record_interview(
        &state,
        &principal,
        round_id,
        trainer_id,
        body.0.planned_on,
        body.0.held_on,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The round dashboard: per step (account activation, preferences, final rankings), who is done
/// and who is not (coordinators).
#[utoipa::path(
    tag = "steps", operation_id = "getRoundProgress", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Progress per step.", body = ProgressResponse),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
    )
)]
#[get("/progress")]
pub async fn round_progress(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<ProgressResponse>, ApiError> {
    Ok(web::Json(
        crate::services::progress::progress(&state, &principal, path.into_inner()).await?,
    ))
}

/// Mails a reminder to everyone who has not done a step yet (coordinators).
#[utoipa::path(
    tag = "steps", operation_id = "sendReminders", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = ReminderRequest, example = json!({"step": "preferences"})),
    responses(
        (status = 200, description = "How many reminders were queued.", body = ReminderResponse),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
        (status = 409, description = "The step is not open in the round's phase.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown step.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reminders")]
pub async fn send_reminders(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<ReminderRequest>,
) -> Result<web::Json<ReminderResponse>, ApiError> {
    let sent =
        crate::services::progress::remind(&state, &principal, path.into_inner(), &body.0.step)
            .await?;
    Ok(web::Json(ReminderResponse { sent }))
}

/// Replaces one trainee's interview candidates in the draft proposal by hand (coordinators,
/// before publishing). Added trainers must be allowed by the coupling rules and vetoes; a
/// trainer the trainee did not rank gets rank 0. The response shows the recomputed load,
/// coverage and coupling guarantee.
#[utoipa::path(
    tag = "steps", operation_id = "adjustInterviewProposal", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ("trainee_id" = Uuid, Path, description = "Trainee id")),
    request_body = ProposalAdjustmentRequest,
    responses(
        (status = 200, description = "The adjusted draft.", body = InterviewOutput),
        Unauthorized,
        CoordinatorsOnly,
        (status = 404, description = "No such round, or the trainee does not take part.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No draft to adjust, or already published.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A trainer listed twice or not allowed; `errors` names each.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/interview-proposal/trainees/{trainee_id}")]
pub async fn adjust_proposal(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<ProposalAdjustmentRequest>,
) -> Result<web::Json<InterviewOutput>, ApiError> {
    let (round_id, trainee_id) = path.into_inner();
    Ok(web::Json(
        service::adjust_proposal(
            &state,
            &principal,
            round_id,
            trainee_id,
            &body.0.trainer_ids,
        )
        .await?,
    ))
}

//! Step 1: profiles, with CV and photo uploads served back with safe headers.

use actix_web::http::header;
use actix_web::{HttpResponse, get, put, web};
use koppel_api_types::{
    Problem, TraineeProfileRequest, TraineeProfileResponse, TrainerProfileRequest,
    TrainerProfileResponse,
};
use uuid::Uuid;

use super::sheet::BinaryFile;
use crate::error::ApiError;
use crate::extract::{Principal, ValidJson, read_limited};
use crate::openapi::responses::ProfileFrozen;
use crate::openapi::responses::Unauthorized;
use crate::services::profiles::{self as service, CV_LIMIT, PHOTO_LIMIT};
use crate::state::AppState;
use crate::store::entities::{
    trainee, trainee_profile as trainee_profile_row, trainer,
    trainer_profile as trainer_profile_row,
};

fn trainee_response(
    row: &trainee::Model,
    profile: Option<trainee_profile_row::Model>,
) -> TraineeProfileResponse {
    let profile = profile.as_ref();
    TraineeProfileResponse {
        trainee_id: row.id,
        name: row.name.clone(),
        introduction: profile.map(|p| p.introduction.clone()).unwrap_or_default(),
        experience: profile.map(|p| p.experience.clone()).unwrap_or_default(),
        learning_wishes: profile
            .map(|p| p.learning_wishes.clone())
            .unwrap_or_default(),
        has_cv: profile.is_some_and(|p| p.cv.is_some()),
        has_photo: profile.is_some_and(|p| p.photo.is_some()),
        updated_at: profile.map(|p| p.updated_at),
    }
}

fn trainer_response(
    row: &trainer::Model,
    profile: Option<trainer_profile_row::Model>,
) -> TrainerProfileResponse {
    TrainerProfileResponse {
        trainer_id: row.id,
        name: row.name.clone(),
        learning_plan: profile
            .as_ref()
            .map(|p| p.learning_plan.clone())
            .unwrap_or_default(),
        practice_description: profile
            .as_ref()
            .map(|p| p.practice_description.clone())
            .unwrap_or_default(),
        updated_at: profile.map(|p| p.updated_at),
    }
}

/// A stored file, served so a browser can never run it: its checked type, no sniffing, a
/// sandboxing content security policy, and no caching.
fn file_response(bytes: Vec<u8>, content_type: &str, disposition: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header((header::CONTENT_DISPOSITION, disposition.to_owned()))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// The calling trainee's profile.
#[utoipa::path(
    tag = "profiles", operation_id = "getMyTraineeProfile", security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile (empty fields when never written).", body = TraineeProfileResponse),
        Unauthorized,
        (status = 403, description = "Only trainees have a trainee profile.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No trainee record is linked to the account.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/trainee-profile")]
pub async fn my_trainee_profile(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<TraineeProfileResponse>, ApiError> {
    let (me, profile) = service::my_trainee_profile(&state, &principal).await?;
    Ok(web::Json(trainee_response(&me, profile)))
}

/// Writes the calling trainee's profile text (each field at most 10,000 characters).
#[utoipa::path(
    tag = "profiles", operation_id = "saveMyTraineeProfile", security(("bearer" = [])),
    request_body = TraineeProfileRequest,
    responses(
        (status = 200, description = "Saved.", body = TraineeProfileResponse),
        Unauthorized,
        (status = 403, description = "Only trainees have a trainee profile.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No trainee record is linked to the account.", body = Problem, content_type = "application/problem+json"),
        ProfileFrozen,
        (status = 422, description = "A field is too long.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/trainee-profile")]
pub async fn save_my_trainee_profile(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<TraineeProfileRequest>,
) -> Result<web::Json<TraineeProfileResponse>, ApiError> {
    let (me, profile) = service::save_trainee_text(&state, &principal, &body.0).await?;
    Ok(web::Json(trainee_response(&me, profile)))
}

/// Uploads the calling trainee's CV: a PDF of at most 5 MB, checked by its content.
#[utoipa::path(
    tag = "profiles", operation_id = "uploadMyCv", security(("bearer" = [])),
    request_body(description = "The PDF file, sent as `application/pdf` or `application/octet-stream` (the content tells).", content(
        (BinaryFile = "application/pdf"),
        (BinaryFile = "application/octet-stream"),
    )),
    responses(
        (status = 204, description = "Stored."),
        Unauthorized,
        (status = 403, description = "Only trainees upload a CV.", body = Problem, content_type = "application/problem+json"),
        ProfileFrozen,
        (status = 413, description = "Larger than 5 MB.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a PDF.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/trainee-profile/cv")]
pub async fn upload_cv(
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    service::my_trainee(&state, &principal).await?;
    let bytes = read_limited(payload, CV_LIMIT).await?;
    service::upload_cv(&state, &principal, bytes).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Uploads the calling trainee's photo: a JPEG or PNG of at most 2 MB, checked by its content.
#[utoipa::path(
    tag = "profiles", operation_id = "uploadMyPhoto", security(("bearer" = [])),
    request_body(description = "The JPEG or PNG image, sent as `image/jpeg`, `image/png` or `application/octet-stream` (the content tells).", content(
        (BinaryFile = "image/jpeg"),
        (BinaryFile = "image/png"),
        (BinaryFile = "application/octet-stream"),
    )),
    responses(
        (status = 204, description = "Stored."),
        Unauthorized,
        (status = 403, description = "Only trainees upload a photo.", body = Problem, content_type = "application/problem+json"),
        ProfileFrozen,
        (status = 413, description = "Larger than 2 MB.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a JPEG or PNG image.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/trainee-profile/photo")]
pub async fn upload_photo(
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    service::my_trainee(&state, &principal).await?;
    let bytes = read_limited(payload, PHOTO_LIMIT).await?;
    service::upload_photo(&state, &principal, bytes).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A trainee's profile: for the trainee, their institute's coordinators, and trainers who
/// interview them. Others get 404.
#[utoipa::path(
    tag = "profiles", operation_id = "getTraineeProfile", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainee_id" = Uuid, Path, description = "Trainee id")),
    responses(
        (status = 200, description = "The profile.", body = TraineeProfileResponse),
        Unauthorized,
        (status = 404, description = "No such trainee, or not readable by the caller.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trainees/{trainee_id}/profile")]
pub async fn get_trainee_profile(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<TraineeProfileResponse>, ApiError> {
    let (institute_id, trainee_id) = path.into_inner();
    let (row, profile) =
        service::readable_trainee(&state, &principal, institute_id, trainee_id).await?;
    Ok(web::Json(trainee_response(&row, profile)))
}

/// A trainee's CV (PDF), as an attachment, for those who may read the profile.
#[utoipa::path(
    tag = "profiles", operation_id = "getTraineeCv", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainee_id" = Uuid, Path, description = "Trainee id")),
    responses(
        (status = 200, description = "The PDF.", body = BinaryFile, content_type = "application/pdf"),
        Unauthorized,
        (status = 404, description = "No CV, or not readable by the caller.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trainees/{trainee_id}/cv")]
pub async fn trainee_cv(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, trainee_id) = path.into_inner();
    let (_, profile) =
        service::readable_trainee(&state, &principal, institute_id, trainee_id).await?;
    let cv = profile
        .and_then(|p| p.cv)
        .ok_or_else(|| ApiError::NotFound("no CV was uploaded".to_owned()))?;
    Ok(file_response(
        cv,
        "application/pdf",
        "attachment; filename=\"cv.pdf\"",
    ))
}

/// A trainee's photo, for those who may read the profile.
#[utoipa::path(
    tag = "profiles", operation_id = "getTraineePhoto", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainee_id" = Uuid, Path, description = "Trainee id")),
    responses(
        (status = 200, description = "The JPEG or PNG image.", content(
            (BinaryFile = "image/jpeg"),
            (BinaryFile = "image/png"),
        )),
        Unauthorized,
        (status = 404, description = "No photo, or not readable by the caller.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trainees/{trainee_id}/photo")]
pub async fn trainee_photo(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, trainee_id) = path.into_inner();
    let (_, profile) =
        service::readable_trainee(&state, &principal, institute_id, trainee_id).await?;
    let profile = profile.ok_or_else(|| ApiError::NotFound("no photo was uploaded".to_owned()))?;
    let kind = profile
        .photo_type
        .clone()
        .unwrap_or_else(|| "image/jpeg".to_owned());
    let photo = profile
        .photo
        .ok_or_else(|| ApiError::NotFound("no photo was uploaded".to_owned()))?;
    Ok(file_response(photo, &kind, "inline"))
}

/// The calling trainer's learning plan and practice description.
#[utoipa::path(
    tag = "profiles", operation_id = "getMyTrainerProfile", security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile.", body = TrainerProfileResponse),
        Unauthorized,
        (status = 403, description = "Only trainers have a trainer profile.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No trainer record is linked to the account.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/trainer-profile")]
pub async fn my_trainer_profile(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<TrainerProfileResponse>, ApiError> {
    let (me, profile) = service::my_trainer_profile(&state, &principal).await?;
    Ok(web::Json(trainer_response(&me, profile)))
}

/// Writes the calling trainer's learning plan and practice description.
#[utoipa::path(
    tag = "profiles", operation_id = "saveMyTrainerProfile", security(("bearer" = [])),
    request_body = TrainerProfileRequest,
    responses(
        (status = 200, description = "Saved.", body = TrainerProfileResponse),
        Unauthorized,
        (status = 403, description = "Only trainers have a trainer profile.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No trainer record is linked to the account.", body = Problem, content_type = "application/problem+json"),
        ProfileFrozen,
        (status = 422, description = "A field is too long.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/trainer-profile")]
pub async fn save_my_trainer_profile(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<TrainerProfileRequest>,
) -> Result<web::Json<TrainerProfileResponse>, ApiError> {
    let (me, profile) = service::save_trainer(&state, &principal, &body.0).await?;
    Ok(web::Json(trainer_response(&me, profile)))
}

/// A trainer's profile: for the trainer, their institute's coordinators, and trainees taking
/// part in a round with them. Others get 404.
#[utoipa::path(
    tag = "profiles", operation_id = "getTrainerProfile", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainer_id" = Uuid, Path, description = "Trainer id")),
    responses(
        (status = 200, description = "The profile.", body = TrainerProfileResponse),
        Unauthorized,
        (status = 404, description = "No such trainer, or not readable by the caller.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trainers/{trainer_id}/profile")]
pub async fn get_trainer_profile(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<TrainerProfileResponse>, ApiError> {
    let (institute_id, trainer_id) = path.into_inner();
    let (row, profile) =
        service::readable_trainer(&state, &principal, institute_id, trainer_id).await?;
    Ok(web::Json(trainer_response(&row, profile)))
}

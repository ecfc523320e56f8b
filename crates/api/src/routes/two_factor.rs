//! `/me/two-factor`: enrolling an authenticator app (TOTP), recovery codes, and turning
//! two-factor sign-in off.

use actix_web::{HttpResponse, get, post, web};
use koppel_api_types::{
    ConfirmTwoFactorRequest, Problem, RecoveryCodesResponse, TurnOffTwoFactorRequest,
    TwoFactorEnrolment, TwoFactorStatus,
};

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{Unauthorized, WrongPasswordsThrottled};
use crate::services;
use crate::state::AppState;

/// The signed-in user's two-factor sign-in: on or not, required or not, recovery codes left.
#[utoipa::path(
    tag = "auth",
    operation_id = "getMyTwoFactor",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The state of two-factor sign-in.", body = TwoFactorStatus,
            example = json!({"enabled": true, "required": true, "recovery_codes_left": 9})),
        Unauthorized,
        (status = 403, description = "API keys may not call this.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/two-factor")]
pub async fn my_two_factor(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<TwoFactorStatus>, ApiError> {
    Ok(web::Json(
        services::two_factor::status(&state, &principal).await?,
    ))
}

/// Starts enrolling an authenticator app: a new secret, as text, as `otpauth://` URI and as a
/// QR code drawn by the server.
///
/// Nothing changes until `/me/two-factor/confirm` gets a code of the new secret; while
/// two-factor sign-in is on, the old app keeps working until then. Starting again replaces a
/// secret not yet confirmed.
#[utoipa::path(
    tag = "auth",
    operation_id = "startTwoFactorEnrolment",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The secret to enrol, shown only now.", body = TwoFactorEnrolment),
        Unauthorized,
        (status = 403, description = "API keys have no second factor.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/two-factor")]
pub async fn start_enrolment(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<TwoFactorEnrolment>, ApiError> {
    Ok(web::Json(
        services::two_factor::start(&state, &principal).await?,
    ))
}

/// Confirms the enrolment with a code of the app: two-factor sign-in is on from now, with ten
/// new recovery codes shown only in this answer. Every other sign-in of the account ends.
#[utoipa::path(
    tag = "auth",
    operation_id = "confirmTwoFactor",
    security(("bearer" = [])),
    request_body(content = ConfirmTwoFactorRequest, example = json!({"code": "123456"})),
    responses(
        (status = 200, description = "On; the recovery codes, shown only now.", body = RecoveryCodesResponse),
        Unauthorized,
        (status = 403, description = "API keys have no second factor.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No enrolment was started.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`code` is not the app's current code for the new secret.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/two-factor/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<ConfirmTwoFactorRequest>,
) -> Result<web::Json<RecoveryCodesResponse>, ApiError> {
    let recovery_codes = services::two_factor::confirm(&state, &principal, &body.0.code).await?;
    Ok(web::Json(RecoveryCodesResponse { recovery_codes }))
}

/// Turns two-factor sign-in off, after checking the password. Not for accounts that must use
/// it (administrators; coordinators of an institute that requires it).
#[utoipa::path(
    tag = "auth",
    operation_id = "turnOffTwoFactor",
    security(("bearer" = [])),
    request_body(content = TurnOffTwoFactorRequest, example = json!({"current_password": "lange zin als wachtwoord"})),
    responses(
        (status = 204, description = "Off; the secret and recovery codes are deleted."),
        Unauthorized,
        (status = 403, description = "The account must use two-factor sign-in, or the caller is an API key.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is wrong (`current_password`).", body = Problem, content_type = "application/problem+json"),
        WrongPasswordsThrottled,
        (status = 503, description = "Too many passwords are being checked at once; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/me/two-factor/off")]
pub async fn turn_off(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<TurnOffTwoFactorRequest>,
) -> Result<HttpResponse, ApiError> {
    services::two_factor::turn_off(&state, &principal, body.0.current_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

//! `/auth/*` and `/me`: sign-in, tokens, activation and the current user.

use actix_web::{HttpResponse, get, patch, post, web};
use koppel_api_types::{
    ActivateRequest, ChangePasswordRequest, InstituteSummary, LoginRequest, LogoutRequest,
    MeResponse, PasswordResetConfirmRequest, PasswordResetRequest, Problem, RefreshRequest,
    TokenResponse, UpdateMeRequest,
};
use koppel_domain::NewPassword;

use crate::error::ApiError;
use crate::extract::{ClientAddress, Principal, ValidJson};
use crate::services;
use crate::startup::AppState;

/// Signs in with e-mail address and password.
///
/// Returns a 15-minute access token and a single-use refresh token; the sign-in lasts at most
/// 30 days. The same answer is given for an unknown address and a wrong password. After 5
/// failures in a row for one address (20 from one client address), each further failure locks
/// sign-in for a doubling delay (30 s up to 15 min), answered 429 with `Retry-After`, also for
/// addresses without an account.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body(content = LoginRequest, example = json!({"email": "a-team@demo.koppel.test", "password": "demo-wachtwoord"})),
    responses(
        (status = 200, description = "Signed in.", body = TokenResponse),
        (status = 401, description = "Wrong e-mail address or password, or the account is not active.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or of the wrong type.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this address or from this client; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is accepted."))),
        (status = 503, description = "Too many sign-ins are being checked at once; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: ValidJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let LoginRequest { email, password } = body.0;
    Ok(web::Json(
        services::auth::login(&state, &email, password, client.as_deref()).await?,
    ))
}

/// Exchanges a refresh token for a new access and refresh token.
///
/// Each refresh token works once. Presenting a used one ends the whole sign-in it came from.
#[utoipa::path(
    tag = "auth",
    operation_id = "refreshTokens",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens.", body = TokenResponse),
        (status = 401, description = "The refresh token is unknown, used, revoked or expired.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ValidJson<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    Ok(web::Json(
        services::auth::refresh(&state, &body.0.refresh_token).await?,
    ))
}

/// Signs out: ends the sign-in of the refresh token. Its refresh tokens and its access tokens stop
/// working at once.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Signed out (also when the token was unknown)."),
        (status = 422, description = "The refresh token is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: ValidJson<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    services::auth::logout(&state, &body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Activates an invited account by choosing a password, and signs in.
#[utoipa::path(
    tag = "auth",
    operation_id = "activateAccount",
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "Activated and signed in.", body = TokenResponse),
        (status = 401, description = "The activation token is unknown, used or expired.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password does not meet the policy.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unusable tokens from this client; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is accepted."))),
        (status = 503, description = "Too many passwords are being hashed at once; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/auth/activate")]
pub async fn activate(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: ValidJson<ActivateRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let ActivateRequest { token, password } = body.0;
    let password =
        NewPassword::parse(&password).map_err(|error| ApiError::field("password", error))?;
    Ok(web::Json(
        services::auth::activate(&state, &token, password, client.as_deref()).await?,
    ))
}

/// Asks for a password-reset link by mail (valid one hour, usable once). The answer is the same
/// whether or not the address has an account.
#[utoipa::path(
    tag = "auth",
    operation_id = "requestPasswordReset",
    request_body(content = PasswordResetRequest, example = json!({"email": "aios@demo.koppel.test"})),
    responses(
        (status = 202, description = "If the address has an active account, a mail with a reset link is on its way."),
        (status = 422, description = "Not an e-mail address.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    body: ValidJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    services::auth::request_password_reset(&state, &body.0.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Chooses a new password with the token from the reset mail, and signs in. Every other
/// sign-in of the account ends.
#[utoipa::path(
    tag = "auth",
    operation_id = "resetPassword",
    request_body = PasswordResetConfirmRequest,
    responses(
        (status = 200, description = "New password set; signed in.", body = TokenResponse),
        (status = 401, description = "The reset token is unknown, used or expired.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password does not meet the policy.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unusable tokens from this client; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is accepted."))),
        (status = 503, description = "Too many passwords are being hashed at once; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn reset_password(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: ValidJson<PasswordResetConfirmRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let PasswordResetConfirmRequest { token, password } = body.0;
    let password =
        NewPassword::parse(&password).map_err(|error| ApiError::field("password", error))?;
    Ok(web::Json(
        services::auth::reset_password(&state, &token, password, client.as_deref()).await?,
    ))
}

fn me_response(user: services::auth::Me) -> MeResponse {
    MeResponse {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        locale: user.locale,
        institute: user.institute.map(|institute| InstituteSummary {
            id: institute.id,
            name: institute.name,
        }),
    }
}

/// Changes the signed-in user's password. Every other sign-in of the account ends at once; this
/// one continues. A wrong current password counts as a failed sign-in of the account.
#[utoipa::path(
    tag = "auth",
    operation_id = "changePassword",
    security(("bearer" = [])),
    request_body(content = ChangePasswordRequest, example = json!({"current_password": "lange zin als wachtwoord", "new_password": "nieuwe lange zin als wachtwoord"})),
    responses(
        (status = 204, description = "Changed; the other sign-ins have ended."),
        (status = 401, description = "No valid access token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API keys have no password.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong (`current_password`), or the new one does not meet the policy (`new_password`).", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords for this account; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is accepted."))),
        (status = 503, description = "Too many passwords are being hashed at once; `Retry-After` says when to try again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.0;
    let new_password = NewPassword::parse(&new_password)
        .map_err(|error| ApiError::field("new_password", error))?;
    services::auth::change_password(&state, &principal, current_password, new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Changes the signed-in user's language (interface and mails).
#[utoipa::path(
    tag = "auth",
    operation_id = "updateMe",
    security(("bearer" = [])),
    request_body(content = UpdateMeRequest, example = json!({"locale": "en"})),
    responses(
        (status = 200, description = "The signed-in user as changed.", body = MeResponse),
        (status = 401, description = "No valid access token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API keys have no personal settings.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a known language.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<UpdateMeRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let user = services::auth::update_me(&state, &principal, body.0.locale).await?;
    Ok(web::Json(me_response(user)))
}

/// The signed-in user, with role and institute.
#[utoipa::path(
    tag = "auth",
    operation_id = "getMe",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user.", body = MeResponse),
        (status = 401, description = "No valid access token, or the account is no longer active.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<MeResponse>, ApiError> {
    let user = services::auth::me(&state, &principal).await?;
    Ok(web::Json(me_response(user)))
}

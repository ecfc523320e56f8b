//! `/auth/*` and `/me`: sign-in, tokens, activation and the current user.

use actix_web::{HttpResponse, get, post, web};
use koppel_api_types::{
    ActivateRequest, InstituteSummary, LoginRequest, LogoutRequest, MeResponse, Problem,
    RefreshRequest, TokenResponse,
};
use koppel_domain::NewPassword;

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::services;
use crate::startup::AppState;

/// Signs in with e-mail address and password.
///
/// Returns a 15-minute access token and a single-use refresh token. The same answer is given for
/// an unknown address and a wrong password.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body(content = LoginRequest, example = json!({"email": "a-team@demo.koppel.test", "password": "demo-wachtwoord"})),
    responses(
        (status = 200, description = "Signed in.", body = TokenResponse),
        (status = 401, description = "Wrong e-mail address or password, or the account is not active.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or of the wrong type.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: ValidJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let LoginRequest { email, password } = body.0;
    Ok(web::Json(
        services::auth::login(&state, &email, password).await?,
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

/// Signs out: revokes the refresh token and every token rotated from the same sign-in.
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
    )
)]
#[post("/auth/activate")]
pub async fn activate(
    state: web::Data<AppState>,
    body: ValidJson<ActivateRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let ActivateRequest { token, password } = body.0;
    let password =
        NewPassword::parse(&password).map_err(|error| ApiError::field("password", error))?;
    Ok(web::Json(
        services::auth::activate(&state, &token, password).await?,
    ))
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
    let me = services::auth::me(&state, &principal).await?;
    Ok(web::Json(MeResponse {
        id: me.id,
        email: me.email,
        display_name: me.display_name,
        role: me.role,
        locale: me.locale,
        institute: me.institute.map(|institute| InstituteSummary {
            id: institute.id,
            name: institute.name,
        }),
    }))
}

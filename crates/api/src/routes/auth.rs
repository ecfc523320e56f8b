//! `/auth/*` and `/me`: sign-in, tokens, activation and the current user.

use actix_web::{HttpResponse, get, patch, post, web};
use koppel_api_types::{
    ActivateRequest, ChangePasswordRequest, InstituteSummary, LoginRequest, LogoutRequest,
    MeResponse, PasswordResetConfirmRequest, PasswordResetRequest, Problem, RefreshRequest,
    TokenResponse, UpdateMeRequest,
};
use koppel_domain::NewPassword;

use actix_web::HttpRequest;
use actix_web::http::header;

use crate::error::ApiError;
use crate::extract::{ClientAddress, Principal, ValidJson};
use crate::openapi::responses::{
    PasswordsBusy, TokensThrottled, Unauthorized, WrongPasswordsThrottled,
};
use crate::services;
use crate::state::AppState;

/// The cookie that carries a browser's refresh token.
pub const REFRESH_COOKIE: &str = "koppel_refresh";
/// The only paths the cookie is sent to.
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";
/// A cookie scripts may read, with no secret in it: that a sign-in may be resumed, so a new page
/// does not ask for a refresh (and get 401) when there is none.
pub const SIGNED_IN_COOKIE: &str = "koppel_session";
/// The header with which a browser asks for the refresh token in the cookie.
pub const COOKIE_MODE_HEADER: &str = "x-koppel-refresh";

/// Whether the caller asked for the refresh token in the cookie. A custom header cannot be sent
/// cross-site without a CORS preflight, so the cookie is never used for a forged request.
fn wants_cookie(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(COOKIE_MODE_HEADER)
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"cookie"))
}

/// The two cookies of a browser sign-in: the HttpOnly refresh token and the readable marker.
fn cookies(state: &AppState, refresh_token: &str, max_age: i64) -> [String; 2] {
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let marker = if max_age > 0 { "1" } else { "" };
    [
        format!(
            "{REFRESH_COOKIE}={refresh_token}; Path={REFRESH_COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
        ),
        format!("{SIGNED_IN_COOKIE}={marker}; Path=/; Max-Age={max_age}; SameSite=Strict{secure}"),
    ]
}

/// The answer with new tokens: in cookie mode the refresh token goes into the cookie and the
/// body's is empty.
fn tokens_answer(
    state: &AppState,
    request: &HttpRequest,
    mut tokens: TokenResponse,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if wants_cookie(request) {
        let refresh_token = std::mem::take(&mut tokens.refresh_token);
        for cookie in cookies(state, &refresh_token, tokens.refresh_expires_in) {
            response.append_header((header::SET_COOKIE, cookie));
        }
    }
    response.json(tokens)
}

/// The refresh token of a request: the body's, or the cookie's in cookie mode.
fn presented_refresh_token(request: &HttpRequest, body: Option<String>) -> Option<String> {
    body.filter(|token| !token.is_empty()).or_else(|| {
        wants_cookie(request)
            .then(|| {
                request
                    .headers()
                    .get_all(header::COOKIE)
                    .filter_map(|value| value.to_str().ok())
                    .flat_map(|value| value.split(';'))
                    .find_map(|pair| {
                        pair.trim()
                            .strip_prefix(REFRESH_COOKIE)
                            .and_then(|rest| rest.strip_prefix('='))
                            .map(str::to_owned)
                    })
            })
            .flatten()
    })
}

/// Signs in with e-mail address and password, and a code for accounts with two-factor sign-in.
///
/// Returns a 15-minute access token and a single-use refresh token; the sign-in lasts at most
/// 30 days. The same answer is given for an unknown address and a wrong password. After 5
/// failures in a row for one address (20 from one client address), each further failure locks
/// sign-in for a doubling delay (30 s up to 15 min), answered 429 with `Retry-After`, also for
/// addresses without an account.
///
/// An account with two-factor sign-in is answered 401 `second_factor_required` when the
/// password is right but `one_time_code` is missing, wrong or used; send the request again with
/// the current code of the authenticator app or a recovery code. A wrong code counts as a failed
/// sign-in; each code works once.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    params(("X-Koppel-Refresh" = Option<String>, Header, description = "`cookie`: the refresh token travels in the HttpOnly cookie `koppel_refresh` (path `/api/v1/auth`, SameSite=Strict, Secure behind https) instead of the body; for browsers.")),
    request_body(content = LoginRequest, examples(
        ("password" = (summary = "Password only", value = json!({"email": "a-team@demo.koppel.test", "password": "demo-wachtwoord"}))),
        ("second factor" = (summary = "With the authenticator app's code", value = json!({"email": "admin@demo.koppel.test", "password": "demo-wachtwoord", "one_time_code": "123456"}))),
    )),
    responses(
        (status = 200, description = "Signed in.", body = TokenResponse),
        (status = 401, description = "Wrong e-mail address or password, or the account is not active (`invalid_credentials`); or the password is right and the account's second factor is needed: `one_time_code` missing, wrong or used (`second_factor_required`).", body = Problem, content_type = "application/problem+json"),
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
    request: HttpRequest,
    client: ClientAddress,
    body: ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest {
        email,
        password,
        one_time_code,
    } = body.0;
    if one_time_code
        .as_ref()
        .is_some_and(|code| code.chars().count() > 40)
    {
        return Err(ApiError::field("one_time_code", "is at most 40 characters"));
    }
    let tokens = services::auth::login(
        &state,
        &email,
        password,
        one_time_code.as_deref(),
        client.as_deref(),
    )
    .await?;
    Ok(tokens_answer(&state, &request, tokens))
}

/// Exchanges a refresh token for a new access and refresh token.
///
/// Each refresh token works once. Presenting a used one ends the whole sign-in it came from.
#[utoipa::path(
    tag = "auth",
    operation_id = "refreshTokens",
    params(("X-Koppel-Refresh" = Option<String>, Header, description = "`cookie`: the refresh token travels in the HttpOnly cookie `koppel_refresh` (path `/api/v1/auth`, SameSite=Strict, Secure behind https) instead of the body; for browsers.")),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens.", body = TokenResponse),
        (status = 401, description = "The refresh token is unknown, used, revoked or expired.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token =
        presented_refresh_token(&request, body.0.refresh_token).ok_or(ApiError::InvalidToken(
            "send the refresh token, in the body or (with X-Koppel-Refresh: cookie) the cookie",
        ))?;
    let tokens = services::auth::refresh(&state, &token).await?;
    Ok(tokens_answer(&state, &request, tokens))
}

/// Signs out: ends the sign-in of the refresh token. Its refresh tokens and its access tokens stop
/// working at once.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    params(("X-Koppel-Refresh" = Option<String>, Header, description = "`cookie`: the refresh token travels in the HttpOnly cookie `koppel_refresh` (path `/api/v1/auth`, SameSite=Strict, Secure behind https) instead of the body; for browsers.")),
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Signed out (also when the token was unknown)."),
        (status = 422, description = "The refresh token is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: ValidJson<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = presented_refresh_token(&request, body.0.refresh_token) {
        services::auth::logout(&state, &token).await?;
    }
    let mut response = HttpResponse::NoContent();
    if wants_cookie(&request) {
        for cookie in cookies(&state, "", 0) {
            response.append_header((header::SET_COOKIE, cookie));
        }
    }
    Ok(response.finish())
}

/// Activates an invited account by choosing a password, and signs in.
#[utoipa::path(
    tag = "auth",
    operation_id = "activateAccount",
    params(("X-Koppel-Refresh" = Option<String>, Header, description = "`cookie`: the refresh token travels in the HttpOnly cookie `koppel_refresh` (path `/api/v1/auth`, SameSite=Strict, Secure behind https) instead of the body; for browsers.")),
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "Activated and signed in.", body = TokenResponse),
        (status = 401, description = "The activation token is unknown, used or expired.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password does not meet the policy.", body = Problem, content_type = "application/problem+json"),
        TokensThrottled,
        PasswordsBusy,
    )
)]
#[post("/auth/activate")]
pub async fn activate(
    state: web::Data<AppState>,
    request: HttpRequest,
    client: ClientAddress,
    body: ValidJson<ActivateRequest>,
) -> Result<HttpResponse, ApiError> {
    let ActivateRequest { token, password } = body.0;
    let password =
        NewPassword::parse(&password).map_err(|error| ApiError::field("password", error))?;
    let tokens = services::auth::activate(&state, &token, password, client.as_deref()).await?;
    Ok(tokens_answer(&state, &request, tokens))
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
    params(("X-Koppel-Refresh" = Option<String>, Header, description = "`cookie`: the refresh token travels in the HttpOnly cookie `koppel_refresh` (path `/api/v1/auth`, SameSite=Strict, Secure behind https) instead of the body; for browsers.")),
    request_body = PasswordResetConfirmRequest,
    responses(
        (status = 200, description = "New password set; signed in.", body = TokenResponse),
        (status = 401, description = "The reset token is unknown, used or expired.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password does not meet the policy.", body = Problem, content_type = "application/problem+json"),
        TokensThrottled,
        PasswordsBusy,
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn reset_password(
    state: web::Data<AppState>,
    request: HttpRequest,
    client: ClientAddress,
    body: ValidJson<PasswordResetConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    let PasswordResetConfirmRequest { token, password } = body.0;
    let password =
        NewPassword::parse(&password).map_err(|error| ApiError::field("password", error))?;
    let tokens =
        services::auth::reset_password(&state, &token, password, client.as_deref()).await?;
    Ok(tokens_answer(&state, &request, tokens))
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
        two_factor: user.two_factor,
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
        Unauthorized,
        (status = 403, description = "API keys have no password.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong (`current_password`), or the new one does not meet the policy (`new_password`).", body = Problem, content_type = "application/problem+json"),
        WrongPasswordsThrottled,
        PasswordsBusy,
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
        Unauthorized,
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
    request: actix_web::HttpRequest,
) -> Result<web::Json<MeResponse>, ApiError> {
    use actix_web::HttpMessage;
    // The account as the account middleware read it (at most a second ago).
    let checked = request
        .extensions()
        .get::<crate::auth::accounts::Checked>()
        .map(|account| account.user.clone());
    let user = services::auth::me(&state, &principal, checked).await?;
    Ok(web::Json(me_response(user)))
}

/// Downloads everything Koppel holds that is the signed-in person's own (the right of access):
/// the account, the trainee or trainer record with its profile and history, and per round the
/// preferences, interviews, final ranking and vetoes they submitted and who they are coupled to.
/// How others ranked or vetoed them is not included: that stays confidential.
#[utoipa::path(
    tag = "auth",
    operation_id = "exportMyData",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's own data, as a JSON download.", body = koppel_api_types::MyDataExport,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"koppel-mijn-gegevens.json\"`"))),
        Unauthorized,
        (status = 403, description = "API keys have no personal data.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/export")]
pub async fn export_my_data(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let export = services::export::export(&state, &principal).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"koppel-mijn-gegevens.json\"",
        ))
        .json(export))
}

//! `/institutes` and `/institutes/{id}/users`.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use koppel_api_types::{
    ApiKeyCreatedResponse, ApiKeyListResponse, ApiKeyResponse, CreateApiKeyRequest,
    CreateInstituteRequest, FieldError, InstituteListResponse, InstituteResponse,
    InviteUserRequest, OutboxListResponse, OutboxMailResponse, Problem, UpdateInstituteRequest,
    UpdateUserRequest, UserListResponse, UserResponse,
};
use koppel_domain::{DisplayName, EmailAddress};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{
    AdministratorsOnly, CoordinatorsOnly, InstituteNotFound, KeyManagersOnly, Unauthorized,
};
use crate::services::institutes::{self as service, Invitation};
use crate::state::AppState;
use crate::store::institutes::{Institute, SettingsChange};
use crate::store::users::User;

fn institute_response(institute: Institute) -> InstituteResponse {
    InstituteResponse {
        id: institute.id,
        name: institute.name,
        created_at: institute.created_at,
        require_two_factor: institute.require_two_factor,
        retention_months: institute.retention_months,
        reminder_days: institute.reminder_days,
    }
}

fn user_response(user: User) -> UserResponse {
    UserResponse {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        status: user.status,
        locale: user.locale,
        institute_id: user.institute_id,
        created_at: user.created_at,
        two_factor: user.two_factor,
    }
}

/// Lists the institutes the caller may see: every institute for administrators, their own for
/// everyone else.
#[utoipa::path(
    tag = "institutes",
    operation_id = "listInstitutes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The institutes, by name.", body = InstituteListResponse),
        Unauthorized,
    )
)]
#[get("/institutes")]
pub async fn list_institutes(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<InstituteListResponse>, ApiError> {
    let items = service::list(&state, &principal).await?;
    Ok(web::Json(InstituteListResponse {
        items: items.into_iter().map(institute_response).collect(),
    }))
}

/// Creates an institute. Administrators only.
#[utoipa::path(
    tag = "institutes",
    operation_id = "createInstitute",
    security(("bearer" = [])),
    request_body(content = CreateInstituteRequest, example = json!({"name": "Huisartsopleiding Noord"})),
    responses(
        (status = 201, description = "Created; `Location` points at it.", body = InstituteResponse),
        Unauthorized,
        (status = 403, description = "The caller is not an administrator.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An institute with this name exists.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The name is empty or too long.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/institutes")]
pub async fn create_institute(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<CreateInstituteRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = DisplayName::parse(&body.0.name).map_err(|error| ApiError::field("name", error))?;
    let institute = service::create(&state, &principal, name).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/institutes/{}", institute.id),
        ))
        .json(institute_response(institute)))
}

/// One institute. Users of other institutes get 404.
#[utoipa::path(
    tag = "institutes",
    operation_id = "getInstitute",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "The institute.", body = InstituteResponse),
        Unauthorized,
        InstituteNotFound,
    )
)]
#[get("")]
pub async fn get_institute(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<InstituteResponse>, ApiError> {
    let institute = service::get(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(institute_response(institute)))
}

/// Changes an institute's settings: whether its coordinators must sign in with a second factor,
/// and how many months after a round closes its personal data is kept.
/// Administrators and the institute's A-team and O-team.
#[utoipa::path(
    tag = "institutes",
    operation_id = "updateInstitute",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = UpdateInstituteRequest, example = json!({"require_two_factor": true})),
    responses(
        (status = 200, description = "The institute as changed.", body = InstituteResponse),
        Unauthorized,
        (status = 403, description = "The caller's role may not change the institute.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        (status = 422, description = "A setting of the wrong type, or `retention_months` outside 1-120, or `reminder_days` above 14.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("")]
pub async fn update_institute(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<UpdateInstituteRequest>,
) -> Result<web::Json<InstituteResponse>, ApiError> {
    let institute = service::update(
        &state,
        &principal,
        path.into_inner(),
        SettingsChange {
            require_two_factor: body.0.require_two_factor,
            retention_months: body.0.retention_months,
            reminder_days: body.0.reminder_days,
        },
    )
    .await?;
    Ok(web::Json(institute_response(institute)))
}

/// Users of an institute, by name. Administrators and the institute's A-team and O-team.
#[utoipa::path(
    tag = "institutes",
    operation_id = "listInstituteUsers",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "The users, by name.", body = UserListResponse),
        Unauthorized,
        (status = 403, description = "The caller's role may not list users.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<UserListResponse>, ApiError> {
    let users = service::list_users(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(UserListResponse {
        items: users.into_iter().map(user_response).collect(),
    }))
}

/// Changes a user's role or status (administrators). `deactivated` ends the account's access at
/// once (every sign-in is revoked); `active` restores a deactivated account.
#[utoipa::path(
    tag = "institutes",
    operation_id = "updateUser",
    security(("bearer" = [])),
    params(
        ("institute_id" = Uuid, Path, description = "Institute id"),
        ("user_id" = Uuid, Path, description = "User id"),
    ),
    request_body(content = UpdateUserRequest, example = json!({"status": "deactivated"})),
    responses(
        (status = 200, description = "The user as changed.", body = UserResponse),
        Unauthorized,
        (status = 403, description = "Only administrators change users.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such institute or user, or not the caller's.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an institute role, or a status change that is not possible.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{user_id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<UpdateUserRequest>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let (institute_id, user_id) = path.into_inner();
    let user = service::update_user(
        &state,
        &principal,
        institute_id,
        user_id,
        body.0.role,
        body.0.status,
    )
    .await?;
    Ok(web::Json(user_response(user)))
}

/// Invites a user to an institute: creates the account and queues the invitation mail with an
/// activation link (valid 7 days).
///
/// Administrators invite every institute role; the A-team invites trainees and the O-team invites
/// trainers, each for their own institute.
#[utoipa::path(
    tag = "institutes",
    operation_id = "inviteUser",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = InviteUserRequest, example = json!({"email": "j.jansen@example.nl", "display_name": "Jan Jansen", "role": "trainee", "locale": "nl"})),
    responses(
        (status = 201, description = "Invited; the mail is in the outbox.", body = UserResponse),
        Unauthorized,
        (status = 403, description = "The caller may not invite this role.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        (status = 409, description = "An account with this e-mail address exists.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names each.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn invite_user(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<InviteUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let email = EmailAddress::parse(&request.email);
    let display_name = DisplayName::parse(&request.display_name);
    let invitation = match (email, display_name) {
        (Ok(email), Ok(display_name)) => Invitation {
            email,
            display_name,
            role: request.role,
            locale: request.locale.unwrap_or_default(),
        },
        (email, display_name) => {
            let mut errors = Vec::new();
            if let Err(error) = email {
                errors.push(FieldError {
                    field: "email".to_owned(),
                    message: error.to_string(),
                });
            }
            if let Err(error) = display_name {
                errors.push(FieldError {
                    field: "display_name".to_owned(),
                    message: error.to_string(),
                });
            }
            return Err(ApiError::Validation(errors));
        }
    };
    let user = service::invite(&state, &principal, path.into_inner(), invitation).await?;
    Ok(HttpResponse::Created().json(user_response(user)))
}

fn mail_response(mail: crate::store::entities::outbox::Model) -> OutboxMailResponse {
    OutboxMailResponse {
        id: mail.id,
        kind: mail.kind,
        recipient: mail.recipient,
        subject: mail.subject,
        body: mail.body,
        created_at: mail.created_at,
        attempts: mail.attempts,
        sent_at: mail.sent_at,
        last_error: mail.last_error,
    }
}

/// The platform's own mail outbox (the national lottery; accounts without an institute),
/// newest first (administrators).
#[utoipa::path(
    tag = "institutes",
    operation_id = "listPlatformOutbox",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "At most 200 mails, newest first.", body = OutboxListResponse),
        Unauthorized,
        AdministratorsOnly,
    )
)]
#[get("/outbox")]
pub async fn list_platform_outbox(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<OutboxListResponse>, ApiError> {
    let items = service::platform_outbox(&state, &principal)
        .await?
        .into_iter()
        .map(mail_response)
        .collect();
    Ok(web::Json(OutboxListResponse { items }))
}

/// The institute's mail outbox, newest first: what was sent, what waits and what failed. Without
/// SMTP configured, mails stay here to be read.
#[utoipa::path(
    tag = "institutes",
    operation_id = "listOutbox",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "At most 200 mails, newest first.", body = OutboxListResponse),
        Unauthorized,
        CoordinatorsOnly,
        InstituteNotFound,
    )
)]
#[get("/outbox")]
pub async fn list_outbox(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<OutboxListResponse>, ApiError> {
    let institute_id = path.into_inner();
    let items = service::outbox(&state, &principal, institute_id)
        .await?
        .into_iter()
        .map(mail_response)
        .collect();
    Ok(web::Json(OutboxListResponse { items }))
}

fn api_key_response(row: crate::store::entities::api_key::Model) -> ApiKeyResponse {
    use crate::auth::scopes::{Scopes, ends};
    ApiKeyResponse {
        id: row.id,
        scopes: Scopes::from_stored(row.scopes.as_deref()).to_vec(),
        expires_at: ends(row.expires_at, row.created_at),
        created_by: row.created_by,
        name: row.name,
        prefix: row.prefix,
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    }
}

/// Creates an API key for one of the institute's own systems (coordinators and administrators).
/// The key acts within the institute with its creator's role (a key an administrator makes acts
/// for both teams), only in the operations its scopes allow (see the README), until its expiry
/// (a year by default, two at most) or until its creator's account is deactivated. Keys never
/// manage keys or accounts, nor run the lottery. It is shown once.
#[utoipa::path(
    tag = "institutes",
    operation_id = "createApiKey",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = CreateApiKeyRequest, example = json!({"name": "Roostersysteem", "scopes": ["people:read", "rounds:read"], "expires_on": "2027-12-01"})),
    responses(
        (status = 201, description = "Created; the key is in the response only.", body = ApiKeyCreatedResponse),
        Unauthorized,
        KeyManagersOnly,
        InstituteNotFound,
        (status = 422, description = "The name is empty or too long, no scope is given, or `expires_on` has passed or is more than two years ahead.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let (row, key) =
        crate::services::api_keys::create(&state, &principal, path.into_inner(), &body.0).await?;
    let listed = api_key_response(row);
    Ok(HttpResponse::Created().json(ApiKeyCreatedResponse {
        id: listed.id,
        name: listed.name,
        key,
        prefix: listed.prefix,
        created_at: listed.created_at,
        scopes: listed.scopes,
        expires_at: listed.expires_at,
    }))
}

/// The institute's API keys, without their secrets.
#[utoipa::path(
    tag = "institutes",
    operation_id = "listApiKeys",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "Keys, newest first.", body = ApiKeyListResponse),
        Unauthorized,
        KeyManagersOnly,
        InstituteNotFound,
    )
)]
#[get("/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<ApiKeyListResponse>, ApiError> {
    let items = crate::services::api_keys::list(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(api_key_response)
        .collect();
    Ok(web::Json(ApiKeyListResponse { items }))
}

/// Revokes an API key: it stops working at once.
#[utoipa::path(
    tag = "institutes",
    operation_id = "revokeApiKey",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("key_id" = Uuid, Path, description = "Key id")),
    responses(
        (status = 204, description = "Revoked."),
        Unauthorized,
        KeyManagersOnly,
        (status = 404, description = "No such active key in the caller's institute.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api-keys/{key_id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, key_id) = path.into_inner();
    crate::services::api_keys::revoke(&state, &principal, institute_id, key_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

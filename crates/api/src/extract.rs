//! Request extractors that answer with problems: a JSON body that names the offending field, and
//! the authenticated caller.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, web};
use koppel_api_types::{FieldError, Role};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::auth::opaque;
use crate::auth::scopes::{self, Need, Scopes};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::api_keys;

/// Largest JSON body accepted, in bytes, unless a scope sets a [`JsonLimit`]. Room for the
/// longest texts the schemas allow (three profile texts of 10,000 characters, each of which JSON
/// may escape as 12 bytes).
pub const JSON_LIMIT: usize = 1024 * 1024;

/// A scope's own body limit (register `web::PayloadConfig` with the same value beside it).
#[derive(Debug, Clone, Copy)]
pub struct JsonLimit(pub usize);

/// A JSON request body. Unlike `web::Json`, errors are problems that say which field is wrong
/// (`members[2].role`), and a wrong content type or an oversized body get their own status.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = is_json(request);
        let limit = request
            .app_data::<JsonLimit>()
            .map_or(JSON_LIMIT, |limit| limit.0);
        let body = web::Bytes::from_request(request, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = body.await.map_err(|error| {
                if error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge { limit }
                } else {
                    ApiError::MalformedJson(error.to_string())
                }
            })?;
            parse_json(&bytes).map(ValidJson)
        })
    }
}

/// Whether the request says its body is JSON (`application/json` or `*+json`).
pub fn is_json(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || mime.ends_with("+json")
        })
        .unwrap_or(false)
}

/// Reads a raw body (an upload or an import) of at most `limit` bytes.
pub async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| ApiError::MalformedJson(error.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Parses a JSON body into `T`, naming the field at fault.
///
/// JSON Schema counts `3.0` as the integer 3; serde does not. When a body fails only for that
/// reason, it is read again with every integral number written as an integer.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every request body is an object; serde would also read a struct from an array.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::field("body", "must be a JSON object"));
    }
    match parse_json_strict(bytes) {
        Err(ApiError::Validation(errors))
            if errors
                .iter()
                .any(|e| e.message.starts_with("invalid type: floating point")) =>
        {
            let mut value: serde_json::Value = serde_json::from_slice(bytes)
                .map_err(|error| ApiError::MalformedJson(error.to_string()))?;
            integral_numbers_as_integers(&mut value);
            let json = serde_json::to_vec(&value).map_err(|e| ApiError::Internal(e.into()))?;
            parse_json_strict(&json)
        }
        other => other,
    }
}

/// Rewrites `3.0` as `3` throughout a value, with an explicit stack (no recursion on depth).
fn integral_numbers_as_integers(value: &mut serde_json::Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Number(number) if number.is_f64() => {
                if let Some(float) = number.as_f64()
                    && float.fract() == 0.0
                    && float.abs() < 9.0e15
                {
                    *number = if float < 0.0 {
                        serde_json::Number::from(float as i64)
                    } else {
                        serde_json::Number::from(float as u64)
                    };
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            serde_json::Value::Object(fields) => stack.extend(fields.values_mut()),
            _ => {}
        }
    }
}

fn parse_json_strict<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::MalformedJson(inner.to_string());
        }
        let message = inner.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        // "missing field `x`" is reported at the parent; name the field itself.
        let field = match message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            Some(missing) if path == "." => missing.to_owned(),
            Some(missing) => format!("{path}.{missing}"),
            None if path == "." => "body".to_owned(),
            None => path,
        };
        ApiError::Validation(vec![FieldError { field, message }])
    })?;
    deserializer
        .end()
        .map_err(|error| ApiError::MalformedJson(error.to_string()))?;
    Ok(value)
}

/// Who is calling: read from a verified access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    /// The user's id.
    pub user_id: Uuid,
    /// The user's role.
    pub role: Role,
    /// The user's institute, for institute roles.
    pub institute_id: Option<Uuid>,
    /// The sign-in of an access token (none for an API key).
    pub session_id: Option<Uuid>,
    /// An API key's scopes (none for an access token).
    pub key_scopes: Option<Scopes>,
}

impl Principal {
    /// Refuses an API key where only a person has something (`what`: "personal data", ...).
    pub fn require_person(&self, what: &str) -> Result<(), ApiError> {
        if self.key_scopes.is_some() {
            return Err(ApiError::Forbidden(format!(
                "an API key has no {what}; sign in as a person"
            )));
        }
        Ok(())
    }

    /// Refuses the call unless the caller has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the role '{}' may not do this",
                self.role.as_str()
            )))
        }
    }

    /// Refuses access to another institute's resources with 404, so ids of other institutes
    /// cannot be probed. Administrators see every institute.
    pub fn require_institute(&self, institute_id: Uuid, what: &str) -> Result<(), ApiError> {
        if self.role == Role::Admin || self.institute_id == Some(institute_id) {
            Ok(())
        } else {
            Err(ApiError::NotFound(format!(
                "{what} '{institute_id}' does not exist"
            )))
        }
    }
}

/// The client's network address, for throttling: the peer's, or with `KOPPEL_BEHIND_PROXY` the
/// one the reverse proxy reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub Option<String>);

impl ClientAddress {
    /// The address, if known.
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let behind_proxy = request
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.behind_proxy);
        let address = if behind_proxy {
            request
                .connection_info()
                .realip_remote_addr()
                .map(|address| match address.parse::<std::net::SocketAddr>() {
                    Ok(socket) => socket.ip().to_string(),
                    Err(_) => address.to_owned(),
                })
        } else {
            request.peer_addr().map(|peer| peer.ip().to_string())
        };
        std::future::ready(Ok(Self(address)))
    }
}

/// API keys start with this, so they are told apart from access tokens.
pub const API_KEY_PREFIX: &str = "kpl_";

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        // An API key or access token the account middleware checked, before any body was read.
        if let Some(principal) = actix_web::HttpMessage::extensions(request)
            .get::<Principal>()
            .copied()
        {
            return Box::pin(async move { Ok(principal) });
        }
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(request);
        let need = key_need(request);
        Box::pin(async move {
            let state = state.ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("application state is missing"))
            })?;
            let token = token?;
            if token.starts_with(API_KEY_PREFIX) {
                return key_principal(&state, &token, need).await;
            }
            state.jwt.verify(&token)
        })
    }
}

/// What an API key needs for this request's operation; an operation the route table does not
/// know takes no key.
fn key_need(request: &HttpRequest) -> Need {
    let method = request.method().as_str();
    request
        .app_data::<web::Data<crate::routes::fallback::RouteTable>>()
        .and_then(|table| {
            let template = table.template(request.path(), method)?;
            let tag = table.tag(template, method)?;
            Some(scopes::need(method, template, tag))
        })
        .unwrap_or(Need::NoKey)
}

/// The principal of an API key: valid (known, not revoked, not expired, its creator still
/// active), allowed this operation by its scopes, acting with its creator's role.
async fn key_principal(state: &AppState, token: &str, need: Need) -> Result<Principal, ApiError> {
    let key = api_keys::active_by_hash(&state.db, &opaque::hash(token))
        .await?
        .ok_or(ApiError::Unauthenticated(
            "the API key is unknown or revoked",
        ))?;
    let now = chrono::Utc::now();
    if scopes::ends(key.expires_at, key.created_at) <= now {
        return Err(ApiError::Unauthenticated(
            "the API key has expired; ask a coordinator for a new one",
        ));
    }
    let creator = crate::store::users::find(&state.db, key.created_by)
        .await
        .map_err(ApiError::Internal)?
        .filter(|user| user.status == koppel_api_types::UserStatus::Active);
    // A key does what its creator may: a coordinator's key acts as that team; an
    // administrator's key acts for both teams of its institute.
    let role = match creator {
        Some(user) if user.role == Role::Admin => Role::Integration,
        Some(user) if user.role.is_coordinator() && user.institute_id == Some(key.institute_id) => {
            user.role
        }
        _ => {
            return Err(ApiError::Unauthenticated(
                "the account that made this API key is no longer active; ask a coordinator for a new key",
            ));
        }
    };
    let scopes = Scopes::from_stored(key.scopes.as_deref());
    match need {
        Need::NoKey => {
            return Err(ApiError::Forbidden(
                "API keys may not do this: sign in as a person".to_owned(),
            ));
        }
        Need::Scope(scope) if !scopes.contains(scope) => {
            return Err(ApiError::Forbidden(format!(
                "this API key lacks the scope '{}'",
                scope.as_str()
            )));
        }
        _ => {}
    }
    api_keys::touch(&state.db, key.id, now).await?;
    Ok(Principal {
        user_id: key.id,
        role,
        institute_id: Some(key.institute_id),
        session_id: None,
        key_scopes: Some(scopes),
    })
}

/// Middleware: an access token is only good while its sign-in lasts (no logout, password change
/// or absolute end) and its account is active with the same role and institute, so each of
/// those takes effect at once (a changed role is picked up by refreshing). An API key is
/// checked here too (validity, its creator, the operation's scope), and its principal kept for
/// the handler. An account that must use two-factor sign-in but has not turned it on may only
/// enrol (403 `two_factor_enrolment_required` elsewhere). It runs before any handler reads a body, so an ended sign-in or a key without
/// the scope gets 401 or 403 whatever it sends. Requests without an access token pass untouched; the
/// handlers' extractors answer for those.
pub async fn current_account(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<
    actix_web::dev::ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    use actix_web::{HttpMessage, ResponseError};
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let token = bearer_token(request.request()).ok();
    if let (Some(state), Some(token)) = (&state, &token)
        && token.starts_with(API_KEY_PREFIX)
        && request.path().starts_with("/api/v1/")
    {
        let need = key_need(request.request());
        match key_principal(state, token, need).await {
            Ok(principal) => {
                request.extensions_mut().insert(principal);
            }
            Err(error) => {
                return Ok(request
                    .into_response(error.error_response())
                    .map_into_right_body());
            }
        }
    } else if let (Some(state), Some(token)) = (state, token)
        && let Ok(principal) = state.jwt.verify(&token)
    {
        // The sign-in and its account in one query, or as checked within the last second
        // (`auth::accounts`).
        let checked = match principal.session_id {
            Some(id) => match state.accounts.get(id) {
                Some(account) => Some(account),
                None => {
                    let generation = crate::auth::accounts::generation();
                    let found =
                        crate::store::sessions::live_with_user(&state.db, id, chrono::Utc::now())
                            .await
                            .map_err(ApiError::from)?
                            .filter(|(session, _)| session.user_id == principal.user_id)
                            .map(|(_, user)| user);
                    match found {
                        Some(user) => {
                            let must_enrol = !user.two_factor
                                && crate::services::two_factor::required(&state.db, &user).await?;
                            let account = crate::auth::accounts::Checked { user, must_enrol };
                            state.accounts.put(id, account.clone(), generation);
                            Some(account)
                        }
                        None => None,
                    }
                }
            },
            None => None,
        };
        let current = checked.filter(|account| {
            let user = &account.user;
            user.id == principal.user_id
                && user.status == koppel_api_types::UserStatus::Active
                && user.role == principal.role
                && user.institute_id == principal.institute_id
        });
        let Some(account) = current else {
            let error = ApiError::Unauthenticated(
                "this sign-in has ended (signed out, password changed, expired, or the account was deactivated or changed); sign in again",
            );
            return Ok(request
                .into_response(error.error_response())
                .map_into_right_body());
        };
        // An account that must use a second factor may only enrol until it has one (public
        // operations stay public).
        let secured = || {
            request
                .app_data::<web::Data<crate::routes::fallback::RouteTable>>()
                .is_some_and(|table| table.secured(request.path(), request.method().as_str()))
        };
        if account.must_enrol
            && !crate::services::two_factor::allowed_before_enrolment(request.path())
            && secured()
        {
            let error = ApiError::TwoFactorEnrolment(
                "your account must sign in with a second factor: turn it on first (POST /api/v1/me/two-factor, then /me/two-factor/confirm)",
            );
            return Ok(request
                .into_response(error.error_response())
                .map_into_right_body());
        }
        // Checked: the handler's `Principal` takes it as it is, and the account as read.
        request.extensions_mut().insert(principal);
        request.extensions_mut().insert(account);
    }
    next.call(request)
        .await
        .map(actix_web::dev::ServiceResponse::map_into_left_body)
}

fn bearer_token(request: &HttpRequest) -> Result<String, ApiError> {
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated(
            "send an access token or API key as 'Authorization: Bearer <token>'",
        ))?;
    header
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .ok_or(ApiError::Unauthenticated(
            "the Authorization header must be 'Bearer <token>'",
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[expect(dead_code, reason = "fields are only deserialised")]
    struct Member {
        email: String,
        role: Role,
    }

    #[derive(Debug, Deserialize)]
    #[expect(dead_code, reason = "fields are only deserialised")]
    struct Team {
        name: String,
        members: Vec<Member>,
    }

    fn field_of(error: ApiError) -> String {
        match error {
            ApiError::Validation(errors) => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_top_level_field_is_named() {
        let error = parse_json::<Team>(br#"{"members": []}"#).unwrap_err();
        assert_eq!(field_of(error), "name");
    }

    #[test]
    fn a_wrong_nested_value_is_named_by_its_path() {
        let body = br#"{"name":"x","members":[{"email":"a@b.nl","role":"trainee"},{"email":"c@d.nl","role":"boss"}]}"#;
        let error = parse_json::<Team>(body).unwrap_err();
        assert_eq!(field_of(error), "members[1].role");
    }

    #[test]
    fn a_missing_nested_field_is_named_by_its_path() {
        let error =
            parse_json::<Team>(br#"{"name":"x","members":[{"role":"trainee"}]}"#).unwrap_err();
        assert_eq!(field_of(error), "members[0].email");
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Counts {
        draws: u32,
        per_page: Vec<i64>,
    }

    #[test]
    fn integral_numbers_written_with_a_fraction_are_integers() {
        let counts = parse_json::<Counts>(br#"{"draws": 1489.0, "per_page": [-2.0, 3]}"#).unwrap();
        assert_eq!(
            counts,
            Counts {
                draws: 1489,
                per_page: vec![-2, 3]
            }
        );
        let error = parse_json::<Counts>(br#"{"draws": 1.5, "per_page": []}"#).unwrap_err();
        assert_eq!(field_of(error), "draws");
    }

    #[test]
    fn an_array_is_not_an_object() {
        let error = parse_json::<Team>(br#" ["x", []]"#).unwrap_err();
        assert_eq!(field_of(error), "body");
    }

    #[test]
    fn broken_json_is_malformed_not_invalid() {
        assert!(matches!(
            parse_json::<Team>(br#"{"name": "#),
            Err(ApiError::MalformedJson(_))
        ));
        assert!(matches!(
            parse_json::<Team>(br#"{"name":"x","members":[]} trailing"#),
            Err(ApiError::MalformedJson(_))
        ));
    }
}

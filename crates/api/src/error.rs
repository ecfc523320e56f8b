//! Errors of the HTTP layer.
//!
//! Which error type each layer uses:
//! - `koppel-domain` returns its own typed errors (`IdentityError`, ...); handlers turn them into
//!   [`FieldError`]s naming the field.
//! - Services and handlers return [`ApiError`]; infrastructure failures (database, hashing) are
//!   wrapped in `anyhow::Error` with `.context(..)` and become `Internal` (500) or `Unavailable` (503).
//! - [`ApiError`] renders as an RFC 9457 problem (`application/problem+json`), and
//!   [`problem_for_status`] gives the same shape to errors actix produces itself (unknown routes,
//!   bad path parameters), so every error response of the API looks alike.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use koppel_api_types::{FieldError, PROBLEM_CONTENT_TYPE, Problem, ProblemCode};
use sea_orm::DbErr;

/// An error answered to an API client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Fields of the request are invalid.
    #[error("{} invalid field(s)", .0.len())]
    Validation(Vec<FieldError>),
    /// The body is not well-formed JSON.
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    /// The body is not JSON.
    #[error("the request body must be sent as 'Content-Type: application/json'")]
    UnsupportedMediaType,
    /// The body is too large.
    #[error("the request body is larger than the {limit} bytes this endpoint accepts")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// No valid credential was sent.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Wrong e-mail address or password.
    #[error("the e-mail address or password is not correct")]
    InvalidCredentials,
    /// The password was right, but the account also needs a code: none was sent, or it was
    /// wrong or used.
    #[error("{0}")]
    SecondFactor(&'static str),
    /// The account must turn on two-factor sign-in first.
    #[error("{0}")]
    TwoFactorEnrolment(&'static str),
    /// A refresh or activation token that cannot be used.
    #[error("{0}")]
    InvalidToken(&'static str),
    /// The caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Not found (or belongs to another institute).
    #[error("{0}")]
    NotFound(String),
    /// Conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// The round's phase or a deadline does not allow this now.
    #[error("{0}")]
    Action(#[from] koppel_domain::ActionError),
    /// A solver stopped at its time limit before proving an optimum.
    #[error("{0}")]
    TimeLimit(String),
    /// Too many failed attempts from this account address or client address.
    #[error("too many failed attempts; try again in {retry_after} seconds")]
    TooManyAttempts {
        /// Seconds until the next attempt is accepted.
        retry_after: u64,
    },
    /// Too much work in progress; the client may retry after `retry_after` seconds.
    #[error("{message}")]
    Busy {
        /// What is busy, in words.
        message: String,
        /// Seconds after which a retry may succeed.
        retry_after: u64,
    },
    /// The database cannot be reached.
    #[error("the database is not reachable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything unexpected.
    #[error("an unexpected error occurred")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A validation error for a single field.
    pub fn field(field: &str, message: impl ToString) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.to_string(),
        }])
    }

    /// The stable kind of this error.
    pub fn code(&self) -> ProblemCode {
        match self {
            Self::Validation(_) => ProblemCode::ValidationFailed,
            Self::MalformedJson(_) => ProblemCode::MalformedJson,
            Self::UnsupportedMediaType => ProblemCode::UnsupportedMediaType,
            Self::PayloadTooLarge { .. } => ProblemCode::PayloadTooLarge,
            Self::Unauthenticated(_) => ProblemCode::Unauthenticated,
            Self::InvalidCredentials => ProblemCode::InvalidCredentials,
            Self::SecondFactor(_) => ProblemCode::SecondFactorRequired,
            Self::TwoFactorEnrolment(_) => ProblemCode::TwoFactorEnrolmentRequired,
            Self::InvalidToken(_) => ProblemCode::InvalidToken,
            Self::Forbidden(_) => ProblemCode::Forbidden,
            Self::NotFound(_) => ProblemCode::NotFound,
            Self::Conflict(_) => ProblemCode::Conflict,
            Self::Action(koppel_domain::ActionError::DeadlinePassed { .. }) => {
                ProblemCode::DeadlinePassed
            }
            Self::Action(koppel_domain::ActionError::WrongPhase { .. }) => ProblemCode::WrongPhase,
            Self::TimeLimit(_) => ProblemCode::TimeLimitReached,
            Self::TooManyAttempts { .. } => ProblemCode::TooManyAttempts,
            Self::Busy { .. } => ProblemCode::Busy,
            Self::Unavailable(_) => ProblemCode::ServiceUnavailable,
            Self::Internal(_) => ProblemCode::Internal,
        }
    }

    fn problem(&self) -> Problem {
        let code = self.code();
        let detail = match self {
            Self::Validation(errors) if errors.len() == 1 => {
                format!(
                    "The field '{}' is invalid: {}",
                    errors[0].field, errors[0].message
                )
            }
            Self::Validation(errors) => format!("{} fields are invalid", errors.len()),
            other => other.to_string(),
        };
        Problem {
            type_uri: code.type_uri(),
            title: title(code).to_owned(),
            status: self.status_code().as_u16(),
            detail,
            code,
            instance: None,
            errors: match self {
                Self::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            deadline: match self {
                Self::Action(koppel_domain::ActionError::DeadlinePassed { deadline, .. }) => {
                    Some(*deadline)
                }
                _ => None,
            },
            phase: match self {
                Self::Action(koppel_domain::ActionError::WrongPhase { phase, .. }) => {
                    Some(phase.as_str().to_owned())
                }
                _ => None,
            },
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        // Two requests that both passed a check before writing (add the same participant,
        // create the same round): the database keeps one, the other is told to reload.
        if matches!(
            error.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ) {
            tracing::info!(%error, "concurrent write refused by a unique constraint");
            return Self::Conflict(
                "this was changed by someone else at the same time; reload and try again"
                    .to_owned(),
            );
        }
        match error {
            DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => {
                Self::Unavailable(anyhow::Error::new(error))
            }
            other => Self::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_for(self.code())
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        match self {
            Self::Internal(source) | Self::Unavailable(source) => {
                tracing::error!(error = ?source, "request failed");
            }
            other => tracing::debug!(error = %other, "request refused"),
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_CONTENT_TYPE);
        if matches!(self, Self::Unauthenticated(_)) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Self::Busy { retry_after, .. } | Self::TooManyAttempts { retry_after } = self {
            response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        response.json(self.problem())
    }
}

/// The HTTP status of each kind of problem.
pub fn status_for(code: ProblemCode) -> StatusCode {
    match code {
        ProblemCode::ValidationFailed | ProblemCode::TimeLimitReached => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ProblemCode::MalformedJson => StatusCode::BAD_REQUEST,
        ProblemCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ProblemCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ProblemCode::Unauthenticated
        | ProblemCode::InvalidCredentials
        | ProblemCode::SecondFactorRequired
        | ProblemCode::InvalidToken => StatusCode::UNAUTHORIZED,
        ProblemCode::Forbidden | ProblemCode::TwoFactorEnrolmentRequired => StatusCode::FORBIDDEN,
        ProblemCode::NotFound => StatusCode::NOT_FOUND,
        ProblemCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ProblemCode::Conflict | ProblemCode::DeadlinePassed | ProblemCode::WrongPhase => {
            StatusCode::CONFLICT
        }
        ProblemCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        ProblemCode::Busy | ProblemCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ProblemCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The short, fixed title of each kind of problem.
pub fn title(code: ProblemCode) -> &'static str {
    match code {
        ProblemCode::ValidationFailed => "The request has invalid fields",
        ProblemCode::MalformedJson => "The request body is not valid JSON",
        ProblemCode::UnsupportedMediaType => "Unsupported content type",
        ProblemCode::PayloadTooLarge => "The request body is too large",
        ProblemCode::Unauthenticated => "Authentication required",
        ProblemCode::InvalidCredentials => "Sign-in failed",
        ProblemCode::SecondFactorRequired => "A code of the authenticator app is needed",
        ProblemCode::TwoFactorEnrolmentRequired => "Turn on two-factor sign-in first",
        ProblemCode::InvalidToken => "The token cannot be used",
        ProblemCode::Forbidden => "Not allowed for your role",
        ProblemCode::NotFound => "Not found",
        ProblemCode::MethodNotAllowed => "Method not allowed",
        ProblemCode::Conflict => "Conflict with the current state",
        ProblemCode::DeadlinePassed => "The deadline has passed",
        ProblemCode::WrongPhase => "Not possible in the round's current phase",
        ProblemCode::TimeLimitReached => "The solver reached its time limit",
        ProblemCode::TooManyAttempts => "Too many failed attempts",
        ProblemCode::Busy => "The server is busy",
        ProblemCode::ServiceUnavailable => "Service unavailable",
        ProblemCode::Internal => "Internal server error",
    }
}

/// A problem for an error status that actix produced itself (no route, bad path parameter, ...).
pub fn problem_for_status(status: StatusCode, path: &str) -> Problem {
    let code = match status {
        StatusCode::NOT_FOUND => ProblemCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ProblemCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ProblemCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ProblemCode::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => ProblemCode::Unauthenticated,
        StatusCode::FORBIDDEN => ProblemCode::Forbidden,
        StatusCode::SERVICE_UNAVAILABLE => ProblemCode::ServiceUnavailable,
        StatusCode::TOO_MANY_REQUESTS => ProblemCode::TooManyAttempts,
        status if status.is_client_error() => ProblemCode::MalformedJson,
        _ => ProblemCode::Internal,
    };
    let detail = match code {
        ProblemCode::NotFound => format!("There is no resource at '{path}'"),
        ProblemCode::MethodNotAllowed => format!("'{path}' does not support this method"),
        _ => title(code).to_owned(),
    };
    Problem {
        type_uri: code.type_uri(),
        title: title(code).to_owned(),
        status: status.as_u16(),
        detail,
        code,
        instance: None,
        errors: Vec::new(),
        deadline: None,
        phase: None,
    }
}

/// Middleware hook: turns any error response that is not yet a problem into one.
pub fn ensure_problem_body<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value == HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
    // Only the API speaks problem+json; the SPA and the docs UI keep their own error pages.
    if is_problem || !response.request().path().starts_with("/api") {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let (request, original) = response.into_parts();
    let problem = problem_for_status(status, request.path());
    let mut replacement = HttpResponse::build(status);
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replacement.insert_header((name.clone(), value.clone()));
        }
    }
    let replacement = replacement
        .content_type(PROBLEM_CONTENT_TYPE)
        .json(problem)
        .map_into_right_body::<B>();
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(
        request,
        replacement,
    )))
}

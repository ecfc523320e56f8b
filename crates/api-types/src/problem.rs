//! Errors as RFC 9457 problem details (`application/problem+json`).

use serde::{Deserialize, Serialize};

/// Media type of every error response.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Stable, machine-readable kind of a problem. Clients switch on this, never on `title`.
///
/// The JSON form is pinned by a test: renaming a variant is a breaking API change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// One or more fields are invalid; see `errors`.
    ValidationFailed,
    /// The body is not well-formed JSON.
    MalformedJson,
    /// The request's `Content-Type` is not `application/json`.
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// No valid access token or API key was sent.
    Unauthenticated,
    /// E-mail address and password do not match an active account.
    InvalidCredentials,
    /// A refresh or activation token is unknown, used, revoked or expired.
    InvalidToken,
    /// The account signs in with a second factor: send `one_time_code` (a code of its
    /// authenticator app or a recovery code). Also when the code sent is wrong or used.
    SecondFactorRequired,
    /// The account must turn on two-factor sign-in (`/me/two-factor`) before anything else.
    TwoFactorEnrolmentRequired,
    /// The caller is known but their role may not do this.
    Forbidden,
    /// The resource does not exist, or belongs to another institute.
    NotFound,
    /// The HTTP method is not supported on this path.
    MethodNotAllowed,
    /// The request conflicts with the current state (for example a duplicate e-mail address).
    Conflict,
    /// A deadline of the round has passed; `deadline` is its date.
    DeadlinePassed,
    /// The round's phase does not allow this; `phase` is the round's phase.
    WrongPhase,
    /// The solver did not prove an optimum within its time limit; nothing was computed.
    TimeLimitReached,
    /// Too many failed sign-in attempts for this address or from this client; try again after
    /// the `Retry-After` header's seconds.
    TooManyAttempts,
    /// The server runs as much of this work (solves, password checks) as it takes at once; try
    /// again after the `Retry-After` header's seconds.
    Busy,
    /// The database is unreachable.
    ServiceUnavailable,
    /// An unexpected server error; the `instance` carries the request id to report.
    Internal,
}

impl ProblemCode {
    /// The snake_case name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "validation_failed",
            Self::MalformedJson => "malformed_json",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidToken => "invalid_token",
            Self::SecondFactorRequired => "second_factor_required",
            Self::TwoFactorEnrolmentRequired => "two_factor_enrolment_required",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::DeadlinePassed => "deadline_passed",
            Self::WrongPhase => "wrong_phase",
            Self::TimeLimitReached => "time_limit_reached",
            Self::TooManyAttempts => "too_many_attempts",
            Self::Busy => "busy",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Internal => "internal",
        }
    }

    /// The problem `type` URI: a stable URN per kind.
    pub fn type_uri(self) -> String {
        format!("urn:koppel:problem:{}", self.as_str())
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON path of the field in the request body, for example `email` or `members[2].role`.
    #[cfg_attr(feature = "openapi", schema(example = "email"))]
    pub field: String,
    /// What is wrong, in words a user understands.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "'anna@' is not a valid e-mail address")
    )]
    pub message: String,
}

/// An error response (RFC 9457 problem details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "urn:koppel:problem:validation_failed",
    "title": "The request has invalid fields",
    "status": 422,
    "detail": "1 field is invalid",
    "code": "validation_failed",
    "errors": [{"field": "email", "message": "'anna@' is not a valid e-mail address"}]
})))]
pub struct Problem {
    /// URI identifying the kind of problem; `urn:koppel:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong in this request, in words.
    pub detail: String,
    /// Stable machine-readable kind.
    pub code: ProblemCode,
    /// Identifies this occurrence, when the server names it. Every response also carries the
    /// request id in the `x-request-id` header, for support and logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Invalid fields, for `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `deadline_passed`: the deadline (inclusive, Dutch time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<chrono::NaiveDate>,
    /// For `wrong_phase`: the round's phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

//! The error responses many operations share, documented once: list them in an operation's
//! `responses(...)` beside its own, e.g. `responses((status = 200, ...), Unauthorized,
//! RoundNotFound)`. An operation whose refusal says more than these (who may call it, why it
//! conflicts) keeps its own line.

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::{
    ContentBuilder, Ref, RefOr, ResponseBuilder, header::Header, response::Response,
};

/// One `application/problem+json` response with the `Problem` schema.
fn problem(status: u16, description: &str) -> BTreeMap<String, RefOr<Response>> {
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    BTreeMap::from([(status.to_string(), RefOr::T(response))])
}

/// [`problem`] with a `Retry-After` header of whole seconds, described as `header`.
fn problem_retrying(
    status: u16,
    description: &str,
    header: &str,
) -> BTreeMap<String, RefOr<Response>> {
    let mut responses = problem(status, description);
    if let Some(RefOr::T(response)) = responses.get_mut(&status.to_string()) {
        let mut seconds = Header::new(<u64 as utoipa::PartialSchema>::schema());
        seconds.description = Some(header.to_owned());
        response
            .headers
            .insert("Retry-After".to_owned(), RefOr::T(seconds));
    }
    responses
}

macro_rules! problem_responses {
    ($($(#[$doc:meta])* $name:ident => $status:literal, $description:literal;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                problem($status, $description)
            }
        }
    )*};
}

problem_responses! {
    /// 401: no valid access token (or API key).
    Unauthorized => 401, "No valid access token.";
    /// 403: the operation is for administrators.
    AdministratorsOnly => 403, "Only administrators.";
    /// 403: the operation is for coordinators, administrators and integrations.
    CoordinatorsOnly => 403, "Only coordinators, administrators and integrations.";
    /// 404: the institute does not exist, or the caller belongs to another (never told apart).
    InstituteNotFound => 404, "No such institute, or not the caller's.";
    /// 404: the round does not exist in the caller's institute.
    RoundNotFound => 404, "No such round in the caller's institute.";
    /// 404: the round does not exist, or the caller takes no part in it.
    RoundNotFoundForParticipant => 404, "No such round, or the caller does not take part.";
    /// 404: the lottery does not exist.
    LotteryNotFound => 404, "No such lottery.";
    /// 422: fields that fail validation, each named in `errors`.
    Validation => 422, "Invalid fields, named in `errors`.";
    /// 503: every solve slot is taken, or the database cannot be reached.
    SolveBusy => 503, "Every solve slot is taken (`busy`, with `Retry-After`), or the database cannot be reached.";
    /// 409: the caller's profile is frozen by a round past step 1.
    ProfileFrozen => 409, "The profile is frozen: a round the caller takes part in is past step 1 (`wrong_phase`).";
    /// 422: an import refused as a whole, every bad row and field named.
    ImportRejected => 422, "Nothing was imported; `errors` names every bad row and field.";
    /// 413: a solver instance over 32 MiB.
    InstanceTooLarge => 413, "The instance is larger than 32 MiB.";
    /// 413: an upload or import over 4 MiB.
    ImportTooLarge => 413, "Larger than 4 MiB.";
    /// 409: the lottery is committed, its inputs frozen.
    LotteryCommitted => 409, "Committed: the inputs are frozen.";
    /// 404: the trainer does not exist in the caller's institute.
    TrainerNotFound => 404, "No such trainer in the caller's institute.";
    /// 404: the trainee does not exist in the caller's institute.
    TraineeNotFound => 404, "No such trainee in the caller's institute.";
    /// 404: the round or coupling run does not exist in the caller's institute.
    RunNotFound => 404, "No such round or run in the caller's institute.";
    /// 403: solving is for coordinators, administrators and integrations.
    NoSolving => 403, "Trainees, trainers and candidates may not solve.";
    /// 403: the caller's role may not read rounds here.
    RoundReadersOnly => 403, "The role may not read rounds here.";
    /// 403: API keys are managed by coordinators and administrators.
    KeyManagersOnly => 403, "Only coordinators and administrators manage keys.";
    /// 403: webhooks are managed by coordinators and administrators.
    WebhookManagersOnly => 403, "Only coordinators and administrators manage webhooks; API keys may not.";
    /// 404: the webhook endpoint does not exist in the caller's institute.
    WebhookNotFound => 404, "No such webhook endpoint in the caller's institute (or no such institute).";
    /// 403: an API key has no calendar.
    NoCalendarForKeys => 403, "API keys have no calendar.";
}

macro_rules! retrying_responses {
    ($($(#[$doc:meta])* $name:ident => $status:literal, $description:literal, $header:literal;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                problem_retrying($status, $description, $header)
            }
        }
    )*};
}

retrying_responses! {
    /// 503: the password hashing slots are all taken.
    PasswordsBusy => 503, "Too many passwords are being hashed at once; `Retry-After` says when to try again.", "Seconds to wait.";
    /// 429: this client presented too many unusable one-time tokens.
    TokensThrottled => 429, "Too many unusable tokens from this client; `Retry-After` says when to try again.", "Seconds until the next attempt is accepted.";
    /// 429: too many wrong passwords were given for this account.
    WrongPasswordsThrottled => 429, "Too many wrong passwords for this account; `Retry-After` says when to try again.", "Seconds until the next attempt is accepted.";
}

/// 200: an export as a table, CSV (`?format=csv`, the default) or an Excel workbook
/// (`?format=xlsx`); the operation's description names the columns.
pub struct SpreadsheetExport;

impl IntoResponses for SpreadsheetExport {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let response = ResponseBuilder::new()
            .description(
                "A header line naming the columns, then a row per line: CSV in the chosen \
                 dialect, or an XLSX workbook with one worksheet.",
            )
            .content(
                "text/csv",
                ContentBuilder::new()
                    .schema(Some(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String),
                    ))
                    .build(),
            )
            .content(
                crate::routes::sheet::XLSX,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("BinaryFile")))
                    .build(),
            )
            .build();
        BTreeMap::from([("200".to_owned(), RefOr::T(response))])
    }
}

//! The error responses many operations share, documented once: list them in an operation's
//! `responses(...)` beside its own, e.g. `responses((status = 200, ...), Unauthorized,
//! RoundNotFound)`. An operation whose refusal says more than these (who may call it, why it
//! conflicts) keeps its own line.

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, response::Response};

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
}

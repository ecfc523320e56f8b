//! The constraints the server enforces on request bodies and query parameters, written into the
//! document so that it says what the code checks: lengths, patterns, ranges, enums, uniqueness and
//! the "exactly one of" rules. The values come from the same constants the validation uses.
//!
//! Integer fields of Rust type `u32` are documented by utoipa as `int32`, which claims a maximum
//! of 2^31 - 1 that the server does not apply; they are corrected to `uint32` with their real
//! maximum, unless a narrower range is set here.
//!
//! Rules that JSON Schema cannot state (references to other records, uniqueness of ids inside
//! objects, order between dates, state of the round) stay in the descriptions and the
//! operations' 404/409/422 answers.

use koppel_domain::{DisplayName, EmailAddress, NewPassword};
use serde_json::{Value, json};

use crate::routes::people::MAX_IMPORT_ROWS;
use crate::services::coupling::MAX_REASON_CHARS;
use crate::services::profiles::TEXT_LIMIT;
use crate::services::{lotteries, rounds};
use crate::solving;

/// No control characters, and at least one character that is not a space (the server trims).
pub const NAME_PATTERN: &str =
    r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$";
/// One `@`, a non-empty local part, a domain of at least two non-empty labels; no spaces or
/// control characters.
pub const EMAIL_PATTERN: &str =
    r"^[^\s\x00-\x1F\x7F-\x9F@]+@[^\s\x00-\x1F\x7F-\x9F@.]+(\.[^\s\x00-\x1F\x7F-\x9F@.]+)+$";
/// Some character that is not a space.
const NOT_BLANK: &str = r"\S";
/// Ids of the placement lottery (they appear in its public verification).
const LOTTERY_ID_PATTERN: &str = "^[A-Za-z0-9._-]{1,100}$";

fn name() -> Value {
    json!({"minLength": 1, "maxLength": DisplayName::MAX_CHARS, "pattern": NAME_PATTERN})
}

fn email() -> Value {
    json!({"minLength": 3, "maxLength": EmailAddress::MAX_CHARS, "pattern": EMAIL_PATTERN})
}

fn password() -> Value {
    json!({"minLength": NewPassword::MIN_CHARS, "maxLength": NewPassword::MAX_CHARS, "pattern": NOT_BLANK})
}

fn reason() -> Value {
    json!({"minLength": 1, "maxLength": MAX_REASON_CHARS, "pattern": NOT_BLANK})
}

fn text() -> Value {
    json!({"maxLength": TEXT_LIMIT})
}

fn range(minimum: u64, maximum: u64) -> Value {
    json!({"minimum": minimum, "maximum": maximum})
}

fn one_of_strings(values: &[&str]) -> Value {
    json!({"enum": values})
}

/// `(schema, property, constraints)`; an empty property applies to the schema itself.
fn table() -> Vec<(&'static str, &'static str, Value)> {
    let institute_roles = ["trainee_team", "trainer_team", "trainee", "trainer"];
    vec![
        ("ActivateRequest", "password", password()),
        ("PasswordResetConfirmRequest", "password", password()),
        ("PasswordResetRequest", "email", email()),
        ("CreateInstituteRequest", "name", name()),
        ("CreateApiKeyRequest", "name", name()),
        ("InviteUserRequest", "display_name", name()),
        ("InviteUserRequest", "email", email()),
        (
            "InviteUserRequest",
            "role",
            json!({"type": "string", "enum": institute_roles, "$ref": null}),
        ),
        (
            "UpdateUserRequest",
            "role",
            json!({"type": ["string", "null"], "enum": [
                "trainee_team", "trainer_team", "trainee", "trainer", null
            ], "oneOf": null}),
        ),
        ("TraineeRequest", "name", name()),
        ("TraineeRequest", "email", email()),
        (
            "TraineeRequest",
            "part_time_factor",
            json!({"minimum": 0.5, "maximum": 1.0}),
        ),
        ("TraineeRequest", "leave_days", range(0, 1000)),
        (
            "HistoryEntry",
            "training_year",
            json!({"enum": [1, 3], "minimum": null}),
        ),
        ("TrainerRequest", "name", name()),
        ("TrainerRequest", "email", email()),
        (
            "TrainerRequest",
            "",
            json!({"anyOf": [
                {"properties": {"eligible_year1": {"const": true}}},
                {"properties": {"eligible_year3": {"const": true}}}
            ]}),
        ),
        ("PracticeRequest", "name", name()),
        ("PracticeRequest", "city", name()),
        ("PracticeRequest", "description", text()),
        ("TraineeProfileRequest", "introduction", text()),
        ("TraineeProfileRequest", "experience", text()),
        ("TraineeProfileRequest", "learning_wishes", text()),
        ("TrainerProfileRequest", "learning_plan", text()),
        ("TrainerProfileRequest", "practice_description", text()),
        (
            "CreateRoundRequest",
            "start_month",
            one_of_strings(&["march", "june", "september", "december"]),
        ),
        ("CreateRoundRequest", "start_year", range(2000, 2200)),
        (
            "CreateRoundRequest",
            "training_years",
            json!({"minItems": 1, "uniqueItems": true, "items": {"type": "integer", "enum": [1, 3]}}),
        ),
        (
            "AddRoundTrainerRequest",
            "capacity",
            range(1, u64::from(rounds::MAX_CAPACITY)),
        ),
        (
            "TransitionRequest",
            "to",
            one_of_strings(&[
                "draft",
                "profiles",
                "preferences",
                "interviews",
                "coupling",
                "published",
                "closed",
                "cancelled",
            ]),
        ),
        (
            "ReminderRequest",
            "step",
            one_of_strings(&["activation", "preferences", "final_ranking"]),
        ),
        (
            "PreferencesRequest",
            "trainer_ids",
            json!({"uniqueItems": true}),
        ),
        (
            "ProposalAdjustmentRequest",
            "trainer_ids",
            json!({"uniqueItems": true}),
        ),
        ("RankEntry", "rank", range(1, u64::from(u32::MAX))),
        (
            "VetoRequest",
            "category",
            one_of_strings(&["personal_relationship"]),
        ),
        (
            "VetoRequest",
            "relationship",
            json!({"enum": ["family", "own_gp", "other_personal_tie", null]}),
        ),
        (
            "VetoRequest",
            "note",
            json!({"maxLength": koppel_domain::Veto::MAX_NOTE_CHARS}),
        ),
        (
            "CouplingRunRequest",
            "objective",
            json!({"enum": ["total", "minimax", null]}),
        ),
        ("ManualCouplingRequest", "reason", reason()),
        ("WithdrawalRequest", "reason", reason()),
        (
            "WithdrawalRequest",
            "",
            json!({"oneOf": [
                {"required": ["trainee_id"], "properties": {"trainee_id": {"type": "string"}}},
                {"required": ["trainer_id"], "properties": {"trainer_id": {"type": "string"}}}
            ]}),
        ),
        (
            "TraineeImportRequest",
            "rows",
            json!({"minItems": 1, "maxItems": MAX_IMPORT_ROWS}),
        ),
        (
            "TrainerImportRequest",
            "rows",
            json!({"minItems": 1, "maxItems": MAX_IMPORT_ROWS}),
        ),
        (
            "LotteryCandidateImportRequest",
            "rows",
            json!({"minItems": 1, "maxItems": MAX_IMPORT_ROWS}),
        ),
        (
            "CreateLotteryRequest",
            "name",
            json!({"minLength": 1, "maxLength": 200, "pattern": NOT_BLANK}),
        ),
        (
            "CreateLotteryRequest",
            "applicants",
            range(0, u64::from(lotteries::MAX_APPLICANTS)),
        ),
        (
            "CreateLotteryRequest",
            "selected",
            range(0, u64::from(lotteries::MAX_APPLICANTS)),
        ),
        ("CreateLotteryRequest", "response_days", range(1, 60)),
        (
            "LotteryLocation",
            "id",
            json!({"pattern": LOTTERY_ID_PATTERN}),
        ),
        ("LotteryLocation", "name", name()),
        (
            "LotteryLocation",
            "capacity",
            range(0, u64::from(lotteries::MAX_CAPACITY)),
        ),
        (
            "LotteryCandidateRow",
            "id",
            json!({"pattern": LOTTERY_ID_PATTERN}),
        ),
        ("LotteryCandidateRow", "name", name()),
        ("LotteryCandidateRow", "email", email()),
        (
            "LotteryCandidateRow",
            "preferences",
            json!({"uniqueItems": true}),
        ),
        (
            "SimulationRequest",
            "draws",
            range(1, u64::from(lotteries::MAX_SIMULATION_DRAWS)),
        ),
        (
            "CouplingInput",
            "trainees",
            json!({"maxItems": solving::MAX_TRAINEES}),
        ),
        (
            "CouplingInput",
            "trainers",
            json!({"maxItems": solving::MAX_TRAINERS}),
        ),
        (
            "InterviewInput",
            "trainees",
            json!({"maxItems": solving::MAX_TRAINEES}),
        ),
        (
            "InterviewInput",
            "trainers",
            json!({"maxItems": solving::MAX_TRAINERS}),
        ),
        (
            "InterviewInput",
            "interviews_per_trainee",
            range(1, u64::from(u32::MAX)),
        ),
        (
            "LotteryInput",
            "candidates",
            json!({"maxItems": solving::MAX_CANDIDATES}),
        ),
        (
            "LotteryInput",
            "locations",
            json!({"maxItems": solving::MAX_LOCATIONS}),
        ),
        (
            "LotteryInput",
            "seed",
            json!({"pattern": "^[0-9a-fA-F]{32,}$"}),
        ),
    ]
}

/// Query parameters: `(name, constraints on its schema)`, wherever the parameter appears.
fn query_parameters() -> Vec<(&'static str, Value)> {
    vec![
        ("page", range(1, crate::routes::people::MAX_PAGE)),
        ("per_page", range(1, 500)),
        ("format", json!({"enum": ["json", "csv"]})),
    ]
}

/// Merges `patch` into `target`: `null` removes a key, objects merge, anything else replaces.
fn merge(target: &mut Value, patch: &Value) {
    let (Some(target), Some(patch)) = (target.as_object_mut(), patch.as_object()) else {
        return;
    };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else if value.is_object()
            && key != "items"
            && let Some(existing) = target.get_mut(key)
            && existing.is_object()
        {
            merge(existing, value);
        } else {
            target.insert(key.clone(), value.clone());
        }
    }
}

/// Writes the constraints into a document in its JSON form. Returns the `schema.property` entries
/// of the table that the document does not have, so a renamed field cannot silently lose them.
pub fn apply(document: &mut Value) -> Vec<String> {
    let mut missing = Vec::new();
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            unsigned_integers(schema);
        }
        for (schema, property, constraints) in table() {
            let target = if property.is_empty() {
                schemas.get_mut(schema)
            } else {
                schemas
                    .get_mut(schema)
                    .and_then(|s| s.pointer_mut(&format!("/properties/{property}")))
            };
            match target {
                Some(target) => merge(target, &constraints),
                None => missing.push(format!("{schema}.{property}")),
            }
        }
    }
    binary_bodies(document);
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for operation in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in operation.values_mut() {
                let Some(parameters) = operation
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                else {
                    continue;
                };
                for parameter in parameters {
                    if parameter["in"] != "query" {
                        continue;
                    }
                    for (name, constraints) in query_parameters() {
                        if parameter["name"] == name
                            && let Some(schema) = parameter.get_mut("schema")
                        {
                            merge(schema, &constraints);
                            unsigned_integers(schema);
                        }
                    }
                }
            }
        }
    }
    missing
}

/// Uploads are raw bytes in the body, of the media types the server recognises by content.
fn binary_bodies(document: &mut Value) {
    let uploads: [(&str, &[&str]); 2] = [
        ("/api/v1/me/trainee-profile/cv", &["application/pdf"]),
        (
            "/api/v1/me/trainee-profile/photo",
            &["image/jpeg", "image/png"],
        ),
    ];
    for (path, media_types) in uploads {
        let pointer = format!("/paths/{}/put/requestBody/content", path.replace('/', "~1"));
        if let Some(content) = document
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
        {
            content.clear();
            for media_type in media_types {
                content.insert(
                    (*media_type).to_owned(),
                    json!({"schema": {"type": "string", "format": "binary", "contentMediaType": media_type}}),
                );
            }
        }
    }
}

/// `u32` fields: `format: uint32` with their real maximum (utoipa writes `int32`). Walks the
/// schema with an explicit stack.
fn unsigned_integers(schema: &mut Value) {
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                let is_u32 = object.get("format") == Some(&json!("int32"))
                    && object.get("minimum") == Some(&json!(0));
                if is_u32 {
                    object.insert("format".to_owned(), json!("uint32"));
                    object.entry("maximum").or_insert_with(|| json!(u32::MAX));
                }
                stack.extend(object.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constraint_names_a_field_of_the_document() {
        let mut document = serde_json::to_value(crate::openapi::document()).unwrap();
        assert_eq!(apply(&mut document), Vec::<String>::new());
    }
}

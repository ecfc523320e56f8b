//! The committed OpenAPI document matches the code, and documents every operation fully.

use std::path::PathBuf;

use koppel_api_types::ProblemCode;
use serde_json::Value;

fn committed_path() -> PathBuf {
    crate::helpers::repository_file("openapi/koppel.openapi.json")
}

fn generated() -> String {
    koppel_api::openapi::to_json(&koppel_api::openapi::document()).unwrap()
}

#[test]
fn the_committed_openapi_document_is_up_to_date() {
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    assert!(
        committed == generated(),
        "openapi/koppel.openapi.json differs from the code: run `just openapi` and commit it"
    );
}

/// Every `$ref` in `value`, with where it stands.
fn references<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    let mut stack = vec![(value, at)];
    while let Some((value, at)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    out.push((at.clone(), target));
                }
                stack.extend(map.iter().map(|(key, v)| (v, format!("{at}/{key}"))));
            }
            Value::Array(items) => {
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v, format!("{at}/{i}"))),
                );
            }
            _ => {}
        }
    }
}

#[test]
fn every_reference_resolves() {
    let document: Value = serde_json::from_str(&generated()).unwrap();
    let mut found = Vec::new();
    references(&document, String::new(), &mut found);
    assert!(found.len() > 100, "{} references", found.len());
    for (at, target) in found {
        let pointer = target.trim_start_matches('#');
        assert!(
            document.pointer(pointer).is_some(),
            "{at} refers to {target}, which the document does not define"
        );
    }
}

#[test]
fn every_operation_has_an_id_a_tag_and_described_responses() {
    let document: Value = serde_json::from_str(&generated()).unwrap();
    let public = [
        "/api/v1/health",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/auth/activate",
        "/api/v1/auth/password-reset",
        "/api/v1/auth/password-reset/confirm",
        "/api/v1/lotteries/{lottery_id}/verification",
        // Anonymised statistics are for everyone.
        "/api/v1/statistics",
        "/api/v1/statistics/rounds/{round_id}",
        "/api/v1/statistics/lotteries/{lottery_id}",
        // The secret in its query is the access: calendar apps send no token.
        "/api/v1/me/calendar.ics",
    ];
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 9);
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(
                operation["operationId"].is_string(),
                "{name} has no operationId"
            );
            assert!(
                operation["tags"]
                    .as_array()
                    .is_some_and(|tags| !tags.is_empty()),
                "{name} has no tag"
            );
            assert!(
                operation["summary"].is_string() || operation["description"].is_string(),
                "{name} is undocumented"
            );
            for (status, response) in operation["responses"].as_object().unwrap() {
                // Shared problem responses are components.
                let response = match response["$ref"].as_str() {
                    Some(reference) => {
                        let name = reference.trim_start_matches("#/components/responses/");
                        &document["components"]["responses"][name]
                    }
                    None => response,
                };
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{name} {status} has no description"
                );
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{name} {status} is not a problem"
                    );
                }
            }
            let secured = operation["security"].is_array();
            assert_eq!(
                secured,
                !public.contains(&path.as_str()),
                "{name}: security"
            );
        }
    }
}

#[test]
fn problem_codes_have_a_pinned_json_form() {
    let codes = [
        (ProblemCode::ValidationFailed, "validation_failed"),
        (ProblemCode::MalformedJson, "malformed_json"),
        (ProblemCode::UnsupportedMediaType, "unsupported_media_type"),
        (ProblemCode::PayloadTooLarge, "payload_too_large"),
        (ProblemCode::Unauthenticated, "unauthenticated"),
        (ProblemCode::InvalidCredentials, "invalid_credentials"),
        (ProblemCode::InvalidToken, "invalid_token"),
        (ProblemCode::SecondFactorRequired, "second_factor_required"),
        (
            ProblemCode::TwoFactorEnrolmentRequired,
            "two_factor_enrolment_required",
        ),
        (ProblemCode::Forbidden, "forbidden"),
        (ProblemCode::NotFound, "not_found"),
        (ProblemCode::MethodNotAllowed, "method_not_allowed"),
        (ProblemCode::Conflict, "conflict"),
        (ProblemCode::DeadlinePassed, "deadline_passed"),
        (ProblemCode::WrongPhase, "wrong_phase"),
        (ProblemCode::TimeLimitReached, "time_limit_reached"),
        (ProblemCode::TooManyAttempts, "too_many_attempts"),
        (ProblemCode::Busy, "busy"),
        (ProblemCode::ServiceUnavailable, "service_unavailable"),
        (ProblemCode::Internal, "internal"),
    ];
    for (code, name) in codes {
        assert_eq!(
            serde_json::to_value(code).unwrap(),
            Value::String(name.to_owned())
        );
        assert_eq!(code.as_str(), name);
    }
}

#[test]
fn links_lead_from_an_institute_to_its_rounds_participants_and_steps() {
    let document: Value = serde_json::to_value(koppel_api::openapi::document()).unwrap();
    let links = |path: &str, status: &str| -> Vec<String> {
        document["paths"][path]["post"]["responses"][status]["links"]
            .as_object()
            .map(|links| links.keys().cloned().collect())
            .unwrap_or_default()
    };
    let institute = links("/api/v1/institutes", "201");
    assert!(
        institute.contains(&"createRound".to_owned()),
        "{institute:?}"
    );
    let round = links("/api/v1/institutes/{institute_id}/rounds", "201");
    for step in [
        "addRoundTrainee",
        "addRoundTrainer",
        "submitPreferences",
        "createCouplingRun",
    ] {
        assert!(round.contains(&step.to_owned()), "{step}: {round:?}");
    }
    let participant = links("/api/v1/rounds/{round_id}/trainees", "204");
    assert_eq!(participant, vec!["adjustInterviewProposal".to_owned()]);
    assert_eq!(
        document["paths"]["/api/v1/rounds/{round_id}/trainees"]["post"]["responses"]["204"]["links"]
            ["adjustInterviewProposal"]["parameters"]["trainee_id"],
        "$request.body#/trainee_id"
    );
}

#[test]
fn the_webhooks_section_documents_every_event_with_the_signed_payload() {
    let document: Value = serde_json::from_str(&generated()).unwrap();
    let webhooks = document["webhooks"].as_object().unwrap();
    let events: Vec<&str> = koppel_api_types::WebhookEvent::ALL
        .iter()
        .map(|event| event.as_str())
        .collect();
    let mut documented: Vec<&str> = webhooks.keys().map(String::as_str).collect();
    documented.sort();
    let mut expected = events.clone();
    expected.sort();
    assert_eq!(documented, expected);
    for (event, item) in webhooks {
        let post = &item["post"];
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/WebhookPayload",
            "{event}"
        );
        let headers: Vec<&str> = post["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            headers,
            ["webhook-id", "webhook-timestamp", "webhook-signature"]
        );
    }
}

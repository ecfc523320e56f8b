//! What every operation shares, added once to the document instead of to each handler:
//!
//! - **Problem responses** that follow from how the request is made rather than from what the
//!   operation does: a body can be malformed (400), too large (413), of the wrong type (415) or
//!   invalid (422), or meet a concurrent write (409); query parameters can be invalid (422); an
//!   unknown path id answers 404; a secured operation can answer 401, and 403 while the
//!   caller's account must first turn on two-factor sign-in; and the database can be
//!   unreachable (503). They are
//!   components (`#/components/responses/...`); an operation's own description of the same
//!   status, when it has one, is kept.
//! - **Links** from each operation that creates a resource to the operations that take its id,
//!   so clients and stateful testing can follow ids (institute -> round -> participants -> steps).

use std::collections::BTreeMap;

use koppel_api_types::PROBLEM_CONTENT_TYPE;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, Schema};

/// The shared problem responses: name, status, description.
const SHARED: [(&str, &str, &str); 9] = [
    (
        "MalformedBody",
        "400",
        "The body is not well-formed (`malformed_json`).",
    ),
    (
        "Unauthenticated",
        "401",
        "No valid access token or API key (`unauthenticated`).",
    ),
    ("TwoFactorEnrolmentRequired", "403", ENROLMENT_REQUIRED),
    (
        "UnknownPath",
        "404",
        "No resource has this id, or it belongs to another institute (`not_found`).",
    ),
    (
        "ConcurrentChange",
        "409",
        "Someone else changed the same data at the same time, or the request conflicts with the current state (`conflict`).",
    ),
    (
        "PayloadTooLarge",
        "413",
        "The body is larger than this operation accepts (`payload_too_large`).",
    ),
    (
        "UnsupportedMediaType",
        "415",
        "The body is not of a content type this operation accepts (`unsupported_media_type`).",
    ),
    (
        "InvalidRequest",
        "422",
        "A field or query parameter is invalid; `errors` names each (`validation_failed`).",
    ),
    (
        "Unavailable",
        "503",
        "The database cannot be reached, or the server is busy (`service_unavailable`, `busy`).",
    ),
];

/// What a secured operation answers an account that must use two-factor sign-in but has not
/// turned it on.
const ENROLMENT_REQUIRED: &str = "The account must first turn on two-factor sign-in (`two_factor_enrolment_required`): administrators always, coordinators when their institute requires it.";

/// Adds the shared problem responses and the links.
pub fn complete(document: &mut OpenApi) {
    let components = document.components.get_or_insert_with(Default::default);
    for (name, _, description) in SHARED {
        let mut response = Response::new(description);
        response.content.insert(
            PROBLEM_CONTENT_TYPE.to_owned(),
            RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
        );
        components
            .responses
            .insert(name.to_owned(), RefOr::T(response));
    }
    let operation_ids = operation_ids(document);
    let links = links(document);
    for (path, item) in document.paths.paths.iter_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add_shared_responses(
                operation,
                path.contains('{'),
                crate::services::two_factor::allowed_before_enrolment(path),
            );
            if let Some(id) = &operation.operation_id
                && let Some(targets) = links.get(id)
            {
                add_links(operation, targets, &operation_ids);
            }
        }
    }
}

fn add_shared_responses(
    operation: &mut Operation,
    has_path_id: bool,
    allowed_before_enrolment: bool,
) {
    let has_body = operation.request_body.is_some();
    let has_query = operation.parameters.iter().flatten().any(|parameter| {
        matches!(parameter, RefOr::T(parameter) if parameter.parameter_in == ParameterIn::Query)
    });
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    for (name, status, _) in SHARED {
        let applies = match status {
            // Any write can meet a concurrent one that a unique constraint refuses.
            "400" | "409" | "413" | "415" => has_body,
            "401" => secured,
            "403" => secured && !allowed_before_enrolment,
            "404" => has_path_id,
            "422" => has_body || has_query,
            _ => true,
        };
        if !applies {
            continue;
        }
        match operation.responses.responses.get_mut(status) {
            // The operation's own 403 (a role or scope that may not) gains the enrolment case.
            Some(RefOr::T(own)) if status == "403" => {
                own.description = format!("{} Or: {ENROLMENT_REQUIRED}", own.description);
            }
            Some(_) => {}
            None => {
                operation
                    .responses
                    .responses
                    .insert(status.to_owned(), RefOr::Ref(Ref::from_response_name(name)));
            }
        }
    }
}

/// Operations that take a new resource's id but answer 404 until something else happened (the
/// verification document exists from the lottery's commit on, a CV or photo once uploaded): no
/// link leads to them.
const NOT_RIGHT_AFTER_CREATION: [&str; 3] =
    ["getLotteryVerification", "getTraineeCv", "getTraineePhoto"];

/// A link target: the operation id, the parameter that takes the created id, and the parameters
/// it shares with the creating operation's path.
struct Target {
    operation_id: String,
    id_parameter: String,
    shared: Vec<String>,
}

fn operation_ids(document: &OpenApi) -> BTreeMap<String, ()> {
    document
        .paths
        .paths
        .values()
        .flat_map(|item| [&item.get, &item.put, &item.post, &item.delete, &item.patch])
        .flatten()
        .filter_map(|operation| operation.operation_id.clone())
        .map(|id| (id, ()))
        .collect()
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn parameter(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// For each creating operation (a POST on a collection whose answer has an `id`), the operations
/// that take that id: every path where the collection's name is followed by a parameter, whose
/// other parameters the creating path also has.
fn links(document: &OpenApi) -> BTreeMap<String, Vec<Target>> {
    let mut links = BTreeMap::new();
    for (path, item) in &document.paths.paths {
        let Some(create) = &item.post else { continue };
        let Some(create_id) = &create.operation_id else {
            continue;
        };
        if !answers_with_id(document, create) {
            continue;
        }
        let own = segments(path);
        let Some(collection) = own.last().filter(|s| parameter(s).is_none()) else {
            continue;
        };
        let own_parameters: Vec<&str> = own.iter().filter_map(|s| parameter(s)).collect();
        let mut targets = Vec::new();
        for (target_path, target_item) in &document.paths.paths {
            let target = segments(target_path);
            let Some(id_parameter) = target
                .windows(2)
                .find(|pair| pair[0] == *collection && parameter(pair[1]).is_some())
                .and_then(|pair| parameter(pair[1]))
            else {
                continue;
            };
            let others: Vec<&str> = target
                .iter()
                .filter_map(|s| parameter(s))
                .filter(|p| *p != id_parameter)
                .collect();
            if !others.iter().all(|p| own_parameters.contains(p)) {
                continue;
            }
            for operation in [
                &target_item.get,
                &target_item.put,
                &target_item.post,
                &target_item.delete,
                &target_item.patch,
            ]
            .into_iter()
            .flatten()
            {
                if let Some(operation_id) = &operation.operation_id
                    && !NOT_RIGHT_AFTER_CREATION.contains(&operation_id.as_str())
                {
                    targets.push(Target {
                        operation_id: operation_id.clone(),
                        id_parameter: id_parameter.to_owned(),
                        shared: others.iter().map(|p| (*p).to_owned()).collect(),
                    });
                }
            }
        }
        if !targets.is_empty() {
            links.insert(create_id.clone(), targets);
        }
    }
    links
}

/// Whether the operation's success answer is an object with an `id`.
fn answers_with_id(document: &OpenApi, operation: &Operation) -> bool {
    let schemas = document
        .components
        .as_ref()
        .map(|components| &components.schemas);
    ["201", "202", "200"].iter().any(|status| {
        let Some(RefOr::T(response)) = operation.responses.responses.get(*status) else {
            return false;
        };
        response.content.values().any(|content| {
            let RefOr::T(content) = content else {
                return false;
            };
            let schema = match &content.schema {
                Some(RefOr::Ref(reference)) => reference
                    .ref_location
                    .rsplit('/')
                    .next()
                    .and_then(|name| schemas.and_then(|schemas| schemas.get(name))),
                Some(other) => Some(other),
                None => None,
            };
            matches!(schema, Some(RefOr::T(Schema::Object(object))) if object.properties.contains_key("id"))
        })
    })
}

fn add_links(operation: &mut Operation, targets: &[Target], known: &BTreeMap<String, ()>) {
    for status in ["201", "202", "200"] {
        let Some(RefOr::T(response)) = operation.responses.responses.get_mut(status) else {
            continue;
        };
        for target in targets
            .iter()
            .filter(|t| known.contains_key(&t.operation_id))
        {
            let mut link = LinkBuilder::new()
                .operation_id(&target.operation_id)
                .parameter(&target.id_parameter, "$response.body#/id");
            for shared in &target.shared {
                link = link.parameter(shared, format!("$request.path.{shared}"));
            }
            response
                .links
                .insert(target.operation_id.clone(), RefOr::T(link.build()));
        }
        return;
    }
}

/// Path parameters of a template, in order.
fn path_parameters(path: &str) -> Vec<&str> {
    segments(path).into_iter().filter_map(parameter).collect()
}

/// Links from an operation that answers 204 to the operations that take an id it was sent in its
/// body, such as adding a participant to a round and then that participant's steps
/// (`trainee_id` = `$request.body#/trainee_id`). Works on the document's JSON form.
pub fn request_body_links(document: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let schemas = document["components"]["schemas"].clone();
    let Some(paths) = document["paths"].as_object().cloned() else {
        return;
    };
    let mut additions = Vec::new();
    for (path, item) in &paths {
        let Some(post) = item.get("post") else {
            continue;
        };
        if post["responses"].get("204").is_none() {
            continue;
        }
        let Some(body) = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .and_then(|reference| reference.rsplit('/').next())
        else {
            continue;
        };
        let ids: Vec<&String> = schemas[body]["properties"]
            .as_object()
            .map(|properties| properties.keys().filter(|k| k.ends_with("_id")).collect())
            .unwrap_or_default();
        let own = path_parameters(path);
        let mut links = serde_json::Map::new();
        for (target_path, target_item) in &paths {
            let wanted = path_parameters(target_path);
            for id in &ids {
                let takes_it = wanted.contains(&id.as_str())
                    && wanted.iter().all(|p| p == id || own.contains(p));
                if !takes_it {
                    continue;
                }
                for method in ["get", "put", "post", "patch", "delete"] {
                    let Some(operation_id) = target_item[method]["operationId"].as_str() else {
                        continue;
                    };
                    let mut parameters = serde_json::Map::new();
                    for p in &wanted {
                        let source = if p == id {
                            format!("$request.body#/{p}")
                        } else {
                            format!("$request.path.{p}")
                        };
                        parameters.insert((*p).to_owned(), Value::String(source));
                    }
                    links.insert(
                        operation_id.to_owned(),
                        json!({"operationId": operation_id, "parameters": parameters}),
                    );
                }
            }
        }
        if !links.is_empty() {
            additions.push((path.clone(), links));
        }
    }
    for (path, links) in additions {
        document["paths"][path.as_str()]["post"]["responses"]["204"]["links"] =
            Value::Object(links);
    }
}

//! The OpenAPI 3.1 document, built from the same registration as the routes
//! (`utoipa-actix-web`), served at `/api/openapi.json` and committed as
//! `openapi/koppel.openapi.json` (a test fails when the two differ; `just openapi` regenerates).

use actix_web::App;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{AppExt, scope};

use crate::routes;

mod completion;
pub mod constraints;
pub mod responses;

/// Top-level information; paths and schemas are collected from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Koppel API",
        description = "Couples GP trainees (aios) to GP trainers (huisartsopleiders) and runs the \
                       national placement lottery.\n\nAll endpoints live under `/api/v1`, speak \
                       JSON, and answer errors as RFC 9457 problems (`application/problem+json`) \
                       with a stable `code`. Authenticate with `POST /api/v1/auth/login` and send \
                       the access token as `Authorization: Bearer <token>`. Ids of other \
                       institutes answer 404.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    tags(
        (name = "system", description = "Health of the service."),
        (name = "auth", description = "Sign-in, tokens, account activation and the current user."),
        (name = "institutes", description = "Institutes (opleidingsinstituten) and their users."),
        (name = "people", description = "Trainees, trainers and practices of an institute; import and export."),
        (name = "profiles", description = "Step 1: trainee profiles with CV and photo, trainer learning plans."),
        (name = "rounds", description = "Coupling rounds: calendar, phases, participants and audit log."),
        (name = "steps", description = "Step 2 (preferences, interview proposal) and the interviews."),
        (name = "coupling", description = "Step 3 and the coupling: final rankings, vetoes, coupling runs and results."),
        (name = "lottery", description = "The national placement lottery: set-up, commit, draw, public verification, second chance, report and simulation."),
        (name = "statistics", description = "Anonymised statistics of published coupling rounds and drawn lotteries (public), and an institute's rounds over time."),
        (name = "webhooks", description = "An institute's webhook endpoints, their delivery log and redelivery. Deliveries are `POST`s of `{\"type\", \"timestamp\", \"data\"}` signed as Standard Webhooks describes (`webhook-id`, `webhook-timestamp`, `webhook-signature`); events carry ids and links, never rankings or vetoes."),
        (name = "solve", description = "The matcher over HTTP, stateless: coupling, interview proposal and lottery."),
    ),
    // Schemas only query parameters name (which utoipa does not collect by itself).
    components(schemas(
        koppel_api_types::ProblemCode,
        koppel_api_types::FieldError,
        crate::routes::csv::CsvDialect,
        crate::routes::sheet::ExportFormat,
        crate::routes::sheet::BinaryFile,
    )),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from `/api/v1/auth/login` (15 minutes), or an institute's API key.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The whole document, from the registered routes.
pub fn document() -> OpenApiDocument {
    let (_, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    let mut document = document;
    completion::complete(&mut document);
    // The constraints are written on the JSON form, where a field is a path away.
    match serde_json::to_value(&document) {
        Ok(mut json) => {
            constraints::apply(&mut json);
            completion::request_body_links(&mut json);
            serde_json::from_value(json).unwrap_or(document)
        }
        Err(_) => document,
    }
}

/// The document as committed: pretty JSON with a final newline.
pub fn to_json(document: &OpenApiDocument) -> anyhow::Result<String> {
    let mut json = document.to_pretty_json()?;
    json.push('\n');
    Ok(json)
}

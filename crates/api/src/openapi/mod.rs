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
        koppel_api_types::WebhookPayload,
    )),
    modifiers(&BearerAuth, &Webhooks),
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

/// The calls Koppel makes to an institute's registered endpoints (OpenAPI 3.1 `webhooks`), one
/// per event, each with the signed body `WebhookPayload`.
struct Webhooks;

impl Modify for Webhooks {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        use koppel_api_types::WebhookEvent;
        use utoipa::openapi::path::{
            HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem, PathsBuilder,
        };
        use utoipa::openapi::request_body::RequestBodyBuilder;
        use utoipa::openapi::{
            ContentBuilder, Ref, Required, ResponseBuilder, ResponsesBuilder, Type,
            schema::ObjectBuilder,
        };
        let header = |name: &str, description: &str, example: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .example(Some(serde_json::json!(example)))
                .build()
        };
        let mut paths = PathsBuilder::new();
        for event in WebhookEvent::ALL {
            let (id, summary) = match event {
                WebhookEvent::RoundPhaseChanged => (
                    "roundPhaseChanged",
                    "A coordinator or the calendar moved a round to another phase (publishing included): `round_id`, `from`, `to`, `by`.",
                ),
                WebhookEvent::InterviewProposalPublished => (
                    "interviewProposalPublished",
                    "A round's interview proposal went to its participants: `round_id`.",
                ),
                WebhookEvent::CouplingPublished => (
                    "couplingPublished",
                    "A coupling run was published: `round_id`, `run_id`.",
                ),
                WebhookEvent::ParticipantWithdrawn => (
                    "participantWithdrawn",
                    "A trainee or trainer dropped out of a round: `round_id`, `participant_kind`, `participant_id` (never the reason).",
                ),
                WebhookEvent::LotteryDrawn => (
                    "lotteryDrawn",
                    "A placement lottery with a location of the institute was drawn: `lottery_id`.",
                ),
                WebhookEvent::LotteryOfferDecided => (
                    "lotteryOfferDecided",
                    "A second-chance offer for a location of the institute was accepted, declined or expired: `lottery_id`, `offer_id`, `location_id`, `decision`.",
                ),
                WebhookEvent::WebhookTest => (
                    "webhookTest",
                    "Sent on request (`testWebhook`) to check that an endpoint receives and verifies deliveries: `endpoint_id`.",
                ),
            };
            let operation = OperationBuilder::new()
                .tag("webhooks")
                .operation_id(Some(format!("{id}Webhook")))
                .summary(Some(summary))
                .description(Some(format!(
                    "Koppel posts this to each of the institute's endpoints registered for `{}`, signed as Standard Webhooks describes. Any 2xx answer within 10 s acknowledges it; anything else is retried (5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h) with the same `webhook-id`.",
                    event.as_str()
                )))
                .parameter(header("webhook-id", "The delivery's id, the same on every attempt: skip one you have seen.", "3c1f6f0e-8d2a-4b7e-9c55-2e0d7a1b9f44"))
                .parameter(header("webhook-timestamp", "Unix seconds of this attempt; refuse one far from your clock.", "1801558800"))
                .parameter(header("webhook-signature", "`v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the bytes of the secret after `whsec_`.", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="))
                .request_body(Some(
                    RequestBodyBuilder::new()
                        .required(Some(Required::True))
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("WebhookPayload")))
                                .build(),
                        )
                        .build(),
                ))
                .responses(
                    ResponsesBuilder::new()
                        .response(
                            "200",
                            ResponseBuilder::new().description(
                                "Received (any 2xx). Anything else, or no answer, is retried.",
                            ),
                        )
                        .build(),
                );
            paths = paths.path(event.as_str(), PathItem::new(HttpMethod::Post, operation));
        }
        openapi.webhooks = Some(paths.build());
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

//! `/rounds/{round_id}/messages`: a coordinators' team writes to its own side of a round.

use actix_web::{HttpResponse, post, web};
use koppel_api_types::{Problem, RoundMessageRequest, RoundMessageResponse};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{RoundNotFound, Unauthorized};
use crate::state::AppState;

/// Mails a message to one side of a round: the A-team to the round's trainees, the O-team to its
/// trainers (administrators and integrations name the side).
///
/// One mail per participant who has not withdrawn, through the outbox, signed with the team and
/// the round. Someone who chose English gets `subject_en`/`body_en` when they are written, the
/// Dutch text otherwise. The audit log records it.
#[utoipa::path(
    tag = "steps", operation_id = "sendRoundMessage", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = RoundMessageRequest, example = json!({
        "subject": "Gesprekken plannen vóór 15 januari",
        "body": "Beste aios,\n\nPlan je kennismakingsgesprekken vóór 15 januari.\n\nGroet, het A-team",
        "subject_en": "Plan your interviews before 15 January",
        "body_en": "Dear trainee,\n\nPlease plan your interviews before 15 January.\n\nKind regards, the A-team"
    })),
    responses(
        (status = 202, description = "Queued: who it goes to and how many mails.", body = RoundMessageResponse,
            example = json!({"audience": "trainees", "sent": 12})),
        Unauthorized,
        (status = 403, description = "Trainees and trainers may not send messages, and a team writes only to its own side.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        (status = 422, description = "A text is empty or too long (subject 200, body 10,000 characters), only one of the English texts is written, or an administrator did not name the `audience`.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/messages")]
pub async fn send_message(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<RoundMessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let (audience, sent) =
        crate::services::messages::send(&state, &principal, path.into_inner(), &body.0).await?;
    Ok(HttpResponse::Accepted().json(RoundMessageResponse { audience, sent }))
}

//! `/institutes/{id}/webhooks`: endpoints, their delivery log, redelivery and a test event.

use actix_web::{HttpResponse, delete, get, post, web};
use koppel_api_types::{
    CreateWebhookRequest, Problem, WebhookCreatedResponse, WebhookDeliveryListResponse,
    WebhookDeliveryResponse, WebhookDeliveryStatus, WebhookEvent, WebhookListResponse,
    WebhookResponse,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{
    InstituteNotFound, Unauthorized, WebhookManagersOnly, WebhookNotFound,
};
use crate::services::webhooks as service;
use crate::state::AppState;
use crate::store::entities::{webhook_delivery, webhook_endpoint};
use crate::webhook_delivery::MAX_ATTEMPTS;

fn endpoint_response(row: webhook_endpoint::Model, failing: u64) -> WebhookResponse {
    WebhookResponse {
        id: row.id,
        events: row
            .events
            .split(',')
            .filter_map(WebhookEvent::from_name)
            .collect(),
        url: row.url,
        description: row.description,
        created_at: row.created_at,
        failing,
    }
}

fn delivery_response(row: webhook_delivery::Model) -> WebhookDeliveryResponse {
    let status = if row.delivered_at.is_some() {
        WebhookDeliveryStatus::Delivered
    } else if row.attempts >= MAX_ATTEMPTS {
        WebhookDeliveryStatus::Failed
    } else {
        WebhookDeliveryStatus::Pending
    };
    WebhookDeliveryResponse {
        id: row.id,
        event: WebhookEvent::from_name(&row.event).unwrap_or(WebhookEvent::WebhookTest),
        status,
        created_at: row.created_at,
        attempts: row.attempts,
        delivered_at: row.delivered_at,
        next_attempt_at: (status == WebhookDeliveryStatus::Pending).then_some(row.next_attempt_at),
        last_status: row.last_status,
        last_error: row.last_error,
        payload: serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null),
    }
}

/// Registers an endpoint for the institute's events (coordinators and administrators, not API
/// keys). Its signing secret is in this response only. An institute has at most 20 endpoints.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "createWebhook",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = CreateWebhookRequest, example = json!({"url": "https://rooster.example.nl/koppel/webhooks", "events": ["round.phase_changed", "coupling.published"], "description": "Roostersysteem"})),
    responses(
        (status = 201, description = "Registered; the secret is in the response only.", body = WebhookCreatedResponse),
        Unauthorized,
        WebhookManagersOnly,
        InstituteNotFound,
        (status = 409, description = "The institute has 20 endpoints already.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The URL is not `https://` (or loopback `http://` where allowed), is an address outside the public internet, holds a user name or password, or is longer than 2000 characters written out; no event is named; an unknown event; the description is over 200 characters.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let (row, secret) = service::create(&state, &principal, path.into_inner(), &body.0).await?;
    Ok(HttpResponse::Created().json(WebhookCreatedResponse {
        endpoint: endpoint_response(row, 0),
        secret,
    }))
}

/// The institute's endpoints, without their secrets, each with how many deliveries have not
/// arrived.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhooks",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "Endpoints, oldest first.", body = WebhookListResponse),
        Unauthorized,
        WebhookManagersOnly,
        InstituteNotFound,
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<WebhookListResponse>, ApiError> {
    let items = service::list(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(|(row, failing)| endpoint_response(row, failing))
        .collect();
    Ok(web::Json(WebhookListResponse { items }))
}

/// Deletes an endpoint with its delivery log: nothing more is sent to it.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "deleteWebhook",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("webhook_id" = Uuid, Path, description = "Endpoint id")),
    responses(
        (status = 204, description = "Deleted."),
        Unauthorized,
        WebhookManagersOnly,
        WebhookNotFound,
    )
)]
#[delete("/webhooks/{webhook_id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, id) = path.into_inner();
    service::delete(&state, &principal, institute_id, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An endpoint's latest 100 deliveries, newest first: status, attempts, the last answer or
/// error, and the body as sent.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhookDeliveries",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("webhook_id" = Uuid, Path, description = "Endpoint id")),
    responses(
        (status = 200, description = "The delivery log.", body = WebhookDeliveryListResponse),
        Unauthorized,
        WebhookManagersOnly,
        WebhookNotFound,
    )
)]
#[get("/webhooks/{webhook_id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<WebhookDeliveryListResponse>, ApiError> {
    let (institute_id, id) = path.into_inner();
    let items = service::deliveries(&state, &principal, institute_id, id)
        .await?
        .into_iter()
        .map(delivery_response)
        .collect();
    Ok(web::Json(WebhookDeliveryListResponse { items }))
}

/// Sends a delivery again, from its first attempt and with the same `webhook-id` (so a receiver
/// that has it already can skip it).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "redeliverWebhook",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("webhook_id" = Uuid, Path, description = "Endpoint id"), ("delivery_id" = Uuid, Path, description = "Delivery id")),
    responses(
        (status = 202, description = "Queued; the worker sends it within seconds."),
        Unauthorized,
        WebhookManagersOnly,
        (status = 404, description = "No such endpoint or delivery in the caller's institute.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A worker is sending this delivery right now.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, id, delivery_id) = path.into_inner();
    service::redeliver(&state, &principal, institute_id, id, delivery_id).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sends a `webhook.test` event to one endpoint, to check that it receives and verifies
/// deliveries; answers the delivery, to find in the log.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "testWebhook",
    security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("webhook_id" = Uuid, Path, description = "Endpoint id")),
    responses(
        (status = 202, description = "Queued.", body = WebhookDeliveryResponse),
        Unauthorized,
        WebhookManagersOnly,
        WebhookNotFound,
    )
)]
#[post("/webhooks/{webhook_id}/test")]
pub async fn test_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, id) = path.into_inner();
    let delivery = service::send_test(&state, &principal, institute_id, id).await?;
    Ok(HttpResponse::Accepted().json(delivery_response(delivery)))
}

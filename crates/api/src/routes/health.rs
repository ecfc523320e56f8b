//! `GET /health`.

use actix_web::{HttpResponse, get, web};
use koppel_api_types::HealthResponse;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store;

/// Checks that the server runs and its database answers.
#[utoipa::path(
    tag = "system",
    operation_id = "getHealth",
    responses(
        (status = 200, description = "The server and its database answer.", body = HealthResponse),
        (status = 503, description = "The database does not answer.", body = koppel_api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if !store::ping(&state.db).await {
        return Err(ApiError::Unavailable(anyhow::anyhow!(
            "health check query failed"
        )));
    }
    Ok(HttpResponse::Ok().json(HealthResponse {
        status: "ok".to_owned(),
        database: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }))
}

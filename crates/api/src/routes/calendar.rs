//! `/me/calendar-feed` and `/me/calendar.ics`: the personal calendar feed.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use koppel_api_types::{CalendarFeedQuery, CalendarFeedResponse, Problem};

use crate::error::ApiError;
use crate::extract::Principal;
use crate::openapi::responses::NoCalendarForKeys;
use crate::openapi::responses::Unauthorized;
use crate::services::calendar_feed as service;
use crate::state::AppState;

/// Whether the signed-in user has a calendar feed address (the address itself is shown only
/// when it is made).
#[utoipa::path(
    tag = "auth",
    operation_id = "getCalendarFeed",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Whether a feed address works; `url` is always null here.", body = CalendarFeedResponse,
            example = json!({"active": true, "url": null})),
        Unauthorized,
        NoCalendarForKeys,
    )
)]
#[get("/me/calendar-feed")]
pub async fn get_calendar_feed(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<CalendarFeedResponse>, ApiError> {
    let active = service::status(&state, &principal).await?;
    Ok(web::Json(CalendarFeedResponse { active, url: None }))
}

/// Makes a new secret calendar feed address for the signed-in user, to subscribe to in a
/// calendar app: their rounds' step openings, deadlines, placement start and planned
/// interviews. Any earlier address stops working.
#[utoipa::path(
    tag = "auth",
    operation_id = "createCalendarFeed",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new address, shown this once.", body = CalendarFeedResponse),
        Unauthorized,
        NoCalendarForKeys,
    )
)]
#[post("/me/calendar-feed")]
pub async fn create_calendar_feed(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let url = service::create(&state, &principal).await?;
    Ok(HttpResponse::Created().json(CalendarFeedResponse {
        active: true,
        url: Some(url),
    }))
}

/// Revokes the signed-in user's calendar feed address.
#[utoipa::path(
    tag = "auth",
    operation_id = "revokeCalendarFeed",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked (also when there was none)."),
        Unauthorized,
        NoCalendarForKeys,
    )
)]
#[delete("/me/calendar-feed")]
pub async fn revoke_calendar_feed(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    service::revoke(&state, &principal).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The calendar feed (iCalendar, RFC 5545) behind a secret address: all-day events for the
/// user's rounds' step openings, deadlines and placement start, and their planned interviews.
/// No access token: calendar apps send none; the secret in `key` is the access.
#[utoipa::path(
    tag = "auth",
    operation_id = "calendarFeed",
    params(CalendarFeedQuery),
    responses(
        (status = 200, description = "The calendar.", content_type = "text/calendar", body = String,
            example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Koppel//Koppel calendar feed//NL\r\n...\r\nEND:VCALENDAR\r\n")),
        (status = 404, description = "No feed has this secret: it was replaced or revoked, or its account is no longer active.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`key` is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/calendar.ics")]
pub async fn calendar_feed(
    state: web::Data<AppState>,
    query: web::Query<CalendarFeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let body = service::feed(&state, &query.key).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"koppel.ics\"",
        ))
        .body(body))
}

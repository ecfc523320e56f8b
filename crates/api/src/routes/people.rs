//! `/institutes/{id}/trainees`, `/trainers` and `/practices`: the institute's people, with
//! paginated lists, all-or-nothing import (JSON or CSV) and CSV export.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use koppel_api_types::{
    FieldError, HistoryEntry, ImportResponse, PracticeListResponse, PracticeRequest,
    PracticeResponse, Problem, TraineeImportRequest, TraineeListResponse, TraineeRequest,
    TraineeResponse, TrainerImportRequest, TrainerListResponse, TrainerRequest, TrainerResponse,
};
use koppel_domain::{Curriculum, PartTimeFactor};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::csv::{csv_rows, is_csv};
use super::sheet::{BinaryFile, Cell, ExportQuery, Sheet, sheet_response};
use crate::error::ApiError;
use crate::extract::{Principal, ValidJson, parse_json, read_limited};
use crate::openapi::responses::{
    ImportRejected, ImportTooLarge, InstituteNotFound, SpreadsheetExport, TraineeNotFound,
    TrainerNotFound, Unauthorized, Validation,
};
use crate::services::people as service;
use crate::state::AppState;
use crate::store::entities::{practice, trainee, trainer};
use crate::store::people::Page;

/// Largest import body, in bytes.
pub const IMPORT_LIMIT: usize = 4 * 1024 * 1024;

/// Highest page number a list accepts.
pub const MAX_PAGE: u64 = 1_000_000;

/// Most rows in one import (CSV lines after the header, or JSON `rows`).
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// Refuses an import without rows or with more than [`MAX_IMPORT_ROWS`].
pub(super) fn within_row_limit(rows: usize) -> Result<(), ApiError> {
    if rows == 0 {
        return Err(ApiError::field(
            "rows",
            "the import has no rows: send at least one (after the header line, for CSV)",
        ));
    }
    if rows > MAX_IMPORT_ROWS {
        return Err(ApiError::field(
            "rows",
            format!("at most {MAX_IMPORT_ROWS} rows per import (this one has {rows})"),
        ));
    }
    Ok(())
}

/// Reads an import body: CSV (`text/csv`, `Ok(true)`) or JSON (`Ok(false)`); any other content
/// type is refused before the body is read.
pub(super) async fn import_body(
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<(Vec<u8>, bool), ApiError> {
    let csv = is_csv(request);
    if !csv && !crate::extract::is_json(request) {
        return Err(ApiError::UnsupportedMediaType);
    }
    Ok((read_limited(payload, IMPORT_LIMIT).await?, csv))
}

/// Paging and search of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Part of the name or e-mail address.
    q: Option<String>,
    /// Page number, from 1; 1 when absent.
    page: Option<u64>,
    /// Items per page, 1-500; 50 when absent.
    per_page: Option<u64>,
}

impl ListQuery {
    fn page(&self) -> Result<Page, ApiError> {
        let number = self.page.unwrap_or(1);
        let size = self.per_page.unwrap_or(50);
        if !(1..=MAX_PAGE).contains(&number) {
            return Err(ApiError::field(
                "page",
                format!("pages start at 1 and end at {MAX_PAGE}"),
            ));
        }
        if !(1..=500).contains(&size) {
            return Err(ApiError::field("per_page", "must be between 1 and 500"));
        }
        Ok(Page { number, size })
    }
}

async fn trainee_response(
    state: &AppState,
    rows: Vec<trainee::Model>,
) -> Result<Vec<TraineeResponse>, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let histories = service::histories(state, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let year3_start = PartTimeFactor::parse(row.part_time_factor)
                .ok()
                .and_then(|factor| {
                    Curriculum::new(row.training_start, factor, row.leave_days as u32).ok()
                })
                .map_or(row.training_start, |curriculum| curriculum.year3_start());
            TraineeResponse {
                history: histories
                    .iter()
                    .filter(|h| h.trainee_id == row.id)
                    .map(|h| HistoryEntry {
                        trainer_id: h.trainer_id,
                        training_year: h.training_year as u8,
                        starts_on: h.starts_on,
                        ends_on: h.ends_on,
                        round_id: h.round_id,
                    })
                    .collect(),
                id: row.id,
                institute_id: row.institute_id,
                name: row.name,
                email: row.email,
                training_start: row.training_start,
                part_time_factor: row.part_time_factor,
                leave_days: row.leave_days as u32,
                year3_start,
                created_at: row.created_at,
                updated_at: row.updated_at,
            }
        })
        .collect())
}

fn trainer_response(row: trainer::Model) -> TrainerResponse {
    TrainerResponse {
        id: row.id,
        institute_id: row.institute_id,
        name: row.name,
        email: row.email,
        practice_id: row.practice_id,
        eligible_year1: row.eligible_year1,
        eligible_year3: row.eligible_year3,
        large_scale_structure: row.large_scale_structure,
        last_trainee_end: row.last_trainee_end,
        coupled_until: row.coupled_until,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn practice_response(row: practice::Model) -> PracticeResponse {
    PracticeResponse {
        id: row.id,
        institute_id: row.institute_id,
        name: row.name,
        city: row.city,
        description: row.description,
    }
}

/// A row to save: its label for errors (`rows[3]` or `line 5`), the request, and the id of the
/// record it replaces (none for an import).
type Row<R> = (String, R, Option<Uuid>);

/// Turns parsed CSV rows (labelled by line) into rows to save.
type FromCsv<C, R> = fn(Vec<(String, C)>) -> Result<Vec<Row<R>>, ApiError>;

/// The JSON form of an import (documented as `TraineeImportRequest` / `TrainerImportRequest`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "R: serde::de::DeserializeOwned")]
struct ImportBody<R> {
    rows: Vec<R>,
}

/// The rows of an import body: CSV (`text/csv`) through `from_csv`, otherwise `{"rows": [...]}`.
async fn import_rows<C: serde::de::DeserializeOwned, R: serde::de::DeserializeOwned>(
    request: &HttpRequest,
    payload: web::Payload,
    from_csv: FromCsv<C, R>,
) -> Result<Vec<Row<R>>, ApiError> {
    let (body, csv) = import_body(request, payload).await?;
    if csv {
        return from_csv(csv_rows::<C>(&body)?);
    }
    let rows = parse_json::<ImportBody<R>>(&body)?.rows;
    within_row_limit(rows.len())?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| (format!("rows[{i}]"), row, None))
        .collect())
}

#[derive(Deserialize)]
struct TraineeCsvRow {
    name: String,
    email: String,
    training_start: String,
    #[serde(default)]
    part_time_factor: String,
    #[serde(default)]
    leave_days: String,
    #[serde(default)]
    history: String,
}

#[derive(Deserialize)]
struct TrainerCsvRow {
    name: String,
    email: String,
    eligible_year1: String,
    eligible_year3: String,
    #[serde(default)]
    large_scale_structure: String,
    #[serde(default)]
    last_trainee_end: String,
    #[serde(default)]
    practice_id: String,
}

/// Parses one CSV cell, naming the line and column on failure; an empty cell is `None`.
pub(super) fn cell<T: std::str::FromStr>(
    value: &str,
    line: &str,
    column: &str,
    expected: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = value.parse().ok();
    if parsed.is_none() {
        errors.push(FieldError {
            field: format!("{line}.{column}"),
            message: format!("'{value}' is not {expected}"),
        });
    }
    parsed
}

pub(super) fn required<T>(
    value: Option<T>,
    line: &str,
    column: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    if value.is_none() && !errors.iter().any(|e| e.field == format!("{line}.{column}")) {
        errors.push(FieldError {
            field: format!("{line}.{column}"),
            message: "is required".to_owned(),
        });
    }
    value
}

/// The `history` cell: earlier couplings separated by `;`, each
/// `trainer_id:training_year:starts_on[:ends_on]`, for example
/// `0190e8f0-7c1a-7000-8000-000000000001:1:2025-09-01:2026-08-31`.
fn history_cell(value: &str, line: &str, errors: &mut Vec<FieldError>) -> Vec<HistoryEntry> {
    let mut entries = Vec::new();
    for (index, entry) in value
        .split(';')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .enumerate()
    {
        let field = format!("{line}.history[{index}]");
        let parts: Vec<&str> = entry.split(':').map(str::trim).collect();
        let parsed = match parts.as_slice() {
            [trainer, year, start] => Some((trainer, year, start, None)),
            [trainer, year, start, end] => Some((trainer, year, start, Some(end))),
            _ => None,
        };
        let parsed = parsed.and_then(|(trainer, year, start, end)| {
            let ends_on = match end.filter(|end| !end.is_empty()) {
                Some(end) => Some(end.parse().ok()?),
                None => None,
            };
            Some(HistoryEntry {
                trainer_id: trainer.parse().ok()?,
                training_year: year.parse().ok()?,
                starts_on: start.parse().ok()?,
                ends_on,
                round_id: None,
            })
        });
        match parsed {
            Some(parsed) => entries.push(parsed),
            None => errors.push(FieldError {
                field,
                message: format!(
                    "'{entry}' is not trainer_id:training_year:starts_on[:ends_on] \
                     (for example 0190e8f0-7c1a-7000-8000-000000000001:1:2025-09-01:2026-08-31)"
                ),
            }),
        }
    }
    entries
}

/// The `history` cell for an export, in the import format.
fn history_text(history: &[HistoryEntry]) -> String {
    history
        .iter()
        .map(|h| {
            let end = h.ends_on.map(|d| format!(":{d}")).unwrap_or_default();
            format!("{}:{}:{}{end}", h.trainer_id, h.training_year, h.starts_on)
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn trainee_from_csv(
    rows: Vec<(String, TraineeCsvRow)>,
) -> Result<Vec<Row<TraineeRequest>>, ApiError> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (line, row) in rows {
        let start = cell(
            &row.training_start,
            &line,
            "training_start",
            "a date (YYYY-MM-DD)",
            &mut errors,
        );
        let start = required(start, &line, "training_start", &mut errors);
        let factor = cell(
            &row.part_time_factor,
            &line,
            "part_time_factor",
            "a number such as 0.8",
            &mut errors,
        );
        let leave = cell(
            &row.leave_days,
            &line,
            "leave_days",
            "a whole number of days",
            &mut errors,
        );
        let history = history_cell(&row.history, &line, &mut errors);
        if let Some(training_start) = start {
            let request = TraineeRequest {
                name: row.name,
                email: row.email,
                training_start,
                part_time_factor: factor.unwrap_or(1.0),
                leave_days: leave.unwrap_or(0),
                history,
            };
            out.push((line, request, None));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn trainer_from_csv(
    rows: Vec<(String, TrainerCsvRow)>,
) -> Result<Vec<Row<TrainerRequest>>, ApiError> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (line, row) in rows {
        let boolean = "true or false";
        let year1 = cell(
            &row.eligible_year1,
            &line,
            "eligible_year1",
            boolean,
            &mut errors,
        );
        let year1 = required(year1, &line, "eligible_year1", &mut errors);
        let year3 = cell(
            &row.eligible_year3,
            &line,
            "eligible_year3",
            boolean,
            &mut errors,
        );
        let year3 = required(year3, &line, "eligible_year3", &mut errors);
        let large = cell(
            &row.large_scale_structure,
            &line,
            "large_scale_structure",
            boolean,
            &mut errors,
        );
        let last = cell(
            &row.last_trainee_end,
            &line,
            "last_trainee_end",
            "a date (YYYY-MM-DD)",
            &mut errors,
        );
        let practice = cell(
            &row.practice_id,
            &line,
            "practice_id",
            "a practice id",
            &mut errors,
        );
        if let (Some(eligible_year1), Some(eligible_year3)) = (year1, year3) {
            let request = TrainerRequest {
                name: row.name,
                email: row.email,
                practice_id: practice,
                eligible_year1,
                eligible_year3,
                large_scale_structure: large.unwrap_or(false),
                last_trainee_end: last,
            };
            out.push((line, request, None));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Lists the institute's trainees, by name, paginated and searchable.
#[utoipa::path(
    tag = "people", operation_id = "listTrainees", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ListQuery),
    responses(
        (status = 200, description = "A page of trainees.", body = TraineeListResponse),
        Unauthorized,
        (status = 403, description = "Trainees, trainers and candidates may not list trainees.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        (status = 422, description = "Bad paging parameters.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trainees")]
pub async fn list_trainees(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<TraineeListResponse>, ApiError> {
    let page = query.page()?;
    let (rows, total) = service::trainees(
        &state,
        &principal,
        path.into_inner(),
        query.q.as_deref(),
        Some(page),
    )
    .await?;
    Ok(web::Json(TraineeListResponse {
        items: trainee_response(&state, rows).await?,
        total,
        page: page.number,
        per_page: page.size,
    }))
}

/// Creates a trainee (the A-team).
#[utoipa::path(
    tag = "people", operation_id = "createTrainee", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = TraineeRequest, example = json!({"name": "Sanne Jansen", "email": "s.jansen@example.nl", "training_start": "2025-09-01", "part_time_factor": 0.8, "leave_days": 0, "history": []})),
    responses(
        (status = 201, description = "Created.", body = TraineeResponse),
        Unauthorized,
        (status = 403, description = "Only the A-team, administrators and integrations change trainees.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        Validation,
    )
)]
#[post("/trainees")]
pub async fn create_trainee(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<TraineeRequest>,
) -> Result<HttpResponse, ApiError> {
    let saved = service::save_trainees(
        &state,
        &principal,
        path.into_inner(),
        vec![(String::new(), body.0, None)],
    )
    .await?;
    let response = trainee_response(&state, saved).await?;
    Ok(HttpResponse::Created().json(response.into_iter().next()))
}

/// One trainee.
#[utoipa::path(
    tag = "people", operation_id = "getTrainee", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainee_id" = Uuid, Path, description = "Trainee id")),
    responses(
        (status = 200, description = "The trainee.", body = TraineeResponse),
        Unauthorized,
        (status = 403, description = "The role may not read trainees.", body = Problem, content_type = "application/problem+json"),
        TraineeNotFound,
    )
)]
#[get("/trainees/{trainee_id}")]
pub async fn get_trainee(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<TraineeResponse>, ApiError> {
    let (institute_id, id) = path.into_inner();
    let row = service::trainee(&state, &principal, institute_id, id).await?;
    let response = trainee_response(&state, vec![row]).await?;
    response
        .into_iter()
        .next()
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("trainee '{id}' does not exist")))
}

/// Replaces a trainee's data (the A-team).
#[utoipa::path(
    tag = "people", operation_id = "updateTrainee", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainee_id" = Uuid, Path, description = "Trainee id")),
    request_body = TraineeRequest,
    responses(
        (status = 200, description = "Updated.", body = TraineeResponse),
        Unauthorized,
        (status = 403, description = "Only the A-team, administrators and integrations change trainees.", body = Problem, content_type = "application/problem+json"),
        TraineeNotFound,
        Validation,
    )
)]
#[put("/trainees/{trainee_id}")]
pub async fn update_trainee(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<TraineeRequest>,
) -> Result<web::Json<TraineeResponse>, ApiError> {
    let (institute_id, id) = path.into_inner();
    service::trainee(&state, &principal, institute_id, id).await?;
    let saved = service::save_trainees(
        &state,
        &principal,
        institute_id,
        vec![(String::new(), body.0, Some(id))],
    )
    .await?;
    let response = trainee_response(&state, saved).await?;
    response
        .into_iter()
        .next()
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("trainee '{id}' does not exist")))
}

/// Imports trainees from JSON (`{"rows": [...]}`) or CSV (`text/csv` with the header
/// `name,email,training_start,part_time_factor,leave_days,history`; `history` lists earlier
/// couplings separated by `;`, each `trainer_id:training_year:starts_on[:ends_on]`). All rows are
/// imported or none; every bad row is reported by row (`rows[3]` or `line 5`) and field.
#[utoipa::path(
    tag = "people", operation_id = "importTrainees", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content(
        (TraineeImportRequest = "application/json"),
        (BinaryFile = "text/csv", example = "name,email,training_start,part_time_factor,leave_days,history\nSanne Jansen,s.jansen@example.nl,2025-09-01,0.8,0,0190e8f0-7c1a-7000-8000-000000000001:1:2025-09-01:2026-08-31\n"),
    )),
    responses(
        (status = 201, description = "Every row was imported.", body = ImportResponse),
        Unauthorized,
        (status = 403, description = "Only the A-team, administrators and integrations import trainees.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        ImportTooLarge,
        ImportRejected,
    )
)]
#[post("/trainees/import")]
pub async fn import_trainees(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let institute_id = path.into_inner();
    service::access(&state, &principal, institute_id, &service::TRAINEE_WRITERS).await?;
    let rows =
        import_rows::<TraineeCsvRow, TraineeRequest>(&request, payload, trainee_from_csv).await?;
    let saved = service::save_trainees(&state, &principal, institute_id, rows).await?;
    Ok(HttpResponse::Created().json(ImportResponse {
        imported: saved.len(),
    }))
}

/// Exports the institute's trainees as CSV in the import format, or as an Excel workbook
/// (`?format=xlsx`) with real dates and numbers.
#[utoipa::path(
    tag = "people", operation_id = "exportTrainees", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ExportQuery),
    responses(
        SpreadsheetExport,
        Unauthorized,
        (status = 403, description = "The role may not read trainees.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        Validation,
    )
)]
#[get("/trainees/export")]
pub async fn export_trainees(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let written = query.written()?;
    let (rows, _) = service::trainees(&state, &principal, path.into_inner(), None, None).await?;
    let rows = trainee_response(&state, rows).await?;
    let sheet = Sheet {
        name: "trainees",
        header: &[
            "name",
            "email",
            "training_start",
            "part_time_factor",
            "leave_days",
            "history",
        ],
        rows: rows
            .into_iter()
            .map(|row| {
                vec![
                    Cell::text(row.name),
                    Cell::text(row.email),
                    Cell::Date(row.training_start),
                    Cell::Number(row.part_time_factor),
                    Cell::integer(row.leave_days),
                    Cell::text(history_text(&row.history)),
                ]
            })
            .collect(),
    };
    sheet_response(&sheet, written)
}

/// Lists the institute's trainers, by name, paginated and searchable.
#[utoipa::path(
    tag = "people", operation_id = "listTrainers", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ListQuery),
    responses(
        (status = 200, description = "A page of trainers.", body = TrainerListResponse),
        Unauthorized,
        (status = 403, description = "Trainees, trainers and candidates may not list trainers here.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        (status = 422, description = "Bad paging parameters.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trainers")]
pub async fn list_trainers(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<TrainerListResponse>, ApiError> {
    let page = query.page()?;
    let (rows, total) = service::trainers(
        &state,
        &principal,
        path.into_inner(),
        query.q.as_deref(),
        Some(page),
    )
    .await?;
    Ok(web::Json(TrainerListResponse {
        items: rows.into_iter().map(trainer_response).collect(),
        total,
        page: page.number,
        per_page: page.size,
    }))
}

/// Creates a trainer (the O-team).
#[utoipa::path(
    tag = "people", operation_id = "createTrainer", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = TrainerRequest, example = json!({"name": "Dr. Pieter Visser", "email": "p.visser@example.nl", "eligible_year1": true, "eligible_year3": true, "large_scale_structure": false, "last_trainee_end": "2026-08-31"})),
    responses(
        (status = 201, description = "Created.", body = TrainerResponse),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations change trainers.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        Validation,
    )
)]
#[post("/trainers")]
pub async fn create_trainer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<TrainerRequest>,
) -> Result<HttpResponse, ApiError> {
    let saved = service::save_trainers(
        &state,
        &principal,
        path.into_inner(),
        vec![(String::new(), body.0, None)],
    )
    .await?;
    Ok(HttpResponse::Created().json(saved.into_iter().next().map(trainer_response)))
}

/// One trainer.
#[utoipa::path(
    tag = "people", operation_id = "getTrainer", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainer_id" = Uuid, Path, description = "Trainer id")),
    responses(
        (status = 200, description = "The trainer.", body = TrainerResponse),
        Unauthorized,
        (status = 403, description = "The role may not read trainers here.", body = Problem, content_type = "application/problem+json"),
        TrainerNotFound,
    )
)]
#[get("/trainers/{trainer_id}")]
pub async fn get_trainer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<TrainerResponse>, ApiError> {
    let (institute_id, id) = path.into_inner();
    Ok(web::Json(trainer_response(
        service::trainer(&state, &principal, institute_id, id).await?,
    )))
}

/// Replaces a trainer's data (the O-team).
#[utoipa::path(
    tag = "people", operation_id = "updateTrainer", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("trainer_id" = Uuid, Path, description = "Trainer id")),
    request_body = TrainerRequest,
    responses(
        (status = 200, description = "Updated.", body = TrainerResponse),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations change trainers.", body = Problem, content_type = "application/problem+json"),
        TrainerNotFound,
        Validation,
    )
)]
#[put("/trainers/{trainer_id}")]
pub async fn update_trainer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<TrainerRequest>,
) -> Result<web::Json<TrainerResponse>, ApiError> {
    let (institute_id, id) = path.into_inner();
    service::trainer(&state, &principal, institute_id, id).await?;
    let saved = service::save_trainers(
        &state,
        &principal,
        institute_id,
        vec![(String::new(), body.0, Some(id))],
    )
    .await?;
    saved
        .into_iter()
        .next()
        .map(|row| web::Json(trainer_response(row)))
        .ok_or_else(|| ApiError::NotFound(format!("trainer '{id}' does not exist")))
}

/// Imports trainers from JSON (`{"rows": [...]}`) or CSV (`text/csv` with the header
/// `name,email,eligible_year1,eligible_year3,large_scale_structure,last_trainee_end,practice_id`).
/// All rows are imported or none; every bad row is reported by row and field.
#[utoipa::path(
    tag = "people", operation_id = "importTrainers", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content(
        (TrainerImportRequest = "application/json"),
        (BinaryFile = "text/csv", example = "name,email,eligible_year1,eligible_year3,large_scale_structure,last_trainee_end,practice_id\nDr. Pieter Visser,p.visser@example.nl,true,true,false,2026-08-31,\n"),
    )),
    responses(
        (status = 201, description = "Every row was imported.", body = ImportResponse),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations import trainers.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        ImportTooLarge,
        ImportRejected,
    )
)]
#[post("/trainers/import")]
pub async fn import_trainers(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let institute_id = path.into_inner();
    service::access(&state, &principal, institute_id, &service::TRAINER_WRITERS).await?;
    let rows =
        import_rows::<TrainerCsvRow, TrainerRequest>(&request, payload, trainer_from_csv).await?;
    let saved = service::save_trainers(&state, &principal, institute_id, rows).await?;
    Ok(HttpResponse::Created().json(ImportResponse {
        imported: saved.len(),
    }))
}

/// Exports the institute's trainers as CSV in the import format, or as an Excel workbook
/// (`?format=xlsx`) with real dates and yes/no cells.
#[utoipa::path(
    tag = "people", operation_id = "exportTrainers", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ExportQuery),
    responses(
        SpreadsheetExport,
        Unauthorized,
        (status = 403, description = "The role may not read trainers here.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        Validation,
    )
)]
#[get("/trainers/export")]
pub async fn export_trainers(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let written = query.written()?;
    let (rows, _) = service::trainers(&state, &principal, path.into_inner(), None, None).await?;
    let sheet = Sheet {
        name: "trainers",
        header: &[
            "name",
            "email",
            "eligible_year1",
            "eligible_year3",
            "large_scale_structure",
            "last_trainee_end",
            "practice_id",
        ],
        rows: rows
            .into_iter()
            .map(|row| {
                vec![
                    Cell::text(row.name),
                    Cell::text(row.email),
                    Cell::Bool(row.eligible_year1),
                    Cell::Bool(row.eligible_year3),
                    Cell::Bool(row.large_scale_structure),
                    Cell::date(row.last_trainee_end),
                    row.practice_id
                        .map_or(Cell::Empty, |id| Cell::Text(id.to_string())),
                ]
            })
            .collect(),
    };
    sheet_response(&sheet, written)
}

/// Lists the institute's practices.
#[utoipa::path(
    tag = "people", operation_id = "listPractices", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    responses(
        (status = 200, description = "Practices by name.", body = PracticeListResponse),
        Unauthorized,
        (status = 403, description = "The role may not list practices here.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
    )
)]
#[get("/practices")]
pub async fn list_practices(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<PracticeListResponse>, ApiError> {
    let rows = service::practices(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(PracticeListResponse {
        items: rows.into_iter().map(practice_response).collect(),
    }))
}

/// Creates a practice (the O-team).
#[utoipa::path(
    tag = "people", operation_id = "createPractice", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id")),
    request_body(content = PracticeRequest, example = json!({"name": "Huisartsenpraktijk De Linde", "city": "Zwolle", "description": "Praktijk met vier huisartsen."})),
    responses(
        (status = 201, description = "Created.", body = PracticeResponse),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations change practices.", body = Problem, content_type = "application/problem+json"),
        InstituteNotFound,
        Validation,
    )
)]
#[post("/practices")]
pub async fn create_practice(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<PracticeRequest>,
) -> Result<HttpResponse, ApiError> {
    let saved =
        service::save_practice(&state, &principal, path.into_inner(), None, &body.0).await?;
    Ok(HttpResponse::Created().json(practice_response(saved)))
}

/// Replaces a practice's data (the O-team).
#[utoipa::path(
    tag = "people", operation_id = "updatePractice", security(("bearer" = [])),
    params(("institute_id" = Uuid, Path, description = "Institute id"), ("practice_id" = Uuid, Path, description = "Practice id")),
    request_body = PracticeRequest,
    responses(
        (status = 200, description = "Updated.", body = PracticeResponse),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations change practices.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such practice in the caller's institute.", body = Problem, content_type = "application/problem+json"),
        Validation,
    )
)]
#[put("/practices/{practice_id}")]
pub async fn update_practice(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<PracticeRequest>,
) -> Result<web::Json<PracticeResponse>, ApiError> {
    let (institute_id, id) = path.into_inner();
    let saved = service::save_practice(&state, &principal, institute_id, Some(id), &body.0).await?;
    Ok(web::Json(practice_response(saved)))
}

/// Anonymises a trainee who has left (the A-team): name and e-mail address are replaced, the
/// profile with CV and photo is deleted, the linked account loses its personal details and can
/// no longer sign in, and notes of vetoes about them are deleted. The record and its history
/// stay, so later rounds' rules still work. Refused while they take part in a round that is not
/// closed or cancelled. Doing it again changes nothing.
#[utoipa::path(
    tag = "people", operation_id = "anonymiseTrainee", security(("bearer" = [])),
    params(
        ("institute_id" = Uuid, Path, description = "Institute id"),
        ("trainee_id" = Uuid, Path, description = "Trainee id"),
    ),
    responses(
        (status = 204, description = "Anonymised."),
        Unauthorized,
        (status = 403, description = "Only the A-team, administrators and integrations.", body = Problem, content_type = "application/problem+json"),
        TraineeNotFound,
        (status = 409, description = "They still take part in a round that is not over.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/trainees/{trainee_id}/anonymise")]
pub async fn anonymise_trainee(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, trainee_id) = path.into_inner();
    crate::services::anonymise::anonymise(
        &state,
        &principal,
        institute_id,
        crate::store::anonymise::Person::Trainee(trainee_id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Anonymises a trainer who has left (the O-team), like a trainee: the record and the history
/// of their trainees stay, without name or contact details.
#[utoipa::path(
    tag = "people", operation_id = "anonymiseTrainer", security(("bearer" = [])),
    params(
        ("institute_id" = Uuid, Path, description = "Institute id"),
        ("trainer_id" = Uuid, Path, description = "Trainer id"),
    ),
    responses(
        (status = 204, description = "Anonymised."),
        Unauthorized,
        (status = 403, description = "Only the O-team, administrators and integrations.", body = Problem, content_type = "application/problem+json"),
        TrainerNotFound,
        (status = 409, description = "They still take part in a round that is not over.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/trainers/{trainer_id}/anonymise")]
pub async fn anonymise_trainer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (institute_id, trainer_id) = path.into_inner();
    crate::services::anonymise::anonymise(
        &state,
        &principal,
        institute_id,
        crate::store::anonymise::Person::Trainer(trainer_id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

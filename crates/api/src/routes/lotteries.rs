//! `/lotteries/...`: the national placement lottery (administrators), its public verification and
//! the candidates' own outcome (`/me/lottery`).

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use koppel_api_types::{
    CarryOverRequest, CarryOverResponse, CreateLotteryRequest, DrawLotteryRequest, FieldError,
    ImportResponse, LotteryCandidateImportRequest, LotteryCandidateListResponse,
    LotteryCandidateRow, LotteryListResponse, LotteryLocationListResponse, LotteryLocationsRequest,
    LotteryOfferListResponse, LotteryOfferResponse, LotteryReportResponse, LotteryResponse,
    MyLotteryResponse, OfferDecisionRequest, Problem, SimulationRequest, SimulationResponse,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::csv::{CsvDialect, csv_rows, parse_dialect};
use super::people::{cell, import_body, required, within_row_limit};
use super::sheet::{BinaryFile, Cell, Sheet, Written, sheet_response};
use crate::error::ApiError;
use crate::extract::{Principal, ValidJson, parse_json};
use crate::openapi::responses::{
    AdministratorsOnly, ImportRejected, ImportTooLarge, LotteryCommitted, LotteryNotFound,
    Unauthorized,
};
use crate::services::lotteries::{self as service, LotteryVerification};
use crate::state::AppState;
use crate::store::entities::lottery;

fn lottery_response(row: lottery::Model, locations: u32, candidates: u32) -> LotteryResponse {
    let drawn = row.status == "drawn";
    LotteryResponse {
        id: row.id,
        name: row.name,
        draw_on: row.draw_on,
        applicants: u32::try_from(row.applicants).unwrap_or(0),
        selected: u32::try_from(row.selected).unwrap_or(0),
        response_days: u32::try_from(row.response_days).unwrap_or(0),
        status: row.status,
        locations,
        candidates,
        seed_commitment: row.seed_commitment,
        inputs_hash: row.inputs_hash,
        // The secret (and so the seed) stays secret until the draw.
        public_value: if drawn { row.public_value } else { None },
        secret: if drawn { row.secret } else { None },
        seed: if drawn { row.seed } else { None },
        created_at: row.created_at,
        committed_at: row.committed_at,
        drawn_at: row.drawn_at,
        placement_start: row.placement_start,
        handed_over_at: row.handed_over_at,
    }
}

async fn respond_with(state: &AppState, row: lottery::Model) -> Result<LotteryResponse, ApiError> {
    let (locations, candidates) = service::counts(state, row.id).await?;
    Ok(lottery_response(row, locations, candidates))
}

/// Lists every lottery, newest first (administrators).
#[utoipa::path(
    tag = "lottery", operation_id = "listLotteries", security(("bearer" = [])),
    responses(
        (status = 200, description = "The lotteries.", body = LotteryListResponse),
        Unauthorized,
        (status = 403, description = "Only administrators (the national body).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/lotteries")]
pub async fn list_lotteries(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<LotteryListResponse>, ApiError> {
    let items = service::list(&state, &principal)
        .await?
        .into_iter()
        .map(|(row, locations, candidates)| lottery_response(row, locations, candidates))
        .collect();
    Ok(web::Json(LotteryListResponse { items }))
}

/// Creates a lottery in `draft`, with the figures of the selection before it.
#[utoipa::path(
    tag = "lottery", operation_id = "createLottery", security(("bearer" = [])),
    request_body(content = CreateLotteryRequest, example = json!({"name": "Plaatsingsloting maart 2027", "draw_on": "2026-11-14", "applicants": 393, "selected": 336, "response_days": 7})),
    responses(
        (status = 201, description = "Created.", body = LotteryResponse),
        Unauthorized,
        AdministratorsOnly,
        (status = 422, description = "A field is invalid; `errors` names each.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/lotteries")]
pub async fn create_lottery(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<CreateLotteryRequest>,
) -> Result<HttpResponse, ApiError> {
    let row = service::create(&state, &principal, &body.0).await?;
    Ok(HttpResponse::Created().json(respond_with(&state, row).await?))
}

/// One lottery (administrators). The seed appears only after the draw.
#[utoipa::path(
    tag = "lottery", operation_id = "getLottery", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    responses(
        (status = 200, description = "The lottery.", body = LotteryResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
    )
)]
#[get("")]
pub async fn get_lottery(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<LotteryResponse>, ApiError> {
    let row = service::get(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(respond_with(&state, row).await?))
}

/// The locations (training institutes) and their places.
#[utoipa::path(
    tag = "lottery", operation_id = "listLotteryLocations", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    responses(
        (status = 200, description = "In input order.", body = LotteryLocationListResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
    )
)]
#[get("/locations")]
pub async fn list_locations(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<LotteryLocationListResponse>, ApiError> {
    let items = service::locations(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(LotteryLocationListResponse { items }))
}

/// Replaces the locations and their places (before the commit).
#[utoipa::path(
    tag = "lottery", operation_id = "setLotteryLocations", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    request_body(content = LotteryLocationsRequest, example = json!({"locations": [{"id": "utrecht", "name": "Huisartsopleiding Utrecht", "capacity": 40}, {"id": "groningen", "name": "Huisartsopleiding Groningen", "capacity": 30}]})),
    responses(
        (status = 200, description = "The locations as saved.", body = LotteryLocationListResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
        LotteryCommitted,
        (status = 422, description = "A bad or duplicate id, or a location a candidate still lists.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/locations")]
pub async fn set_locations(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<LotteryLocationsRequest>,
) -> Result<web::Json<LotteryLocationListResponse>, ApiError> {
    let items =
        service::set_locations(&state, &principal, path.into_inner(), &body.0.locations).await?;
    Ok(web::Json(LotteryLocationListResponse { items }))
}

#[derive(Deserialize)]
struct CandidateCsvRow {
    id: String,
    name: String,
    email: String,
    preferences: String,
    #[serde(default)]
    second_attempt: String,
    suitable_on: String,
}

fn candidates_from_csv(
    rows: Vec<(String, CandidateCsvRow)>,
) -> Result<Vec<(String, LotteryCandidateRow)>, ApiError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut out = Vec::new();
    for (line, row) in rows {
        let second_attempt = match row.second_attempt.trim().to_ascii_lowercase().as_str() {
            "" | "false" | "nee" | "no" | "0" => Some(false),
            "true" | "ja" | "yes" | "1" => Some(true),
            other => {
                errors.push(FieldError {
                    field: format!("{line}.second_attempt"),
                    message: format!("'{other}' is not true or false"),
                });
                None
            }
        };
        let suitable_on = cell(
            &row.suitable_on,
            &line,
            "suitable_on",
            "a date (YYYY-MM-DD)",
            &mut errors,
        );
        let suitable_on = required(suitable_on, &line, "suitable_on", &mut errors);
        if let (Some(second_attempt), Some(suitable_on)) = (second_attempt, suitable_on) {
            out.push((
                line,
                LotteryCandidateRow {
                    id: row.id,
                    name: row.name,
                    email: row.email,
                    preferences: row
                        .preferences
                        .split(';')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    second_attempt,
                    suitable_on,
                },
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Imports candidates from JSON (`{"rows": [...]}`) or CSV (`text/csv` with the header
/// `id,name,email,preferences,second_attempt,suitable_on`; preferences separated by `;`). All
/// rows or none: each bad row is named (`rows[3]` or `line 5`) with its field. Refused:
/// suitability more than 24 months before the draw, a third lottery, someone placed before.
/// Someone unplaced in an earlier lottery becomes a second-attempt candidate.
#[utoipa::path(
    tag = "lottery", operation_id = "importLotteryCandidates", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    request_body(content(
        (LotteryCandidateImportRequest = "application/json"),
        (BinaryFile = "text/csv", example = "id,name,email,preferences,second_attempt,suitable_on\nK-0001,Lotte Smit,l.smit@example.nl,utrecht;groningen,false,2026-10-01\n"),
    )),
    responses(
        (status = 201, description = "Every row was imported.", body = ImportResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
        LotteryCommitted,
        ImportTooLarge,
        ImportRejected,
    )
)]
#[post("/candidates/import")]
pub async fn import_candidates(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    service::get(&state, &principal, id).await?;
    let (body, csv) = import_body(&request, payload).await?;
    let rows = if csv {
        candidates_from_csv(csv_rows::<CandidateCsvRow>(&body)?)?
    } else {
        let rows = parse_json::<LotteryCandidateImportRequest>(&body)?.rows;
        within_row_limit(rows.len())?;
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| (format!("rows[{i}]"), row))
            .collect()
    };
    let imported = service::import_candidates(&state, &principal, id, rows).await?;
    Ok(HttpResponse::Created().json(ImportResponse { imported }))
}

/// The candidates (administrators).
#[utoipa::path(
    tag = "lottery", operation_id = "listLotteryCandidates", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    responses(
        (status = 200, description = "In input order.", body = LotteryCandidateListResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
    )
)]
#[get("/candidates")]
pub async fn list_candidates(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<LotteryCandidateListResponse>, ApiError> {
    let items = service::candidates(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(LotteryCandidateListResponse { items }))
}

/// Adds the unplaced candidates of an earlier drawn lottery (within 24 months) as second-attempt
/// candidates, with their locations that take part in this lottery.
#[utoipa::path(
    tag = "lottery", operation_id = "carryOverLotteryCandidates", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    request_body = CarryOverRequest,
    responses(
        (status = 200, description = "Who was added and who not, and why.", body = CarryOverResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
        LotteryCommitted,
        (status = 422, description = "The earlier lottery does not exist or was not drawn.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/carry-over")]
pub async fn carry_over(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<CarryOverRequest>,
) -> Result<web::Json<CarryOverResponse>, ApiError> {
    Ok(web::Json(
        service::carry_over(
            &state,
            &principal,
            path.into_inner(),
            body.0.from_lottery_id,
        )
        .await?,
    ))
}

/// Freezes the inputs and commits to a secret: the answer carries only the secret's SHA-256
/// (`seed_commitment`) and the inputs' hash, both public from now on in the verification
/// document. The database keeps a nonce, not the secret. Nothing can change afterwards.
#[utoipa::path(
    tag = "lottery", operation_id = "commitLottery", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    responses(
        (status = 200, description = "Committed.", body = LotteryResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
        (status = 409, description = "Already committed, or no locations or candidates.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/commit")]
pub async fn commit(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<LotteryResponse>, ApiError> {
    let row = service::commit(&state, &principal, path.into_inner()).await?;
    Ok(web::Json(respond_with(&state, row).await?))
}

/// Draws: the seed is `SHA-256(secret ":" public_value)`, from the committed secret and a public
/// value nobody knew at the commit, so neither the server nor anyone else could know or choose
/// it in advance. Stores the order and placements, reveals the secret, the public value and the
/// seed, makes the second-chance offers and mails every candidate their outcome.
#[utoipa::path(
    tag = "lottery", operation_id = "drawLottery", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    request_body(content = DrawLotteryRequest, example = json!({"public_value": "drand quicknet round 21834567: 6f1a0c9e5b2d4a7c8e3f1b0d9a6c5e4f3b2a1d0c9e8f7a6b5c4d3e2f1a0b9c8d"})),
    responses(
        (status = 200, description = "Drawn; `secret`, `public_value` and `seed` are revealed.", body = LotteryResponse),
        (status = 422, description = "`public_value` is missing, only spaces, or longer than 500 characters.", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
        (status = 409, description = "Not committed, or already drawn.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/draw")]
pub async fn draw(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<DrawLotteryRequest>,
) -> Result<web::Json<LotteryResponse>, ApiError> {
    let row = service::draw(&state, &principal, path.into_inner(), &body.0.public_value).await?;
    Ok(web::Json(respond_with(&state, row).await?))
}

/// Public, no sign-in: everything needed to recompute a lottery. After the commit: the
/// commitment to the secret, the inputs hash and the frozen inputs (candidate ids and
/// preferences, capacities; never names or e-mail addresses). After the draw also the secret, the
/// public value, the seed made from them, and the outcome.
/// `koppel verify-lottery FILE` or the README's Python snippet recompute it.
#[utoipa::path(
    tag = "lottery", operation_id = "getLotteryVerification",
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    responses(
        (status = 200, description = "The verification document.", body = LotteryVerification),
        (status = 404, description = "No such lottery, or not committed yet.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/verification")]
pub async fn verification(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<web::Json<LotteryVerification>, ApiError> {
    Ok(web::Json(
        service::verification(&state, path.into_inner()).await?,
    ))
}

/// The second-chance offers, in the order they were made (administrators). Overdue offers
/// expire, and their places move on, when this is read.
#[utoipa::path(
    tag = "lottery", operation_id = "listLotteryOffers", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    responses(
        (status = 200, description = "The offers.", body = LotteryOfferListResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
    )
)]
#[get("/offers")]
pub async fn list_offers(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<LotteryOfferListResponse>, ApiError> {
    Ok(web::Json(LotteryOfferListResponse {
        items: service::offers(&state, &principal, path.into_inner()).await?,
    }))
}

/// Accepts or declines a second-chance offer: the candidate, or an administrator on their
/// behalf. Declining is final; the place moves on to the next unplaced candidate.
#[utoipa::path(
    tag = "lottery", operation_id = "decideLotteryOffer", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id"), ("offer_id" = Uuid, Path, description = "Offer id")),
    request_body(content = OfferDecisionRequest, example = json!({"accept": true})),
    responses(
        (status = 200, description = "The offer as answered.", body = LotteryOfferResponse),
        Unauthorized,
        (status = 403, description = "Only the candidate and administrators.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lottery or offer, or not the caller's.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered or expired.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/offers/{offer_id}/decision")]
pub async fn decide_offer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<OfferDecisionRequest>,
) -> Result<web::Json<LotteryOfferResponse>, ApiError> {
    let (id, offer_id) = path.into_inner();
    Ok(web::Json(
        service::respond(&state, &principal, id, offer_id, body.0.accept).await?,
    ))
}

/// `?format=csv` or `?format=xlsx` for the report as a table.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// `json` (default), `csv`, or `xlsx` (an Excel workbook with real numbers).
    #[param(example = "csv")]
    pub format: Option<String>,
    /// For `csv`: `standard` (the default: comma-separated, decimal point) or `excel_nl`
    /// (semicolon-separated, decimal comma, with a UTF-8 byte-order mark, as Excel in Dutch opens
    /// it).
    #[param(value_type = Option<CsvDialect>, example = "excel_nl")]
    pub dialect: Option<String>,
}

/// The round report: applicants, selected, second attempts, total in the lottery, placed at a
/// preferred location, unplaced, places offered and unfilled; per location and per preference
/// rank; and the second chance so far. JSON, or a table with `?format=csv` or `?format=xlsx`.
#[utoipa::path(
    tag = "lottery", operation_id = "getLotteryReport", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id"), ReportQuery),
    responses(
        (status = 200, description = "The report.", content(
            (LotteryReportResponse = "application/json"),
            (String = "text/csv", example = "kind,key,name,value_or_capacity,placed,unfilled,second_chance\nfigure,applicants,,393,,,\n"),
            (BinaryFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
        (status = 409, description = "Not drawn yet.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/report")]
pub async fn report(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let dialect = parse_dialect(query.dialect.as_deref())?;
    let report = service::report(&state, &principal, path.into_inner()).await?;
    let written = match query.format.as_deref().unwrap_or("json") {
        "json" => None,
        "csv" => Some(Written::Csv(dialect)),
        "xlsx" => Some(Written::Xlsx),
        other => {
            return Err(ApiError::field(
                "format",
                format!("'{other}' is not a format: use json, csv or xlsx"),
            ));
        }
    };
    match written {
        None => Ok(HttpResponse::Ok().json(report)),
        Some(written) => sheet_response(&report_sheet(&report), written),
    }
}

/// The report as one table: the published figures, then a row per location and per preference
/// rank.
fn report_sheet(r: &LotteryReportResponse) -> Sheet {
    let figure = |name: &str, value: u32| {
        vec![
            Cell::text("figure"),
            Cell::text(name),
            Cell::Empty,
            Cell::integer(value),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]
    };
    let mut rows = vec![
        figure("applicants", r.applicants),
        figure("selected", r.selected),
        figure("second_attempts", r.second_attempts),
        figure("total_in_lottery", r.total_in_lottery),
        figure("placed_at_preferred", r.placed_at_preferred),
        figure("unplaced", r.unplaced),
        figure("places_offered", r.places_offered),
        figure("places_unfilled", r.places_unfilled),
        figure("second_chance_accepted", r.second_chance.accepted),
    ];
    for l in &r.locations {
        rows.push(vec![
            Cell::text("location"),
            Cell::text(l.id.clone()),
            Cell::text(l.name.clone()),
            Cell::integer(l.capacity),
            Cell::integer(l.placed),
            Cell::integer(l.unfilled),
            Cell::integer(l.second_chance),
        ]);
    }
    for rank in &r.by_preference_rank {
        rows.push(vec![
            Cell::text("preference_rank"),
            Cell::Text(rank.preference_rank.to_string()),
            Cell::Empty,
            Cell::integer(rank.placed),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    Sheet {
        name: "lottery-report",
        header: &[
            "kind",
            "key",
            "name",
            "value_or_capacity",
            "placed",
            "unfilled",
            "second_chance",
        ],
        rows,
    }
}

/// Starts a simulation: N draws with fresh random seeds on the frozen inputs, to estimate each
/// candidate's chance of a place and of their first preference. Poll the answer's id for
/// progress.
#[utoipa::path(
    tag = "lottery", operation_id = "startLotterySimulation", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id")),
    request_body(content = SimulationRequest, example = json!({"draws": 1000})),
    responses(
        (status = 202, description = "Started.", body = SimulationResponse),
        Unauthorized,
        AdministratorsOnly,
        LotteryNotFound,
        (status = 409, description = "Not committed yet.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Draws outside 1-100000.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/simulations")]
pub async fn start_simulation(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<SimulationRequest>,
) -> Result<HttpResponse, ApiError> {
    let started =
        service::start_simulation(&state, &principal, path.into_inner(), body.0.draws).await?;
    Ok(HttpResponse::Accepted().json(started))
}

/// A simulation's progress (`done` of `draws`) and, when `finished`, each candidate's chances.
#[utoipa::path(
    tag = "lottery", operation_id = "getLotterySimulation", security(("bearer" = [])),
    params(("lottery_id" = Uuid, Path, description = "Lottery id"), ("simulation_id" = Uuid, Path, description = "Simulation id")),
    responses(
        (status = 200, description = "Progress and result.", body = SimulationResponse),
        Unauthorized,
        AdministratorsOnly,
        (status = 404, description = "No such lottery or simulation.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/simulations/{simulation_id}")]
pub async fn get_simulation(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<SimulationResponse>, ApiError> {
    let (id, simulation_id) = path.into_inner();
    Ok(web::Json(
        service::simulation(&state, &principal, id, simulation_id).await?,
    ))
}

/// The signed-in candidate's lotteries: lottery number, placement or offer, and until when they
/// may take part again.
#[utoipa::path(
    tag = "lottery", operation_id = "getMyLottery", security(("bearer" = [])),
    responses(
        (status = 200, description = "The candidate's lotteries.", body = MyLotteryResponse),
        Unauthorized,
        (status = 403, description = "Only candidates.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/lottery")]
pub async fn my_lottery(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<MyLotteryResponse>, ApiError> {
    Ok(web::Json(MyLotteryResponse {
        items: service::mine(&state, &principal).await?,
    }))
}

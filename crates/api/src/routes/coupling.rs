//! `/rounds/{id}/...` for step 3 and the coupling: final rankings, vetoes, coupling runs,
//! publication and each participant's result.

use actix_web::{HttpResponse, get, post, put, web};
use koppel_api_types::{
    CouplingRunListResponse, CouplingRunRequest, CouplingRunSummary, FinalRankingRequest,
    FinalRankingResponse, ManualCouplingRequest, MyCouplingResponse, Problem, VetoListResponse,
    VetoRequest, VetoResponse, WithdrawalRequest, WithdrawalResponse,
};
use koppel_matcher::coupling::{CouplingOutput, VerificationDocument};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::sheet::{Cell, ExportQuery, Sheet, sheet_response};
use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::{
    CoordinatorsOnly, RoundNotFound, RoundNotFoundForParticipant, RunNotFound, SolveBusy,
    SpreadsheetExport, Unauthorized, Validation,
};
use crate::services::coupling as service;
use crate::services::tables;
use crate::state::AppState;
use crate::store::entities::{coupling_run, veto};

/// A coupling run with the matcher's full result.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouplingRunResponse {
    /// The run in short.
    pub run: CouplingRunSummary,
    /// Assignments, unmatched trainees with reasons, blocking pairs, explanations.
    pub result: CouplingOutput,
}

/// Ranks 1..=max counted, index 0 = rank 1.
fn distribution(ranks: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut counts: Vec<u32> = Vec::new();
    for rank in ranks.filter(|rank| *rank > 0) {
        let index = rank as usize - 1;
        if counts.len() <= index {
            counts.resize(index + 1, 0);
        }
        counts[index] += 1;
    }
    counts
}

fn summary_of(row: &coupling_run::Model, output: &CouplingOutput) -> CouplingRunSummary {
    CouplingRunSummary {
        id: row.id,
        objective: row.objective.clone(),
        matched: row.matched as u32,
        total_rank: row.total_rank as u64,
        worst_rank: output.worst_rank,
        unmatched: output.unmatched_trainees.len() as u32,
        blocking_pairs: output.blocking_pairs.len() as u32,
        trainee_rank_distribution: distribution(output.assignments.iter().map(|a| a.trainee_rank)),
        trainer_rank_distribution: distribution(output.assignments.iter().map(|a| a.trainer_rank)),
        created_at: row.created_at,
        published_at: row.published_at,
    }
}

fn summary(row: &coupling_run::Model) -> Result<CouplingRunSummary, ApiError> {
    Ok(summary_of(row, &service::output_of(row)?))
}

fn veto_response(row: veto::Model) -> VetoResponse {
    VetoResponse {
        id: row.id,
        trainee_id: row.trainee_id,
        trainer_id: row.trainer_id,
        declared_by: row.declared_by,
        category: row.category,
        relationship: row.relationship,
        note: row.note,
        actor_id: row.actor_id,
        created_at: row.created_at,
    }
}

/// Submits or replaces the caller's final ranking (trainees and trainers), until the deadline.
#[utoipa::path(
    tag = "coupling", operation_id = "submitFinalRanking", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body = FinalRankingRequest,
    responses(
        (status = 200, description = "Stored.", body = FinalRankingResponse),
        Unauthorized,
        (status = 403, description = "Only trainees and trainers rank.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
        (status = 409, description = "Wrong phase, or the deadline has passed; `detail` names it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly the interview counterparts ranked 1..n; `errors` names each entry.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/final-ranking")]
pub async fn submit_final_ranking(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<FinalRankingRequest>,
) -> Result<web::Json<FinalRankingResponse>, ApiError> {
    let round_id = path.into_inner();
    let ranks: Vec<(Uuid, u32)> = body
        .0
        .ranks
        .iter()
        .map(|r| (r.counterpart_id, r.rank))
        .collect();
    service::submit_final_ranking(&state, &principal, round_id, &ranks).await?;
    let counterpart_ids = service::my_final_ranking(&state, &principal, round_id).await?;
    Ok(web::Json(FinalRankingResponse { counterpart_ids }))
}

/// The caller's final ranking, rank 1 first (each side sees only its own).
#[utoipa::path(
    tag = "coupling", operation_id = "getMyFinalRanking", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "The ranking; empty when not submitted.", body = FinalRankingResponse),
        Unauthorized,
        (status = 403, description = "Only trainees and trainers rank.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
    )
)]
#[get("/final-ranking/mine")]
pub async fn my_final_ranking(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<FinalRankingResponse>, ApiError> {
    Ok(web::Json(FinalRankingResponse {
        counterpart_ids: service::my_final_ranking(&state, &principal, path.into_inner()).await?,
    }))
}

/// Declares a veto against a counterpart of the round. Only a personal relationship (family, own
/// GP, other personal tie) is a valid reason; travel time, religion, political preference, skin
/// colour, migration background, sexual orientation and gender are refused with the policy.
#[utoipa::path(
    tag = "coupling", operation_id = "declareVeto", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = VetoRequest, example = json!({"counterpart_id": "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d", "category": "personal_relationship", "relationship": "own_gp"})),
    responses(
        (status = 201, description = "Recorded.", body = VetoResponse),
        Unauthorized,
        (status = 403, description = "Only trainees and trainers declare vetoes.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
        (status = 409, description = "Wrong phase, or the deadline has passed.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A refused reason (the message explains the policy) or an unknown counterpart.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/vetoes")]
pub async fn declare_veto(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<VetoRequest>,
) -> Result<HttpResponse, ApiError> {
    let row = service::declare_veto(&state, &principal, path.into_inner(), &body.0).await?;
    Ok(HttpResponse::Created().json(veto_response(row)))
}

/// Every veto of the round with who declared it and when (coordinators).
#[utoipa::path(
    tag = "coupling", operation_id = "listVetoes", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Vetoes, oldest first.", body = VetoListResponse),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
    )
)]
#[get("/vetoes")]
pub async fn list_vetoes(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<VetoListResponse>, ApiError> {
    let items = service::vetoes(&state, &principal, path.into_inner())
        .await?
        .into_iter()
        .map(veto_response)
        .collect();
    Ok(web::Json(VetoListResponse { items }))
}

/// Runs the matcher on the final rankings (phase `coupling`): vetoes and the coupling rules
/// become forbidden pairs; input and result are stored so runs can be compared.
#[utoipa::path(
    tag = "coupling", operation_id = "createCouplingRun", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = CouplingRunRequest, example = json!({"objective": "total"})),
    responses(
        (status = 201, description = "The run and its result.", body = CouplingRunResponse),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
        (status = 409, description = "The round is not in phase `coupling`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown objective, the round is larger than the solve limits, or `time_limit_reached`: no optimum was proven within the time limit.", body = Problem, content_type = "application/problem+json"),
        SolveBusy,
    )
)]
#[post("/coupling-runs")]
pub async fn create_run(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<CouplingRunRequest>,
) -> Result<HttpResponse, ApiError> {
    let (row, result) = service::create_run(
        &state,
        &principal,
        path.into_inner(),
        body.0.objective.as_deref(),
        body.0.keep_published.unwrap_or(true),
    )
    .await?;
    Ok(HttpResponse::Created().json(CouplingRunResponse {
        run: summary_of(&row, &result),
        result,
    }))
}

/// The round's coupling runs in short, to compare (coordinators).
#[utoipa::path(
    tag = "coupling", operation_id = "listCouplingRuns", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "Runs, oldest first.", body = CouplingRunListResponse),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
    )
)]
#[get("/coupling-runs")]
pub async fn list_runs(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<CouplingRunListResponse>, ApiError> {
    let items = service::runs(&state, &principal, path.into_inner())
        .await?
        .iter()
        .map(summary)
        .collect::<Result<_, _>>()?;
    Ok(web::Json(CouplingRunListResponse { items }))
}

/// One coupling run with the matcher's full result: every assignment with both ranks, unmatched
/// trainees, blocking pairs and the explanations (coordinators).
#[utoipa::path(
    tag = "coupling", operation_id = "getCouplingRun", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ("run_id" = Uuid, Path, description = "Run id")),
    responses(
        (status = 200, description = "The run and its result.", body = CouplingRunResponse),
        Unauthorized,
        CoordinatorsOnly,
        RunNotFound,
    )
)]
#[get("/coupling-runs/{run_id}")]
pub async fn get_run(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<CouplingRunResponse>, ApiError> {
    let (round_id, run_id) = path.into_inner();
    let (_, row, result) = service::run(&state, &principal, round_id, run_id).await?;
    Ok(web::Json(CouplingRunResponse {
        run: summary_of(&row, &result),
        result,
    }))
}

/// Every final ranking of the round from both sides as a table (coordinators): a row per ranker
/// and rank; as CSV, or as an Excel workbook with `?format=xlsx`. Columns: `side` (`trainee` or
/// `trainer`: who ranked), `ranker`, `ranker_email`, `rank` (1 = first choice), `ranked`,
/// `ranked_email`.
#[utoipa::path(
    tag = "coupling", operation_id = "exportFinalRankings", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ExportQuery),
    responses(
        SpreadsheetExport,
        Unauthorized,
        (status = 403, description = "Only coordinators, administrators and integrations see every final ranking.", body = Problem, content_type = "application/problem+json"),
        RoundNotFound,
        Validation,
    )
)]
#[get("/final-rankings/export")]
pub async fn export_final_rankings(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let written = query.written()?;
    let rows = tables::final_rank_rows(&state, &principal, path.into_inner()).await?;
    let sheet = Sheet {
        name: "final-rankings",
        header: &[
            "side",
            "ranker",
            "ranker_email",
            "rank",
            "ranked",
            "ranked_email",
        ],
        rows: rows
            .into_iter()
            .map(|row| {
                vec![
                    Cell::text(row.side),
                    Cell::text(row.ranker.0),
                    Cell::text(row.ranker.1),
                    Cell::integer(row.rank),
                    Cell::text(row.ranked.0),
                    Cell::text(row.ranked.1),
                ]
            })
            .collect(),
    };
    sheet_response(&sheet, written)
}

/// A coupling run's result as a table (coordinators): a row per trainee with their trainer and
/// both ranks, or why they are not coupled; as CSV, or as an Excel workbook with `?format=xlsx`.
/// Columns: `trainee`, `trainee_email`, `trainer`, `trainer_email`, `trainee_rank` (the rank the
/// trainee gave the trainer), `trainer_rank`, `not_coupled_because`.
#[utoipa::path(
    tag = "coupling", operation_id = "exportCouplingRun", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ("run_id" = Uuid, Path, description = "Run id"), ExportQuery),
    responses(
        SpreadsheetExport,
        Unauthorized,
        CoordinatorsOnly,
        RunNotFound,
        Validation,
    )
)]
#[get("/coupling-runs/{run_id}/export")]
pub async fn export_run(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let written = query.written()?;
    let (round_id, run_id) = path.into_inner();
    let rows = tables::run_result_rows(&state, &principal, round_id, run_id).await?;
    let sheet = Sheet {
        name: "coupling",
        header: &[
            "trainee",
            "trainee_email",
            "trainer",
            "trainer_email",
            "trainee_rank",
            "trainer_rank",
            "not_coupled_because",
        ],
        rows: rows
            .into_iter()
            .map(|row| {
                let (trainer, trainer_email) =
                    row.trainer.map_or((Cell::Empty, Cell::Empty), |t| {
                        (Cell::text(t.name), Cell::text(t.email))
                    });
                let (trainee_rank, trainer_rank) =
                    row.ranks.map_or((Cell::Empty, Cell::Empty), |(a, b)| {
                        (Cell::integer(a), Cell::integer(b))
                    });
                vec![
                    Cell::text(row.trainee.name),
                    Cell::text(row.trainee.email),
                    trainer,
                    trainer_email,
                    trainee_rank,
                    trainer_rank,
                    Cell::text(row.reason.unwrap_or_default()),
                ]
            })
            .collect(),
    };
    sheet_response(&sheet, written)
}

/// A run's proof of optimality as a document anyone can check without a solver (coordinators):
/// the rankings, capacities and forbidden pairs, the coupling and its certificate, with every
/// trainee and trainer under a pseudonym (`trainee-001`, `trainer-001`, numbered in id order).
/// `koppel verify-coupling FILE` or the README's Python snippet check it.
#[utoipa::path(
    tag = "coupling", operation_id = "getCouplingRunVerification", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ("run_id" = Uuid, Path, description = "Run id")),
    responses(
        (status = 200, description = "The verification document.", body = VerificationDocument),
        Unauthorized,
        CoordinatorsOnly,
        RunNotFound,
        (status = 409, description = "The run predates certificates: run the coupling again.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/coupling-runs/{run_id}/verification")]
pub async fn get_run_verification(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (round_id, run_id) = path.into_inner();
    let document =
        crate::services::coupling_proof::verification(&state, &principal, round_id, run_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"coupling-{run_id}-verification.json\""),
        ))
        .json(document))
}

/// Publishes a run: its couplings are stored, the round moves to `published` and every
/// participant gets the outcome by mail.
#[utoipa::path(
    tag = "coupling", operation_id = "publishCouplingRun", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id"), ("run_id" = Uuid, Path, description = "Run id")),
    responses(
        (status = 204, description = "Published."),
        Unauthorized,
        CoordinatorsOnly,
        RunNotFound,
        (status = 409, description = "The round is not in phase `coupling`.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/coupling-runs/{run_id}/publish")]
pub async fn publish_run(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (round_id, run_id) = path.into_inner();
    service::publish_run(&state, &principal, round_id, run_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's published coupling, with the explanation for trainees.
#[utoipa::path(
    tag = "coupling", operation_id = "getMyCoupling", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    responses(
        (status = 200, description = "The outcome; `coupled: false` before publication or without a coupling.", body = MyCouplingResponse),
        Unauthorized,
        (status = 403, description = "Only trainees and trainers.", body = Problem, content_type = "application/problem+json"),
        RoundNotFoundForParticipant,
    )
)]
#[get("/coupling/mine")]
pub async fn my_coupling(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<MyCouplingResponse>, ApiError> {
    Ok(web::Json(
        service::my_coupling(&state, &principal, path.into_inner()).await?,
    ))
}

/// Withdraws a participant (drop-out) with a reason (coordinators). A published coupling of
/// theirs is dissolved; the response lists trainees who now need a manual coupling.
#[utoipa::path(
    tag = "coupling", operation_id = "withdrawParticipant", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body(content = WithdrawalRequest, example = json!({"trainer_id": "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d", "reason": "langdurig ziek"})),
    responses(
        (status = 200, description = "Withdrawn.", body = WithdrawalResponse),
        Unauthorized,
        CoordinatorsOnly,
        (status = 404, description = "No such round, or the person does not take part.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The round is closed or cancelled.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly one participant, or no reason.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/withdrawals")]
pub async fn withdraw(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<WithdrawalRequest>,
) -> Result<web::Json<WithdrawalResponse>, ApiError> {
    let uncoupled_trainees =
        service::withdraw(&state, &principal, path.into_inner(), &body.0).await?;
    Ok(web::Json(WithdrawalResponse { uncoupled_trainees }))
}

/// Couples a pair by hand with a reason (coordinators; phase `coupling` or `published`). The
/// coupling rules and vetoes still apply; both sides are mailed; the audit log records it.
#[utoipa::path(
    tag = "coupling", operation_id = "createManualCoupling", security(("bearer" = [])),
    params(("round_id" = Uuid, Path, description = "Round id")),
    request_body = ManualCouplingRequest,
    responses(
        (status = 201, description = "Coupled."),
        Unauthorized,
        CoordinatorsOnly,
        RoundNotFound,
        (status = 409, description = "Wrong phase, the trainee is coupled already, or the trainer has no place left.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a participant, or a pair the rules or a veto forbid (the reasons are named).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/manual-couplings")]
pub async fn manual_coupling(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: ValidJson<ManualCouplingRequest>,
) -> Result<HttpResponse, ApiError> {
    service::manual_coupling(&state, &principal, path.into_inner(), &body.0).await?;
    Ok(HttpResponse::Created().finish())
}

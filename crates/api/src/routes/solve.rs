//! `/solve/*`: the matcher over HTTP, stateless (nothing is stored), for administrators,
//! coordinators and integrations. The same instances run with `koppel solve`.

use actix_web::{post, web};
use koppel_api_types::{Problem, Role};
use koppel_matcher::InputError;
use koppel_matcher::coupling::{self, CouplingError, CouplingInput, CouplingOutput};
use koppel_matcher::interviews::{self, InterviewError, InterviewInput, InterviewOutput};
use koppel_matcher::lottery::{self, LotteryInput, LotteryOutput};

use crate::error::ApiError;
use crate::extract::{Principal, ValidJson};
use crate::openapi::responses::Unauthorized;
use crate::openapi::responses::{InstanceTooLarge, NoSolving, SolveBusy};
use crate::solving::{self, solve_failed};
use crate::state::AppState;

/// Largest instance accepted, in bytes (100,000 lottery candidates fit).
pub const SOLVE_LIMIT: usize = 32 * 1024 * 1024;

const SOLVERS: [Role; 4] = [
    Role::Admin,
    Role::TraineeTeam,
    Role::TrainerTeam,
    Role::Integration,
];

/// A caller allowed to solve. As an extractor it runs before the body is read, so a caller
/// without the role gets 403 whatever they send.
pub struct Solver;

impl actix_web::FromRequest for Solver {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, ApiError>>>>;

    fn from_request(
        request: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let principal = <Principal as actix_web::FromRequest>::from_request(request, payload);
        Box::pin(async move {
            principal.await?.require_role(&SOLVERS)?;
            Ok(Solver)
        })
    }
}

fn invalid(error: InputError) -> ApiError {
    ApiError::field(&error.field, error.message)
}

/// Computes the best coupling for an instance (see the `CouplingInput` schema).
///
/// Objective `total` (default): most couplings, then the lowest sum of ranks. `minimax`: most
/// couplings, then the lowest worst rank, then the lowest sum. Explanations say what a better
/// choice for each trainee would cost the group.
#[utoipa::path(
    tag = "solve",
    operation_id = "solveCoupling",
    security(("bearer" = [])),
    request_body(content = CouplingInput, example = json!({
        "trainees": [{"id": "a1", "ranking": ["t2", "t1"]}, {"id": "a2", "ranking": ["t1"]}],
        "trainers": [{"id": "t1", "capacity": 1, "ranking": ["a1", "a2"]}, {"id": "t2", "ranking": ["a1"]}],
        "forbidden": [],
        "objective": "total"
    })),
    responses(
        (status = 200, description = "The optimal coupling.", body = CouplingOutput),
        Unauthorized,
        NoSolving,
        InstanceTooLarge,
        (status = 422, description = "The instance is invalid or larger than the limits (at most 100,000 trainees, 100,000 trainers and 1,000,000 ranked and forbidden pairs); `errors` names the field. Or `time_limit_reached`: no optimum was proven within the time limit.", body = Problem, content_type = "application/problem+json"),
        SolveBusy,
    )
)]
#[post("/coupling")]
pub async fn solve_coupling(
    _solver: Solver,
    state: web::Data<AppState>,
    body: ValidJson<CouplingInput>,
) -> Result<web::Json<CouplingOutput>, ApiError> {
    solving::check_coupling(&body.0)?;
    let output = state
        .solvers
        .run(move |limit| coupling::solve_within(&body.0, limit))
        .await?
        .map_err(|error| match error {
            CouplingError::Input(error) => invalid(error),
            CouplingError::Solver(error) => solve_failed(error, "the coupling"),
        })?;
    Ok(web::Json(output))
}

/// Proposes interview candidates per trainee (see the `InterviewInput` schema), with the
/// guarantee that the proposal contains a complete coupling when one exists.
#[utoipa::path(
    tag = "solve",
    operation_id = "solveInterviews",
    security(("bearer" = [])),
    request_body(content = InterviewInput, example = json!({
        "interviews_per_trainee": 1,
        "trainees": [{"id": "a1", "ranking": ["t1", "t2"]}, {"id": "a2", "ranking": ["t1", "t2"]}],
        "trainers": [{"id": "t1", "continuity_rank": 1}, {"id": "t2", "continuity_rank": 2}]
    })),
    responses(
        (status = 200, description = "The proposal.", body = InterviewOutput),
        Unauthorized,
        NoSolving,
        InstanceTooLarge,
        (status = 422, description = "The instance is invalid or larger than the limits (at most 100,000 trainees, 100,000 trainers and 1,000,000 ranked and forbidden pairs), or the per-trainer cap makes it infeasible; `errors` names the field. Or `time_limit_reached`: no optimum was proven within the time limit.", body = Problem, content_type = "application/problem+json"),
        SolveBusy,
    )
)]
#[post("/interviews")]
pub async fn solve_interviews(
    _solver: Solver,
    state: web::Data<AppState>,
    body: ValidJson<InterviewInput>,
) -> Result<web::Json<InterviewOutput>, ApiError> {
    solving::check_interviews(&body.0)?;
    let output = state
        .solvers
        .run(move |limit| interviews::propose_within(&body.0, limit))
        .await?
        .map_err(|error| match error {
            InterviewError::Input(error) => invalid(error),
            InterviewError::Solver(koppel_matcher::solver::SolveError::Infeasible) => {
                ApiError::field(
                    "max_interviews_per_trainer",
                    "no proposal gives every trainee their interviews within this cap; raise or remove it",
                )
            }
            InterviewError::Solver(error) => solve_failed(error, "the interview proposal"),
        })?;
    Ok(web::Json(output))
}

/// Draws a placement lottery (see the `LotteryInput` schema): verifiable random serial
/// dictatorship. Anyone can recompute the result from the seed.
#[utoipa::path(
    tag = "solve",
    operation_id = "solveLottery",
    security(("bearer" = [])),
    request_body(content = LotteryInput, example = json!({
        "seed": "00112233445566778899aabbccddeeff",
        "locations": [{"id": "a", "capacity": 1}, {"id": "b", "capacity": 2}],
        "candidates": [{"id": "c1", "preferences": ["a", "b"]}, {"id": "c2", "preferences": ["a"], "second_attempt": true}]
    })),
    responses(
        (status = 200, description = "Order, placements, offers and report.", body = LotteryOutput),
        Unauthorized,
        NoSolving,
        InstanceTooLarge,
        (status = 422, description = "The instance is invalid or larger than the limits (at most 100,000 candidates, 10,000 locations and 1,000,000 preferences); `errors` names the field.", body = Problem, content_type = "application/problem+json"),
        SolveBusy,
    )
)]
#[post("/lottery")]
pub async fn solve_lottery(
    _solver: Solver,
    state: web::Data<AppState>,
    body: ValidJson<LotteryInput>,
) -> Result<web::Json<LotteryOutput>, ApiError> {
    solving::check_lottery(&body.0)?;
    let output = state
        .solvers
        .run(move |_| lottery::draw(&body.0))
        .await?
        .map_err(invalid)?;
    Ok(web::Json(output))
}

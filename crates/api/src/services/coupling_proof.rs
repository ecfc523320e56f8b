//! A coupling run's proof of optimality, as a document anyone can check: the run's instance and
//! result with the certificate, everyone under a pseudonym.

use koppel_matcher::coupling::{
    CertifiedCoupling, CouplingInput, CouplingOutput, DOCUMENT_FORMAT, VerificationDocument,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;

/// The verification document of run `run_id` of round `round_id` (coordinators).
pub async fn verification(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    run_id: Uuid,
) -> Result<VerificationDocument, ApiError> {
    let run = super::coupling::runs(state, principal, round_id)
        .await?
        .into_iter()
        .find(|run| run.id == run_id)
        .ok_or_else(|| ApiError::NotFound(format!("coupling run '{run_id}' does not exist")))?;
    let mut input: CouplingInput =
        serde_json::from_str(&run.input).map_err(|error| ApiError::Internal(error.into()))?;
    input.explain = false;
    let output: CouplingOutput =
        serde_json::from_str(&run.output).map_err(|error| ApiError::Internal(error.into()))?;
    let result = CertifiedCoupling::of(&output).ok_or_else(|| {
        ApiError::Conflict(
            "this run was computed before couplings carried a certificate: run the coupling \
             again to get one"
                .to_owned(),
        )
    })?;
    Ok(VerificationDocument {
        format: DOCUMENT_FORMAT.to_owned(),
        input,
        result,
    }
    .pseudonymised())
}

//! Services: one function per use case. Each runs its transaction, applies the rules and returns
//! typed records; handlers only authenticate, parse and shape the response.

pub mod api_keys;
pub mod auth;
pub mod coupling;
pub mod institutes;
pub mod lotteries;
pub mod people;
pub mod profiles;
pub mod progress;
pub mod rounds;
pub mod steps;

use crate::error::ApiError;

/// Runs CPU-heavy work (password hashing) on the blocking pool, off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    actix_web::web::block(work)
        .await
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("blocking task failed: {error}")))
}

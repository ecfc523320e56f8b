//! Health and other system endpoints.

use serde::{Deserialize, Serialize};

/// Result of the health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    /// `ok` when the server and its database answer.
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: String,
    /// `ok` when a query to the database succeeded.
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub database: String,
    /// Server version.
    #[cfg_attr(feature = "openapi", schema(example = "0.1.0"))]
    pub version: String,
}

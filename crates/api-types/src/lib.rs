//! Wire types of the Koppel REST API (`/api/v1`).
//!
//! Shared by the server (which derives the OpenAPI schemas with the `openapi` feature) and the
//! SPA (compiled to wasm, without utoipa), so both sides always agree on the JSON.
//! Response types are named `...Response`, request types `...Request`.

pub mod auth;
pub mod availability;
pub mod calendar;
pub mod coupling;
pub mod export;
pub mod institutes;
pub mod lottery;
pub mod people;
pub mod problem;
pub mod profiles;
pub mod rounds;
pub mod statistics;
pub mod steps;
pub mod system;
pub mod webhooks;

pub use auth::*;
pub use availability::*;
pub use calendar::*;
pub use coupling::*;
pub use export::*;
pub use institutes::*;
pub use lottery::*;
pub use people::*;
pub use problem::*;
pub use profiles::*;
pub use rounds::*;
pub use statistics::*;
pub use steps::*;
pub use system::*;
pub use webhooks::*;

/// API version prefix every endpoint lives under.
pub const API_PREFIX: &str = "/api/v1";

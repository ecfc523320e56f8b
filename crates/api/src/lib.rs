//! The Koppel server: REST API under `/api/v1`, persistence with sea-orm, the mail outbox, the
//! OpenAPI document and the host of the SPA.
//!
//! Data flows one way: route handler (authenticate, parse into domain types) -> service
//! (transaction, rules) -> store (sea-orm) -> response DTO from `koppel-api-types`.

pub mod auth;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod error;
pub mod extract;
pub mod headers;
pub mod ical;
pub mod mail;
pub mod mail_sink;
pub mod openapi;
pub mod routes;
pub mod seed;
pub mod services;
pub mod solving;
pub mod spa;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod webhook_delivery;
pub mod workers;

pub use config::Settings;
pub use startup::Application;
pub use state::AppState;

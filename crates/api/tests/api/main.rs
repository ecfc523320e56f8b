//! API integration tests: each test spawns the whole application on a random port with a fresh
//! database (SQLite, or PostgreSQL when `KOPPEL_TEST_DATABASE_URL` names a server).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test should stop at the first surprise"
)]

mod anonymise;
mod api_keys;
mod auth;
mod availability;
mod cors;
mod errors;
mod export;
mod handover;
mod headers;
mod health;
mod helpers;
mod history;
mod institutes;
mod limits;
mod load;
mod lottery;
mod mail;
mod messages;
mod migrations;
mod openapi;
mod people;
mod profiles;
mod retention;
mod round_flow;
mod rounds;
mod seed;
mod sessions;
mod solve;
mod spa;
mod spreadsheets;
mod statistics;
mod steps;
mod timetable;
mod two_factor;
mod webhooks;

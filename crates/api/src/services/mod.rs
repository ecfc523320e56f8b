//! Services: one function per use case. Each runs its transaction, applies the rules and returns
//! typed records; handlers only authenticate, parse and shape the response.

pub mod anonymise;
pub mod api_keys;
pub mod auth;
pub mod availability;
pub mod calendar_feed;
pub mod coupling;
pub mod coupling_proof;
pub mod export;
pub mod history;
pub mod institutes;
pub mod lotteries;
pub mod lottery_handover;
pub mod messages;
pub mod people;
pub mod profiles;
pub mod progress;
pub mod retention;
pub mod rounds;
pub mod statistics;
pub mod steps;
pub mod tables;
pub mod timetable;
pub mod two_factor;
pub mod webhooks;

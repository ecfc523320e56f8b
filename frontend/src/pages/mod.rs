//! One module per page.

pub mod account;
pub mod activate;
pub mod admin_round;
pub mod admin_rounds;
pub mod availability;
pub mod home;
pub mod institutes;
pub mod login;
pub mod lottery;
pub mod not_found;
pub mod outbox;
pub mod people;
pub mod profile;
pub mod round;

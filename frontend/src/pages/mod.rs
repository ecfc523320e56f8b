//! One module per page. The participants', coordinators' and administrators' pages are each in
//! their own build (see `build`); sign-in, account, home and the public statistics are in all.

pub mod account;
pub mod activate;
#[cfg(feature = "coordinator")]
pub mod admin_round;
#[cfg(feature = "coordinator")]
pub mod admin_rounds;
#[cfg(feature = "participant")]
pub mod availability;
pub mod home;
#[cfg(feature = "admin")]
pub mod institutes;
pub mod login;
#[cfg(feature = "admin")]
pub mod lottery;
#[cfg(feature = "participant")]
pub mod my_lottery;
pub mod not_found;
#[cfg(any(feature = "coordinator", feature = "admin"))]
pub mod outbox;
#[cfg(feature = "coordinator")]
pub mod people;
#[cfg(feature = "participant")]
pub mod profile;
#[cfg(feature = "participant")]
pub mod round;
pub mod statistics;

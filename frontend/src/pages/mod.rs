//! One module per page.

pub mod activate;
pub mod home;
pub mod login;
pub mod not_found;

//! Pieces shared by pages.

pub mod field;
pub mod topbar;

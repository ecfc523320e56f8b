//! Components shared by pages.

pub mod availability;
pub mod calendar_feed;
pub mod chart;
pub mod csv;
pub mod explain;
pub mod field;
pub mod lottery_handover;
pub mod round_message;
pub mod status;
pub mod timeline;
pub mod topbar;
pub mod two_factor;

//! Components shared by pages. Those only coordinators' or administrators' pages use are in
//! their builds only (see `build`).

#[cfg(feature = "participant")]
pub mod availability;
pub mod calendar_feed;
pub mod chart;
#[cfg(any(feature = "coordinator", feature = "admin"))]
pub mod csv;
#[cfg(feature = "coordinator")]
pub mod explain;
pub mod field;
#[cfg(any(feature = "coordinator", feature = "admin"))]
pub mod lottery_handover;
#[cfg(feature = "participant")]
pub mod my_rounds;
#[cfg(feature = "coordinator")]
pub mod round_message;
#[cfg(any(feature = "coordinator", feature = "admin"))]
pub mod spreadsheet;
pub mod status;
pub mod timeline;
pub mod topbar;
pub mod two_factor;
pub mod veto;
#[cfg(feature = "coordinator")]
pub mod webhooks;

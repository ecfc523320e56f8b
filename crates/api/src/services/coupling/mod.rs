//! Step 3 and the coupling: final rankings, vetoes, coupling runs with the matcher, and the
//! publication of one run.
//!
//! - [`final_ranking`]: final rankings and vetoes, step 3's inputs;
//! - [`runs`]: the matcher's input, runs computed and stored;
//! - [`publication`]: a run published, its couplings as history, the result mails;
//! - [`mine`]: a participant's own outcome and a trainee's explanation;
//! - [`changes`]: withdrawals and manual couplings, outside a run.

mod changes;
mod final_ranking;
mod mine;
mod publication;
mod runs;

pub use changes::{manual_coupling, withdraw};
pub use final_ranking::{declare_veto, my_final_ranking, submit_final_ranking, vetoes};
pub use mine::my_coupling;
pub use publication::publish_run;
pub(crate) use runs::output_of;
pub use runs::{create_run, run, runs};

/// Longest reason for a withdrawal or a manual coupling, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

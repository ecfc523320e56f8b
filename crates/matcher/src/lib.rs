//! Allocation models of Koppel: the final coupling, the interview proposal and the placement
//! lottery, with explanations in words.
//!
//! Inputs and outputs are plain serde types with a documented JSON form (see each module), so the
//! same instance runs from the API (`POST /api/v1/solve/...`), from `koppel solve`, from tests and
//! from benchmarks. The crate does no I/O. LP/MIP models use HiGHS through [`solver`], the only
//! module that knows the solver library.
//!
//! - [`coupling`]: the best coupling for the whole group (`total` or `minimax`).
//! - [`interviews`]: four interview candidates per trainee, with a coupling guarantee.
//! - [`lottery`]: the verifiable placement lottery, and [`simulation`]: its equal-chance
//!   simulation over many draws.

pub mod bipartite;
pub mod coupling;
pub mod flow;
pub mod input;
pub mod interviews;
pub mod lottery;
pub mod simulation;
pub mod solver;

pub use input::{InputError, from_json};

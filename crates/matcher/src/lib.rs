//! Allocation models of Koppel: the interview proposal, the final coupling and the placement
//! lottery, with explanations.
//!
//! Inputs and outputs are plain serde types with a documented JSON form, so the same instance runs
//! from the API, from `koppel solve`, from tests and from benchmarks. The models arrive with the
//! matcher issue; this crate is the place they live, and it never does I/O.

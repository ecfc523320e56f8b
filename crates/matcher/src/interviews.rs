//! The interview proposal (step 2).

//! Pure rules of the Koppel coupling process.
//!
//! Everything here is free of I/O, async and databases, so that the server, the matcher input
//! builder, the SPA (compiled to wasm) and the tests apply the same rules. Values are parsed once
//! at the edge into newtypes with private fields ("parse, don't validate"); each constructor
//! returns a typed error that says in words what is wrong.

pub mod identity;

pub use identity::{DisplayName, EmailAddress, IdentityError, NewPassword};

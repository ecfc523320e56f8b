//! Credentials: password hashing, signed access tokens and opaque single-use tokens.

pub mod accounts;
pub mod jwt;
pub mod lottery_key;
pub mod opaque;
pub mod password;
pub mod scopes;
pub mod throttle;
pub mod totp;

pub use jwt::{ACCESS_TOKEN_TTL, JwtKeys};

//! Password hashing with Argon2id (default parameters: 19 MiB, 2 passes).
//!
//! Hashing is CPU-bound on purpose; callers run it on the blocking pool (`web::block`).

use std::sync::LazyLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use koppel_domain::NewPassword;

/// A hash checked when the account does not exist, so that a wrong e-mail address takes as long
/// to refuse as a wrong password and sign-in does not reveal which addresses have accounts.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"koppel-timing-equaliser")
        .ok()
        .map(|hash| hash.to_string())
});

/// Hashes a new password to a PHC string (`$argon2id$v=19$...`) with a random salt.
pub fn hash(password: &NewPassword) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| anyhow::anyhow!("{error}"))
        .context("hashing a password failed")
}

/// Whether `candidate` matches the stored PHC hash. With no stored hash (unknown account or not
/// yet activated), does the same work against a dummy hash and answers `false`.
pub fn verify(stored: Option<&str>, candidate: &str) -> bool {
    match stored {
        Some(stored) => matches(stored, candidate),
        None => {
            if let Some(dummy) = DUMMY_HASH.as_deref() {
                let _ = matches(dummy, candidate);
            }
            false
        }
    }
}

fn matches(stored: &str, candidate: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let password = NewPassword::parse("correct horse battery").unwrap();
        let stored = hash(&password).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(Some(&stored), "correct horse battery"));
        assert!(!verify(Some(&stored), "correct horse battery!"));
    }

    #[test]
    fn no_stored_hash_never_verifies() {
        assert!(!verify(None, "koppel-timing-equaliser"));
        assert!(!verify(None, "anything"));
    }

    #[test]
    fn a_corrupt_hash_does_not_verify() {
        assert!(!verify(Some("not a phc string"), "anything"));
    }
}

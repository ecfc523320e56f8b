//! Password hashing with Argon2id (default parameters: 19 MiB, 2 passes).
//!
//! Hashing is CPU- and memory-bound on purpose; callers run it through [`Slots`], which runs it
//! on the blocking pool with a bounded number at once, so a flood of sign-ins queues instead of
//! taking 19 MiB each.

use std::sync::{Arc, LazyLock};

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

/// How long a hash waits for a slot before the caller is told to come back.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The password-hashing slots: at most `concurrency` Argon2 runs at once.
#[derive(Debug)]
pub struct Slots {
    permits: Arc<tokio::sync::Semaphore>,
}

impl Slots {
    /// At most `concurrency` (at least 1) hashes at once.
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(concurrency.max(1))),
        }
    }

    /// Runs `work` on the blocking pool once a slot is free; after 10 s without one, answers
    /// 503 `busy`.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::error::ApiError> {
        use crate::error::ApiError;
        let permit = tokio::time::timeout(SLOT_WAIT, Arc::clone(&self.permits).acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
            .ok_or_else(|| ApiError::Busy {
                message: "too many sign-ins are being checked at once; try again in a few seconds"
                    .to_owned(),
                retry_after: 2,
            })?;
        tokio::task::spawn_blocking(move || {
            let _held_until_done = permit;
            work()
        })
        .await
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("password hashing failed: {error}")))
    }
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

    #[tokio::test]
    async fn no_more_hashes_than_slots_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let slots = Arc::new(Slots::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (slots, running, most) = (slots.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    slots
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(30));
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_corrupt_hash_does_not_verify() {
        assert!(!verify(Some("not a phc string"), "anything"));
    }
}

//! Throttling of failed sign-ins, per account address and per client address.
//!
//! The first failures are free. After that each failure locks the key for a delay that doubles
//! (30 s, 1 min, 2 min, ... at most 15 min); while a key is locked, attempts are answered 429
//! with `Retry-After` before any password is checked. A successful sign-in clears its account's
//! count; an hour without failures clears any count. Accounts are keyed by the address as typed,
//! whether or not an account has it, so a lock says nothing about which addresses exist.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::error::ApiError;
use crate::store::throttles::{self, Failures};

/// When failures start to lock a key, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures in a row that lock nothing.
    pub free: i32,
    /// The lock after the first failure beyond the free ones; it doubles with each further one.
    pub first_lock: Duration,
    /// The longest lock.
    pub max_lock: Duration,
}

/// One account address: five free failures.
pub const ACCOUNT: Policy = Policy {
    free: 5,
    first_lock: Duration::seconds(30),
    max_lock: Duration::minutes(15),
};

/// One client address, which many people may share (an institute's network): twenty.
pub const ADDRESS: Policy = Policy {
    free: 20,
    first_lock: Duration::seconds(30),
    max_lock: Duration::minutes(15),
};

/// A count is forgotten after this long without failures.
pub const MEMORY: Duration = Duration::hours(1);

impl Policy {
    /// The lock after `failures` failures in a row.
    pub fn lock(&self, failures: i32) -> Duration {
        let beyond = failures - self.free;
        if beyond < 0 {
            return Duration::zero();
        }
        let doublings = beyond.min(20) as u32;
        let seconds = self
            .first_lock
            .num_seconds()
            .saturating_mul(1_i64 << doublings);
        Duration::seconds(seconds).min(self.max_lock)
    }

    /// How long a key with `failures` is still locked at `now`, if it is.
    pub fn remaining(&self, failures: Failures, now: DateTime<Utc>) -> Option<Duration> {
        if failures.last < now - MEMORY {
            return None;
        }
        let until = failures.last + self.lock(failures.count);
        (until > now).then(|| until - now)
    }
}

/// The keys one attempt counts against.
#[derive(Debug, Clone)]
pub struct Keys {
    keys: Vec<(String, Policy)>,
}

impl Keys {
    /// A sign-in with `email` (as typed) from `address`.
    pub fn sign_in(email: &str, address: Option<&str>) -> Self {
        let mut keys = vec![(account_key(email), ACCOUNT)];
        keys.extend(address.map(|address| (format!("address:{address}"), ADDRESS)));
        Self { keys }
    }

    /// An attempt with a one-time token (activation, reset) from `address`: only the client
    /// address counts, as the token names no account.
    pub fn token(address: Option<&str>) -> Self {
        Self {
            keys: address
                .map(|address| (format!("address:{address}"), ADDRESS))
                .into_iter()
                .collect(),
        }
    }

    /// A password check of a signed-in account (changing the password): its own key only.
    pub fn account(email: &str) -> Self {
        Self {
            keys: vec![(account_key(email), ACCOUNT)],
        }
    }

    /// Refuses with 429 while any key is locked.
    pub async fn check(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let mut wait = Duration::zero();
        for (key, policy) in &self.keys {
            if let Some(failures) = throttles::get(db, key).await?
                && let Some(remaining) = policy.remaining(failures, now)
            {
                wait = wait.max(remaining);
            }
        }
        if wait > Duration::zero() {
            // Round up, so a client that waits exactly this long is let through.
            let seconds = (wait.num_milliseconds() + 999) / 1000;
            return Err(ApiError::TooManyAttempts {
                retry_after: u64::try_from(seconds.max(1)).unwrap_or(1),
            });
        }
        Ok(())
    }

    /// Counts a failed attempt against every key.
    pub async fn failed(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        for (key, _) in &self.keys {
            throttles::record_failure(db, key, now, now - MEMORY).await?;
        }
        Ok(())
    }

    /// Clears the account's count after a success (the client address keeps its count, so one
    /// valid account cannot be used to reset the address between guesses at others).
    pub async fn succeeded(&self, db: &impl ConnectionTrait) -> Result<(), ApiError> {
        for (key, _) in &self.keys {
            if key.starts_with("account:") {
                throttles::clear(db, key).await?;
            }
        }
        Ok(())
    }
}

/// The key of an account address as typed: trimmed, lower case, at most 320 characters (the
/// longest valid address).
fn account_key(email: &str) -> String {
    let email: String = email.trim().chars().take(320).collect();
    format!("account:{}", email.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_free_at_first_then_doubles_up_to_its_maximum() {
        let locks: Vec<i64> = (1..=12).map(|n| ACCOUNT.lock(n).num_seconds()).collect();
        assert_eq!(locks, [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(ADDRESS.lock(19), Duration::zero());
        assert_eq!(ADDRESS.lock(20), Duration::seconds(30));
        assert_eq!(ACCOUNT.lock(i32::MAX), Duration::minutes(15));
    }

    #[test]
    fn a_lock_runs_from_the_last_failure_and_an_old_count_is_forgotten() {
        let now = Utc::now();
        let recent = Failures {
            count: 6,
            last: now - Duration::seconds(20),
        };
        assert_eq!(ACCOUNT.remaining(recent, now), Some(Duration::seconds(40)));
        assert_eq!(ACCOUNT.remaining(recent, now + Duration::seconds(40)), None);
        let old = Failures {
            count: 50,
            last: now - MEMORY - Duration::seconds(1),
        };
        assert_eq!(ACCOUNT.remaining(old, now), None);
    }

    #[test]
    fn an_account_key_does_not_depend_on_case_or_spaces() {
        assert_eq!(account_key(" Aios@Zuid.NL "), account_key("aios@zuid.nl"));
        assert_eq!(account_key(&"x".repeat(5000)).len(), "account:".len() + 320);
    }
}

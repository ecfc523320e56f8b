//! A short-lived cache of the account check that every signed-in request makes (is the sign-in
//! live, is the account active with this role and institute, must it turn on two-factor sign-in
//! first?).
//!
//! An entry lives one second at most, and every write to accounts or sign-ins in this process
//! (sign-out, password change, deactivation, role change, two-factor change, anonymisation) or
//! to an institute's two-factor rule empties the cache at once: the store's write functions call
//! [`changed`]. Another process on the same PostgreSQL sees such a change within the second.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::store::users::User;

/// How long a checked account is trusted without asking the database again.
pub const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// Entries at most; beyond, the cache starts over.
const CAPACITY: usize = 100_000;

/// Bumped by every local write to accounts, sign-ins or an institute's two-factor rule.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Marks every cached account check as outdated (called by the store before it writes to
/// `users`, `sessions` or an institute's two-factor rule).
pub fn changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Checked accounts by sign-in (session id).
#[derive(Debug, Default)]
pub struct AccountCache {
    entries: Mutex<HashMap<Uuid, Entry>>,
}

/// An account as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The account.
    pub user: User,
    /// Whether it must turn on two-factor sign-in before anything else (it has not, and its
    /// role or institute requires it).
    pub must_enrol: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    account: Checked,
    checked: Instant,
    generation: u64,
}

impl AccountCache {
    /// The account of a live sign-in checked less than [`TRUSTED_FOR`] ago, with nothing
    /// written to accounts or sign-ins since.
    pub fn get(&self, session: Uuid) -> Option<Checked> {
        let generation = GENERATION.load(Ordering::SeqCst);
        let entries = self.entries.lock().ok()?;
        entries
            .get(&session)
            .filter(|entry| entry.generation == generation && entry.checked.elapsed() < TRUSTED_FOR)
            .map(|entry| entry.account.clone())
    }

    /// Remembers a check made now, if nothing was written since `generation` (read before the
    /// check began).
    pub fn put(&self, session: Uuid, account: Checked, generation: u64) {
        if generation != GENERATION.load(Ordering::SeqCst) {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(
                session,
                Entry {
                    account,
                    checked: Instant::now(),
                    generation,
                },
            );
        }
    }
}

/// The generation to pass to [`AccountCache::put`]: read it before checking the database.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use koppel_api_types::{Locale, Role, UserStatus};

    use super::*;

    fn user() -> Checked {
        Checked {
            must_enrol: false,
            user: User {
                id: Uuid::new_v4(),
                institute_id: None,
                email: "aios@x.nl".to_owned(),
                display_name: "Aios".to_owned(),
                role: Role::Trainee,
                status: UserStatus::Active,
                password_hash: None,
                locale: Locale::Nl,
                created_at: chrono::Utc::now(),
                two_factor: false,
            },
        }
    }

    #[test]
    fn a_check_is_remembered_until_anything_is_written() {
        let cache = AccountCache::default();
        let session = Uuid::new_v4();
        assert_eq!(cache.get(session), None);
        let before = generation();
        cache.put(session, user(), before);
        assert!(
            cache
                .get(session)
                .is_some_and(|a| a.user.email == "aios@x.nl")
        );
        changed();
        assert_eq!(cache.get(session), None, "a write empties the cache");
        // A check that began before a write is not remembered.
        cache.put(session, user(), before);
        assert_eq!(cache.get(session), None);
    }
}

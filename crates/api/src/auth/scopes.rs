//! What an API key may do: its scopes, which operation needs which, and its lifetime.
//!
//! A key acts within its institute with its creator's role (an A-team key never writes trainers),
//! and only in the operations its scopes name. The scope an operation needs follows from its
//! OpenAPI tag and method, so a new operation is covered the moment it is documented:
//!
//! | tag | read (GET) | write |
//! |---|---|---|
//! | `people`, the coordinators' `profiles` reads | `people:read` | `people:write` |
//! | `rounds`, `steps`, `coupling` | `rounds:read` | `rounds:write` |
//! | an institute's `statistics` (trends) | `rounds:read` | |
//! | an institute's outbox | `outbox:read` | |
//! | `solve` | | `solve` |
//!
//! `GET /me`, `GET /institutes/{id}` and the public statistics take any key. Everything else
//! (accounts, keys, webhooks, the lottery, a participant's own pages) takes none.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use koppel_api_types::ApiKeyScope;

/// How long a key lives unless its creator says otherwise.
pub const DEFAULT_LIFETIME: Duration = Duration::days(365);
/// The longest a key may live.
pub const MAX_LIFETIME: Duration = Duration::days(730);

/// A set of scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scopes(u8);

impl Scopes {
    /// Every scope (keys made before scopes existed have these).
    pub fn all() -> Self {
        ApiKeyScope::ALL.iter().copied().collect()
    }

    /// Whether the set holds `scope`.
    pub fn contains(self, scope: ApiKeyScope) -> bool {
        self.0 & bit(scope) != 0
    }

    /// The scopes, in the order of [`ApiKeyScope::ALL`].
    pub fn to_vec(self) -> Vec<ApiKeyScope> {
        ApiKeyScope::ALL
            .into_iter()
            .filter(|scope| self.contains(*scope))
            .collect()
    }

    /// Stored form: names separated by commas.
    pub fn to_stored(self) -> String {
        self.to_vec()
            .iter()
            .map(|scope| scope.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the stored form; unknown names are skipped. `None` (a key from before scopes)
    /// means every scope.
    pub fn from_stored(stored: Option<&str>) -> Self {
        match stored {
            None => Self::all(),
            Some(text) => text
                .split(',')
                .filter_map(|name| ApiKeyScope::from_name(name.trim()))
                .collect(),
        }
    }
}

impl FromIterator<ApiKeyScope> for Scopes {
    fn from_iter<I: IntoIterator<Item = ApiKeyScope>>(scopes: I) -> Self {
        Self(scopes.into_iter().fold(0, |bits, scope| bits | bit(scope)))
    }
}

fn bit(scope: ApiKeyScope) -> u8 {
    let index = ApiKeyScope::ALL
        .iter()
        .position(|s| *s == scope)
        .unwrap_or(0);
    1 << index
}

/// What an operation asks of an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// This scope.
    Scope(ApiKeyScope),
    /// Any valid key.
    AnyKey,
    /// No key may call it.
    NoKey,
}

/// The need of the operation `method` on the path template `path` tagged `tag`.
pub fn need(method: &str, path: &str, tag: &str) -> Need {
    let read = method.eq_ignore_ascii_case("GET");
    let own = path.starts_with("/api/v1/me/") || path.ends_with("/mine");
    match tag {
        "people" => Need::Scope(if read {
            ApiKeyScope::PeopleRead
        } else {
            ApiKeyScope::PeopleWrite
        }),
        "profiles" if read && !own => Need::Scope(ApiKeyScope::PeopleRead),
        "rounds" | "steps" | "coupling" if !own => Need::Scope(if read {
            ApiKeyScope::RoundsRead
        } else {
            ApiKeyScope::RoundsWrite
        }),
        "institutes" if read && path == "/api/v1/institutes/{institute_id}" => Need::AnyKey,
        "institutes" if read && path == "/api/v1/institutes/{institute_id}/outbox" => {
            Need::Scope(ApiKeyScope::OutboxRead)
        }
        "statistics" if read && path.starts_with("/api/v1/institutes/") => {
            Need::Scope(ApiKeyScope::RoundsRead)
        }
        "statistics" if read => Need::AnyKey,
        "solve" => Need::Scope(ApiKeyScope::Solve),
        "auth" if read && path == "/api/v1/me" => Need::AnyKey,
        _ => Need::NoKey,
    }
}

/// The end of a key's life: the end of `expires_on` (UTC), by default a year from `now`.
/// Refused: a day that has passed, or more than two years ahead.
pub fn expiry(expires_on: Option<NaiveDate>, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let Some(day) = expires_on else {
        return Ok(now + DEFAULT_LIFETIME);
    };
    let end = day
        .succ_opt()
        .and_then(|next| next.and_hms_opt(0, 0, 0))
        .map(|end| end.and_utc())
        .ok_or_else(|| "is not a valid day".to_owned())?;
    if end <= now {
        return Err("must be today or later".to_owned());
    }
    if end > now + MAX_LIFETIME + Duration::days(1) {
        return Err(format!(
            "may be at most two years ahead (until {})",
            (now + MAX_LIFETIME).date_naive()
        ));
    }
    Ok(end)
}

/// When a key ends: its own end, or a year after its creation for a key from before expiry.
pub fn ends(expires_at: Option<DateTime<Utc>>, created_at: DateTime<Utc>) -> DateTime<Utc> {
    expires_at.unwrap_or(created_at + DEFAULT_LIFETIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_stored_and_read_back() {
        let scopes: Scopes = [ApiKeyScope::RoundsRead, ApiKeyScope::PeopleWrite]
            .into_iter()
            .collect();
        assert_eq!(scopes.to_stored(), "people:write,rounds:read");
        assert_eq!(Scopes::from_stored(Some(&scopes.to_stored())), scopes);
        assert_eq!(Scopes::from_stored(None), Scopes::all());
        assert!(!scopes.contains(ApiKeyScope::PeopleRead));
    }

    #[test]
    fn the_need_follows_tag_and_method() {
        use ApiKeyScope::*;
        let cases = [
            (
                "GET",
                "/api/v1/institutes/{institute_id}/trainees",
                "people",
                Need::Scope(PeopleRead),
            ),
            (
                "POST",
                "/api/v1/institutes/{institute_id}/trainees/import",
                "people",
                Need::Scope(PeopleWrite),
            ),
            (
                "GET",
                "/api/v1/rounds/{round_id}/progress",
                "steps",
                Need::Scope(RoundsRead),
            ),
            (
                "POST",
                "/api/v1/rounds/{round_id}/coupling-runs",
                "coupling",
                Need::Scope(RoundsWrite),
            ),
            (
                "GET",
                "/api/v1/rounds/{round_id}/coupling/mine",
                "coupling",
                Need::NoKey,
            ),
            ("PUT", "/api/v1/me/trainee-profile", "profiles", Need::NoKey),
            (
                "GET",
                "/api/v1/institutes/{institute_id}/outbox",
                "institutes",
                Need::Scope(OutboxRead),
            ),
            (
                "POST",
                "/api/v1/institutes/{institute_id}/api-keys",
                "institutes",
                Need::NoKey,
            ),
            ("POST", "/api/v1/lotteries", "lottery", Need::NoKey),
            ("GET", "/api/v1/me", "auth", Need::AnyKey),
            (
                "GET",
                "/api/v1/institutes/{institute_id}/statistics",
                "statistics",
                Need::Scope(RoundsRead),
            ),
            ("GET", "/api/v1/statistics", "statistics", Need::AnyKey),
            (
                "POST",
                "/api/v1/solve/coupling",
                "solve",
                Need::Scope(Solve),
            ),
        ];
        for (method, path, tag, expected) in cases {
            assert_eq!(need(method, path, tag), expected, "{method} {path}");
        }
    }

    #[test]
    fn a_key_lives_a_year_by_default_and_two_at_most() {
        let now = NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            .and_utc();
        assert_eq!(expiry(None, now).unwrap(), now + Duration::days(365));
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            expiry(day(2027, 6, 30), now).unwrap().to_rfc3339(),
            "2027-07-01T00:00:00+00:00"
        );
        assert!(expiry(day(2028, 12, 1), now).is_ok());
        assert!(expiry(day(2028, 12, 3), now).is_err());
        assert!(expiry(day(2026, 12, 1), now).is_err());
        assert!(
            expiry(day(2026, 12, 2), now).is_ok(),
            "today counts in full"
        );
    }
}

//! How long a round's personal data is kept (AVG/GDPR data minimisation): CVs, photos, vetoes,
//! rankings and the coupling runs built from them are deleted a set number of months after the
//! round closes. The couplings themselves and the history stay: later rounds' rules need them.

use chrono::{DateTime, Months, Utc};

/// Months kept unless the institute sets otherwise.
pub const DEFAULT_MONTHS: u16 = 12;
/// The longest an institute may keep them (ten years).
pub const MAX_MONTHS: u16 = 120;

/// When a round closed at `closed_at` is due for deletion, with `months` of retention.
pub fn purge_at(closed_at: DateTime<Utc>, months: u16) -> DateTime<Utc> {
    closed_at
        .checked_add_months(Months::new(u32::from(months)))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Whether a round closed at `closed_at` is due for deletion at `now`.
pub fn is_due(closed_at: DateTime<Utc>, months: u16, now: DateTime<Utc>) -> bool {
    purge_at(closed_at, months) <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_round_is_due_the_set_number_of_months_after_it_closed() {
        let closed = Utc.with_ymd_and_hms(2027, 3, 31, 12, 0, 0).unwrap();
        assert_eq!(
            purge_at(closed, 12),
            Utc.with_ymd_and_hms(2028, 3, 31, 12, 0, 0).unwrap()
        );
        // The end of a shorter month.
        assert_eq!(
            purge_at(closed, 11),
            Utc.with_ymd_and_hms(2028, 2, 29, 12, 0, 0).unwrap()
        );
        assert!(!is_due(
            closed,
            12,
            Utc.with_ymd_and_hms(2028, 3, 31, 11, 59, 59).unwrap()
        ));
        assert!(is_due(
            closed,
            12,
            Utc.with_ymd_and_hms(2028, 3, 31, 12, 0, 0).unwrap()
        ));
    }
}

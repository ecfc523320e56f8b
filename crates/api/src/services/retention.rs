//! The retention task: a closed round's personal data (vetoes, rankings, preferences, the
//! interview proposal, coupling runs, and CVs and photos no other kept round needs) is deleted
//! the institute's number of months after it closed (12 by default). The couplings and the
//! history stay. Runs hourly and at start; `now` is a parameter so tests move the clock.

use chrono::{DateTime, Utc};
use koppel_domain::retention;
use sea_orm::DatabaseConnection;

use crate::store::audit::{self, Entry};
use crate::store::{institutes, retention as store};

/// Deletes the data of every closed round that is due at `now`; answers how many rounds.
pub async fn purge_due(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut purged = 0;
    for (round_id, institute_id, closed_at) in store::closed_unpurged(db).await? {
        let months = institutes::find(db, institute_id)
            .await?
            .map_or(retention::DEFAULT_MONTHS, |institute| {
                u16::try_from(institute.retention_months).unwrap_or(retention::MAX_MONTHS)
            });
        if !retention::is_due(closed_at, months, now) {
            continue;
        }
        let txn = crate::store::begin(db).await?;
        let rows = store::purge_round(&txn, round_id, now).await?;
        let files = store::clear_files(&txn, round_id).await?;
        audit::append(
            &txn,
            Entry {
                institute_id,
                round_id: Some(round_id),
                actor_id: None,
                action: "round.purged",
                summary: format!(
                    "{months} months after closing: {rows} rankings, vetoes and runs deleted, files of {files} trainee(s)"
                ),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        tracing::info!(%round_id, rows, files, "round data deleted after its retention period");
        purged += 1;
    }
    Ok(purged)
}

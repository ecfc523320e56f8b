//! What every request handler shares: the database, keys, caches and limits.

use sea_orm::DatabaseConnection;

use crate::auth::JwtKeys;
use crate::mail::Mail;

/// Shared by every request handler.
pub struct AppState {
    /// Database pool.
    pub db: DatabaseConnection,
    /// Where the busiest reads go (`store::Reads`).
    pub reads: crate::store::Reads,
    /// Access-token keys.
    pub jwt: JwtKeys,
    /// Public URL of the SPA, for links in mails.
    pub public_url: String,
    /// Whether an SMTP server is configured; without one, queued mails are written to the log.
    pub smtp_configured: bool,
    /// Lottery simulations in progress or done.
    pub simulations: crate::services::lotteries::Simulations,
    /// Solve slots and the time limit of each solve.
    pub solvers: crate::solving::Solvers,
    /// Password-hashing slots.
    pub passwords: crate::auth::password::Slots,
    /// Whether client addresses come from the reverse proxy's `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// Derives committed lotteries' secrets.
    pub lottery_key: crate::auth::lottery_key::LotteryKey,
    /// Seals the accounts' two-factor secrets and the webhooks' signing secrets.
    pub totp_key: crate::auth::totp::SealingKey,
    /// Account checks of the last second.
    pub accounts: crate::auth::accounts::AccountCache,
    /// Writers' turns on SQLite (`store::WriteTurns`).
    pub write_turns: crate::store::WriteTurns,
    /// Whether webhook endpoints may be plain `http://` to the loopback address (tests only).
    pub webhooks_allow_loopback_http: bool,
}

impl AppState {
    /// Logs a mail that was queued. Without SMTP the body is logged too, so a local user sees
    /// what would be sent; a one-time link stands in it as a placeholder (it is made only when a
    /// mail leaves: run `koppel mail-sink` to read such mails locally).
    pub fn log_queued_mail(&self, mail: &Mail) {
        if self.smtp_configured {
            tracing::info!(kind = mail.kind, to = %mail.recipient, "mail queued");
        } else {
            tracing::info!(kind = mail.kind, to = %mail.recipient, subject = %mail.subject,
                body = %mail.body, "mail queued (no SMTP configured: it stays in the outbox; `koppel mail-sink` receives mails locally)");
        }
    }
}

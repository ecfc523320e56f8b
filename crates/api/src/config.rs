//! Configuration from environment variables (or the equivalent flags), with defaults that run
//! locally. Secrets are `SecretString`s: they never appear in `Debug` output or logs.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use secrecy::SecretString;

/// Default database: an SQLite file under `./data/`, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/koppel.db?mode=rwc";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Everything the server needs to start.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user:pass@host/db`.
    #[arg(long, env = "KOPPEL_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: SecretString,

    /// Address the HTTP server listens on.
    #[arg(long, env = "KOPPEL_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Secret that signs access tokens (HS256). When unset a random one is made at start, so
    /// tokens do not survive a restart and several processes do not share them: set it in
    /// production.
    #[arg(long, env = "KOPPEL_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<SecretString>,

    /// Key that keeps a committed lottery's secret out of the database (at least 32 bytes). The
    /// secret is derived from it at the draw, so it must stay the same from commit to draw and
    /// be shared by every process. Unset: derived from `KOPPEL_JWT_SECRET`.
    #[arg(long, env = "KOPPEL_LOTTERY_KEY", hide_env_values = true)]
    pub lottery_key: Option<SecretString>,

    /// Key that seals the accounts' two-factor (TOTP) secrets in the database (at least 32
    /// bytes), shared by every process. Changing it turns every enrolment unusable. Unset: a
    /// development key that is public, fine for the demo only.
    #[arg(long, env = "KOPPEL_TOTP_KEY", hide_env_values = true)]
    pub totp_key: Option<SecretString>,

    /// SMTP server for outgoing mail, e.g. `smtps://user:pass@smtp.example.nl`. When unset, mails
    /// stay in the outbox and are written to the log.
    #[arg(long, env = "KOPPEL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<SecretString>,

    /// Sender of outgoing mail.
    #[arg(
        long,
        env = "KOPPEL_MAIL_FROM",
        default_value = "Koppel <no-reply@koppel.invalid>"
    )]
    pub mail_from: String,

    /// How often the mail worker looks for mail to send, in milliseconds.
    #[arg(long, env = "KOPPEL_MAIL_POLL_MS", default_value_t = 2000)]
    pub mail_poll_ms: u64,

    /// How often overdue second-chance offers of the placement lottery are expired and their
    /// places moved on, in milliseconds (they are also settled whenever offers are read).
    #[arg(long, env = "KOPPEL_OFFER_SETTLE_MS", default_value_t = 60_000)]
    pub offer_settle_ms: u64,

    /// How often the webhook worker looks for deliveries to send, in milliseconds.
    #[arg(long, env = "KOPPEL_WEBHOOK_POLL_MS", default_value_t = 1000)]
    pub webhook_poll_ms: u64,

    /// Delay before a failed webhook delivery's first retry, in milliseconds; later retries
    /// wait 12, 60, 360, 1440, 3600 and 7200 times as long (5 s, 1 min, 5 min, 30 min, 2 h, 5 h
    /// and 10 h by default), after which the delivery waits for a redeliver.
    #[arg(long, env = "KOPPEL_WEBHOOK_FIRST_RETRY_MS", default_value_t = 5000)]
    pub webhook_first_retry_ms: u64,

    /// Whether webhook endpoints may be plain `http://` to the loopback address. For tests and
    /// local trials only: real endpoints must be `https://`.
    #[arg(
        long,
        env = "KOPPEL_WEBHOOK_ALLOW_LOOPBACK_HTTP",
        default_value_t = false
    )]
    pub webhook_allow_loopback_http: bool,

    /// How often rounds' calendars run (open steps on their date, send "step opened" mails and
    /// reminders), in milliseconds; also at start.
    #[arg(long, env = "KOPPEL_CALENDAR_TICK_MS", default_value_t = 600_000)]
    pub calendar_tick_ms: u64,

    /// Time limit of each solve (interview proposal, coupling run, `/solve/*`), in seconds. A
    /// solve stopped at the limit answers `time_limit_reached`, never a result.
    #[arg(long, env = "KOPPEL_SOLVE_TIME_LIMIT_S", default_value_t = 60.0)]
    pub solve_time_limit_s: f64,

    /// Most solves running at once; beyond, requests answer 503 `busy` with `Retry-After`.
    /// Default: the number of CPU cores.
    #[arg(long, env = "KOPPEL_SOLVE_CONCURRENCY")]
    pub solve_concurrency: Option<usize>,

    /// Most password hashes (Argon2, 19 MiB each) computed at once; further sign-ins wait.
    /// Default: the number of CPU cores.
    #[arg(long, env = "KOPPEL_HASH_CONCURRENCY")]
    pub hash_concurrency: Option<usize>,

    /// Whether the server runs behind a reverse proxy that sets `X-Forwarded-For` (or
    /// `Forwarded`): failed sign-ins are then throttled per address the proxy reports. Leave it
    /// off when clients connect directly, or they could pick their own address.
    #[arg(long, env = "KOPPEL_BEHIND_PROXY", default_value_t = false)]
    pub behind_proxy: bool,

    /// Origins allowed to call the API from a browser (comma-separated), for an SPA hosted
    /// elsewhere. Empty: same origin only.
    #[arg(
        long,
        env = "KOPPEL_CORS_ORIGINS",
        value_delimiter = ',',
        default_value = ""
    )]
    pub cors_origins: Vec<String>,

    /// Folder with the built SPA (`index.html`, wasm and assets).
    #[arg(long, env = "KOPPEL_SPA_DIR", default_value = "frontend/dist")]
    pub spa_dir: PathBuf,

    /// Public URL of the SPA, used in links in mails.
    #[arg(
        long,
        env = "KOPPEL_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,

    /// Log format.
    #[arg(long, env = "KOPPEL_LOG_FORMAT", value_enum, default_value = "pretty")]
    pub log_format: LogFormat,

    /// E-mail address of the first administrator, created at start when no account has it.
    #[arg(long, env = "KOPPEL_BOOTSTRAP_ADMIN_EMAIL")]
    pub bootstrap_admin_email: Option<String>,

    /// Password of the first administrator (at least 12 characters).
    #[arg(long, env = "KOPPEL_BOOTSTRAP_ADMIN_PASSWORD", hide_env_values = true)]
    pub bootstrap_admin_password: Option<SecretString>,

    /// Two-factor secret (base32, 32 characters) of the first administrator, when it is
    /// created. Unset: the administrator enrols an authenticator app at the first sign-in.
    #[arg(
        long,
        env = "KOPPEL_BOOTSTRAP_ADMIN_TOTP_SECRET",
        hide_env_values = true
    )]
    pub bootstrap_admin_totp_secret: Option<SecretString>,
}

impl Settings {
    /// The solve time limit, refused at start unless it is a positive number of seconds.
    pub fn solve_time_limit(&self) -> anyhow::Result<std::time::Duration> {
        std::time::Duration::try_from_secs_f64(self.solve_time_limit_s)
            .ok()
            .filter(|limit| !limit.is_zero())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "KOPPEL_SOLVE_TIME_LIMIT_S must be a positive number of seconds, not {}",
                    self.solve_time_limit_s
                )
            })
    }

    /// Solves allowed at once: the setting, or the number of CPU cores.
    pub fn solve_concurrency(&self) -> usize {
        self.solve_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
            .max(1)
    }

    /// Password hashes allowed at once: the setting, or the number of CPU cores.
    pub fn hash_concurrency(&self) -> usize {
        self.hash_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
            .max(1)
    }

    /// Settings for tests and tools: local defaults, nothing read from the environment.
    pub fn local(database_url: &str) -> Self {
        Self {
            database_url: SecretString::from(database_url.to_owned()),
            bind: "127.0.0.1:0".to_owned(),
            jwt_secret: None,
            lottery_key: None,
            totp_key: None,
            smtp_url: None,
            mail_from: "Koppel <no-reply@koppel.invalid>".to_owned(),
            mail_poll_ms: 2000,
            offer_settle_ms: 60_000,
            calendar_tick_ms: 600_000,
            webhook_poll_ms: 1000,
            webhook_first_retry_ms: 5000,
            webhook_allow_loopback_http: false,
            solve_time_limit_s: 60.0,
            solve_concurrency: None,
            hash_concurrency: None,
            behind_proxy: false,
            cors_origins: Vec::new(),
            spa_dir: PathBuf::from("frontend/dist"),
            public_url: "http://127.0.0.1:8080".to_owned(),
            log_format: LogFormat::Pretty,
            bootstrap_admin_email: None,
            bootstrap_admin_password: None,
            bootstrap_admin_totp_secret: None,
        }
    }

    /// The key that seals two-factor secrets: `KOPPEL_TOTP_KEY`, or the public development key.
    pub fn totp_sealing_key(&self) -> crate::auth::totp::SealingKey {
        use crate::auth::totp::{DEVELOPMENT_KEY, SealingKey};
        match &self.totp_key {
            Some(key) => SealingKey::from_secret(key),
            None => SealingKey::from_secret(&SecretString::from(DEVELOPMENT_KEY)),
        }
    }
}

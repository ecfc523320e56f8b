//! Persistence with sea-orm, on SQLite (embedded default) or PostgreSQL.
//!
//! Entities live in [`entities`]; the modules beside it hold the queries and turn rows into typed
//! records, so nothing above this layer sees a raw entity or a string-typed column.

pub mod anonymise;
pub mod api_keys;
pub mod audit;
pub mod availability;
mod cached;
pub mod entities;
mod file_reads;
mod file_writer;
pub mod handover;
pub mod history;
pub mod institutes;
pub mod lotteries;
pub mod notices;
pub mod outbox;
pub mod participants;
pub mod people;
pub mod profiles;
mod queue;
mod readers;
pub mod retention;
pub mod rounds;
pub mod sessions;
pub mod steps;
pub mod throttles;
pub mod tokens;
pub mod two_factor;
pub mod users;
pub mod webhooks;
mod writes;

pub use readers::Reads;
pub use writes::{WriteTurns, execute_all};

use anyhow::Context;
use koppel_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Opens a connection pool. For an SQLite file the parent folder is created when missing.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = sqlite_file(url)
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .max_connections(10)
        // An SQLite connection is a file opened in this process, with no peer that could have
        // gone away: the ping before each use would only cost a round trip to the connection's
        // thread (measured: /health's context switches per request from about 5 to 3.3). PostgreSQL's
        // connections are tested before use.
        .test_before_acquire(!url.starts_with("sqlite:"))
        .map_sqlx_sqlite_opts(sqlite_settings);
    let db = Database::connect(options)
        .await
        .context("cannot connect to the database (check KOPPEL_DATABASE_URL)")?;
    Ok(db)
}

/// Every sqlx SQLite connection's settings (the group commit's and the busiest reads' own
/// connections take theirs in `file_writer` and `file_reads`): write-ahead logging (readers never wait for the writer,
/// one sync per checkpoint instead of several per commit) with `synchronous = NORMAL`: a commit
/// survives a crash of Koppel, and at worst the last commits before a power cut or an
/// operating-system crash are lost, never the database's consistency (see the README). 5 s busy
/// timeout; 16 MB page cache per connection.
fn sqlite_settings(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(std::time::Duration::from_secs(5))
        .pragma("cache_size", "-16000")
}

/// Starts a transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at once
/// (waiting on the busy timeout), because a deferred transaction that reads and then writes
/// fails outright in WAL mode when another connection wrote in between. PostgreSQL ignores it.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("applying database migrations failed")
}

/// Answers whether the database responds to a query.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// The file path of an `sqlite://path?...` URL, if it names a file (not `:memory:` or
/// `mode=memory`).
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let in_memory = path == ":memory:" || query.split('&').any(|pair| pair == "mode=memory");
    (!path.is_empty() && !in_memory).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://data/koppel.db?mode=rwc"),
            Some("data/koppel.db")
        );
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(
            sqlite_file("sqlite://koppel?mode=memory&cache=shared"),
            None
        );
        assert_eq!(
            sqlite_file("sqlite://koppel.db?cache=shared&mode=memory"),
            None
        );
        assert_eq!(sqlite_file("postgres://localhost/koppel"), None);
    }
}

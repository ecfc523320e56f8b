//! SQLite connections of Koppel's own, beside sqlx's pool, for the group commit of writes
//! ([`super::WriteTurns`]).
//!
//! On SQLite each sqlx connection runs on a thread of its own, so every request to it is a round
//! trip to that thread, and under load each trip waits for that thread to be scheduled. sqlx's
//! pool adds a trip on every release: it pings the connection before taking it back
//! (unconditionally in sqlx 0.9). A connection to a file in this process has no peer that could
//! have gone away, so these are lent without the ping. Their users never leave a transaction open
//! on them: the group commit ends each transaction it begins. A
//! connection whose thread is gone is not lent again; a new one opens in its place.
//!
//! On PostgreSQL, and for an in-memory SQLite database (which each connection would see as a
//! database of its own), there are none: everything goes through the pool.

use std::str::FromStr;
use std::sync::{Arc, Mutex};

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, ConnectOptions, Connection};
use sea_orm::{DbErr, RuntimeErr};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Up to a fixed number of SQLite connections, opened on first use with the pool's settings
/// ([`super::sqlite_settings`]).
pub(super) struct Connections {
    options: SqliteConnectOptions,
    idle: Mutex<Vec<SqliteConnection>>,
    permits: Semaphore,
}

/// A connection lent to one user; it goes back on drop.
pub(super) struct Lease<'a> {
    connections: &'a Connections,
    connection: Option<SqliteConnection>,
    _permit: SemaphorePermit<'a>,
}

impl Connections {
    /// Up to `count` connections to the SQLite file at `url`; none for another database.
    pub(super) fn to_file(url: &str, count: usize) -> Result<Option<Arc<Self>>, DbErr> {
        if super::sqlite_file(url).is_none() {
            return Ok(None);
        }
        let options = SqliteConnectOptions::from_str(url).map_err(connection_error)?;
        Ok(Some(Arc::new(Self {
            options: super::sqlite_settings(options).disable_statement_logging(),
            idle: Mutex::new(Vec::with_capacity(count)),
            permits: Semaphore::new(count),
        })))
    }

    /// A connection: an idle one, or a new one when none is idle.
    pub(super) async fn lease(&self) -> Result<Lease<'_>, DbErr> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| DbErr::Custom("the SQLite connections are closed".to_owned()))?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let connection = match idle {
            Some(connection) => connection,
            None => SqliteConnection::connect_with(&self.options)
                .await
                .map_err(connection_error)?,
        };
        Ok(Lease {
            connections: self,
            connection: Some(connection),
            _permit: permit,
        })
    }
}

impl Lease<'_> {
    /// The connection lent.
    pub(super) fn connection(&mut self) -> Result<&mut SqliteConnection, DbErr> {
        self.connection.as_mut().ok_or_else(|| {
            DbErr::Custom("an SQLite connection was used after it failed".to_owned())
        })
    }

    /// Closes the connection instead of lending it again (which rolls back anything left open
    /// on it); a new one opens in its place when needed.
    pub(super) fn discard(&mut self) {
        self.connection = None;
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take()
            && let Ok(mut idle) = self.connections.idle.lock()
        {
            idle.push(connection);
        }
    }
}

/// sqlx's error of a query as sea-orm's.
pub(super) fn query_error(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
}

fn connection_error(error: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error)))
}

//! The busiest reads on an SQLite file, run on the calling thread ([`super::Reads`]).
//!
//! Each sqlx SQLite connection runs on a thread of its own, so every query through sqlx is a
//! round trip between threads: a send, a wake-up, the query, the rows sent back one by one, each
//! value copied into an allocation of its own, and a wake-up again. Profiled under 64 connections
//! submitting rankings, those trips (context switches, channel and allocator) took more CPU than
//! SQLite running the queries. The reads here are small, indexed and bounded (one trainee's row,
//! a round's trainers, one list), so they run where the request runs, on connections kept here,
//! with their prepared statements cached; a read takes tens of microseconds, less than the trip
//! did.
//!
//! The connections only read (`query_only`). A read sees the last committed state, as a read on
//! the pool does. On PostgreSQL, and for an in-memory SQLite database, there are none.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::SecondsFormat;
use rusqlite::types::Value as SqliteValue;
use rusqlite::{Connection, ErrorCode, OpenFlags, Row};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{DbErr, RuntimeErr, Statement, Value};

use super::entities::{round, round_trainee, trainee};

/// At most this many idle connections are kept: one per thread that reads at once (actix's
/// workers, and the runtime's), beyond which a connection is closed after its read.
const KEEP: usize = 8;

/// How long a read waits for a lock. A reader of a database in WAL mode waits only in rare
/// moments (recovery of the log after a crash), and it waits on a request's thread, so briefly.
const BUSY_TIMEOUT: Duration = Duration::from_millis(500);

/// Connections to one SQLite file for reads on the calling thread.
pub struct FileReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for FileReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileReads")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl FileReads {
    /// Reads of the SQLite file at `url`; none for another database or an in-memory one.
    pub(super) fn to_file(url: &str) -> Result<Option<Arc<Self>>, DbErr> {
        Ok(file_path(url)?.map(|path| {
            Arc::new(Self {
                path,
                idle: Mutex::new(Vec::with_capacity(KEEP)),
            })
        }))
    }

    /// Runs `read` on an idle connection, or on a new one when none is idle, on this thread.
    pub fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, DbErr> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let connection = match idle {
            Some(connection) => connection,
            None => self.open().map_err(read_error)?,
        };
        let outcome = read(&connection);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP
        {
            idle.push(connection);
        }
        outcome.map_err(read_error)
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let connection = open(&self.path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        connection.execute_batch("PRAGMA query_only = ON")?;
        Ok(connection)
    }
}

/// The file of an SQLite URL, as sqlx reads it; none for another database or an in-memory one.
pub(super) fn file_path(url: &str) -> Result<Option<PathBuf>, DbErr> {
    if super::sqlite_file(url).is_none() {
        return Ok(None);
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| DbErr::Conn(RuntimeErr::Internal(error.to_string())))?;
    Ok(Some(options.get_filename().to_path_buf()))
}

/// A connection to the SQLite file at `path`, which the pool has created and set to WAL mode,
/// with the pool's page cache size (`super::sqlite_settings`).
pub(super) fn open(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.execute_batch("PRAGMA cache_size = -16000")?;
    Ok(connection)
}

/// A statement's values as SQLite's, bound as sqlx binds them (an id as its 16 bytes, a time as
/// RFC 3339 text).
pub fn values(statement: &Statement) -> rusqlite::Result<Vec<SqliteValue>> {
    let Some(values) = &statement.values else {
        return Ok(Vec::new());
    };
    values
        .0
        .iter()
        .map(|value| {
            Ok(match value {
                Value::Uuid(Some(id)) => SqliteValue::Blob(id.as_bytes().to_vec()),
                Value::String(Some(text)) => SqliteValue::Text(text.clone()),
                Value::Bytes(Some(bytes)) => SqliteValue::Blob(bytes.clone()),
                Value::ChronoDateTimeUtc(Some(time)) => {
                    SqliteValue::Text(time.to_rfc3339_opts(SecondsFormat::AutoSi, false))
                }
                Value::ChronoDate(Some(date)) => SqliteValue::Text(date.format("%F").to_string()),
                Value::Double(Some(number)) => SqliteValue::Real(*number),
                Value::Json(Some(json)) => SqliteValue::Text(json.to_string()),
                Value::Bool(Some(flag)) => SqliteValue::Integer(i64::from(*flag)),
                Value::TinyInt(Some(number)) => SqliteValue::Integer(i64::from(*number)),
                Value::SmallInt(Some(number)) => SqliteValue::Integer(i64::from(*number)),
                Value::Int(Some(number)) => SqliteValue::Integer(i64::from(*number)),
                Value::BigInt(Some(number)) => SqliteValue::Integer(*number),
                Value::TinyUnsigned(Some(number)) => SqliteValue::Integer(i64::from(*number)),
                Value::SmallUnsigned(Some(number)) => SqliteValue::Integer(i64::from(*number)),
                Value::Unsigned(Some(number)) => SqliteValue::Integer(i64::from(*number)),
                Value::BigUnsigned(Some(number)) => SqliteValue::Integer(
                    i64::try_from(*number)
                        .map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))?,
                ),
                Value::Uuid(None)
                | Value::String(None)
                | Value::Bytes(None)
                | Value::ChronoDateTimeUtc(None)
                | Value::ChronoDate(None)
                | Value::Double(None)
                | Value::Json(None)
                | Value::Bool(None)
                | Value::TinyInt(None)
                | Value::SmallInt(None)
                | Value::Int(None)
                | Value::BigInt(None)
                | Value::TinyUnsigned(None)
                | Value::SmallUnsigned(None)
                | Value::Unsigned(None)
                | Value::BigUnsigned(None) => SqliteValue::Null,
                other => {
                    return Err(rusqlite::Error::ToSqlConversionFailure(
                        format!("no SQLite binding for {other:?}").into(),
                    ));
                }
            })
        })
        .collect()
}

/// A read's failure as sea-orm's: a lock or an unopenable file is the database being unavailable
/// (503), anything else a failed query.
fn read_error(error: rusqlite::Error) -> DbErr {
    failure(error, DbErr::Query)
}

/// A write's failure as sea-orm's, as [`read_error`].
pub(super) fn write_error(error: rusqlite::Error) -> DbErr {
    failure(error, DbErr::Exec)
}

fn failure(error: rusqlite::Error, failed: fn(RuntimeErr) -> DbErr) -> DbErr {
    let unavailable = matches!(
        error.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::CannotOpen
                | ErrorCode::NotADatabase
        )
    );
    let error = RuntimeErr::Internal(error.to_string());
    if unavailable {
        DbErr::Conn(error)
    } else {
        failed(error)
    }
}

/// A column's name: `prefix` and the column's.
fn named(prefix: &str, column: &str) -> String {
    format!("{prefix}{column}")
}

/// The round whose columns `row` holds, each as `prefix` + its name.
pub fn round(row: &Row<'_>, prefix: &str) -> rusqlite::Result<round::Model> {
    let get = |column: &str| named(prefix, column);
    Ok(round::Model {
        id: row.get(get("id").as_str())?,
        institute_id: row.get(get("institute_id").as_str())?,
        start_month: row.get(get("start_month").as_str())?,
        start_year: row.get(get("start_year").as_str())?,
        training_years: row.get(get("training_years").as_str())?,
        phase: row.get(get("phase").as_str())?,
        opens: row.get(get("opens").as_str())?,
        profiles_deadline: row.get(get("profiles_deadline").as_str())?,
        preferences_deadline: row.get(get("preferences_deadline").as_str())?,
        final_ranking_deadline: row.get(get("final_ranking_deadline").as_str())?,
        placement_start: row.get(get("placement_start").as_str())?,
        created_at: row.get(get("created_at").as_str())?,
        updated_at: row.get(get("updated_at").as_str())?,
        preferences_closed_at: row.get(get("preferences_closed_at").as_str())?,
        closed_at: row.get(get("closed_at").as_str())?,
        purged_at: row.get(get("purged_at").as_str())?,
        held: row.get(get("held").as_str())?,
    })
}

/// The trainee whose columns `row` holds, each as `prefix` + its name.
pub fn trainee(row: &Row<'_>, prefix: &str) -> rusqlite::Result<trainee::Model> {
    let get = |column: &str| named(prefix, column);
    Ok(trainee::Model {
        id: row.get(get("id").as_str())?,
        institute_id: row.get(get("institute_id").as_str())?,
        user_id: row.get(get("user_id").as_str())?,
        name: row.get(get("name").as_str())?,
        email: row.get(get("email").as_str())?,
        training_start: row.get(get("training_start").as_str())?,
        part_time_factor: row.get(get("part_time_factor").as_str())?,
        leave_days: row.get(get("leave_days").as_str())?,
        created_at: row.get(get("created_at").as_str())?,
        updated_at: row.get(get("updated_at").as_str())?,
    })
}

/// The participation whose columns `row` holds, each as `prefix` + its name.
pub fn participation(row: &Row<'_>, prefix: &str) -> rusqlite::Result<round_trainee::Model> {
    let get = |column: &str| named(prefix, column);
    Ok(round_trainee::Model {
        round_id: row.get(get("round_id").as_str())?,
        trainee_id: row.get(get("trainee_id").as_str())?,
        training_year: row.get(get("training_year").as_str())?,
        added_at: row.get(get("added_at").as_str())?,
        withdrawn_at: row.get(get("withdrawn_at").as_str())?,
        withdraw_reason: row.get(get("withdraw_reason").as_str())?,
    })
}

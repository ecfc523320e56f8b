//! The group commit on an SQLite file: a thread of its own with a connection of its own
//! ([`super::WriteTurns`]).
//!
//! Under load the group commit is what every ranking submission waits for. Through sqlx each of
//! its requests was a round trip between threads (the committing task, the connection's thread,
//! back, then each writer); here the thread that takes the writes waiting runs them on its
//! connection itself and answers each writer: `BEGIN IMMEDIATE`, every write, `COMMIT`. When
//! SQLite refuses a write, the group is rolled back and written again with each write in a
//! savepoint of its own, so that the refused one is undone alone and the others stand. (A
//! savepoint for every write cost about a fifth of the submissions' throughput, measured.)

use std::path::PathBuf;
use std::sync::Arc;

use rusqlite::Connection;
use sea_orm::{DbErr, RuntimeErr, Statement};
use tokio::sync::{Mutex, mpsc};

use super::file_reads;
use super::writes::{Answer, MAX_GROUP, Write, shared_commit_failed};

/// How many prepared statements the writer keeps: a write's statements differ by the length of
/// the list it carries.
const CACHED_STATEMENTS: usize = 64;

/// The writer of one SQLite file.
pub(super) struct FileWriter {
    path: PathBuf,
    connection: Option<Connection>,
}

impl FileWriter {
    /// The writer of the SQLite file at `url`; none for another database or an in-memory one.
    pub(super) fn to_file(url: &str) -> Result<Option<Self>, DbErr> {
        Ok(file_reads::file_path(url)?.map(|path| Self {
            path,
            connection: None,
        }))
    }

    /// Starts the thread that commits the writes arriving on `waiting`, each group in its turn
    /// with the other writers; it ends when every sender has gone.
    pub(super) fn start(
        self,
        turns: Arc<Mutex<()>>,
        waiting: mpsc::UnboundedReceiver<Write>,
    ) -> Result<(), DbErr> {
        std::thread::Builder::new()
            .name("koppel-writer".to_owned())
            .spawn(move || self.run(&turns, waiting))
            .map(drop)
            .map_err(|error| {
                DbErr::Custom(format!("the database writer could not be started: {error}"))
            })
    }

    fn run(mut self, turns: &Mutex<()>, mut waiting: mpsc::UnboundedReceiver<Write>) {
        while let Some(first) = waiting.blocking_recv() {
            // The writes that queue while the turn is awaited join the group.
            let _turn = turns.blocking_lock();
            let mut group = Vec::with_capacity(MAX_GROUP);
            group.push(first);
            while group.len() < MAX_GROUP
                && let Ok(write) = waiting.try_recv()
            {
                group.push(write);
            }
            // Should a group ever panic, its writers hear that the writer stopped (their answers
            // are dropped), the connection is closed (rolling back what it held), and the next
            // group is committed on a new one.
            let committed =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.commit(group)));
            if committed.is_err() {
                tracing::error!(
                    "the database writer panicked on a group; it goes on with a new connection"
                );
                self.connection = None;
            }
        }
    }

    /// Commits a group in one transaction and answers each writer: all writes at once, or, when
    /// SQLite refuses one of them, write by write, each in a savepoint of its own.
    fn commit(&mut self, group: Vec<Write>) {
        let connection = match self.begin() {
            Ok(connection) => connection,
            Err(error) => return answer_all(answers(group), &error),
        };
        let at_once = group
            .iter()
            .try_for_each(|write| run_statements(connection, &write.statements));
        if let Err(refusal) = at_once {
            tracing::debug!(%refusal, "a grouped write was refused; the group is written write by write");
            if let Err(error) = connection.execute_batch("ROLLBACK") {
                let error = file_reads::write_error(error);
                self.abandon();
                return answer_all(answers(group), &error);
            }
            return self.commit_one_by_one(group);
        }
        self.finish(
            group
                .into_iter()
                .map(|write| (write.done, Ok(())))
                .collect(),
        );
    }

    /// Commits a group in one transaction, each write in a savepoint of its own, so that one
    /// SQLite refuses is undone alone and the others stand.
    fn commit_one_by_one(&mut self, group: Vec<Write>) {
        let connection = match self.begin() {
            Ok(connection) => connection,
            Err(error) => return answer_all(answers(group), &error),
        };
        let mut outcomes: Vec<(Answer, Result<(), DbErr>)> = Vec::with_capacity(group.len());
        for write in group {
            let outcome = match in_savepoint(connection, &write.statements) {
                Ok(()) => Ok(()),
                Err(error) => {
                    if let Err(undo) =
                        connection.execute_batch("ROLLBACK TO grouped_write; RELEASE grouped_write")
                    {
                        // The transaction's state is unknown: nothing of the group is committed.
                        tracing::warn!(%undo, "undoing a failed grouped write failed");
                        let undo = file_reads::write_error(undo);
                        self.abandon();
                        let _ = write.done.send(Err(file_reads::write_error(error)));
                        return answer_all(outcomes.into_iter().map(|(done, _)| done), &undo);
                    }
                    Err(file_reads::write_error(error))
                }
            };
            outcomes.push((write.done, outcome));
        }
        self.finish(outcomes);
    }

    /// Commits the transaction and answers each writer.
    fn finish(&mut self, outcomes: Vec<(Answer, Result<(), DbErr>)>) {
        let committed = match self.connection() {
            Ok(connection) => connection
                .execute_batch("COMMIT")
                .map_err(file_reads::write_error),
            Err(error) => Err(error),
        };
        if let Err(error) = committed {
            self.abandon();
            return answer_all(outcomes.into_iter().map(|(done, _)| done), &error);
        }
        for (done, outcome) in outcomes {
            // The caller may have stopped waiting; the write stands (or failed) all the same.
            let _ = done.send(outcome);
        }
    }

    /// The connection, in a transaction that holds SQLite's write lock.
    fn begin(&mut self) -> Result<&Connection, DbErr> {
        let connection = self.connection()?;
        connection
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(file_reads::write_error)?;
        Ok(connection)
    }

    /// The connection, opened when there is none.
    fn connection(&mut self) -> Result<&Connection, DbErr> {
        if self.connection.is_none() {
            let connection = file_reads::open(&self.path)
                .and_then(|connection| {
                    // Each commit is written to the log without waiting for the disk, as the
                    // pool's (`super::sqlite_settings`): see the README on durability.
                    connection.busy_timeout(std::time::Duration::from_secs(5))?;
                    connection.execute_batch("PRAGMA synchronous = NORMAL")?;
                    Ok(connection)
                })
                .map_err(file_reads::write_error)?;
            connection.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
            self.connection = Some(connection);
        }
        self.connection
            .as_ref()
            .ok_or_else(|| DbErr::Conn(RuntimeErr::Internal("no connection".to_owned())))
    }

    /// Rolls back what is left of a transaction, closing the connection if that fails (closing
    /// rolls back too), so that no transaction stays open on it.
    fn abandon(&mut self) {
        if let Some(connection) = &self.connection
            && connection.execute_batch("ROLLBACK").is_err()
            && !connection.is_autocommit()
        {
            self.connection = None;
        }
    }
}

/// Runs statements in order.
fn run_statements(connection: &Connection, statements: &[Statement]) -> rusqlite::Result<()> {
    for statement in statements {
        let mut prepared = connection.prepare_cached(&statement.sql)?;
        prepared.execute(rusqlite::params_from_iter(file_reads::values(statement)?))?;
    }
    Ok(())
}

/// One write's statements in a savepoint of its own, released when all ran.
fn in_savepoint(connection: &Connection, statements: &[Statement]) -> rusqlite::Result<()> {
    connection.execute_batch("SAVEPOINT grouped_write")?;
    run_statements(connection, statements)?;
    connection.execute_batch("RELEASE grouped_write")
}

/// Where each write of a group is answered.
fn answers(group: Vec<Write>) -> impl Iterator<Item = Answer> {
    group.into_iter().map(|write| write.done)
}

/// Tells each writer that the group failed with `error`.
fn answer_all(writers: impl IntoIterator<Item = Answer>, error: &DbErr) {
    for done in writers {
        let _ = done.send(Err(shared_commit_failed(error)));
    }
}

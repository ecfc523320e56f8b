//! How writers share the database: in turns on SQLite, whose single writer lock would otherwise
//! stand idle while waiting writers sleep, and with group commit for the busiest writes (ranking
//! submissions), so that one SQLite transaction carries many of them.
//!
//! Under load the group commit is the one thing every submission waits for, so on an SQLite file
//! it runs on a thread of its own ([`super::file_writer`]); for an in-memory database it runs on
//! the pool.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use tokio::sync::{Mutex, OwnedMutexGuard, mpsc, oneshot};

use super::file_writer::FileWriter;

/// At most this many writes share one transaction.
pub(super) const MAX_GROUP: usize = 128;

/// Turns for writers on SQLite, first come first served, taken before `BEGIN IMMEDIATE`. SQLite
/// has a writer that finds the database locked sleep and retry (after 1, 2, 5, 10 ms and longer),
/// so under many concurrent writers the lock would stand idle while they sleep; with turns the
/// next writer starts as the last one commits. PostgreSQL writers lock rows and take no turn.
///
/// On SQLite, [`WriteTurns::commit`] also groups writes: a task takes the writes waiting at that
/// moment and commits them in one transaction, each in a savepoint of its own, then answers each.
#[derive(Debug, Clone, Default)]
pub struct WriteTurns(Option<Sqlite>);

#[derive(Debug, Clone)]
struct Sqlite {
    turns: Arc<Mutex<()>>,
    writes: mpsc::UnboundedSender<Write>,
}

/// One caller's statements, all or nothing, and where to answer.
#[derive(Debug)]
pub(super) struct Write {
    pub(super) statements: Vec<Statement>,
    pub(super) done: Answer,
}

/// Where a write's outcome goes.
pub(super) type Answer = oneshot::Sender<Result<(), DbErr>>;

impl WriteTurns {
    /// Turns for the database at `url`, which `db` connects to: none on PostgreSQL. On SQLite
    /// this starts what commits grouped writes: on a file a thread, else a task on the current
    /// Tokio runtime; it ends when the last `WriteTurns` is dropped.
    pub fn for_database(url: &str, db: &DatabaseConnection) -> Result<Self, DbErr> {
        Ok(match db.get_database_backend() {
            DbBackend::Sqlite => {
                let turns = Arc::new(Mutex::new(()));
                let (writes, waiting) = mpsc::unbounded_channel();
                match FileWriter::to_file(url)? {
                    Some(writer) => writer.start(turns.clone(), waiting)?,
                    None => drop(tokio::spawn(commit_in_groups(
                        db.clone(),
                        turns.clone(),
                        waiting,
                    ))),
                }
                Self(Some(Sqlite { turns, writes }))
            }
            _ => Self(None),
        })
    }

    /// Waits for this writer's turn, which lasts until the guard is dropped (after commit).
    pub async fn take(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.0 {
            Some(sqlite) => Some(sqlite.turns.clone().lock_owned().await),
            None => None,
        }
    }

    /// Runs `statements` in order in a transaction of their own (PostgreSQL), or in one shared
    /// with the other writes waiting at that moment (SQLite); either way all or nothing, and
    /// committed when this answers `Ok`. On SQLite the write is carried out even if the caller
    /// stops waiting for it; on PostgreSQL it is rolled back with the caller's request.
    pub async fn commit(
        &self,
        db: &DatabaseConnection,
        statements: Vec<Statement>,
    ) -> Result<(), DbErr> {
        let Some(sqlite) = &self.0 else {
            return commit_alone(db, statements).await;
        };
        let (done, answer) = oneshot::channel();
        let stopped = || DbErr::Custom("the database writer has stopped".to_owned());
        sqlite
            .writes
            .send(Write { statements, done })
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The group-commit task on the pool: takes the writes waiting and commits them in one
/// transaction, in turn with the other writers.
async fn commit_in_groups(
    pool: DatabaseConnection,
    turns: Arc<Mutex<()>>,
    mut waiting: mpsc::UnboundedReceiver<Write>,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
        let _turn = turns.clone().lock_owned().await;
        commit_group(&pool, std::mem::take(&mut group)).await;
    }
}

/// Commits a group of writes in one transaction on the pool and answers each. Each write runs in
/// a savepoint of its own, in one request to SQLite, so that one that fails is undone alone and
/// the others stand; each request's SQL is that write's own, so SQLite's statement cache keeps a
/// few shapes rather than one per group.
async fn commit_group(db: &DatabaseConnection, group: Vec<Write>) {
    let txn = match super::begin(db).await {
        Ok(txn) => txn,
        Err(error) => {
            for write in group {
                let _ = write.done.send(Err(shared_commit_failed(&error)));
            }
            return;
        }
    };
    let backend = txn.get_database_backend();
    let mut outcomes: Vec<(Answer, Result<(), DbErr>)> = Vec::with_capacity(group.len());
    for write in group {
        let mut statements = Vec::with_capacity(write.statements.len() + 2);
        statements.push(Statement::from_string(backend, "SAVEPOINT grouped_write"));
        statements.extend(write.statements);
        statements.push(Statement::from_string(backend, "RELEASE grouped_write"));
        let outcome = match execute_all(&txn, statements).await {
            Ok(()) => Ok(()),
            Err(error) => {
                let undo = "ROLLBACK TO grouped_write; RELEASE grouped_write";
                if let Err(undo_error) = txn.execute_unprepared(undo).await {
                    // The transaction's state is unknown: nothing of the group is committed.
                    tracing::warn!(%undo_error, "undoing a failed grouped write failed");
                    drop(txn);
                    for (done, _) in outcomes {
                        let _ = done.send(Err(shared_commit_failed(&undo_error)));
                    }
                    let _ = write.done.send(Err(error));
                    return;
                }
                Err(error)
            }
        };
        outcomes.push((write.done, outcome));
    }
    let committed = txn.commit().await;
    for (done, outcome) in outcomes {
        // The caller may have stopped waiting; the write stands (or failed) all the same.
        let _ = done.send(match &committed {
            Ok(()) => outcome,
            Err(error) => Err(shared_commit_failed(error)),
        });
    }
}

/// What each writer of a group hears when the group's transaction failed.
pub(super) fn shared_commit_failed(error: &DbErr) -> DbErr {
    DbErr::Custom(format!("the shared commit failed: {error}"))
}

/// Runs statements in one transaction of their own.
async fn commit_alone(db: &DatabaseConnection, statements: Vec<Statement>) -> Result<(), DbErr> {
    let txn = super::begin(db).await?;
    execute_all(&txn, statements).await?;
    txn.commit().await
}

/// Runs statements in order, in one request to the database where it can: SQLite takes several
/// statements with their parameters in one go, PostgreSQL's extended protocol one at a time.
/// Inside a transaction, so that a failure half-way leaves nothing behind.
pub async fn execute_all(
    db: &impl ConnectionTrait,
    statements: Vec<Statement>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite || statements.len() < 2 {
        for statement in statements {
            db.execute_raw(statement).await?;
        }
        return Ok(());
    }
    let (sql, values) = one_request(String::new(), &statements);
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}

/// Statements as the text and values of one SQLite request, after `sql`; SQLite binds each
/// statement's `?` to the values in turn.
fn one_request<'a>(
    mut sql: String,
    statements: impl IntoIterator<Item = &'a Statement>,
) -> (String, Vec<sea_orm::Value>) {
    let mut values = Vec::new();
    for statement in statements {
        sql.push_str(&statement.sql);
        sql.push_str(";\n");
        values.extend(statement.values.iter().flat_map(|v| v.0.iter().cloned()));
    }
    (sql, values)
}

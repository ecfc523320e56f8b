//! Where the busiest reads go: a trainee's own list and what a ranking submission checks. On an
//! SQLite file they run on the calling thread ([`super::file_reads`]); elsewhere they go to the
//! pool. The health check stays on the pool, which most requests use.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};

use super::file_reads::FileReads;

/// The busiest reads' database: an SQLite file's own connections, else the pool.
#[derive(Clone)]
pub struct Reads {
    pool: DatabaseConnection,
    file: Option<Arc<FileReads>>,
}

impl std::fmt::Debug for Reads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reads")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl Reads {
    /// Reads of the database at `url`, which `pool` connects to.
    pub fn new(url: &str, pool: DatabaseConnection) -> Result<Self, DbErr> {
        Ok(Self {
            file: FileReads::to_file(url)?,
            pool,
        })
    }

    /// The pool, for what the file's own connections do not serve.
    pub(super) fn pool(&self) -> &DatabaseConnection {
        &self.pool
    }

    /// The SQLite file's own connections, if the database is one.
    pub(super) fn file(&self) -> Option<&FileReads> {
        self.file.as_deref()
    }
}

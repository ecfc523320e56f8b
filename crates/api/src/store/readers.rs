//! Where the busiest reads go: a trainee's own list and what a ranking submission checks. On an
//! SQLite file they use connections of their own, lent without sqlx's ping
//! ([`super::connections`]): that ping had cost as much as the read itself. Elsewhere they go to
//! the pool. The health check stays on the pool, which most requests use.

use std::sync::Arc;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, Statement,
};

use super::connections::{Connections, query};

/// How many SQLite connections the reads keep, each with a thread of its own: two actix workers
/// seldom keep more busy at once.
const CONNECTIONS: usize = 4;

/// The busiest reads' connections: of their own on an SQLite file, else the pool. Only reads use
/// them; writes through [`ConnectionTrait`] go to the pool.
#[derive(Clone)]
pub struct Reads {
    pool: DatabaseConnection,
    own: Option<Arc<Connections>>,
}

impl std::fmt::Debug for Reads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reads")
            .field("own_connections", &self.own.is_some())
            .finish()
    }
}

impl Reads {
    /// Reads of the database at `url`, which `pool` connects to.
    pub fn new(url: &str, pool: DatabaseConnection) -> Result<Self, DbErr> {
        let own = match pool.get_database_backend() {
            DbBackend::Sqlite => Connections::to_file(url, CONNECTIONS)?,
            _ => None,
        };
        Ok(Self { pool, own })
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Reads {
    fn get_database_backend(&self) -> DbBackend {
        self.pool.get_database_backend()
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.pool.execute_raw(statement).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.pool.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        let Some(own) = &self.own else {
            return self.pool.query_one_raw(statement).await;
        };
        let mut lease = own.lease().await?;
        let outcome = query(&statement).fetch_optional(lease.connection()?).await;
        Ok(lease.check(outcome)?.map(QueryResult::from))
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let Some(own) = &self.own else {
            return self.pool.query_all_raw(statement).await;
        };
        let mut lease = own.lease().await?;
        let outcome = query(&statement).fetch_all(lease.connection()?).await;
        Ok(lease
            .check(outcome)?
            .into_iter()
            .map(QueryResult::from)
            .collect())
    }

    fn support_returning(&self) -> bool {
        self.pool.support_returning()
    }
}

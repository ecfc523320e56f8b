//! Queries on every trainee's request, with their SQL text built once.
//!
//! Building a query with sea-query (expression trees, joins, aliases, then the text) took more
//! CPU than SQLite needs to run a small indexed one: about a tenth of a read's time under load.
//! A [`CachedQuery`] builds its text once per database backend, with placeholder ids, and
//! afterwards only puts each request's ids in their places. The stable text also keeps the
//! connections' statement caches at one entry per query.

use std::sync::OnceLock;

use sea_orm::sea_query::SelectStatement;
use sea_orm::{DbBackend, DbErr, Statement, Value};
use uuid::Uuid;

/// A select whose shape never changes, with `N` ids as its only varying values.
pub struct CachedQuery<const N: usize> {
    build: fn([Uuid; N]) -> SelectStatement,
    /// Per backend: SQLite, PostgreSQL, MySQL.
    texts: [OnceLock<Template>; 3],
}

/// A built query: its text, its values, and where the ids go among them.
#[derive(Debug)]
struct Template {
    sql: String,
    values: Vec<Value>,
    /// (index among `values`, index of the id).
    slots: Vec<(usize, usize)>,
}

impl<const N: usize> CachedQuery<N> {
    /// A query built by `build` from its ids. `build` must use each id as a value (not in the
    /// shape of the query); the first [`statement`](Self::statement) checks that each appears.
    pub const fn new(build: fn([Uuid; N]) -> SelectStatement) -> Self {
        Self {
            build,
            texts: [OnceLock::new(), OnceLock::new(), OnceLock::new()],
        }
    }

    /// The statement for `ids` on `backend`.
    pub fn statement(&self, backend: DbBackend, ids: [Uuid; N]) -> Result<Statement, DbErr> {
        let cell = &self.texts[match backend {
            DbBackend::Sqlite => 0,
            DbBackend::Postgres => 1,
            _ => 2,
        }];
        let template = match cell.get() {
            Some(template) => template,
            None => {
                let template = Template::build(backend, self.build)?;
                cell.get_or_init(|| template)
            }
        };
        let mut values = template.values.clone();
        for &(at, id) in &template.slots {
            values[at] = Value::Uuid(Some(ids[id]));
        }
        Ok(Statement::from_sql_and_values(
            backend,
            template.sql.clone(),
            values,
        ))
    }
}

/// The placeholder for the `n`th id: no id Koppel makes (v4 or v7) has version 0.
fn placeholder(n: usize) -> Uuid {
    Uuid::from_u128(0x6b6f_7070_656c_0000_0000_0000_0000_0000 | n as u128)
}

impl Template {
    fn build<const N: usize>(
        backend: DbBackend,
        build: fn([Uuid; N]) -> SelectStatement,
    ) -> Result<Self, DbErr> {
        let placeholders: [Uuid; N] = std::array::from_fn(placeholder);
        let statement = backend.build(&build(placeholders));
        let values = statement.values.map(|values| values.0).unwrap_or_default();
        let slots: Vec<(usize, usize)> = values
            .iter()
            .enumerate()
            .filter_map(|(at, value)| match value {
                Value::Uuid(Some(id)) => placeholders
                    .iter()
                    .position(|placeholder| placeholder == id)
                    .map(|n| (at, n)),
                _ => None,
            })
            .collect();
        if let Some(missing) = (0..N).find(|n| !slots.iter().any(|&(_, id)| id == *n)) {
            return Err(DbErr::Custom(format!(
                "a cached query does not use its id number {missing} as a value: {}",
                statement.sql
            )));
        }
        Ok(Self {
            sql: statement.sql,
            values,
            slots,
        })
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

    use super::*;

    fn build([round, user]: [Uuid; 2]) -> SelectStatement {
        Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("t"))
            .and_where(Expr::col(Alias::new("round_id")).eq(round))
            .and_where(Expr::col(Alias::new("year")).eq(1))
            .and_where(Expr::col(Alias::new("user_id")).eq(user))
            .and_where(Expr::col(Alias::new("other_round")).eq(round))
            .to_owned()
    }

    #[test]
    fn a_cached_query_equals_the_query_built_anew() {
        static QUERY: CachedQuery<2> = CachedQuery::new(build);
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            for _ in 0..2 {
                let ids = [Uuid::new_v4(), Uuid::new_v4()];
                assert_eq!(
                    QUERY.statement(backend, ids).unwrap(),
                    backend.build(&build(ids))
                );
            }
        }
    }

    #[test]
    fn an_id_left_out_of_the_values_is_refused() {
        static QUERY: CachedQuery<2> = CachedQuery::new(|[round, _]| {
            Query::select()
                .column(Alias::new("id"))
                .from(Alias::new("t"))
                .and_where(Expr::col(Alias::new("round_id")).eq(round))
                .to_owned()
        });
        let error = QUERY
            .statement(DbBackend::Sqlite, [Uuid::new_v4(), Uuid::new_v4()])
            .unwrap_err();
        assert!(error.to_string().contains("id number 1"), "{error}");
    }
}

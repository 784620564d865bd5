//! The two things that differ per database once SQL is rendered: binding a [`Param`] and
//! reading a column as a [`ValueKind`]. One macro writes both for each sqlx driver, since the
//! Rust types are the same.
//!
//! Rows are read as they stream in and handed one at a time to the caller's `map` (which
//! builds the model), so a `SELECT` holds its models and one row, not every row sqlx
//! returned as well (the bench's load of 100,000 rows held three copies at once).

use std::convert::Infallible;

use retort_core::record::{Value, ValueKind};

/// The columns a statement returns, each with the kind to read it as, and how to find
/// them: by position when the runtime wrote the column list (its own `SELECT` and
/// `RETURNING`, the model's columns in order), by name for the user's SQL (`raw`).
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Wanted {
    pub(crate) cols: Vec<(&'static str, ValueKind)>,
    pub(crate) by_name: bool,
}

impl Wanted {
    /// Columns at these positions of the result.
    pub(crate) fn at(cols: Vec<(&'static str, ValueKind)>) -> Wanted {
        Wanted {
            cols,
            by_name: false,
        }
    }
    /// Columns found by these names in the result.
    pub(crate) fn named(cols: Vec<(&'static str, ValueKind)>) -> Wanted {
        Wanted {
            cols,
            by_name: true,
        }
    }
    /// One more column, after the others.
    pub(crate) fn push(&mut self, name: &'static str, kind: ValueKind) {
        self.cols.push((name, kind));
    }
}

/// A bound parameter: one value, or (PostgreSQL only) a list of non-`NULL` values of one
/// kind bound as one array, for `col = ANY($n)`.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum Param {
    /// One value.
    One(Value),
    /// An array of values of one kind (see [`array_kind`]).
    List(Vec<Value>),
}

/// Whether `values` can be bound as one PostgreSQL array: at least one, none `NULL`, all of
/// one kind the driver has an array type for.
pub(crate) fn array_kind(values: &[Value]) -> bool {
    let Some(first) = values.first() else {
        return false;
    };
    let arrayable = matches!(
        first,
        Value::Bool(_)
            | Value::I16(_)
            | Value::I32(_)
            | Value::I64(_)
            | Value::F32(_)
            | Value::F64(_)
            | Value::Text(_)
    );
    arrayable
        && values
            .iter()
            .all(|v| std::mem::discriminant(v) == std::mem::discriminant(first))
}

/// `fetch` with no mapping: the rows as values.
pub(crate) fn values(row: Vec<Value>) -> Result<Vec<Value>, Infallible> {
    Ok(row)
}

/// The rows of a `fetch` whose mapping cannot fail.
pub(crate) fn infallible<T>(r: Result<Vec<T>, Infallible>) -> Vec<T> {
    match r {
        Ok(rows) => rows,
        Err(never) => match never {},
    }
}

macro_rules! driver {
    ($module:ident, $db:ty, $row:ty, $args:ty, $list:path) => {
        pub(crate) mod $module {
            use super::*;
            use sqlx::query::Query;
            use sqlx::Row as _;

            fn bind_param<'q>(
                q: Query<'q, $db, $args>,
                p: Param,
            ) -> Result<Query<'q, $db, $args>, sqlx::Error> {
                match p {
                    Param::One(v) => Ok(bind(q, v)),
                    Param::List(vs) => $list(q, vs),
                }
            }

            fn bind<'q>(q: Query<'q, $db, $args>, v: Value) -> Query<'q, $db, $args> {
                match v {
                    Value::Null(kind) => match kind {
                        ValueKind::Bool => q.bind(None::<bool>),
                        ValueKind::I16 => q.bind(None::<i16>),
                        ValueKind::I32 => q.bind(None::<i32>),
                        ValueKind::I64 => q.bind(None::<i64>),
                        ValueKind::F32 => q.bind(None::<f32>),
                        ValueKind::F64 => q.bind(None::<f64>),
                        ValueKind::Text => q.bind(None::<String>),
                        ValueKind::Bytes => q.bind(None::<Vec<u8>>),
                        #[cfg(feature = "chrono")]
                        ValueKind::DateTimeUtc => q.bind(None::<chrono::DateTime<chrono::Utc>>),
                        #[cfg(feature = "chrono")]
                        ValueKind::DateTime => q.bind(None::<chrono::NaiveDateTime>),
                        #[cfg(feature = "chrono")]
                        ValueKind::Date => q.bind(None::<chrono::NaiveDate>),
                        #[allow(unreachable_patterns)]
                        _ => q.bind(None::<String>),
                    },
                    Value::Bool(v) => q.bind(v),
                    Value::I16(v) => q.bind(v),
                    Value::I32(v) => q.bind(v),
                    Value::I64(v) => q.bind(v),
                    Value::F32(v) => q.bind(v),
                    Value::F64(v) => q.bind(v),
                    Value::Text(v) => q.bind(v),
                    Value::Bytes(v) => q.bind(v),
                    #[cfg(feature = "chrono")]
                    Value::DateTimeUtc(v) => q.bind(v),
                    #[cfg(feature = "chrono")]
                    Value::DateTime(v) => q.bind(v),
                    #[cfg(feature = "chrono")]
                    Value::Date(v) => q.bind(v),
                    #[allow(unreachable_patterns)]
                    _ => q.bind(None::<String>),
                }
            }

            fn read<I>(row: &$row, at: I, kind: ValueKind) -> Result<Value, sqlx::Error>
            where
                I: sqlx::ColumnIndex<$row> + Copy,
            {
                fn get<'r, T, I>(
                    row: &'r $row,
                    at: I,
                    kind: ValueKind,
                    wrap: fn(T) -> Value,
                ) -> Result<Value, sqlx::Error>
                where
                    T: sqlx::Decode<'r, $db> + sqlx::Type<$db>,
                    I: sqlx::ColumnIndex<$row>,
                {
                    Ok(row
                        .try_get::<Option<T>, _>(at)?
                        .map_or(Value::Null(kind), wrap))
                }
                match kind {
                    ValueKind::Bool => get(row, at, kind, Value::Bool),
                    ValueKind::I16 => get(row, at, kind, Value::I16),
                    ValueKind::I32 => get(row, at, kind, Value::I32),
                    ValueKind::I64 => get(row, at, kind, Value::I64),
                    ValueKind::F32 => get(row, at, kind, Value::F32),
                    ValueKind::F64 => get(row, at, kind, Value::F64),
                    // MariaDB describes `RETURNING`'s text columns as binary (`VARBINARY`):
                    // their bytes, read as UTF-8.
                    ValueKind::Text => get(row, at, kind, Value::Text).or_else(|e| {
                        match row.try_get::<Option<Vec<u8>>, _>(at) {
                            Ok(None) => Ok(Value::Null(kind)),
                            Ok(Some(b)) => String::from_utf8(b).map(Value::Text).map_err(|_| e),
                            Err(_) => Err(e),
                        }
                    }),
                    ValueKind::Bytes => get(row, at, kind, Value::Bytes),
                    #[cfg(feature = "chrono")]
                    ValueKind::DateTimeUtc => get(row, at, kind, Value::DateTimeUtc),
                    #[cfg(feature = "chrono")]
                    ValueKind::DateTime => get(row, at, kind, Value::DateTime),
                    #[cfg(feature = "chrono")]
                    ValueKind::Date => get(row, at, kind, Value::Date),
                    #[allow(unreachable_patterns)]
                    _ => Err(sqlx::Error::Decode(
                        format!("no reader for {kind:?} on this backend").into(),
                    )),
                }
            }

            /// Run `sql` with `params`, reading `wanted` of each row as it streams in and
            /// handing it to `map` (the row itself is dropped then). A `map` error stops the
            /// read and comes back as the inner error.
            pub(crate) async fn fetch<'e, E, T, X>(
                ex: E,
                sql: &str,
                params: Vec<Param>,
                wanted: &Wanted,
                mut map: impl FnMut(Vec<Value>) -> Result<T, X>,
            ) -> Result<Result<Vec<T>, X>, sqlx::Error>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let mut q = sqlx::query(sql);
                for p in params {
                    q = bind_param(q, p)?;
                }
                let mut rows = q.fetch(ex);
                let mut out = Vec::new();
                while let Some(row) = std::future::poll_fn(|cx| rows.as_mut().poll_next(cx)).await {
                    let row = row?;
                    let values = if wanted.by_name {
                        wanted
                            .cols
                            .iter()
                            .map(|(name, kind)| read(&row, *name, *kind))
                            .collect::<Result<Vec<_>, _>>()?
                    } else {
                        wanted
                            .cols
                            .iter()
                            .enumerate()
                            .map(|(i, (_, kind))| read(&row, i, *kind))
                            .collect::<Result<Vec<_>, _>>()?
                    };
                    drop(row);
                    match map(values) {
                        Ok(t) => out.push(t),
                        Err(e) => return Ok(Err(e)),
                    }
                }
                Ok(Ok(out))
            }

            /// Run `sql` with `params`; the number of rows it touched.
            pub(crate) async fn execute<'e, E>(
                ex: E,
                sql: &str,
                params: Vec<Param>,
            ) -> Result<u64, sqlx::Error>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let mut q = sqlx::query(sql);
                for p in params {
                    q = bind_param(q, p)?;
                }
                Ok(q.execute(ex).await?.rows_affected())
            }
        }
    };
}

/// A [`Param::List`] bound as one PostgreSQL array (`int4[]`, `text[]`, ..).
#[cfg(feature = "postgres")]
fn pg_list(
    q: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    vs: Vec<Value>,
) -> Result<sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>, sqlx::Error> {
    macro_rules! array {
        ($variant:ident) => {
            q.bind(
                vs.into_iter()
                    .map(|v| match v {
                        Value::$variant(x) => Ok(x),
                        other => Err(mixed(&other)),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            )
        };
    }
    fn mixed(v: &Value) -> sqlx::Error {
        sqlx::Error::Encode(format!("an array parameter mixes kinds ({v:?})").into())
    }
    Ok(match vs.first() {
        Some(Value::Bool(_)) => array!(Bool),
        Some(Value::I16(_)) => array!(I16),
        Some(Value::I32(_)) => array!(I32),
        Some(Value::I64(_)) => array!(I64),
        Some(Value::F32(_)) => array!(F32),
        Some(Value::F64(_)) => array!(F64),
        Some(Value::Text(_)) => array!(Text),
        other => {
            return Err(sqlx::Error::Encode(
                format!("no array parameter for {other:?}").into(),
            ))
        }
    })
}

/// SQLite has no array parameters: the renderer never writes one there ([`crate::Backend`]).
#[cfg(feature = "sqlite")]
fn lite_list<'q>(
    _: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    _: Vec<Value>,
) -> Result<sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>, sqlx::Error> {
    Err(sqlx::Error::Encode(
        "SQLite cannot bind a list as one parameter".into(),
    ))
}

/// MariaDB has no array parameters either.
#[cfg(feature = "mysql")]
fn my_list(
    _: sqlx::query::Query<'_, sqlx::MySql, sqlx::mysql::MySqlArguments>,
    _: Vec<Value>,
) -> Result<sqlx::query::Query<'_, sqlx::MySql, sqlx::mysql::MySqlArguments>, sqlx::Error> {
    Err(sqlx::Error::Encode(
        "MySQL cannot bind a list as one parameter".into(),
    ))
}

#[cfg(feature = "mysql")]
driver!(
    my,
    sqlx::MySql,
    sqlx::mysql::MySqlRow,
    sqlx::mysql::MySqlArguments,
    super::my_list
);
#[cfg(feature = "postgres")]
driver!(
    pg,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    sqlx::postgres::PgArguments,
    super::pg_list
);
#[cfg(feature = "sqlite")]
driver!(
    lite,
    sqlx::Sqlite,
    sqlx::sqlite::SqliteRow,
    sqlx::sqlite::SqliteArguments<'q>,
    super::lite_list
);

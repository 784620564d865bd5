//! The two things that differ per database once SQL is rendered: binding a [`Value`] and
//! reading a column as a [`ValueKind`]. One macro writes both for each sqlx driver, since the
//! Rust types are the same.

use retort_core::record::{Value, ValueKind};

/// A column to read: its name in the result, and the kind to read it as.
pub(crate) type Wanted = Vec<(&'static str, ValueKind)>;

macro_rules! driver {
    ($module:ident, $db:ty, $row:ty, $args:ty) => {
        pub(crate) mod $module {
            use super::*;
            use sqlx::query::Query;
            use sqlx::Row as _;

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

            fn read(row: &$row, name: &str, kind: ValueKind) -> Result<Value, sqlx::Error> {
                fn get<'r, T>(
                    row: &'r $row,
                    name: &str,
                    kind: ValueKind,
                    wrap: fn(T) -> Value,
                ) -> Result<Value, sqlx::Error>
                where
                    T: sqlx::Decode<'r, $db> + sqlx::Type<$db>,
                {
                    Ok(row
                        .try_get::<Option<T>, _>(name)?
                        .map_or(Value::Null(kind), wrap))
                }
                match kind {
                    ValueKind::Bool => get(row, name, kind, Value::Bool),
                    ValueKind::I16 => get(row, name, kind, Value::I16),
                    ValueKind::I32 => get(row, name, kind, Value::I32),
                    ValueKind::I64 => get(row, name, kind, Value::I64),
                    ValueKind::F32 => get(row, name, kind, Value::F32),
                    ValueKind::F64 => get(row, name, kind, Value::F64),
                    ValueKind::Text => get(row, name, kind, Value::Text),
                    ValueKind::Bytes => get(row, name, kind, Value::Bytes),
                    #[cfg(feature = "chrono")]
                    ValueKind::DateTimeUtc => get(row, name, kind, Value::DateTimeUtc),
                    #[cfg(feature = "chrono")]
                    ValueKind::DateTime => get(row, name, kind, Value::DateTime),
                    #[cfg(feature = "chrono")]
                    ValueKind::Date => get(row, name, kind, Value::Date),
                    #[allow(unreachable_patterns)]
                    _ => Err(sqlx::Error::Decode(
                        format!("no reader for {kind:?} on this backend").into(),
                    )),
                }
            }

            /// Run `sql` with `params`, reading `wanted` of every row.
            pub(crate) async fn fetch<'e, E>(
                ex: E,
                sql: &str,
                params: Vec<Value>,
                wanted: &Wanted,
            ) -> Result<Vec<Vec<Value>>, sqlx::Error>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let mut q = sqlx::query(sql);
                for p in params {
                    q = bind(q, p);
                }
                let rows = q.fetch_all(ex).await?;
                rows.iter()
                    .map(|row| {
                        wanted
                            .iter()
                            .map(|(name, kind)| read(row, name, *kind))
                            .collect()
                    })
                    .collect()
            }

            /// Run `sql` with `params`; the number of rows it touched.
            pub(crate) async fn execute<'e, E>(
                ex: E,
                sql: &str,
                params: Vec<Value>,
            ) -> Result<u64, sqlx::Error>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let mut q = sqlx::query(sql);
                for p in params {
                    q = bind(q, p);
                }
                Ok(q.execute(ex).await?.rows_affected())
            }
        }
    };
}

#[cfg(feature = "postgres")]
driver!(
    pg,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    sqlx::postgres::PgArguments
);
#[cfg(feature = "sqlite")]
driver!(
    lite,
    sqlx::Sqlite,
    sqlx::sqlite::SqliteRow,
    sqlx::sqlite::SqliteArguments<'q>
);

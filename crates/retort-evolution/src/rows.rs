//! Seed rows: inserted after `create_all(before)`, read back after the upgrade and after
//! the downgrade. A row is compared on the columns that exist, with the same type, in both
//! models (a changed type may print its values differently, `1.50` as `1.5000`; a dropped
//! column comes back empty from a downgrade): those must hold the same values, and no row
//! may be lost or gained.
//!
//! Seed values are SQL literals every dialect reads alike; the names around them are
//! quoted as the dialect quotes (MySQL's backticks), and a value is read back as text
//! with the dialect's cast (`CAST(.. AS TEXT)`, MySQL's `CAST(.. AS CHAR)`) and joined
//! with its concatenation (`||`, MySQL's `CONCAT`).

use retort_core::{MetaData, Table};
use retort_testkit::{BoxError, TestDb, TestDialect};

use crate::Seed;

/// `INSERT` every seed row, the names quoted for `dialect`.
pub fn insert_statements(seeds: &[Seed], dialect: TestDialect) -> Vec<String> {
    let quote = |name: &str| quote(dialect, name);
    seeds
        .iter()
        .filter(|s| !s.rows.is_empty())
        .map(|s| {
            let columns: Vec<String> = s.columns.iter().map(|c| quote(c)).collect();
            let rows: Vec<String> = s
                .rows
                .iter()
                .map(|r| format!("({})", r.join(", ")))
                .collect();
            format!(
                "INSERT INTO {} ({}) VALUES {}",
                quote(s.table),
                columns.join(", "),
                rows.join(", ")
            )
        })
        .collect()
}

/// The seed columns of `seed` that both models have with the same type.
pub fn stable_columns(seed: &Seed, before: &MetaData, after: &MetaData) -> Vec<&'static str> {
    let (Some(b), Some(a)) = (find(before, seed.table), find(after, seed.table)) else {
        return Vec::new();
    };
    seed.columns
        .iter()
        .copied()
        .filter(|c| match (b.get_column(c), a.get_column(c)) {
            (Some(x), Some(y)) => x.ty == y.ty,
            _ => false,
        })
        .collect()
}

/// Each row of `table` as one text (the `columns` joined by `|`, NULL as `<null>`), sorted.
pub async fn read(db: &TestDb, table: &str, columns: &[&str]) -> Result<Vec<String>, BoxError> {
    let dialect = db.dialect();
    let text = if dialect == TestDialect::Mysql {
        "CHAR"
    } else {
        "TEXT"
    };
    let values: Vec<String> = columns
        .iter()
        .map(|c| format!("coalesce(CAST({} AS {text}), '<null>')", quote(dialect, c)))
        .collect();
    let expr = match (values.is_empty(), dialect) {
        (true, _) => "'row'".to_string(),
        (false, TestDialect::Mysql) => format!("CONCAT_WS('|', {})", values.join(", ")),
        (false, _) => values.join(" || '|' || "),
    };
    let mut rows = db
        .query_strings(&format!("SELECT {expr} FROM {}", quote(dialect, table)))
        .await?;
    rows.sort();
    Ok(rows)
}

fn find<'m>(md: &'m MetaData, table: &str) -> Option<&'m Table> {
    md.tables()
        .iter()
        .find(|t| t.schema.is_none() && t.name == table)
}

fn quote(dialect: TestDialect, name: &str) -> String {
    match dialect {
        TestDialect::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

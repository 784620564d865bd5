//! Scratch tables in `pg_temp`: how PostgreSQL spells a set of expressions, in one round
//! trip, leaving nothing behind.
//!
//! A job is a list of [`Scratch`] tables. [`spell`] opens a transaction, runs one `DO`
//! block that creates them all (`retort_canonical_<i>`), reads them back with the ordinary
//! catalog queries from `pg_my_temp_schema()`, and rolls back. Each table is created by one
//! `CREATE TABLE` holding its columns, defaults, generated columns and checks; only if that
//! fails (a type the database lacks, an expression it refuses) is it built again statement
//! by statement, each in its own sub-block, so that one bad item loses only itself. Indexes
//! are created one by one, each in its own sub-block.
//!
//! A scratch table holds only the columns the expressions name (a plain substring test on
//! the expressions' text: a column too many costs nothing, none missing), so a wide table
//! costs no more than a narrow one.

use retort_core::{Check, Column, Index, IndexTarget, MetaData, ServerDefault, Table};

use super::introspect::{build_metadata, CatalogQuery, CatalogRows, IntrospectOptions};
use super::Postgres;
use crate::live_schema::Catalog;
use crate::{Dialect, TableName};

/// The expressions of one scratch table. Columns keep `computed` only where the generated
/// expression is to be spelled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    pub columns: Vec<Column>,
    pub defaults: Vec<(String, ServerDefault)>,
    pub checks: Vec<String>,
    pub indexes: Vec<Index>,
}

impl Scratch {
    /// The columns an expression may name, generated ones last (they read the others).
    fn needed_columns(&self) -> Vec<&Column> {
        let mut text = String::new();
        for c in &self.columns {
            if let Some(g) = &c.computed {
                text.push_str(&g.expr);
                text.push('\n');
            }
        }
        for e in &self.checks {
            text.push_str(e);
            text.push('\n');
        }
        let mut named: Vec<&str> = self.defaults.iter().map(|(c, _)| c.as_str()).collect();
        for i in &self.indexes {
            for e in &i.elements {
                match &e.target {
                    IndexTarget::Column(c) => named.push(c),
                    IndexTarget::Expr(x) => {
                        text.push_str(x);
                        text.push('\n');
                    }
                }
            }
            named.extend(i.include.iter().map(String::as_str));
            if let Some(p) = &i.predicate {
                text.push_str(p);
                text.push('\n');
            }
        }
        let text = text.to_lowercase();
        let wanted = |c: &&Column| {
            c.computed.is_some()
                || named.contains(&c.name.as_str())
                || text.contains(&c.name.to_lowercase())
        };
        let (generated, plain): (Vec<&Column>, Vec<&Column>) = self
            .columns
            .iter()
            .filter(wanted)
            .partition(|c| c.computed.is_some());
        plain.into_iter().chain(generated).collect()
    }
}

pub(crate) fn table_name(i: usize) -> String {
    format!("retort_canonical_{i}")
}
pub(crate) fn check_name(i: usize, k: usize) -> String {
    format!("retort_canonical_{i}_ck{k}")
}
pub(crate) fn index_name(i: usize, k: usize) -> String {
    format!("retort_canonical_{i}_ix{k}")
}

/// The spelled scratch table `i` of a job, if PostgreSQL made it.
pub(crate) fn spelled(md: &MetaData, i: usize) -> Option<&Table> {
    let name = table_name(i);
    md.tables().iter().find(|t| t.name == name)
}

const TAG: &str = "$retort_canonical$";

fn guarded(stmt: &str) -> Option<String> {
    // A statement the dialect cannot spell as a literal (a NUL) is left out.
    let lit = Postgres.string_literal(stmt).ok()?;
    Some(format!(
        "BEGIN EXECUTE {lit}; EXCEPTION WHEN OTHERS THEN NULL; END;\n"
    ))
}

/// The job's `DO` block, or `None` if an expression holds the block's quoting tag.
pub(crate) fn scratch_sql(job: &[Scratch]) -> Option<String> {
    let pg = Postgres;
    let mut body = String::from("BEGIN\n");
    for (i, s) in job.iter().enumerate() {
        let name = table_name(i);
        let Ok(table) = pg.qualified_name(Some("pg_temp"), &name) else {
            continue;
        };
        let quote = |c: &str| pg.quote_identifier(c).ok();
        let columns = s.needed_columns();
        let column_def = |c: &Column| -> Option<String> {
            let mut def = format!("{} {}", quote(&c.name)?, pg.column_type(&c.ty).ok()?);
            if let Some(g) = &c.computed {
                def.push(' ');
                def.push_str(&pg.computed_clause(g).ok()?);
            }
            Some(def)
        };
        let default_of = |c: &Column| s.defaults.iter().find(|(n, _)| *n == c.name);
        let checks: Vec<Option<String>> = s
            .checks
            .iter()
            .enumerate()
            .map(|(k, e)| {
                pg.check_clause(&Check {
                    conv: false,
                    name: Some(check_name(i, k)),
                    expr: e.clone(),
                })
                .ok()
            })
            .collect();

        // Everything in one statement...
        let mut items: Vec<String> = Vec::new();
        let mut whole = true;
        for c in &columns {
            let def = column_def(c).and_then(|mut d| match default_of(c) {
                Some((_, dflt)) => {
                    d.push(' ');
                    d.push_str(&pg.default_clause(dflt).ok()?);
                    Some(d)
                }
                None => Some(d),
            });
            match def {
                Some(d) => items.push(d),
                None => whole = false,
            }
        }
        for c in &checks {
            match c {
                Some(c) => items.push(c.clone()),
                None => whole = false,
            }
        }
        let create = format!("CREATE TABLE {table} ({})", items.join(", "));
        // ...and, if that fails, item by item.
        let mut fallback = String::new();
        let mut push = |stmt: Option<String>| {
            if let Some(g) = stmt.as_deref().and_then(guarded) {
                fallback.push_str("    ");
                fallback.push_str(&g);
            }
        };
        push(Some(format!("CREATE TABLE {table} ()")));
        for c in &columns {
            push(column_def(c).map(|d| format!("ALTER TABLE {table} ADD COLUMN {d}")));
        }
        for (column, dflt) in &s.defaults {
            push((|| {
                Some(format!(
                    "ALTER TABLE {table} ALTER COLUMN {} SET {}",
                    quote(column)?,
                    pg.default_clause(dflt).ok()?
                ))
            })());
        }
        for c in checks.iter().flatten() {
            push(Some(format!("ALTER TABLE {table} ADD {c}")));
        }
        match Postgres.string_literal(&create).ok().filter(|_| whole) {
            Some(lit) => body.push_str(&format!(
                "  BEGIN EXECUTE {lit}; EXCEPTION WHEN OTHERS THEN\n{fallback}  END;\n"
            )),
            None => body.push_str(&fallback),
        }
        for (k, index) in s.indexes.iter().enumerate() {
            let named = Index {
                name: Some(index_name(i, k)),
                ..index.clone()
            };
            if let Some(g) = pg
                .create_index(TableName::new(Some("pg_temp"), &name), &named)
                .ok()
                .as_deref()
                .and_then(guarded)
            {
                body.push_str("  ");
                body.push_str(&g);
            }
        }
    }
    body.push_str("END");
    (!body.contains(TAG)).then(|| format!("DO {TAG}\n{body}\n{TAG}"))
}

/// Runs a job on a live connection (outside any transaction) and reads the scratch tables
/// back; the transaction is rolled back whatever happens.
pub(crate) async fn spell(driver: &mut dyn Catalog, job: &[Scratch]) -> Result<MetaData, String> {
    let Some(sql) = scratch_sql(job) else {
        return Err("an expression holds the scratch block's quoting tag".into());
    };
    driver.execute("BEGIN").await.map_err(|e| e.to_string())?;
    let result = match driver.execute(super::CATALOG_READ_SETTINGS).await {
        Ok(()) => read_back(driver, &sql).await,
        Err(e) => Err(e.to_string()),
    };
    let rolled_back = driver.execute("ROLLBACK").await;
    let md = result?;
    rolled_back.map_err(|e| e.to_string())?;
    Ok(md)
}

async fn read_back(driver: &mut dyn Catalog, sql: &str) -> Result<MetaData, String> {
    driver.execute(sql).await.map_err(|e| e.to_string())?;
    let temp = driver
        .query("SELECT nspname::text FROM pg_namespace WHERE oid = pg_my_temp_schema()")
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .find_map(|r| r.into_iter().next().flatten())
        .ok_or("no temporary schema was created")?;
    let mut rows = CatalogRows::default();
    for q in [
        CatalogQuery::Columns,
        CatalogQuery::Constraints,
        CatalogQuery::Indexes,
    ] {
        *rows.rows_mut(q) = driver
            .query(&q.sql_with_schemas(&[&temp]))
            .await
            .map_err(|e| format!("{}: {e}", q.file_name()))?;
    }
    build_metadata(
        &rows,
        &IntrospectOptions::schemas([temp]).exclude_tables(Vec::<String>::new()),
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::{Computed, Type};

    fn job() -> Scratch {
        let mut g = Column::new("g", Type::Text);
        g.computed = Some(Computed::stored("lower(name)"));
        Scratch {
            columns: vec![
                Column::new("name", Type::Varchar(Some(20))),
                Column::new("unused", Type::Integer),
                Column::new("status", Type::Text),
                g,
            ],
            defaults: vec![("status".into(), ServerDefault::text("it's"))],
            checks: vec!["name <> 'x'".into()],
            indexes: vec![],
        }
    }

    #[test]
    fn only_named_columns_go_in_generated_last() {
        let s = job();
        let names: Vec<&str> = s.needed_columns().iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["name", "status", "g"]);
    }

    #[test]
    fn one_statement_first_then_item_by_item_every_one_guarded() {
        let sql = scratch_sql(&[job()]).expect("a block");
        assert!(sql.starts_with("DO $retort_canonical$"), "{sql}");
        assert!(
            sql.contains("BEGIN EXECUTE 'CREATE TABLE pg_temp.retort_canonical_0 (name "),
            "{sql}"
        );
        // Quotes doubled once for the default, once more for EXECUTE's literal.
        assert!(sql.contains("DEFAULT ''it''''s''"), "{sql}");
        assert!(sql.contains("EXCEPTION WHEN OTHERS THEN\n"), "{sql}");
        assert!(
            sql.contains("CREATE TABLE pg_temp.retort_canonical_0 ()"),
            "{sql}"
        );
        let executes = sql.matches("BEGIN EXECUTE").count();
        let guarded = sql.matches("EXCEPTION WHEN OTHERS THEN").count();
        assert_eq!(executes, guarded);
        assert!(!sql.contains("unused"), "{sql}");
    }
}

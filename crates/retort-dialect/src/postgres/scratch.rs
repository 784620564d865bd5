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

/// The `i` of a scratch table's name.
fn scratch_index(name: &str) -> Option<usize> {
    name.strip_prefix("retort_canonical_")?.parse().ok()
}

/// The spelled scratch table `i` of a job, if PostgreSQL made it. [`spell`] returns the
/// tables sorted by `i`, so this is a binary search (a scan per look-up was quadratic at
/// 10,000 tables); a scan remains for a miss in metadata not sorted so.
pub(crate) fn spelled(md: &MetaData, i: usize) -> Option<&Table> {
    let tables = md.tables();
    match tables.binary_search_by_key(&Some(i), |t| scratch_index(&t.name)) {
        Ok(p) => Some(&tables[p]),
        Err(_) => {
            let name = table_name(i);
            tables.iter().find(|t| t.name == name)
        }
    }
}

/// The locks creating a scratch table takes, estimated: the table, its TOAST table and
/// index, its indexes (with their own), and a margin. Measured on PostgreSQL 15: a table
/// with a text column, a check and one expression index holds 7.
fn lock_weight(s: &Scratch) -> usize {
    5 + 2 * s.indexes.len()
}

/// Splits a job into consecutive batches of at most `budget` estimated locks each (one
/// table at least), as `(first index, batch)`.
pub(crate) fn batches(job: &[Scratch], budget: usize) -> Vec<(usize, &[Scratch])> {
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, s) in job.iter().enumerate() {
        let w = lock_weight(s);
        if i > start && used + w > budget {
            out.push((start, &job[start..i]));
            (start, used) = (i, 0);
        }
        used += w;
    }
    if start < job.len() {
        out.push((start, &job[start..]));
    }
    out
}

/// The lock budget of one scratch transaction: a quarter of the server's shared lock table
/// (`max_locks_per_transaction * (max_connections + max_prepared_transactions)`, 6,400 on
/// a default server), leaving the rest to every other session; 64 at least.
const LOCK_TABLE_SQL: &str = "SELECT (current_setting('max_locks_per_transaction')::int \
     * (current_setting('max_connections')::int \
        + current_setting('max_prepared_transactions')::int))::text";

const TAG: &str = "$retort_canonical$";

fn guarded(stmt: &str) -> Option<String> {
    // A statement the dialect cannot spell as a literal (a NUL) is left out.
    let lit = Postgres.string_literal(stmt).ok()?;
    Some(format!(
        "BEGIN EXECUTE {lit}; EXCEPTION WHEN OTHERS THEN NULL; END;\n"
    ))
}

/// The job's `DO` block, or `None` if an expression holds the block's quoting tag.
#[cfg(test)]
pub(crate) fn scratch_sql(job: &[Scratch]) -> Option<String> {
    scratch_sql_from(job, 0)
}

/// [`scratch_sql`] for a batch whose first table is the job's table `first`: the names
/// carry the job's indexes, so the batches' tables read back as one job's.
fn scratch_sql_from(job: &[Scratch], first: usize) -> Option<String> {
    let pg = Postgres;
    let mut body = String::from("BEGIN\n");
    for (i, s) in (first..).zip(job) {
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
/// back, sorted by their index in the job; each transaction is rolled back whatever
/// happens. A job larger than the server's lock table allows in one transaction is run in
/// batches ([`batches`]), one transaction each, so that no size runs out of shared memory.
pub(crate) async fn spell(driver: &mut dyn Catalog, job: &[Scratch]) -> Result<MetaData, String> {
    let lock_table: usize = driver
        .query(LOCK_TABLE_SQL)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .find_map(|r| r.into_iter().next().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(6400);
    let mut tables: Vec<Table> = Vec::new();
    for (first, batch) in batches(job, (lock_table / 4).max(64)) {
        let md = spell_batch(driver, batch, first).await?;
        tables.extend(md.tables().iter().cloned());
    }
    tables.sort_by_key(|t| scratch_index(&t.name));
    let mut md = MetaData::new();
    *md.tables_mut() = tables;
    Ok(md)
}

async fn spell_batch(
    driver: &mut dyn Catalog,
    job: &[Scratch],
    first: usize,
) -> Result<MetaData, String> {
    let Some(sql) = scratch_sql_from(job, first) else {
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

    /// Issue 16 item 3: a job is split so that no transaction holds more than the budget
    /// (a default server's lock table fits about 2,500 scratch tables in one), every table
    /// once, in order, the batches' names carrying the job's indexes.
    #[test]
    fn a_large_job_runs_in_batches_within_the_lock_budget() {
        let job: Vec<Scratch> = (0..1000).map(|_| job()).collect();
        let batches = batches(&job, 1600);
        assert!(batches.len() > 1);
        let mut next = 0;
        for (first, batch) in &batches {
            assert_eq!(*first, next);
            assert!(batch.iter().map(lock_weight).sum::<usize>() <= 1600);
            next += batch.len();
        }
        assert_eq!(next, 1000);
        let (first, batch) = batches[1];
        let sql = scratch_sql_from(batch, first).expect("sql");
        assert!(
            sql.contains(&format!("pg_temp.{} ", table_name(first))),
            "{sql}"
        );
        assert!(!sql.contains("pg_temp.retort_canonical_0 "));
        // One table heavier than the budget still gets its batch.
        assert_eq!(super::batches(&job[..2], 1).len(), 2);
    }
}

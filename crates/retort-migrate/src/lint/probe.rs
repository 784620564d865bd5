//! The live side of the lint: each candidate's [`Check`] asked of the database (row counts,
//! NULLs, duplicates, orphans, rows a check breaks, enum values in use, a table's size from
//! the catalog), with a few sample keys. Read-only: counts and `SELECT`s, no lock taken.

use std::collections::HashMap;

use retort_core::MetaData;
use retort_dialect::Dialect;

use super::classify::{quote, Check, TableRef};
use crate::driver::Driver;
use crate::Backend;

/// The longest a probe waits for a table lock (PostgreSQL's `lock_timeout`).
const PROBE_LOCK_WAIT: &str = "2s";

/// How many sample keys a finding names.
const SAMPLES: usize = 5;

pub(crate) fn dialect(backend: Backend) -> &'static (dyn Dialect + Send + Sync) {
    crate::backends::support(backend).dialect()
}

/// What the database says about a candidate.
pub(crate) enum Verdict {
    /// Report it, with the facts found (and a few keys of the rows concerned).
    Report { facts: String, samples: Vec<String> },
    /// The data makes it harmless: not reported.
    Silent,
}

fn report(facts: impl Into<String>) -> Verdict {
    Verdict::Report {
        facts: facts.into(),
        samples: Vec::new(),
    }
}

pub(crate) struct Probe<'d, D> {
    pub driver: &'d mut D,
    pub backend: Backend,
    pub large_table_bytes: u64,
    sizes: HashMap<TableRef, Option<u64>>,
}

impl<'d, D: Driver> Probe<'d, D> {
    pub fn new(driver: &'d mut D, large_table_bytes: u64) -> Self {
        let backend = driver.backend();
        Probe {
            driver,
            backend,
            large_table_bytes,
            sizes: HashMap::new(),
        }
    }

    /// On PostgreSQL, a probe waits at most [`PROBE_LOCK_WAIT`] for a table another session
    /// has locked (the finding then says it could not be checked) instead of queueing
    /// behind it; [`Probe::finish`] restores the session's own setting.
    pub async fn start(&mut self) {
        if self.backend == Backend::Postgres {
            let _ = self
                .driver
                .execute(&format!("SET lock_timeout = '{PROBE_LOCK_WAIT}'"))
                .await;
        }
    }

    /// Undoes [`Probe::start`].
    pub async fn finish(&mut self) {
        if self.backend == Backend::Postgres {
            let _ = self.driver.execute("RESET lock_timeout").await;
        }
    }

    fn d(&self) -> &'static (dyn Dialect + Send + Sync) {
        dialect(self.backend)
    }

    fn table(&self, t: &TableRef) -> String {
        self.d()
            .qualified_name(t.0.as_deref(), &t.1)
            .unwrap_or_else(|_| quote(self.d(), &t.1))
    }

    fn text(&self, expr: &str) -> String {
        match self.backend {
            Backend::Mysql => format!("CAST({expr} AS CHAR)"),
            _ => format!("CAST({expr} AS TEXT)"),
        }
    }

    async fn number(&mut self, sql: &str) -> Result<u64, String> {
        let rows = self
            .driver
            .query_text(sql)
            .await
            .map_err(|e| e.to_string())?;
        Ok(rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0))
    }

    async fn strings(&mut self, sql: &str) -> Vec<String> {
        match self.driver.query_text(sql).await {
            Ok(rows) => rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|v| v.unwrap_or_else(|| "NULL".into()))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The key columns of a table as text expressions over alias `o` (the primary key,
    /// else the row's physical id), and what they are called.
    fn keys(&self, schema: &MetaData, t: &TableRef) -> Option<(String, String)> {
        let pk = schema
            .get_table(t.0.as_deref(), &t.1)
            .and_then(|tb| tb.primary_key.as_ref())
            .filter(|pk| !pk.columns.is_empty());
        match pk {
            Some(pk) => Some((
                pk.columns
                    .iter()
                    .map(|c| self.text(&format!("o.{}", quote(self.d(), c))))
                    .collect::<Vec<_>>()
                    .join(", "),
                pk.columns.join(", "),
            )),
            None => match self.backend {
                Backend::Postgres => Some((self.text("o.ctid"), "ctid".into())),
                Backend::Sqlite => Some((self.text("o.rowid"), "rowid".into())),
                Backend::Mysql => None,
            },
        }
    }

    async fn size(&mut self, t: &TableRef) -> Result<Option<u64>, String> {
        if let Some(s) = self.sizes.get(t) {
            return Ok(*s);
        }
        let sql = retort_dialect::postgres::table_size::table_size_sql(t.0.as_deref(), &t.1);
        let rows = self
            .driver
            .query_text(&sql)
            .await
            .map_err(|e| e.to_string())?;
        let size = rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
            .and_then(|v| v.parse().ok());
        self.sizes.insert(t.clone(), size);
        Ok(size)
    }

    /// Counts the rows of `t` matching `condition` and names a few of their keys.
    async fn matching(
        &mut self,
        schema: &MetaData,
        t: &TableRef,
        condition: &str,
    ) -> Result<(u64, Vec<String>, String), String> {
        let table = self.table(t);
        let n = self
            .number(&format!(
                "SELECT {} FROM {table} o WHERE {condition}",
                self.text("COUNT(*)")
            ))
            .await?;
        let mut samples = Vec::new();
        let mut key_name = String::new();
        if n > 0 {
            if let Some((keys, name)) = self.keys(schema, t) {
                key_name = name;
                samples = self
                    .strings(&format!(
                        "SELECT {keys} FROM {table} o WHERE {condition} LIMIT {SAMPLES}"
                    ))
                    .await;
            }
        }
        Ok((n, samples, key_name))
    }

    /// The verdict on `check`; `schema` is the schema before the op (for keys).
    pub async fn evaluate(&mut self, check: &Check, schema: &MetaData) -> Verdict {
        match self.try_evaluate(check, schema).await {
            Ok(v) => v,
            Err(e) => report(format!("could not be checked on the database: {e}")),
        }
    }

    async fn try_evaluate(&mut self, check: &Check, schema: &MetaData) -> Result<Verdict, String> {
        Ok(match check {
            Check::Always => report(""),
            Check::TableLarge(t) => {
                if self.backend != Backend::Postgres {
                    return Ok(report(""));
                }
                match self.size(t).await? {
                    // Not there yet (raw SQL of this run creates it): empty.
                    None => Verdict::Silent,
                    Some(bytes) if bytes >= self.large_table_bytes => report(format!(
                        "the table takes {} (large_table_bytes is {})",
                        bytes_text(bytes),
                        bytes_text(self.large_table_bytes)
                    )),
                    Some(_) => Verdict::Silent,
                }
            }
            Check::TableHasRows(t) => {
                let table = self.table(t);
                let n = self
                    .number(&format!("SELECT {} FROM {table}", self.text("COUNT(*)")))
                    .await?;
                if n == 0 {
                    Verdict::Silent
                } else {
                    report(format!("the table holds {n} row{}", plural(n)))
                }
            }
            Check::ColumnHasValues(t, column) => {
                let table = self.table(t);
                let col = quote(self.d(), column);
                let n = self
                    .number(&format!(
                        "SELECT {} FROM {table} o",
                        self.text(&format!("COUNT(o.{col})"))
                    ))
                    .await?;
                if n == 0 {
                    Verdict::Silent
                } else {
                    report(format!("{n} row{} hold a value in {column}", plural(n)))
                }
            }
            Check::RowsMatch {
                table,
                condition,
                what,
            } => {
                let (n, samples, key) = self.matching(schema, table, condition).await?;
                if n == 0 {
                    Verdict::Silent
                } else {
                    Verdict::Report {
                        facts: format!("{n} {what}{}", keyed(&key, &samples)),
                        samples,
                    }
                }
            }
            Check::Duplicates {
                table,
                columns,
                nulls_distinct,
                predicate,
            } => {
                let d = self.d();
                let cols: Vec<String> = columns
                    .iter()
                    .map(|c| format!("o.{}", quote(d, c)))
                    .collect();
                let mut conds: Vec<String> = Vec::new();
                if *nulls_distinct {
                    conds.extend(cols.iter().map(|c| format!("{c} IS NOT NULL")));
                }
                if let Some(p) = predicate {
                    conds.push(format!("({p})"));
                }
                let where_ = if conds.is_empty() {
                    String::new()
                } else {
                    format!(" WHERE {}", conds.join(" AND "))
                };
                let from = self.table(table);
                let group = cols.join(", ");
                let n = self
                    .number(&format!(
                        "SELECT {} FROM (SELECT 1 AS x FROM {from} o{where_} GROUP BY {group} HAVING COUNT(*) > 1) d",
                        self.text("COUNT(*)")
                    ))
                    .await?;
                if n == 0 {
                    Verdict::Silent
                } else {
                    let shown: Vec<String> = cols.iter().map(|c| self.text(c)).collect();
                    let samples = self
                        .strings(&format!(
                            "SELECT {}, {} FROM {from} o{where_} GROUP BY {group} HAVING COUNT(*) > 1 LIMIT {SAMPLES}",
                            shown.join(", "),
                            self.text("COUNT(*)")
                        ))
                        .await;
                    let samples: Vec<String> = samples
                        .into_iter()
                        .map(|s| match s.rsplit_once(", ") {
                            Some((v, c)) => format!("({v}) x{c}"),
                            None => s,
                        })
                        .collect();
                    Verdict::Report {
                        facts: format!(
                            "{n} duplicated value{} of ({}), e.g. {}",
                            plural(n),
                            columns.join(", "),
                            samples.join("; ")
                        ),
                        samples,
                    }
                }
            }
            Check::Orphans {
                table,
                foreign_key,
                referenced_is_new,
            } => {
                let d = self.d();
                let fk = foreign_key;
                let r: TableRef = (
                    fk.ref_schema.clone().or(table.0.clone()),
                    fk.ref_table.clone(),
                );
                let ref_cols: Vec<String> = if fk.ref_columns.is_empty() {
                    schema
                        .get_table(r.0.as_deref(), &r.1)
                        .and_then(|t| t.primary_key.as_ref())
                        .map(|pk| pk.columns.clone())
                        .unwrap_or_default()
                } else {
                    fk.ref_columns.clone()
                };
                let mut conds: Vec<String> = fk
                    .columns
                    .iter()
                    .map(|c| format!("o.{} IS NOT NULL", quote(d, c)))
                    .collect();
                if !referenced_is_new {
                    let joins: Vec<String> = fk
                        .columns
                        .iter()
                        .zip(&ref_cols)
                        .map(|(c, rc)| format!("r.{} = o.{}", quote(d, rc), quote(d, c)))
                        .collect();
                    conds.push(format!(
                        "NOT EXISTS (SELECT 1 FROM {} r WHERE {})",
                        self.table(&r),
                        joins.join(" AND ")
                    ));
                }
                let condition = conds.join(" AND ");
                let (n, samples, key) = self.matching(schema, table, &condition).await?;
                if n == 0 {
                    Verdict::Silent
                } else {
                    Verdict::Report {
                        facts: format!(
                            "{n} row{} refer to no row of {}{}",
                            plural(n),
                            r.1,
                            keyed(&key, &samples)
                        ),
                        samples,
                    }
                }
            }
            Check::EnumInUse { columns, values } => {
                let d = self.d();
                let list = values
                    .iter()
                    .map(|v| d.string_literal(v).unwrap_or_else(|_| "NULL".into()))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut total = 0;
                let mut parts = Vec::new();
                let mut all_samples = Vec::new();
                for (t, c) in columns {
                    let col = quote(d, c);
                    let is_array = schema
                        .get_table(t.0.as_deref(), &t.1)
                        .and_then(|tb| tb.columns.iter().find(|x| &x.name == c))
                        .is_some_and(|x| matches!(x.ty, retort_core::Type::Array(_)));
                    let condition = if is_array && self.backend == Backend::Postgres {
                        format!("EXISTS (SELECT 1 FROM unnest(o.{col}) v WHERE CAST(v AS TEXT) IN ({list}))")
                    } else {
                        format!("{} IN ({list})", self.text(&format!("o.{col}")))
                    };
                    let (n, samples, key) = self.matching(schema, t, &condition).await?;
                    if n > 0 {
                        total += n;
                        parts.push(format!("{n} in {}.{c}{}", t.1, keyed(&key, &samples)));
                        all_samples.extend(samples);
                    }
                }
                if total == 0 {
                    Verdict::Silent
                } else {
                    Verdict::Report {
                        facts: format!(
                            "{total} row{} hold {}: {}",
                            plural(total),
                            values.join(", "),
                            parts.join("; ")
                        ),
                        samples: all_samples,
                    }
                }
            }
        })
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn keyed(key: &str, samples: &[String]) -> String {
    if samples.is_empty() {
        String::new()
    } else {
        format!(" ({key}: {})", samples.join("; "))
    }
}

fn bytes_text(b: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if b >= MB {
        format!("{:.1} MB", b as f64 / MB as f64)
    } else if b >= 1024 {
        format!("{:.1} kB", b as f64 / 1024.0)
    } else {
        format!("{b} bytes")
    }
}

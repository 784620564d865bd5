//! SQL text for the runtime's statements: names quoted by the dialect, every value a
//! parameter (`$n` / `?n`), never pasted in.

use retort_core::record::{Expr, Record, RowReader, Value};
use retort_core::{Model, Table};
use retort_dialect::TableName;

use crate::backend::{array_kind, Param, Wanted};
use crate::conn::Backend;
use crate::{Conn, Error};

/// A statement being written: its text and its parameters, in order.
pub(crate) struct Sql {
    pub backend: Backend,
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    pub fn new(backend: Backend) -> Self {
        Sql {
            backend,
            text: String::new(),
            params: Vec::new(),
        }
    }
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    pub fn name(&mut self, ident: &str) -> Result<(), Error> {
        let q = self.backend.dialect().quote_identifier(ident)?;
        self.text.push_str(&q);
        Ok(())
    }
    pub fn param(&mut self, v: Value) {
        self.params.push(Param::One(v));
        self.backend
            .write_placeholder(&mut self.text, self.params.len());
    }
    /// ` IN ($1, $2, ..)` after a column, one parameter a value; on PostgreSQL, values of
    /// one kind go as one array, ` = ANY($1)` (one parameter to encode and a short
    /// statement, whatever the number of values). `values` is not empty.
    pub fn in_values(&mut self, values: &[Value]) {
        if self.backend.binds_arrays() && array_kind(values) {
            self.params.push(Param::List(values.to_vec()));
            let p = self.backend.placeholder(self.params.len());
            self.push(" = ANY(");
            self.push(&p);
            self.push(")");
            return;
        }
        self.push(" IN (");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.param(v.clone());
        }
        self.push(")");
    }
    /// `col IN (..)` for one column (as [`Sql::in_values`]), and for several a row value:
    /// `(a, b) IN (($1, $2), ..)` on PostgreSQL, `(a, b) IN (VALUES (?1, ?2), ..)` on SQLite,
    /// whose `IN` takes a row value only against a subquery. Each column name after
    /// `prefix` (`s.`, or nothing); `tuples` is not empty.
    pub fn in_tuples(
        &mut self,
        prefix: &str,
        cols: &[&str],
        tuples: &[Vec<Value>],
    ) -> Result<(), Error> {
        if let [col] = cols {
            self.push(prefix);
            self.name(col)?;
            let values: Vec<Value> = tuples.iter().map(|t| t[0].clone()).collect();
            self.in_values(&values);
            return Ok(());
        }
        self.push("(");
        for (i, col) in cols.iter().enumerate() {
            self.push(if i == 0 { "" } else { ", " });
            self.push(prefix);
            self.name(col)?;
        }
        self.push(match self.backend {
            Backend::Sqlite => ") IN (VALUES ",
            _ => ") IN (",
        });
        for (i, tuple) in tuples.iter().enumerate() {
            self.push(if i == 0 { "(" } else { ", (" });
            for (j, v) in tuple.iter().enumerate() {
                if j > 0 {
                    self.push(", ");
                }
                self.param(v.clone());
            }
            self.push(")");
        }
        self.push(")");
        Ok(())
    }
    pub fn table<M: Model>(&mut self) -> Result<(), Error> {
        self.table_of(&M::table())
    }
    pub fn table_of(&mut self, table: &Table) -> Result<(), Error> {
        let t = self.backend.dialect().table_name(TableName::of(table))?;
        self.text.push_str(&t);
        Ok(())
    }
    /// `a, b, c` of the given columns.
    pub fn names<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        for (i, n) in names.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.name(n)?;
        }
        Ok(())
    }
    /// A condition.
    pub fn expr(&mut self, e: &Expr) -> Result<(), Error> {
        self.expr_on("", e)
    }
    /// A condition whose every column is written after `prefix` (`t0.`, or nothing): a
    /// join's, where both tables may have a column of that name.
    pub fn expr_on(&mut self, prefix: &str, e: &Expr) -> Result<(), Error> {
        match e {
            Expr::Cmp(col, op, v) => {
                self.push(prefix);
                self.name(col)?;
                self.push(" ");
                self.push(op.sql());
                self.push(" ");
                self.param(v.clone());
            }
            Expr::In(_, vs) if vs.is_empty() => self.push("1 = 0"),
            Expr::In(col, vs) => {
                self.push(prefix);
                self.name(col)?;
                self.in_values(vs);
            }
            Expr::IsNull(col, null) => {
                self.push(prefix);
                self.name(col)?;
                self.push(if *null { " IS NULL" } else { " IS NOT NULL" });
            }
            Expr::And(es) | Expr::Or(es) if es.is_empty() => {
                self.push(if matches!(e, Expr::And(_)) {
                    "1 = 1"
                } else {
                    "1 = 0"
                })
            }
            Expr::And(es) | Expr::Or(es) => {
                let joint = if matches!(e, Expr::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                self.push("(");
                for (i, x) in es.iter().enumerate() {
                    if i > 0 {
                        self.push(joint);
                    }
                    self.expr_on(prefix, x)?;
                }
                self.push(")");
            }
            Expr::Not(x) => {
                self.push("NOT (");
                self.expr_on(prefix, x)?;
                self.push(")");
            }
            #[allow(unreachable_patterns)]
            _ => unreachable!("every Expr is rendered"),
        }
        Ok(())
    }
    /// ` WHERE key1 = $n AND ..` for `M`'s primary key.
    pub fn where_key<M: Record>(
        &mut self,
        key: Vec<Value>,
        what: &'static str,
    ) -> Result<(), Error> {
        let cols: Vec<&str> = M::columns()
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name)
            .collect();
        if cols.is_empty() || cols.len() != key.len() {
            return Err(Error::NoPrimaryKey {
                model: M::MODEL_NAME,
                what,
            });
        }
        self.push(" WHERE ");
        for (i, (c, v)) in cols.into_iter().zip(key).enumerate() {
            if i > 0 {
                self.push(" AND ");
            }
            self.name(c)?;
            self.push(" = ");
            self.param(v);
        }
        Ok(())
    }
}

/// The columns of `M` to read back, each with its kind; a field the runtime cannot read is
/// an error naming it.
/// (By position: the statements the runtime writes list them in this order.)
pub(crate) fn wanted<M: Record>() -> Result<Wanted, Error> {
    M::columns()
        .iter()
        .map(|c| match c.kind {
            Some(k) => Ok((c.name, k)),
            None => Err(Error::value::<M>(retort_core::record::ValueError {
                field: c.field,
                problem: "the query runtime cannot read or write this field's type yet".into(),
            })),
        })
        .collect::<Result<_, _>>()
        .map(Wanted::at)
}

/// Rows read back as models.
pub(crate) fn models<M: Record>(rows: Vec<Vec<Value>>) -> Result<Vec<M>, Error> {
    rows.into_iter().map(model::<M>).collect()
}

/// One row read back as a model.
pub(crate) fn model<M: Record>(row: Vec<Value>) -> Result<M, Error> {
    M::from_values(row).map_err(Error::value::<M>)
}

/// One row decoded straight into a model.
pub(crate) fn row_model<M: Record>(row: &mut dyn RowReader) -> Result<M, Error> {
    M::from_row(row).map_err(Error::value::<M>)
}

/// Run `sql` and read its rows as models of `M`, each decoded as its row streams in.
pub(crate) async fn fetch_models<M: Record + Send>(
    conn: &mut impl Conn,
    sql: Sql,
    wanted: Wanted,
) -> Result<Vec<M>, Error> {
    conn.fetch(sql.text, sql.params, wanted, row_model::<M>)
        .await
        .map_err(Error::from_sqlx::<M>)?
}

//! [`CompareDialect`]: the equality questions whose answer depends on the database.
//!
//! The comparison itself is dialect-neutral; what a database does to what it stores (PostgreSQL
//! prints `'x'::character varying` for a default written `'x'`, `int4` for `integer`,
//! `((price > (0)::numeric))` for a check written `price > 0`, and names an unnamed foreign key
//! `orders_customer_id_fkey`) comes in through this trait. Every method has an ANSI default, so
//! a dialect overrides only where it differs (the PostgreSQL implementation lives in
//! `retort-dialect`). [`ExactCompare`] takes every default: exact structural equality, with
//! only whitespace and outer parentheses of SQL text ignored. It is right for comparing two
//! models, or a model with a schema replayed from the revision history.
//!
//! The `model` argument is always the model side and `db` the database side, so an
//! implementation may normalise the two differently (the database's text is the printed one).

use crate::ops::Constraint;
use crate::{
    Check, Column, Computed, Exclude, FkAction, ForeignKey, Index, Serial, ServerDefault, Table,
    Type, Unique,
};

/// Dialect-specific equality and naming for the comparison. See the module notes.
pub trait CompareDialect {
    /// Whether an entity of the database is the server's own rather than the project's
    /// (PostgreSQL: the `plpgsql` extension, the comment it puts on `public`): never dropped
    /// and never warned about when the model lacks it, compared as usual when the model has
    /// it. The default: none.
    fn server_owned_entity(&self, entity: &crate::Entity) -> bool {
        let _ = entity;
        false
    }

    /// Whether a model type and a database type are the same type (`int4` is `integer`).
    fn types_equal(&self, model: &Type, db: &Type) -> bool {
        model == db
    }

    /// Whether a model column and a database column of `table` (the database's) have the same
    /// type, where the answer may depend on more than the two types: PostgreSQL stores a
    /// `serial` column as `integer` with a `nextval` default. The default asks
    /// [`types_equal`](Self::types_equal).
    fn column_types_equal(&self, table: &Table, model: &Column, db: &Column) -> bool {
        let _ = table;
        self.types_equal(&model.ty, &db.ty)
    }

    /// Whether the database refuses to change the type of a column a foreign key uses, on
    /// either side (MySQL and MariaDB, even with `foreign_key_checks` off). The diff then
    /// drops such a key before the type changes and adds it again after them. The default:
    /// the database changes the type under the key (PostgreSQL; SQLite rebuilds).
    fn foreign_keys_block_type_changes(&self) -> bool {
        false
    }

    /// Whether the database refuses to change the type of a column an entity reads (a
    /// view, a trigger's column list): the diff then drops such entities before the change
    /// and creates them again after it (`diff::entity_columns`; a dropped column always
    /// gets this). The default: it refuses (PostgreSQL). SQLite changes a type by
    /// rebuilding the table, which re-creates what names it by itself.
    fn entities_block_type_changes(&self) -> bool {
        true
    }

    /// Whether the database column's server default is one the model column's type implies
    /// rather than states (PostgreSQL: the `nextval` of the sequence a `serial` column owns),
    /// so that it equals no default in a model column that has none. The default: no default
    /// is implied.
    fn default_implied_by_type(&self, table: &Table, model: &Column, db: &Column) -> bool {
        let _ = (table, model, db);
        false
    }

    /// The serial a column is (its [`Column::serial`]); PostgreSQL also reads a model's
    /// `Type::custom("serial")` as a serial integer.
    fn serial_of(&self, column: &Column) -> Option<Serial> {
        column.serial.as_deref().cloned()
    }

    /// Whether two server defaults of a column of type `ty` are the same default.
    fn defaults_equal(&self, model: &ServerDefault, db: &ServerDefault, ty: &Type) -> bool {
        let _ = ty;
        match (model, db) {
            (ServerDefault::Expr(a), ServerDefault::Expr(b)) => sql_text_equal(a, b),
            _ => model == db,
        }
    }

    /// Whether two columns' identities are the same. An unset option is the SQL standard's
    /// default for the column's own type ([`crate::Identity::minimal`]), so `maxvalue(2147483647)`
    /// on an integer is no change, nor is a default MAXVALUE when the type is widened.
    fn identities_equal(&self, model: &Column, db: &Column) -> bool {
        let minimal = |c: &Column| c.identity.as_ref().map(|i| i.minimal(&c.ty));
        minimal(model) == minimal(db)
    }

    /// Whether two generated-column definitions are the same.
    fn computed_equal(&self, model: &Computed, db: &Computed) -> bool {
        model.stored == db.stored && sql_text_equal(&model.expr, &db.expr)
    }

    /// Whether two check constraints check the same thing (names are not compared).
    fn checks_equal(&self, model: &Check, db: &Check) -> bool {
        sql_text_equal(&model.expr, &db.expr)
    }

    /// Whether two indexes are the same index (names are not compared). The default treats
    /// an unset method as `btree` and compares predicates as SQL text.
    fn indexes_equal(&self, model: &Index, db: &Index) -> bool {
        let method = |i: &Index| {
            i.method
                .as_deref()
                .map(str::to_ascii_lowercase)
                .unwrap_or_else(|| "btree".into())
        };
        let pred_eq = match (&model.predicate, &db.predicate) {
            (Some(a), Some(b)) => sql_text_equal(a, b),
            (a, b) => a == b,
        };
        model.unique == db.unique
            && model.elements == db.elements
            && model.include == db.include
            && method(model) == method(db)
            && pred_eq
            && model.nulls_not_distinct == db.nulls_not_distinct
    }

    /// Whether two exclusion constraints are the same (names are not compared): the access
    /// method case-insensitively, the predicate as SQL text, the rest exactly.
    fn excludes_equal(&self, model: &Exclude, db: &Exclude) -> bool {
        let pred_eq = match (&model.predicate, &db.predicate) {
            (Some(a), Some(b)) => sql_text_equal(a, b),
            (a, b) => a == b,
        };
        model.using.eq_ignore_ascii_case(&db.using)
            && model.elements == db.elements
            && model.include == db.include
            && pred_eq
            && model.deferrable == db.deferrable
    }

    /// Whether two unique constraints are the same (names are not compared).
    fn uniques_equal(&self, model: &Unique, db: &Unique) -> bool {
        model.columns == db.columns
            && model.deferrable == db.deferrable
            && model.nulls_not_distinct == db.nulls_not_distinct
    }

    /// Whether two foreign keys are the same (names are not compared). Both arrive with
    /// `ref_schema` resolved to the schema the target lives in. `NO ACTION` is the default
    /// referential action, so it equals an unset one.
    fn foreign_keys_equal(&self, model: &ForeignKey, db: &ForeignKey) -> bool {
        let action = |a: Option<FkAction>| a.unwrap_or(FkAction::NoAction);
        model.columns == db.columns
            && model.ref_schema == db.ref_schema
            && model.ref_table == db.ref_table
            && model.ref_columns == db.ref_columns
            && action(model.on_delete) == action(db.on_delete)
            && action(model.on_update) == action(db.on_update)
            && model.deferrable == db.deferrable
            && model.match_type == db.match_type
    }

    /// The name the database gives an unnamed constraint of `table`, or `None` when the
    /// database leaves it unnamed (SQLite keeps whatever name the `CREATE TABLE` text gives,
    /// and none when it gives none).
    ///
    /// The diff names the constraints it adds to existing tables with it, so that the
    /// database ends up as `create_all` would make it and their reverse (a
    /// `drop_constraint`) names what to drop. Where it is `None`, the diff adds the
    /// constraint unnamed and drops one by its definition (an unnamed `drop_constraint`
    /// carrying `existing`), which only a database that drops by content can run (SQLite,
    /// which rebuilds the table). The default is PostgreSQL's scheme, which is also what
    /// most projects expect to read.
    fn constraint_name(&self, table: &Table, constraint: &Constraint) -> Option<String> {
        let t = &table.name;
        Some(match constraint {
            Constraint::PrimaryKey(_) => format!("{t}_pkey"),
            Constraint::ForeignKey(fk) => format!("{t}_{}_fkey", fk.columns.join("_")),
            Constraint::Unique(u) => format!("{t}_{}_key", u.columns.join("_")),
            // PostgreSQL names a check `t_col_check` when its expression uses exactly one
            // column, else `t_check`.
            Constraint::Check(c) => match single_column(table, &c.expr) {
                Some(col) => format!("{t}_{col}_check"),
                None => format!("{t}_check"),
            },
            // Always named in a model (validation refuses one without a name), and the
            // database's name for one depends on how it reads expressions.
            Constraint::Exclude(x) => return x.name.clone(),
        })
    }

    /// The name the database gives an unnamed index of `table` (PostgreSQL's scheme).
    fn index_name(&self, table: &Table, index: &Index) -> String {
        let cols: Vec<&str> = index.column_names().collect();
        if cols.is_empty() {
            format!("{}_expr_idx", table.name)
        } else {
            format!("{}_{}_idx", table.name, cols.join("_"))
        }
    }
}

/// Every default of [`CompareDialect`]: exact comparison. See the module notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExactCompare;

impl CompareDialect for ExactCompare {}

/// Whether two pieces of SQL text are the same up to whitespace runs (outside quotes) and
/// parentheses around the whole text.
pub fn sql_text_equal(a: &str, b: &str) -> bool {
    squeeze_sql(a) == squeeze_sql(b)
}

/// Whitespace runs outside single quotes become one space (none next to parentheses), and
/// parentheses that enclose the whole text are removed.
fn squeeze_sql(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_quote = false;
    let mut pending_space = false;
    for c in s.trim().chars() {
        if in_quote {
            out.push(c);
            in_quote = c != '\'';
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.ends_with('(') && c != ')' {
            out.push(' ');
        }
        pending_space = false;
        in_quote = c == '\'';
        out.push(c);
    }
    let mut s = out.as_str();
    while s.starts_with('(') && s.ends_with(')') && encloses(s) {
        s = s[1..s.len() - 1].trim();
    }
    s.to_string()
}

/// Whether the first `(` of `s` closes at its last character (so `(a) + (b)` is not enclosed).
fn encloses(s: &str) -> bool {
    let mut depth = 0usize;
    let mut in_quote = false;
    let last = s.len() - 1;
    for (i, c) in s.char_indices() {
        if in_quote {
            in_quote = c != '\'';
            continue;
        }
        match c {
            '\'' => in_quote = true,
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i == last;
                }
            }
            _ => {}
        }
    }
    false
}

/// The one column of `table` that `expr` mentions, if it mentions exactly one, as
/// PostgreSQL decides whether a check is a column's.
fn single_column<'t>(table: &'t Table, expr: &str) -> Option<&'t str> {
    match mentioned_columns(table, expr).as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// The columns of `table` that `expr` mentions, each once, in order of first mention: by
/// name, outside string literals; unquoted names compare in lower case.
pub(super) fn mentioned_columns<'t>(table: &'t Table, expr: &str) -> Vec<&'t str> {
    let mut found: Vec<&str> = Vec::new();
    for ident in identifiers(expr) {
        if let Some(col) = table.columns.iter().find(|col| col.name == ident) {
            if !found.contains(&col.name.as_str()) {
                found.push(&col.name);
            }
        }
    }
    found
}

/// The identifiers of a SQL expression, in order: words outside string literals (in lower
/// case, as PostgreSQL folds them) and quoted names (as written). A qualified name gives
/// each part; keywords and function names come out too, which callers matching known names
/// can ignore.
pub(crate) fn identifiers(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = expr.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ident: String = match c {
            '\'' => {
                // Skip the literal; '' inside it is a quote, and ends and restarts it.
                for (_, c) in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                }
                continue;
            }
            '"' => {
                let mut name = String::new();
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    name.push(c);
                }
                name
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                expr[i..end].to_lowercase()
            }
            _ => continue,
        };
        out.push(ident);
    }
    out
}

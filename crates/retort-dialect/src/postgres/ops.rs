//! PostgreSQL's migration operations beyond the standard: `ALTER COLUMN` with `USING`,
//! identity changes (`ADD GENERATED`, `SET GENERATED`, `SET START WITH`, `DROP IDENTITY`)
//! and generation-expression changes (`DROP EXPRESSION`; a new expression re-adds the
//! column, as PostgreSQL 15 has no ALTER for it), and `CREATE/DROP INDEX CONCURRENTLY`,
//! which must run outside a transaction ([`crate::Dialect::op_needs_autocommit`]), as must
//! raw SQL the author declared so (`op.execute("VACUUM ..").outside_transaction()`).
//!
//! `ALTER TYPE .. ADD VALUE` may run in a transaction since PostgreSQL 12, but the new value
//! cannot be used until that transaction commits ("unsafe use of new value"), so a revision
//! that adds a value and then uses it (as a default, in an UPDATE) would fail. It is
//! therefore run in autocommit like `CONCURRENTLY`: the runner commits before it (with a
//! progress row) and begins again after it, so the rest of the revision sees the value.
//! Running it twice is harmless to resume: the runner counts "already exists" as done.
//!
//! An identity added to an existing column starts at 1, so the first insert into a table
//! with rows would collide with them (Alembic's bug, issue 7 item 7): unless the op states a
//! START, the identity's sequence is moved past the rows (`setval(pg_get_serial_sequence(..),
//! ..)`). A `serial` column turned into an identity (its `nextval` default dropped in the
//! same op) also loses the sequence it owned, before the identity is added so that the
//! identity's sequence gets the same name `create_all` would give it; the reverse (the
//! identity dropped, the serial's `nextval` default set) creates that sequence again, owned
//! by the column, and moves it past the rows.

use retort_core::ops::{AlterColumn, Op};
use retort_core::{Identity, MetaData, ServerDefault, Type};

use crate::ansi::alter_column::AlterFeatures;
use crate::{ansi, Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

pub(super) fn alter_column<D: Dialect + ?Sized>(
    d: &D,
    alter: &AlterColumn,
    schema: &MetaData,
) -> Result<Vec<String>> {
    let everything = AlterFeatures {
        using: true,
        identity: true,
        computed: true,
    };
    let mut out = ansi::alter_column::alter_column(d, alter, schema, everything)?;
    serial_and_identity(d, alter, schema, &mut out)?;
    serial_type(d, alter, schema, &mut out)?;
    Ok(out)
}

/// A serial column's sequence follows its column's type (`AS bigint` for a column widened to
/// bigint, as `bigserial` makes it): a sequence left `AS integer` would stop at the old
/// type's greatest value, and differ from what `create_all` makes.
fn serial_type<D: Dialect + ?Sized>(
    d: &D,
    a: &AlterColumn,
    md: &MetaData,
    out: &mut Vec<String>,
) -> Result<()> {
    let Some(new) = &a.type_ else { return Ok(()) };
    if !matches!(new, Type::SmallInt | Type::Integer | Type::BigInt) {
        return Ok(());
    }
    let table = TableName::new(a.schema.as_deref(), &a.table);
    let Some(t) = md.get_table(table.schema, table.name) else {
        return Ok(());
    };
    let Some(serial) = t
        .get_column(&a.column)
        .and_then(|c| c.serial.as_ref().map(|s| (s, &c.ty)))
    else {
        return Ok(());
    };
    let (serial, old) = serial;
    if old == new {
        return Ok(());
    }
    let seq = serial.sequence(table.schema, table.name, &a.column, old);
    // A limit that was the old type's default becomes the new type's (PostgreSQL does the
    // same for `AS` when the limit was the default).
    out.push(format!(
        "ALTER SEQUENCE {} AS {}",
        d.qualified_name(seq.schema.as_deref(), &seq.name)?,
        d.column_type(new)?
    ));
    Ok(())
}

/// The statements around an identity added or dropped: see the module notes. `out` is what
/// the ANSI renderer wrote for `a`; the statements it gets are placed by the ones it has.
fn serial_and_identity<D: Dialect + ?Sized>(
    d: &D,
    a: &AlterColumn,
    md: &MetaData,
    out: &mut Vec<String>,
) -> Result<()> {
    let table = TableName::new(a.schema.as_deref(), &a.table);
    let current = md
        .get_table(table.schema, table.name)
        .and_then(|t| t.columns.iter().find(|c| c.name == a.column));
    let old_identity = a
        .existing_identity
        .clone()
        .or_else(|| current.map(|c| c.identity.as_deref().cloned()));
    let old_default = a
        .existing_server_default
        .clone()
        .or_else(|| current.map(|c| c.server_default.clone()));
    let ty = a
        .type_
        .clone()
        .or_else(|| a.existing_type.clone())
        .or_else(|| current.map(|c| c.ty.clone()));
    let prefix = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        d.table_name(table)?,
        d.quote_identifier(&a.column)?
    );
    let serial_of = |default: &Option<ServerDefault>| {
        default
            .as_ref()
            .and_then(|x| owned_serial_sequence(x, &a.table, &a.column))
    };
    match (&a.identity, &old_identity) {
        // An identity added (not changed).
        (Some(Some(new)), old) if !matches!(old, Some(Some(_))) => {
            let add = format!("{prefix} ADD {}", d.identity_clause(new)?);
            let Some(at) = out.iter().position(|s| *s == add) else {
                return Ok(());
            };
            if new.start.is_none() {
                out.insert(at + 1, continue_after_rows(d, a, new)?);
            }
            if let (Some(None), Some(seq)) = (&a.server_default, serial_of(&old_default.flatten()))
            {
                let seq = d.table_name(TableName::new(table.schema, &seq))?;
                out.insert(at, format!("DROP SEQUENCE IF EXISTS {seq}"));
            }
        }
        // An identity dropped and a serial's default set: the serial's sequence again.
        (Some(None), Some(Some(_))) => {
            let Some(Some(new_default)) = &a.server_default else {
                return Ok(());
            };
            let Some(seq) = serial_of(&Some(new_default.clone())) else {
                return Ok(());
            };
            let set = format!("{prefix} SET {}", d.default_clause(new_default)?);
            let Some(at) = out.iter().position(|s| *s == set) else {
                return Ok(());
            };
            let as_type = match ty.as_ref().map(|t| serial_integer(t).unwrap_or(t.clone())) {
                Some(t) => format!(" AS {}", d.column_type(&t)?),
                None => String::new(),
            };
            let seq_name = d.table_name(TableName::new(table.schema, &seq))?;
            let owner = format!(
                "{}.{}",
                d.table_name(table)?,
                d.quote_identifier(&a.column)?
            );
            out.insert(at + 1, continue_after_rows(d, a, &Identity::by_default())?);
            out.insert(
                at,
                format!("CREATE SEQUENCE {seq_name}{as_type} OWNED BY {owner}"),
            );
        }
        _ => {}
    }
    Ok(())
}

/// `SELECT setval(..)` that makes the next value the column's sequence gives the one after
/// the rows' (before them for a descending sequence), or its default start (MINVALUE, or
/// MAXVALUE descending) on an empty table: `GREATEST` and `LEAST` skip the NULL of an empty `MAX`.
fn continue_after_rows<D: Dialect + ?Sized>(
    d: &D,
    a: &AlterColumn,
    identity: &Identity,
) -> Result<String> {
    let table = d.table_name(TableName::new(a.schema.as_deref(), &a.table))?;
    let col = d.quote_identifier(&a.column)?;
    // The default start is the limit the sequence starts from (MINVALUE ascending, MAXVALUE
    // descending); setval refuses a value outside the limits.
    let next = if identity.increment.unwrap_or(1) < 0 {
        let start = identity.maxvalue.unwrap_or(-1);
        format!("LEAST(MIN({col}) - 1, {start})")
    } else {
        let start = identity.minvalue.unwrap_or(1);
        format!("GREATEST(MAX({col}) + 1, {start})")
    };
    Ok(format!(
        "SELECT setval(pg_get_serial_sequence({}, {}), {next}, false) FROM {table}",
        d.string_literal(&table)?,
        d.string_literal(&a.column)?
    ))
}

/// The integer type a `serial` spelling stands for (`serial` is `integer`), or `None`.
pub(crate) fn serial_integer(ty: &Type) -> Option<Type> {
    let Type::Custom(name) = ty else { return None };
    match name.trim().to_ascii_lowercase().as_str() {
        "serial" | "serial4" => Some(Type::Integer),
        "bigserial" | "serial8" => Some(Type::BigInt),
        "smallserial" | "serial2" => Some(Type::SmallInt),
        _ => None,
    }
}

/// The name PostgreSQL gives the sequence of serial column `column` of `table`:
/// `table_column_seq`, the longer of the two names shortened until it fits in 63 bytes.
pub(crate) fn serial_sequence_name(table: &str, column: &str) -> String {
    const AVAILABLE: usize = 63 - "__seq".len();
    let (mut t, mut c) = (table.chars().count(), column.chars().count());
    let bytes = |s: &str, n: usize| s.chars().take(n).map(char::len_utf8).sum::<usize>();
    while bytes(table, t) + bytes(column, c) > AVAILABLE {
        if t > c {
            t -= 1;
        } else {
            c -= 1;
        }
    }
    let t: String = table.chars().take(t).collect();
    let c: String = column.chars().take(c).collect();
    format!("{t}_{c}_seq")
}

/// The sequence of `default` when it is `nextval('<seq>'::regclass)` of the sequence a
/// serial `column` of `table` owns, by its name (optionally schema-qualified, as PostgreSQL
/// prints it outside the search path). Introspection does not say who owns a sequence, so
/// the name PostgreSQL gives a serial's sequence stands for it.
pub(crate) fn owned_serial_sequence(
    default: &ServerDefault,
    table: &str,
    column: &str,
) -> Option<String> {
    let ServerDefault::Expr(sql) = default else {
        return None;
    };
    let inner = sql
        .trim()
        .strip_prefix("nextval('")?
        .strip_suffix("'::regclass)")?;
    let last = inner.rsplit('.').next().unwrap_or(inner);
    let name = last
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .map(|x| x.replace("\"\"", "\""))
        .unwrap_or_else(|| last.to_string())
        .replace("''", "'");
    let expected = serial_sequence_name(table, column);
    (name == expected).then_some(expected)
}

/// `CREATE [UNIQUE] INDEX ..` or `DROP INDEX ..` with `CONCURRENTLY` after `INDEX`. The
/// statement comes from the dialect's own renderer, so its start is known; anything else is
/// an internal error reported as unsupported rather than a wrong statement.
pub(super) fn concurrently(statement: String) -> Result<String> {
    for head in ["CREATE UNIQUE INDEX", "CREATE INDEX", "DROP INDEX"] {
        if let Some(rest) = statement.strip_prefix(head) {
            return Ok(format!("{head} CONCURRENTLY{rest}"));
        }
    }
    Err(DialectError::unsupported(
        "PostgreSQL",
        format!("`CONCURRENTLY` on `{statement}`"),
        "record the index operation without `concurrently`",
    ))
}

/// See the module notes: concurrent index builds and drops, raw SQL declared
/// `.outside_transaction()`, and added enum values.
pub(super) fn needs_autocommit(op: &Op) -> bool {
    // VALIDATE CONSTRAINT could run in the transaction, but only after a commit is the
    // stronger lock of the `ADD .. NOT VALID` before it released while it scans.
    op.runs_outside_transaction()
        || matches!(op, Op::AddEnumValue { .. } | Op::ValidateConstraint { .. })
        // The backfill commits each batch itself (`DO` with `COMMIT`).
        || matches!(op, Op::SwapColumnType(s) if s.step == retort_core::ops::SwapStep::Backfill)
}

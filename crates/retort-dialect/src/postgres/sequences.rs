//! Sequences on PostgreSQL: standalone ones (`CREATE/ALTER/DROP SEQUENCE`) and the sequence a
//! serial column owns.
//!
//! A serial column is rendered as `pg_dump` restores one, not with the `serial` keyword: the
//! sequence first (`CREATE SEQUENCE .. AS <the column's type>` with its options), the column
//! with `DEFAULT nextval('seq'::regclass) NOT NULL`, then `ALTER SEQUENCE .. OWNED BY`. The
//! catalog is the one `serial` makes (same sequence, same dependencies), and the sequence
//! keeps the name and options the model or the dropped table had, even where `serial` would
//! pick another name (`t_id_seq1`, when `t_id_seq` is taken).
//!
//! "Current value": a sequence read from a database carries its last value
//! ([`Sequence::last_value`]). A table or sequence re-created from that definition (the
//! downgrade of a drop) is moved to it with `setval`, so keys handed out before the drop are
//! not handed out again if the old rows come back. A column made serial on a table with rows
//! continues after its values (and after the recorded last value, if any).

use retort_core::{Column, Sequence, SequenceOptions, ServerDefault, Table, Type};

use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

fn seq_name<D: Dialect + ?Sized>(d: &D, schema: Option<&str>, name: &str) -> Result<String> {
    d.qualified_name(schema, name)
}

/// `'seq'` as a `regclass` literal's text: the quoted, qualified name.
fn seq_literal<D: Dialect + ?Sized>(d: &D, schema: Option<&str>, name: &str) -> Result<String> {
    d.string_literal(&seq_name(d, schema, name)?)
}

/// The column's default: `nextval('seq'::regclass)`.
pub(super) fn nextval<D: Dialect + ?Sized>(
    d: &D,
    schema: Option<&str>,
    name: &str,
) -> Result<String> {
    Ok(format!(
        "nextval({}::regclass)",
        seq_literal(d, schema, name)?
    ))
}

/// The integer type of a sequence (`AS ..`): PostgreSQL's sequences are smallint, integer or
/// bigint.
fn sequence_type<D: Dialect + ?Sized>(d: &D, s: &Sequence) -> Result<String> {
    match &s.ty {
        Type::SmallInt | Type::Integer | Type::BigInt => d.column_type(&s.ty),
        other => Err(DialectError::unsupported(
            d.name(),
            format!("a sequence of type {other} (`{}`)", s.name),
            "a sequence is a smallint, an integer or a bigint",
        )),
    }
}

/// The options that are set, as `CREATE SEQUENCE` takes them (unset: the default).
fn options_clause(o: &SequenceOptions) -> String {
    let mut out = String::new();
    if let Some(v) = o.increment {
        out.push_str(&format!(" INCREMENT BY {v}"));
    }
    if let Some(v) = o.minvalue {
        out.push_str(&format!(" MINVALUE {v}"));
    }
    if let Some(v) = o.maxvalue {
        out.push_str(&format!(" MAXVALUE {v}"));
    }
    if let Some(v) = o.start {
        out.push_str(&format!(" START WITH {v}"));
    }
    if let Some(v) = o.cache {
        out.push_str(&format!(" CACHE {v}"));
    }
    if o.cycle {
        out.push_str(" CYCLE");
    }
    out
}

fn create<D: Dialect + ?Sized>(d: &D, s: &Sequence) -> Result<String> {
    Ok(format!(
        "CREATE SEQUENCE {} AS {}{}",
        seq_name(d, s.schema.as_deref(), &s.name)?,
        sequence_type(d, s)?,
        options_clause(&s.options.minimal(&s.ty))
    ))
}

fn set_last_value<D: Dialect + ?Sized>(d: &D, s: &Sequence, value: i64) -> Result<String> {
    Ok(format!(
        "SELECT setval({}, {value}, true)",
        seq_literal(d, s.schema.as_deref(), &s.name)?
    ))
}

pub(super) fn create_sequence<D: Dialect + ?Sized>(d: &D, s: &Sequence) -> Result<Vec<String>> {
    let mut out = vec![create(d, s)?];
    if let Some(v) = s.last_value {
        out.push(set_last_value(d, s, v)?);
    }
    Ok(out)
}

pub(super) fn drop_sequence<D: Dialect + ?Sized>(
    d: &D,
    schema: Option<&str>,
    name: &str,
) -> Result<String> {
    Ok(format!("DROP SEQUENCE {}", seq_name(d, schema, name)?))
}

/// Every option spelled out (an unset one back to its default), so the alter is exact. Limits
/// that narrow would refuse a current value outside them ("RESTART value cannot be less than
/// MINVALUE"), so the sequence is first given both ranges and moved into the new one (to its
/// nearest end, as not yet called where it moves up to the new least value).
pub(super) fn alter_sequence<D: Dialect + ?Sized>(
    d: &D,
    s: &Sequence,
    existing: Option<&Sequence>,
) -> Result<Vec<String>> {
    let o = s.options.resolved(&s.ty);
    let n = |v: Option<i64>| v.unwrap_or_default();
    let name = seq_name(d, s.schema.as_deref(), &s.name)?;
    let mut out = Vec::new();
    if let Some(old) = existing {
        let p = old.options.resolved(&old.ty);
        let (new_min, new_max) = (n(o.minvalue), n(o.maxvalue));
        if new_min > n(p.minvalue) || new_max < n(p.maxvalue) {
            let rank = |t: &Type| match t {
                Type::SmallInt => 0,
                Type::Integer => 1,
                _ => 2,
            };
            let wide = if rank(&old.ty) >= rank(&s.ty) { old } else { s };
            out.push(format!(
                "ALTER SEQUENCE {name} AS {} MINVALUE {} MAXVALUE {}",
                sequence_type(d, wide)?,
                n(p.minvalue).min(new_min),
                n(p.maxvalue).max(new_max)
            ));
            out.push(format!(
                "SELECT setval({}, LEAST(GREATEST(last_value, {new_min}), {new_max}), \
                 is_called AND last_value BETWEEN {new_min} AND {new_max}) FROM {name}",
                seq_literal(d, s.schema.as_deref(), &s.name)?
            ));
        }
    }
    out.push(format!(
        "ALTER SEQUENCE {name} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
        sequence_type(d, s)?,
        n(o.increment),
        n(o.minvalue),
        n(o.maxvalue),
        n(o.start),
        n(o.cache),
        if o.cycle { "CYCLE" } else { "NO CYCLE" }
    ));
    Ok(out)
}

fn owned_by<D: Dialect + ?Sized>(
    d: &D,
    s: &Sequence,
    table: TableName<'_>,
    column: &str,
) -> Result<String> {
    Ok(format!(
        "ALTER SEQUENCE {} OWNED BY {}.{}",
        seq_name(d, s.schema.as_deref(), &s.name)?,
        d.table_name(table)?,
        d.quote_identifier(column)?
    ))
}

/// The sequence serial `column` of `table` owns.
fn serial_sequence(table: TableName<'_>, column: &Column) -> Option<Sequence> {
    let serial = column.serial.as_ref()?;
    Some(serial.sequence(table.schema, table.name, &column.name, &column.ty))
}

/// See [`Dialect::serial_column`] and the module notes.
pub(super) fn serial_column<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    column: &Column,
    new_table: bool,
) -> Result<(Vec<String>, Vec<String>)> {
    let Some(s) = serial_sequence(table, column) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut after = vec![owned_by(d, &s, table, &column.name)?];
    if let (true, Some(v)) = (new_table, s.last_value) {
        after.push(set_last_value(d, &s, v)?);
    }
    Ok((vec![create(d, &s)?], after))
}

/// A column as `CREATE TABLE`/`ADD COLUMN` write it: a serial one gets its `nextval` default.
pub(super) fn with_serial_default<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    column: &Column,
) -> Result<Option<Column>> {
    let Some(s) = serial_sequence(table, column) else {
        return Ok(None);
    };
    let mut c = column.clone();
    c.server_default = Some(ServerDefault::expr(nextval(
        d,
        s.schema.as_deref(),
        &s.name,
    )?));
    c.nullable = false;
    Ok(Some(c))
}

/// [`with_serial_default`] for every column of a table.
pub(super) fn table_with_serial_defaults<D: Dialect + ?Sized>(
    d: &D,
    table: &Table,
) -> Result<Option<Table>> {
    if table.columns.iter().all(|c| c.serial.is_none()) {
        return Ok(None);
    }
    let mut t = table.clone();
    let name = TableName::of(table);
    for c in &mut t.columns {
        if let Some(with) = with_serial_default(d, name, c)? {
            *c = with;
        }
    }
    Ok(Some(t))
}

fn owner(s: &Sequence) -> Result<&str> {
    s.owned_by
        .as_ref()
        .map(|o| o.column.as_str())
        .ok_or_else(|| {
            DialectError::unsupported(
                "PostgreSQL",
                format!("sequence `{}` without an owner column as a serial", s.name),
                "give the sequence `owned_by`",
            )
        })
}

/// See [`Dialect::make_serial`] and the module notes.
pub(super) fn make_serial<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    s: &Sequence,
) -> Result<Vec<String>> {
    let column = owner(s)?;
    let col = d.quote_identifier(column)?;
    let t = d.table_name(table)?;
    let lit = seq_literal(d, s.schema.as_deref(), &s.name)?;
    let o = s.options.resolved(&s.ty);
    let descending = o.increment.unwrap_or(1) < 0;
    // The next value: past the column's values and the recorded last value.
    let (pick, edge, start) = if descending {
        ("LEAST", format!("MIN({col}) - 1"), o.maxvalue.unwrap_or(-1))
    } else {
        (
            "GREATEST",
            format!("MAX({col}) + 1"),
            o.minvalue.unwrap_or(1),
        )
    };
    let start = o.start.unwrap_or(start);
    let next = match s.last_value {
        Some(v) => format!(
            "{pick}({edge}, {v} + {}, {start})",
            o.increment.unwrap_or(1)
        ),
        None => format!("{pick}({edge}, {start})"),
    };
    Ok(vec![
        create(d, s)?,
        owned_by(d, s, table, column)?,
        format!(
            "ALTER TABLE {t} ALTER COLUMN {col} SET DEFAULT {}",
            nextval(d, s.schema.as_deref(), &s.name)?
        ),
        format!("SELECT setval({lit}, {next}, false) FROM {t}"),
    ])
}

/// See [`Dialect::drop_serial`].
pub(super) fn drop_serial<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    s: &Sequence,
) -> Result<Vec<String>> {
    let column = owner(s)?;
    Ok(vec![
        format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT",
            d.table_name(table)?,
            d.quote_identifier(column)?
        ),
        drop_sequence(d, s.schema.as_deref(), &s.name)?,
    ])
}

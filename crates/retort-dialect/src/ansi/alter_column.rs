//! `ALTER TABLE t ALTER COLUMN c ..`: the statements of one [`AlterColumn`] op.
//!
//! One alter may change several properties; they are rendered one statement each, in an
//! order that runs whatever the combination:
//!
//! 1. remove a generation expression (`DROP EXPRESSION`) and an identity (`DROP IDENTITY`),
//!    which a type change or a new default could conflict with;
//! 2. drop the default when the type changes, so the old default is not cast to the new
//!    type (PostgreSQL refuses to cast `'0'::varchar` to `integer` implicitly); it is set
//!    again (the new or the unchanged one) after the type change;
//! 3. the type (with `USING` where the dialect has it), nullability, the default;
//! 4. add or change an identity (it needs the final type and `NOT NULL`);
//! 5. the comment, and last the rename, so every earlier statement uses the old name.
//!
//! Setting a generation expression on an existing column has no ALTER in PostgreSQL 15, so
//! it drops the column and adds it back as generated (its values are computed anew); the
//! column's other properties come from the op and the schema before it.
//!
//! What the standard lacks (`USING`, identity changes, generation expressions) is gated by
//! [`AlterFeatures`]; without a feature the op is [`DialectError::Unsupported`].

use retort_core::ops::AlterColumn;
use retort_core::{Column, Identity, IdentityGeneration, MetaData, ServerDefault, Type};

use crate::ansi::ddl;
use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// What a dialect's `ALTER COLUMN` can do beyond the standard's type, default and
/// nullability changes.
#[derive(Debug, Clone, Copy, Default)]
pub struct AlterFeatures {
    /// `ALTER COLUMN c TYPE t USING expr`; without it, `SET DATA TYPE t` and no `USING`.
    pub using: bool,
    /// `ADD GENERATED .. AS IDENTITY`, `SET GENERATED`, `SET START WITH`, `DROP IDENTITY`.
    pub identity: bool,
    /// `DROP EXPRESSION`, and setting an expression by dropping and re-adding the column.
    pub computed: bool,
}

/// See the module notes. The op's table is taken as named (the caller resolves a default
/// schema); `md` is the schema before the op, for old values the op did not record.
pub fn alter_column<D: Dialect + ?Sized>(
    d: &D,
    a: &AlterColumn,
    md: &MetaData,
    f: AlterFeatures,
) -> Result<Vec<String>> {
    let table = TableName::new(a.schema.as_deref(), &a.table);
    let current = md
        .get_table(table.schema, table.name)
        .and_then(|t| t.columns.iter().find(|c| c.name == a.column));
    if let Some(Some(_)) = &a.computed {
        return regenerate(d, a, table, md, current, f);
    }
    let old_identity = a
        .existing_identity
        .clone()
        .or_else(|| current.map(|c| c.identity.as_deref().cloned()));
    let old_computed = a
        .existing_computed
        .clone()
        .or_else(|| current.map(|c| c.computed.clone()));
    let old_default = a
        .existing_server_default
        .clone()
        .or_else(|| current.map(|c| c.server_default.clone()));
    let old_type = a
        .existing_type
        .clone()
        .or_else(|| current.map(|c| c.ty.clone()));

    let col = d.quote_identifier(&a.column)?;
    let prefix = format!("ALTER TABLE {} ALTER COLUMN {col}", d.table_name(table)?);
    let unsupported = |what: &str, hint: &str| {
        DialectError::unsupported(
            d.name(),
            format!("{what} (column `{}.{}`)", a.table, a.column),
            hint,
        )
    };
    let mut out = Vec::new();

    // 1. Removals that later steps could conflict with.
    if let Some(None) = &a.computed {
        if !f.computed {
            return Err(unsupported(
                "removing a generation expression",
                "drop the column and add it back without one",
            ));
        }
        match old_computed {
            Some(None) => {} // known to have none
            Some(Some(_)) => out.push(format!("{prefix} DROP EXPRESSION")),
            None => out.push(format!("{prefix} DROP EXPRESSION IF EXISTS")),
        }
    }
    if let Some(None) = &a.identity {
        if !f.identity {
            return Err(unsupported(
                "dropping an identity",
                "use op.execute(\"...\")",
            ));
        }
        match old_identity {
            Some(None) => {}
            Some(Some(_)) => out.push(format!("{prefix} DROP IDENTITY")),
            None => out.push(format!("{prefix} DROP IDENTITY IF EXISTS")),
        }
    }

    // 2. and 3. Type, nullability, default.
    let new_default: Option<Option<ServerDefault>> = match (&a.server_default, &a.type_) {
        (Some(change), _) => Some(change.clone()),
        // An unchanged default survives the type change: it is dropped and set again.
        (None, Some(_)) => match &old_default {
            Some(Some(kept)) => Some(Some(kept.clone())),
            _ => None,
        },
        (None, None) => None,
    };
    // A collation is changed by restating the type (`TYPE t COLLATE c`); `"default"` is
    // the type's own.
    let collate = match &a.collation {
        Some(c) => ddl::collate_clause(d, Some(c.as_deref().unwrap_or("default")))?,
        None => String::new(),
    };
    let type_change = match (&a.type_, &a.collation) {
        (Some(ty), _) => Some(ty.clone()),
        (None, Some(_)) => Some(old_type.clone().ok_or_else(|| {
            unsupported(
                "a collation change without the column's type",
                "record the type with `.existing_type(..)`",
            )
        })?),
        (None, None) => None,
    };
    if let Some(ty) = &type_change {
        if a.type_.is_some() && !matches!(old_default, Some(None)) && new_default.is_some() {
            out.push(format!("{prefix} DROP DEFAULT"));
        }
        let ty_sql = format!("{}{collate}", d.column_type(ty)?);
        if f.using {
            let mut stmt = format!("{prefix} TYPE {ty_sql}");
            if let Some(using) = &a.using {
                stmt.push_str(&format!(" USING {using}"));
            } else if let Some(old) = old_type.as_ref().filter(|_| a.type_.is_some()) {
                if let Some(cast) = default_using(old, ty) {
                    stmt.push_str(&format!(" USING {col}{cast}{}", d.column_type(ty)?));
                }
            }
            out.push(stmt);
        } else {
            if a.using.is_some() {
                return Err(unsupported(
                    "a type change with USING",
                    "change the type without `using`, or use op.execute(\"...\")",
                ));
            }
            out.push(format!("{prefix} SET DATA TYPE {ty_sql}"));
        }
    }
    match a.nullable {
        Some(false) => out.push(format!("{prefix} SET NOT NULL")),
        Some(true) => out.push(format!("{prefix} DROP NOT NULL")),
        None => {}
    }
    match &new_default {
        Some(Some(default)) => {
            out.push(format!("{prefix} SET {}", d.default_clause(default)?));
        }
        // After a type change the default is already dropped.
        Some(None) if a.type_.is_none() => out.push(format!("{prefix} DROP DEFAULT")),
        _ => {}
    }

    // 4. Add or change an identity.
    if let Some(Some(new)) = &a.identity {
        if !f.identity {
            return Err(unsupported(
                "adding or changing an identity",
                "use op.execute(\"...\")",
            ));
        }
        match &old_identity {
            Some(Some(old)) => {
                if let Some(changes) = identity_changes(old, new) {
                    out.push(format!("{prefix} {changes}"));
                }
            }
            // Unknown counts as none: adding is what an alter that sets one usually does.
            _ => out.push(format!("{prefix} ADD {}", d.identity_clause(new)?)),
        }
    }

    // 5. Comment, then the rename.
    if let Some(comment) = &a.comment {
        out.push(d.comment_on_column(table, &a.column, comment.as_deref())?);
    }
    if let Some(new_name) = &a.new_name {
        out.push(d.rename_column(table, &a.column, new_name)?);
    }
    Ok(out)
}

/// `ALTER TABLE t RENAME COLUMN a TO b`.
pub fn rename_column<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    old: &str,
    new: &str,
) -> Result<String> {
    Ok(format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {}",
        d.table_name(table)?,
        d.quote_identifier(old)?,
        d.quote_identifier(new)?
    ))
}

/// `SET GENERATED .. SET START WITH .. SET INCREMENT BY .. SET [NO] MINVALUE ..` for what
/// differs between two identities; `None` when nothing does. An unset option is the
/// database's default, set again with `NO MINVALUE` / `NO MAXVALUE` (which need no type), and
/// the default start is the limit the sequence starts from: MINVALUE (1 unless given)
/// ascending, MAXVALUE (-1 unless given) descending.
///
/// No `RESTART`: `SET START WITH` only records where a later `RESTART` goes back to, and an
/// implicit restart would make the sequence hand out values the table may already hold
/// (duplicate keys). A data migration that wants one says so with `op.execute`. For the same
/// reason a MINVALUE above the sequence's current value (or MAXVALUE below it) is refused by
/// the database, not moved past.
pub fn identity_changes(old: &Identity, new: &Identity) -> Option<String> {
    let mut parts = Vec::new();
    if old.generation != new.generation {
        parts.push(match new.generation {
            IdentityGeneration::Always => "SET GENERATED ALWAYS".to_owned(),
            IdentityGeneration::ByDefault => "SET GENERATED BY DEFAULT".to_owned(),
        });
    }
    let start = |i: &Identity| {
        i.start.unwrap_or(if i.increment.unwrap_or(1) < 0 {
            i.maxvalue.unwrap_or(-1)
        } else {
            i.minvalue.unwrap_or(1)
        })
    };
    if start(old) != start(new) {
        parts.push(format!("SET START WITH {}", start(new)));
    }
    if old.increment.unwrap_or(1) != new.increment.unwrap_or(1) {
        parts.push(format!("SET INCREMENT BY {}", new.increment.unwrap_or(1)));
    }
    // The default limits follow the direction, and an ALTER that only flips the increment
    // keeps the old ones: say them again when the sign changes.
    let flipped = (old.increment.unwrap_or(1) < 0) != (new.increment.unwrap_or(1) < 0);
    for (what, o, n) in [
        ("MINVALUE", old.minvalue, new.minvalue),
        ("MAXVALUE", old.maxvalue, new.maxvalue),
    ] {
        if o != n || flipped {
            parts.push(match n {
                Some(v) => format!("SET {what} {v}"),
                None => format!("SET NO {what}"),
            });
        }
    }
    if old.cycle != new.cycle {
        parts.push(
            if new.cycle {
                "SET CYCLE"
            } else {
                "SET NO CYCLE"
            }
            .to_owned(),
        );
    }
    if old.cache.unwrap_or(1) != new.cache.unwrap_or(1) {
        parts.push(format!("SET CACHE {}", new.cache.unwrap_or(1)));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The cast a `USING` clause needs from `old` to `new` (`"::"`, or `"::text::"` between enum
/// types, which have no cast between them), or `None` when the database converts the values
/// by itself: the same type family (integers and decimals, text types, times), anything to
/// text. An explicit cast is valid wherever an implicit one is, so when in doubt (custom
/// types) the cast is written out.
pub fn default_using(old: &Type, new: &Type) -> Option<&'static str> {
    use Type::*;
    let numeric = |t: &Type| {
        matches!(
            t,
            SmallInt | Integer | BigInt | Real | Double | Numeric { .. }
        )
    };
    let text = |t: &Type| matches!(t, Varchar(_) | Text | Char(_));
    let coercible = old == new
        || text(new) && !matches!(old, Array(_))
        || numeric(old) && numeric(new)
        || matches!(
            (old, new),
            (Timestamp { .. } | Date, Timestamp { .. })
                | (Timestamp { .. }, Date)
                | (Time { .. }, Time { .. })
        );
    if coercible {
        return None;
    }
    match (old, new) {
        (Array(a), Array(b)) => default_using(a, b),
        (Enum(_), Enum(_)) => Some("::text::"),
        _ => Some("::"),
    }
}

/// A new generation expression: drop the column and add it back as generated, with the
/// op's other changes folded into the new definition. Refused when something else uses the
/// column, since dropping it would silently drop that too.
fn regenerate<D: Dialect + ?Sized>(
    d: &D,
    a: &AlterColumn,
    table: TableName<'_>,
    md: &MetaData,
    current: Option<&Column>,
    f: AlterFeatures,
) -> Result<Vec<String>> {
    let what = |w: &str| format!("{w} (column `{}.{}`)", a.table, a.column);
    if !f.computed {
        return Err(DialectError::unsupported(
            d.name(),
            what("setting a generation expression"),
            "drop the column and add it back as generated",
        ));
    }
    if matches!(&a.server_default, Some(Some(_))) || matches!(&a.identity, Some(Some(_))) {
        return Err(DialectError::unsupported(
            d.name(),
            what("a generated column with a default or an identity"),
            "keep only the generation expression",
        ));
    }
    let Some(ty) = a
        .type_
        .clone()
        .or_else(|| a.existing_type.clone())
        .or_else(|| current.map(|c| c.ty.clone()))
    else {
        return Err(DialectError::unsupported(
            d.name(),
            what("setting a generation expression without knowing the column's type"),
            "record .existing_type(..), or render the op with the schema it runs on",
        ));
    };
    if let Some(user) = column_users(md, table, &a.column) {
        return Err(DialectError::unsupported(
            d.name(),
            what(&format!("setting a generation expression on a column {user} uses")),
            "it is done by dropping and re-adding the column: drop that first and re-create it after",
        ));
    }
    let comment = match &a.comment {
        Some(c) => c.clone(),
        None => a
            .existing_comment
            .clone()
            .flatten()
            .or_else(|| current.and_then(|c| c.comment.clone())),
    };
    let column = Column {
        inherited: false,
        name: a.new_name.clone().unwrap_or_else(|| a.column.clone()),
        ty,
        nullable: a
            .nullable
            .or(a.existing_nullable)
            .or(current.map(|c| c.nullable))
            .unwrap_or(true),
        identity: None,
        server_default: None,
        serial: None,
        computed: a.computed.clone().flatten(),
        comment: comment.clone(),
        collation: match &a.collation {
            Some(c) => c.clone(),
            None => a
                .existing_collation
                .clone()
                .flatten()
                .or_else(|| current.and_then(|c| c.collation.clone())),
        },
    };
    let mut out = vec![
        d.drop_column(table, &a.column)?,
        d.add_column(table, &column)?,
    ];
    if let Some(comment) = &comment {
        out.push(d.comment_on_column(table, &column.name, Some(comment))?);
    }
    Ok(out)
}

/// What in `md` uses `table.column` by name (a key, a constraint, an index), if anything.
fn column_users(md: &MetaData, table: TableName<'_>, column: &str) -> Option<String> {
    let t = md.get_table(table.schema, table.name)?;
    let has = |cols: &[String]| cols.iter().any(|c| c == column);
    if t.primary_key.as_ref().is_some_and(|pk| has(&pk.columns)) {
        return Some("the primary key".into());
    }
    if let Some(u) = t.uniques.iter().find(|u| has(&u.columns)) {
        return Some(format!(
            "unique constraint {:?}",
            u.name.as_deref().unwrap_or("")
        ));
    }
    if let Some(fk) = t.foreign_keys.iter().find(|fk| has(&fk.columns)) {
        return Some(format!(
            "foreign key {:?}",
            fk.name.as_deref().unwrap_or("")
        ));
    }
    if let Some(ix) = t.indexes.iter().find(|ix| {
        ix.elements
            .iter()
            .any(|e| matches!(&e.target, retort_core::IndexTarget::Column(c) if c == column))
            || has(&ix.include)
    }) {
        return Some(format!("index {:?}", ix.name.as_deref().unwrap_or("")));
    }
    for other in md.tables() {
        for fk in &other.foreign_keys {
            let ref_schema = retort_core::resolved_target_schema(md, fk);
            if fk.ref_table == table.name
                && ref_schema.as_deref() == table.schema
                && has(&fk.ref_columns)
            {
                return Some(format!(
                    "the foreign key {:?} of `{}`",
                    fk.name.as_deref().unwrap_or(""),
                    other.name
                ));
            }
        }
    }
    None
}

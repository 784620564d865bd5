//! [`normalise_model_for_sqlite`]: a model as SQLite gives it back, so that introspecting a
//! database created from a model with [`crate::Sqlite`] yields exactly the normalised model,
//! and "autogenerate against a database created from the same model finds nothing" holds on
//! SQLite. Each step undoes one documented lossiness of the dialect:
//!
//! * types go through the dialect's rendering and back ([`parse_sqlite_type`]): `Uuid` is
//!   `CHAR(36)`, `Json` is `TEXT`, a `Custom` that names a known type is that type;
//! * enum columns go through the form the dialect stores (a `VARCHAR(n)` with a check named
//!   after the type) and are read back from it as introspection reads them
//!   (`sqlite::enums`): the enum types the columns use, known by name alone; one no column
//!   uses is gone (SQLite stores it nowhere);
//! * the rowid identity is an `INTEGER` with [`Identity::always`], whatever its declared
//!   type and generation;
//! * defaults go through the dialect's spelling ("now" is `CURRENT_TIMESTAMP`, literals as
//!   SQLite writes them) and [`parse_sqlite_default`];
//! * no schemas (the `main` database), no comments, no relationships or model names (they
//!   are not in the database); `NO ACTION` and `ASC` are unset; index expressions lose the
//!   parentheses around them; tables and indexes are ordered by name, as introspection
//!   orders them.
//!
//! What the dialect cannot render at all (identity options, opclasses, arrays) is left as it
//! is: creating such a model fails before there is anything to compare.

use retort_core::{
    FkAction, Identity, IndexTarget, MetaData, ServerDefault, SortOrder, Table, Type,
};

use super::lexer::strip_outer_parens;
use super::values::{parse_sqlite_default, parse_sqlite_type};
use crate::sqlite::ddl::{default_expr, rowid_identity};
use crate::sqlite::enums::raise_enums;
use crate::sqlite::types::lower_enums;
use crate::{Dialect, Sqlite};

/// The model as SQLite stores it (see the module notes).
pub fn normalise_model_for_sqlite(md: &MetaData) -> MetaData {
    let mut tables: Vec<Table> = md.tables().iter().map(|t| stored_table(md, t)).collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = MetaData::new();
    *out.tables_mut() = tables;
    // Read back as introspection reads the stored form: the enum types the columns use
    // (an unused one is not stored anywhere), by name.
    raise_enums(&mut out);
    // SQLite has no sequences; kept, so that the comparison proposes them and rendering
    // refuses them naming each (never dropped from the comparison unsaid).
    *out.sequences_mut() = md.sequences().to_vec();
    // Views and triggers as written (SQLite keeps their text); no schemas, as for tables.
    *out.entities_mut() = md
        .entities()
        .iter()
        .cloned()
        .map(|mut e| {
            *e.schema_mut() = None;
            e
        })
        .collect();
    out
}

/// `table` of `md` as SQLite gives it back, alone in a metadata with the enum types it uses.
pub(crate) fn normalise_table(md: &MetaData, table: &Table) -> MetaData {
    let mut one = MetaData::new();
    one.tables_mut().push(stored_table(md, table));
    raise_enums(&mut one);
    one
}

/// `table` as SQLite stores it, its enum columns still in their stored form.
fn stored_table(md: &MetaData, table: &Table) -> Table {
    let d = Sqlite;
    let mut t = lower_enums(&d, md, table)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| table.clone());
    let rowid = rowid_identity(&d, &t)
        .ok()
        .flatten()
        .map(|c| c.name.clone());
    t.schema = None;
    t.model = None;
    t.comment = None;
    t.relationships.clear();
    for c in &mut t.columns {
        c.comment = None;
        if Some(&c.name) == rowid.as_ref() {
            c.ty = Type::Integer;
            c.identity = Some(Box::new(Identity::always()));
            c.serial = None;
            c.nullable = false;
            c.server_default = None;
            continue;
        }
        if let Ok(declared) = d.column_type(&c.ty) {
            c.ty = parse_sqlite_type(&declared);
        }
        c.server_default = c.server_default.take().map(|default| match &default {
            ServerDefault::Expr(sql) => parse_sqlite_default(default_expr(sql)),
            ServerDefault::Literal(lit) => match d.literal(lit) {
                Ok(text) => parse_sqlite_default(&text),
                Err(_) => default,
            },
            // Resolved before the model is normalised (`MetaData::for_dialect`).
            ServerDefault::Variant { .. } => default,
        });
    }
    for fk in &mut t.foreign_keys {
        fk.ref_schema = None;
        for action in [&mut fk.on_delete, &mut fk.on_update] {
            if *action == Some(FkAction::NoAction) {
                *action = None;
            }
        }
    }
    for index in &mut t.indexes {
        for e in &mut index.elements {
            if let IndexTarget::Expr(sql) = &e.target {
                e.target = IndexTarget::Expr(strip_outer_parens(sql).to_string());
            }
            if e.order == Some(SortOrder::Asc) {
                e.order = None;
            }
            // BINARY is the default (names are compared case-insensitively by SqliteCompare).
            if e.collation
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("BINARY"))
            {
                e.collation = None;
            }
        }
    }
    t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    t
}

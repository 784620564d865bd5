//! Names too long for a database: found in the model before anything runs, each naming the
//! object and what to do.
//!
//! PostgreSQL keeps names of at most 63 bytes and silently cuts longer ones, so a model name
//! beyond that is created under another name (and two long names can collide): `check`
//! would then report a difference forever, and the upgrade may fail half-way. Names a naming
//! convention builds are shortened instead (`naming::truncate_name`, once the dialect's
//! limit is set with `MetaData::set_max_identifier_length`); what is left here was written
//! by the user, and only the user can choose a shorter name.

use std::fmt;

use super::{qualified, MetaData};

/// One name longer than the database keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongIdentifier {
    /// What it names, e.g. "column `orders.customer_reference`" (the model in brackets).
    pub object: String,
    /// The name itself, in full.
    pub name: String,
    /// How to give it a shorter name.
    pub fix: &'static str,
}

impl LongIdentifier {
    /// Its length in bytes.
    pub fn bytes(&self) -> usize {
        self.name.len()
    }
}

impl fmt::Display for LongIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {} bytes long: {}",
            self.object,
            self.bytes(),
            self.fix
        )
    }
}

const TABLE_FIX: &str = "give the table a shorter name (`#[retort(table = \"...\")]`)";
const COLUMN_FIX: &str =
    "give the column a shorter name (rename the field, or `#[retort(column = \"...\")]`)";
const NAMED_FIX: &str = "give it a shorter `name = \"...\"`, or leave it unnamed so the database (or the naming convention, shortening it) names it";
const EXCLUDE_FIX: &str = "give it a shorter `name = \"...\"`";
const SCHEMA_FIX: &str = "use a shorter schema name";
const ENUM_FIX: &str = "give the enum type a shorter `name = \"...\"` (`#[derive(DbEnum)]`)";
const LABEL_FIX: &str = "use a shorter value (`#[retort(rename = \"...\")]` on the variant)";

/// Every name in `md` longer than `max` bytes, in model order.
pub fn long_identifiers(md: &MetaData, max: usize) -> Vec<LongIdentifier> {
    let mut out = Vec::new();
    // The object's description is written only for a name that is too long: a model of
    // 10,000 tables has 150,000 names, almost never one of them.
    let mut check = |object: &dyn Fn() -> String, name: &str, fix: &'static str| {
        if name.len() > max {
            out.push(LongIdentifier {
                object: object(),
                name: name.to_owned(),
                fix,
            });
        }
    };
    for t in md.tables() {
        let model = || {
            t.model
                .as_deref()
                .map(|m| format!(" (model {m})"))
                .unwrap_or_default()
        };
        let table = || qualified(t.schema.as_deref(), &t.name);
        if let Some(s) = &t.schema {
            check(
                &|| format!("schema `{s}` of table `{}`", t.name),
                s,
                SCHEMA_FIX,
            );
        }
        check(
            &|| format!("table `{}`{}", table(), model()),
            &t.name,
            TABLE_FIX,
        );
        for c in &t.columns {
            check(
                &|| format!("column `{}.{}`{}", table(), c.name, model()),
                &c.name,
                COLUMN_FIX,
            );
        }
        let mut named = |kind: &str, name: &Option<String>| {
            if let Some(n) = name {
                check(
                    &|| format!("{kind} `{n}` on table `{}`{}", table(), model()),
                    n,
                    NAMED_FIX,
                );
            }
        };
        if let Some(pk) = &t.primary_key {
            named("primary key", &pk.name);
        }
        for fk in &t.foreign_keys {
            named("foreign key", &fk.name);
        }
        for uq in &t.uniques {
            named("unique constraint", &uq.name);
        }
        for ck in &t.checks {
            named("check constraint", &ck.name);
        }
        for ix in &t.indexes {
            named("index", &ix.name);
        }
        for x in &t.excludes {
            if let Some(n) = &x.name {
                check(
                    &|| {
                        format!(
                            "exclusion constraint `{n}` on table `{}`{}",
                            table(),
                            model()
                        )
                    },
                    n,
                    EXCLUDE_FIX,
                );
            }
        }
    }
    for e in md.enums() {
        let name = || qualified(e.schema.as_deref(), &e.name);
        check(&|| format!("enum type `{}`", name()), &e.name, ENUM_FIX);
        for v in &e.values {
            check(
                &|| format!("value `{v}` of enum type `{}`", name()),
                v,
                LABEL_FIX,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, EnumType, Index, NamingConvention, Table, Type};

    #[test]
    fn written_names_too_long_are_listed_with_what_to_do() {
        let long_col = "c".repeat(64);
        let md = MetaData::new()
            .naming_convention(NamingConvention::recommended())
            .with_max_identifier_length(Some(63))
            .table(
                Table::new("orders")
                    .model("Order")
                    .column(Column::new(&*long_col, Type::Integer))
                    .column(Column::new("ok", Type::Integer))
                    .index(Index::on_columns(["ok"]).name("i".repeat(70)))
                    // Built by the convention from a long column: shortened, not listed.
                    .unique([long_col.as_str()]),
            )
            .enum_type(EnumType::new("e".repeat(63), ["v".repeat(64)]));
        let long: Vec<String> = long_identifiers(&md, 63)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            long,
            [
                format!("column `orders.{long_col}` (model Order) is 64 bytes long: {COLUMN_FIX}"),
                format!(
                    "index `{}` on table `orders` (model Order) is 70 bytes long: {NAMED_FIX}",
                    "i".repeat(70)
                ),
                format!(
                    "value `{}` of enum type `{}` is 64 bytes long: {LABEL_FIX}",
                    "v".repeat(64),
                    "e".repeat(63)
                ),
            ]
        );
        // SQLite has no limit; a 63-byte name is within PostgreSQL's.
        assert!(long_identifiers(&md, usize::MAX).is_empty());
    }
}

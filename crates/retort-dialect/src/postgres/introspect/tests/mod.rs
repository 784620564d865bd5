//! [`build_metadata`] on hand-written rows, one group of tests per catalog kind. The rows
//! are written the way PostgreSQL 15 returns them (see the `.sql` files for the columns).

mod columns;
mod constraints;
mod indexes;
mod malformed;
mod ordering;
mod sequences;

use super::{build_metadata, CatalogQuery, CatalogRows, IntrospectOptions, MetadataBuilder, Row};

/// A row under construction: `width` NULLs, then values set by position.
pub(super) struct R(Row);

impl R {
    pub(super) fn new(query: CatalogQuery) -> Self {
        R(vec![None; query.width()])
    }
    pub(super) fn set(mut self, i: usize, v: &str) -> Self {
        self.0[i] = Some(v.to_string());
        self
    }
    pub(super) fn row(self) -> Row {
        self.0
    }
}

/// A plain nullable column of a built-in type.
pub(super) fn column(schema: &str, table: &str, attnum: u32, name: &str, format_type: &str) -> R {
    R::new(CatalogQuery::Columns)
        .set(0, schema)
        .set(1, table)
        .set(3, &attnum.to_string())
        .set(4, name)
        .set(5, format_type)
        .set(6, "false")
        .set(13, "b")
        .set(14, "pg_catalog")
}

/// A sequence of the public schema with PostgreSQL's defaults for `data_type`, owned by
/// nothing, never used.
pub(super) fn sequence(name: &str, data_type: &str) -> R {
    let max = match data_type {
        "smallint" => "32767",
        "integer" => "2147483647",
        _ => "9223372036854775807",
    };
    R::new(CatalogQuery::Sequences)
        .set(0, "public")
        .set(1, name)
        .set(2, data_type)
        .set(3, "1")
        .set(4, "1")
        .set(5, "1")
        .set(6, max)
        .set(7, "f")
        .set(8, "1")
}

pub(super) fn constraint(table: &str, name: &str, contype: &str, columns: &str) -> R {
    R::new(CatalogQuery::Constraints)
        .set(0, "public")
        .set(1, table)
        .set(2, name)
        .set(3, contype)
        .set(4, columns)
        .set(10, "false")
        .set(11, "false")
}

/// Column `k` of index `name` on table `t`: a table column (attnum > 0) or an expression.
pub(super) fn index_col(table: &str, name: &str, nkey: u32, k: u32, attnum: u32, def: &str) -> R {
    R::new(CatalogQuery::Indexes)
        .set(0, "public")
        .set(1, table)
        .set(2, name)
        .set(3, "false")
        .set(4, "btree")
        .set(6, &nkey.to_string())
        .set(7, &k.to_string())
        .set(8, &attnum.to_string())
        .set(9, def)
        .set(10, "int4_ops")
        .set(11, "true")
        .set(12, "false")
        .set(13, "false")
}

/// A row of the comments query on a table of `public` (column 0: the table's own).
pub(super) fn comment(table: &str, column: u32, text: &str) -> Row {
    R::new(CatalogQuery::Comments)
        .set(0, "public")
        .set(1, table)
        .set(2, &column.to_string())
        .set(3, text)
        .row()
}

pub(super) fn two_tables() -> Vec<Row> {
    vec![
        column("public", "customers", 1, "customer_id", "integer")
            .set(6, "true")
            .set(8, "a")
            .set(10, "1")
            .set(11, "1")
            .row(),
        column("public", "customers", 2, "email", "character varying(200)").row(),
        column("public", "orders", 1, "order_id", "integer")
            .set(6, "true")
            .row(),
        column("public", "orders", 2, "customer_id", "integer")
            .set(6, "true")
            .row(),
        column("public", "orders", 3, "note", "text").row(),
    ]
}

pub(super) fn build(rows: &CatalogRows) -> retort_core::MetaData {
    build_metadata(rows, &IntrospectOptions::default()).expect("rows are well formed")
}

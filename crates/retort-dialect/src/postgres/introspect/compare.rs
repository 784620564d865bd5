//! [`PgCompare`]: the diff's equality questions answered the way PostgreSQL stores things, so
//! that a model compares equal to the schema it was created from once that schema has been
//! introspected.
//!
//! Types are compared in their canonical form ([`canonical_pg_type`]); defaults, check
//! expressions, generated expressions and index predicates and expressions by the key of
//! [`normalize_default_sql`], which drops the casts PostgreSQL adds to literals
//! (`price > 0::double precision` is `price > 0`) and to arrays of literals, whichever way
//! PostgreSQL printed them: `(ARRAY['a'::varchar, 'b'::varchar])::text[]` as SQLAlchemy's
//! `IN (..)` is stored, and `ARRAY[('a'::varchar)::text, ..]` as that text is stored when it
//! is run again (a downgrade re-creating a check, a restored `pg_dump`), are both
//! `ARRAY['a', 'b']`; a column in parentheses before a cast (`(name)::text`) is the column.
//! `x IN (..)` stored as `x = ANY (ARRAY[..])` (`NOT IN` as `<> ALL`) is the `IN` list again,
//! on a `varchar` column without the cast to `text` PostgreSQL adds to compare it.
//! Other casts PostgreSQL adds to columns (`name::text` for a `varchar` column in
//! `name || 'x'`) and constants re-printed in PostgreSQL's format (`'01:00:00'::interval`
//! for `interval '1 hour'`) are not undone by text alone.
//!
//! Live autogenerate and `check` therefore do not rely on this text comparison alone: when an
//! expression of the model does not compare equal here, `retort-migrate` lets the server spell
//! it (scratch tables in `pg_temp`, rolled back; see its `autogenerate::canonical` module) and
//! compares PostgreSQL's spelling with the database's, here again. Only where no server is
//! asked (`PgCompare` used on its own) do the cases above show as changes. A NULL default and
//! no default are equal in the diff itself (`retort_core::diff::default_is_null`).
//!
//! A model may say `serial` (`Type::custom("serial")`, `bigserial`, `smallserial`), which
//! PostgreSQL does not keep: it stores the integer type with a `nextval` default of a
//! sequence the column owns. Such a database column has the model's type, and its default
//! is no default in the model; with any other default it is a plain integer column.

use retort_core::diff::CompareDialect;
use retort_core::{
    Check, Column, Computed, Exclude, Index, IndexElement, IndexTarget, NullsOrder, Serial,
    ServerDefault, SortOrder, Table, Type,
};

use crate::postgres::ops::{owned_serial_sequence, serial_integer};

use super::{canonical_pg_type, normalize_default_sql, server_default_key_for};

/// PostgreSQL's answers to [`CompareDialect`]; the model side is always the first argument.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PgCompare;

fn sql_key_equal(a: &str, b: &str) -> bool {
    normalize_default_sql(a) == normalize_default_sql(b)
}

fn elements_equal(model: &IndexElement, db: &IndexElement) -> bool {
    let target = match (&model.target, &db.target) {
        (IndexTarget::Column(a), IndexTarget::Column(b)) => a == b,
        (IndexTarget::Expr(a), IndexTarget::Expr(b)) => sql_key_equal(a, b),
        _ => false,
    };
    target
        && model.collation == db.collation
        && model.opclass == db.opclass
        && descending(model) == descending(db)
        && nulls_first(model) == nulls_first(db)
}

fn descending(e: &IndexElement) -> bool {
    e.order == Some(SortOrder::Desc)
}

/// Where NULLs go: stated, or PostgreSQL's default (first when descending, else last).
fn nulls_first(e: &IndexElement) -> bool {
    match e.nulls {
        Some(n) => n == NullsOrder::First,
        None => descending(e),
    }
}

/// Enum references name their schema differently on the two sides: a model built with a
/// default schema leaves it unset for the table's own schema, introspection sets it for any
/// schema but the default one. A reference with no schema therefore matches one with a
/// schema when the names agree.
fn same_type(model: &Type, db: &Type) -> bool {
    match (model, db) {
        (Type::Enum(m), Type::Enum(d)) => {
            m.name == d.name && (m.schema == d.schema || m.schema.is_none() || d.schema.is_none())
        }
        (Type::Array(m), Type::Array(d)) => same_type(m, d),
        (m, d) => m == d,
    }
}

impl CompareDialect for PgCompare {
    /// `plpgsql` is in every database (`CREATE DATABASE` copies it from the template), and
    /// `public` comes with the comment `standard public schema`: neither is the project's.
    fn server_owned_entity(&self, entity: &retort_core::Entity) -> bool {
        match entity {
            retort_core::Entity::Extension(e) => e.name == "plpgsql",
            retort_core::Entity::SchemaComment(c) => {
                c.schema.as_deref() == Some("public") && c.comment == "standard public schema"
            }
            _ => false,
        }
    }
    fn types_equal(&self, model: &Type, db: &Type) -> bool {
        same_type(&canonical_pg_type(model), &canonical_pg_type(db))
    }

    /// A `serial` model column is its integer type (its sequence is compared by
    /// [`CompareDialect::serial_of`]; a database column read without its sequence, by its
    /// default).
    fn column_types_equal(&self, table: &Table, model: &Column, db: &Column) -> bool {
        if self.types_equal(&model.ty, &db.ty) {
            return true;
        }
        match serial_integer(&model.ty) {
            Some(int) => {
                self.types_equal(&int, &db.ty)
                    && (db.serial.is_some() || self.default_implied_by_type(table, model, db))
            }
            None => false,
        }
    }

    /// A model's `Type::custom("serial")` (`bigserial`, ..) is a serial column with the
    /// default sequence.
    fn serial_of(&self, column: &Column) -> Option<Serial> {
        match (&column.serial, serial_integer(&column.ty)) {
            (Some(s), _) => Some((**s).clone()),
            (None, Some(_)) => Some(Serial::new()),
            (None, None) => None,
        }
    }

    /// The `nextval` default of the sequence a `serial` column owns.
    fn default_implied_by_type(&self, table: &Table, model: &Column, db: &Column) -> bool {
        serial_integer(&model.ty).is_some()
            && db
                .server_default
                .as_ref()
                .and_then(|d| owned_serial_sequence(d, &table.name, &db.name))
                .is_some()
    }

    /// Compared as the column's type reads them: `'true'` on a boolean is `true`.
    fn defaults_equal(&self, model: &ServerDefault, db: &ServerDefault, ty: &Type) -> bool {
        server_default_key_for(model, ty) == server_default_key_for(db, ty)
    }

    fn computed_equal(&self, model: &Computed, db: &Computed) -> bool {
        model.stored == db.stored && sql_key_equal(&model.expr, &db.expr)
    }

    fn checks_equal(&self, model: &Check, db: &Check) -> bool {
        sql_key_equal(&model.expr, &db.expr)
    }

    /// As an index's elements and predicate are compared; the method case-insensitively.
    fn excludes_equal(&self, model: &Exclude, db: &Exclude) -> bool {
        let predicates = match (&model.predicate, &db.predicate) {
            (Some(a), Some(b)) => sql_key_equal(a, b),
            (a, b) => a == b,
        };
        model.using.eq_ignore_ascii_case(&db.using)
            && model.elements.len() == db.elements.len()
            && model.elements.iter().zip(&db.elements).all(|(m, d)| {
                elements_equal(&m.element, &d.element) && m.operator.trim() == d.operator
            })
            && model.include == db.include
            && predicates
            && model.deferrable == db.deferrable
    }

    fn indexes_equal(&self, model: &Index, db: &Index) -> bool {
        let method = |i: &Index| {
            i.method
                .as_deref()
                .map(str::to_ascii_lowercase)
                .unwrap_or_else(|| "btree".into())
        };
        let predicates = match (&model.predicate, &db.predicate) {
            (Some(a), Some(b)) => sql_key_equal(a, b),
            (a, b) => a == b,
        };
        model.unique == db.unique
            && model.elements.len() == db.elements.len()
            && model
                .elements
                .iter()
                .zip(&db.elements)
                .all(|(m, d)| elements_equal(m, d))
            && model.include == db.include
            && method(model) == method(db)
            && predicates
            && model.nulls_not_distinct == db.nulls_not_distinct
    }
}

#[cfg(test)]
mod tests {
    use super::PgCompare;
    use retort_core::diff::CompareDialect;
    use retort_core::{
        Check, Column, Computed, Identity, Index, IndexElement, NullsOrder, ServerDefault,
        SortOrder, Type,
    };

    #[test]
    fn types_and_defaults_compare_as_postgresql_stores_them() {
        let pg = PgCompare;
        assert!(pg.types_equal(&Type::Char(None), &Type::Char(Some(1))));
        assert!(pg.types_equal(&Type::custom("int4"), &Type::Integer));
        assert!(!pg.types_equal(&Type::Integer, &Type::BigInt));
        let in_app = Type::Enum(retort_core::EnumRef {
            schema: Some("app".into()),
            name: "mood".into(),
        });
        assert!(pg.types_equal(&Type::enumeration("mood"), &in_app));
        assert!(pg.types_equal(
            &Type::array(Type::enumeration("mood")),
            &Type::array(in_app.clone())
        ));
        assert!(!pg.types_equal(&Type::enumeration("feeling"), &in_app));
        let ty = Type::Varchar(None);
        assert!(pg.defaults_equal(
            &ServerDefault::text("x"),
            &ServerDefault::expr("'x'::character varying"),
            &ty
        ));
        assert!(!pg.defaults_equal(
            &ServerDefault::text("x"),
            &ServerDefault::expr("'y'::character varying"),
            &ty
        ));
    }

    /// Issue 11 item 5: a text literal on a boolean or number column is what PostgreSQL stores
    /// as that boolean or number (`DEFAULT 'true'` reads back `true`, `DEFAULT '0'` on a
    /// bigint `'0'::bigint`), so no server is needed to see they are the same.
    #[test]
    fn text_literal_defaults_compare_as_the_column_type_reads_them() {
        let pg = PgCompare;
        let same = |model: ServerDefault, stored: &str, ty: Type| {
            assert!(
                pg.defaults_equal(&model, &ServerDefault::expr(stored), &ty),
                "{model:?} vs {stored} on {ty:?}"
            );
        };
        same(ServerDefault::text("true"), "true", Type::Boolean);
        same(ServerDefault::text("f"), "false", Type::Boolean);
        same(ServerDefault::text(" Yes "), "true", Type::Boolean);
        same(ServerDefault::text("0"), "'0'::bigint", Type::BigInt);
        same(ServerDefault::text("0"), "0", Type::Integer);
        same(ServerDefault::text("-7"), "'-7'::integer", Type::Integer);
        same(ServerDefault::text("007"), "7", Type::SmallInt);
        same(ServerDefault::text("1.50"), "1.50", Type::numeric(10, 2));
        same(ServerDefault::expr("'true'"), "true", Type::Boolean);
        same(ServerDefault::expr("'0'"), "'0'::bigint", Type::BigInt);
        let differ = |model: ServerDefault, stored: &str, ty: Type| {
            assert!(
                !pg.defaults_equal(&model, &ServerDefault::expr(stored), &ty),
                "{model:?} vs {stored} on {ty:?}"
            );
        };
        differ(ServerDefault::text("true"), "false", Type::Boolean);
        differ(ServerDefault::text("1"), "0", Type::BigInt);
        // On a text column a quoted number stays text.
        differ(ServerDefault::text("5"), "5", Type::Text);
        same(ServerDefault::text("5"), "'5'::text", Type::Text);
    }

    #[test]
    fn a_serial_column_is_its_integer_with_its_sequence_default() {
        use retort_core::{Column, Table};
        let pg = PgCompare;
        let stored = |default: &str| {
            Column::new("id", Type::Integer).server_default(ServerDefault::expr(default))
        };
        let table = Table::new("tags");
        let serial = Column::new("id", Type::custom("serial"));
        let own = stored("nextval('tags_id_seq'::regclass)");
        assert!(pg.column_types_equal(&table, &serial, &own));
        assert!(pg.default_implied_by_type(&table, &serial, &own));
        let qualified = stored("nextval('app.tags_id_seq'::regclass)");
        assert!(pg.default_implied_by_type(&table, &serial, &qualified));
        // Another sequence's default, or none, is not the serial's.
        for other in [
            stored("nextval('shared_seq'::regclass)"),
            Column::new("id", Type::Integer),
        ] {
            assert!(!pg.column_types_equal(&table, &serial, &other), "{other:?}");
            assert!(
                !pg.default_implied_by_type(&table, &serial, &other),
                "{other:?}"
            );
        }
        // bigserial is bigint, not integer; a plain integer model column states its default.
        assert!(!pg.column_types_equal(
            &table,
            &Column::new("id", Type::custom("bigserial")),
            &own
        ));
        let big = Column::new("id", Type::BigInt)
            .server_default(ServerDefault::expr("nextval('tags_id_seq'::regclass)"));
        assert!(pg.column_types_equal(&table, &Column::new("id", Type::custom("BIGSERIAL")), &big));
        assert!(!pg.default_implied_by_type(&table, &Column::new("id", Type::Integer), &own));
    }

    #[test]
    fn identity_defaults_follow_the_direction_and_the_type() {
        let pg = PgCompare;
        let col = |ty: Type, i: Identity| Column::new("id", ty).identity(i);
        let same = |a: Identity, b: Identity| {
            pg.identities_equal(&col(Type::Integer, a), &col(Type::Integer, b))
        };
        assert!(same(Identity::always().start(1), Identity::always()));
        assert!(same(
            Identity::always().start(-1).increment(-1),
            Identity::always().increment(-1)
        ));
        assert!(!same(Identity::always(), Identity::by_default()));
        assert!(!same(Identity::always().start(10), Identity::always()));
        // The default start is MINVALUE when one is given.
        assert!(same(
            Identity::always().minvalue(0),
            Identity::always().minvalue(0).start(0)
        ));
        assert!(same(
            Identity::always().maxvalue(i64::from(i32::MAX)).cache(1),
            Identity::always()
        ));
        assert!(!same(Identity::always().maxvalue(1000), Identity::always()));
        assert!(!same(Identity::always().cycle(), Identity::always()));
        assert!(!same(Identity::always().cache(20), Identity::always()));
        // A default MAXVALUE is the type's own, so widening the type changes nothing.
        assert!(pg.identities_equal(
            &col(Type::BigInt, Identity::always()),
            &col(Type::Integer, Identity::always())
        ));
    }

    #[test]
    fn expressions_ignore_the_casts_added_to_literals() {
        let pg = PgCompare;
        let check = |e: &str| Check {
            conv: false,
            name: None,
            expr: e.into(),
        };
        assert!(pg.checks_equal(&check("price > 0"), &check("price > 0::double precision")));
        // PostgreSQL rewrites IN to = ANY (ARRAY[...]), undone by the text comparison (an
        // old expression is recorded as the IN list again: `undecorated`).
        assert!(pg.checks_equal(
            &check("status IN ('a', 'b')"),
            &check("status = ANY (ARRAY['a'::text, 'b'::text])")
        ));
        assert!(!pg.checks_equal(
            &check("status IN ('a', 'c')"),
            &check("status = ANY (ARRAY['a'::text, 'b'::text])")
        ));
        assert!(!pg.checks_equal(&check("price > 0"), &check("price >= 0::double precision")));
        // The two spellings of one check PostgreSQL gives before and after a rebuild.
        assert!(pg.checks_equal(
            &check(
                "(s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])"
            ),
            &check(
                "s::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text])"
            )
        ));
        assert!(pg.computed_equal(&Computed::stored("qty * 2"), &Computed::stored("(qty * 2)")));

        let model = Index::on_columns(["a"]).predicate("a > 0");
        let db = Index::on_columns(["a"])
            .predicate("a > 0::numeric")
            .method("btree");
        assert!(pg.indexes_equal(&model, &db));
        let expr = |e: &str| Index {
            elements: vec![IndexElement::expr(e)],
            ..Index::on_columns(Vec::<String>::new())
        };
        assert!(pg.indexes_equal(&expr("lower(email)"), &expr("(lower(email))")));
        assert!(!pg.indexes_equal(&expr("lower(email)"), &expr("upper(email)")));

        // Stated default orderings equal unstated ones.
        let with = |order: Option<SortOrder>, nulls: Option<NullsOrder>| Index {
            elements: vec![IndexElement {
                order,
                nulls,
                ..IndexElement::column("a")
            }],
            ..Index::on_columns(Vec::<String>::new())
        };
        let desc = Some(SortOrder::Desc);
        assert!(pg.indexes_equal(&with(desc, Some(NullsOrder::First)), &with(desc, None)));
        assert!(pg.indexes_equal(
            &with(Some(SortOrder::Asc), Some(NullsOrder::Last)),
            &with(None, None)
        ));
        assert!(!pg.indexes_equal(&with(desc, Some(NullsOrder::Last)), &with(desc, None)));
        assert!(!pg.indexes_equal(&with(None, Some(NullsOrder::First)), &with(None, None)));
        assert!(!pg.indexes_equal(&with(desc, None), &with(None, None)));
        assert!(!pg.indexes_equal(
            &Index::on_columns(["a"]),
            &Index::on_columns(["a"]).unique()
        ));
    }
}

//! Models built by hand with the core builders (not the derive), shared by the snapshot and
//! database tests.

use retort_core::{
    Column, Computed, Deferrable, EnumType, FkAction, ForeignKey, Identity, Index, IndexElement,
    Literal, MetaData, NamingConvention, NullsOrder, ServerDefault, Table, Type, Unique,
};

/// The seed's `models.py` (customers, orders, products), as Alembic's revision creates it.
pub fn seed() -> MetaData {
    MetaData::new()
        .table(
            Table::new("customers")
                .model("Customer")
                .column(Column::new("customer_id", Type::Integer).identity(Identity::always()))
                .column(Column::new("first_name", Type::Varchar(None)).not_null())
                .column(Column::new("last_name", Type::Varchar(None)).not_null())
                .column(Column::new("email_address", Type::Varchar(None)).not_null())
                .primary_key(["customer_id"]),
        )
        .table(
            Table::new("orders")
                .model("Order")
                .column(Column::new("order_id", Type::Integer).identity(Identity::always()))
                .column(Column::new("customer_id", Type::Integer).not_null())
                .column(
                    Column::new("order_date", Type::Timestamp { tz: true })
                        .server_default(ServerDefault::expr("now()"))
                        .not_null(),
                )
                .primary_key(["order_id"])
                .foreign_key(
                    ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                        .on_delete(FkAction::Cascade),
                ),
        )
        .table(
            Table::new("products")
                .model("Product")
                .column(Column::new("product_id", Type::Integer).identity(Identity::always()))
                .column(Column::new("product_name", Type::Varchar(None)).not_null())
                .column(Column::new("description", Type::Text))
                .column(Column::new("price", Type::Double).not_null())
                .primary_key(["product_id"]),
        )
}

/// One column of every [`Type`] variant, in schema `app`, with the enum it uses.
pub fn every_type() -> MetaData {
    let mood = EnumType::new("mood", ["happy", "it's complicated"]);
    let mut md = MetaData::new().with_schema("app").enum_type(mood);
    let types = [
        ("c_smallint", Type::SmallInt),
        ("c_integer", Type::Integer),
        ("c_bigint", Type::BigInt),
        ("c_real", Type::Real),
        ("c_double", Type::Double),
        (
            "c_numeric",
            Type::Numeric {
                precision: None,
                scale: None,
            },
        ),
        (
            "c_numeric_p",
            Type::Numeric {
                precision: Some(10),
                scale: None,
            },
        ),
        ("c_numeric_ps", Type::numeric(10, 2)),
        ("c_boolean", Type::Boolean),
        ("c_varchar", Type::Varchar(None)),
        ("c_varchar_n", Type::Varchar(Some(50))),
        ("c_text", Type::Text),
        ("c_char", Type::Char(None)),
        ("c_char_n", Type::Char(Some(3))),
        ("c_date", Type::Date),
        ("c_time", Type::Time { tz: false }),
        ("c_timetz", Type::Time { tz: true }),
        ("c_timestamp", Type::Timestamp { tz: false }),
        ("c_timestamptz", Type::Timestamp { tz: true }),
        ("c_interval", Type::Interval),
        ("c_uuid", Type::Uuid),
        ("c_json", Type::Json),
        ("c_jsonb", Type::Jsonb),
        ("c_binary", Type::Binary),
        ("c_enum", Type::enumeration("mood")),
        ("c_int_array", Type::array(Type::Integer)),
        ("c_enum_array", Type::array(Type::enumeration("mood"))),
        ("c_text_matrix", Type::array(Type::array(Type::Text))),
        ("c_custom", Type::custom("inet")),
    ];
    let mut t = Table::new("every_type").column(Column::new("id", Type::BigInt).not_null());
    for (name, ty) in types {
        t = t.column(Column::new(name, ty));
    }
    md.add_table(t.primary_key(["id"]));
    md
}

/// Every default kind, identity option and a computed column.
pub fn columns() -> MetaData {
    MetaData::new()
        .table(
            Table::new("defaults")
                .column(Column::new("id", Type::Integer).identity(Identity::by_default()))
                .column(
                    Column::new("created_at", Type::Timestamp { tz: true })
                        .server_default(ServerDefault::expr("now()"))
                        .not_null(),
                )
                .column(
                    Column::new("label", Type::Text)
                        .server_default(ServerDefault::text(r"it's a \n 'quote' – café ✓")),
                )
                .column(Column::new("qty", Type::Integer).server_default(ServerDefault::int(-7)))
                .column(
                    Column::new("active", Type::Boolean).server_default(ServerDefault::bool(true)),
                )
                .column(
                    Column::new("off", Type::Boolean).server_default(ServerDefault::bool(false)),
                )
                .column(
                    Column::new("price", Type::numeric(10, 2))
                        .server_default(ServerDefault::Literal(Literal::Number("9.99".into()))),
                )
                .column(
                    Column::new("note", Type::Text)
                        .server_default(ServerDefault::Literal(Literal::Null)),
                )
                .primary_key(["id"]),
        )
        .table(
            Table::new("identities")
                .column(Column::new("a", Type::BigInt).identity(Identity::always()))
                .column(Column::new("b", Type::Integer).identity(Identity::by_default().start(100)))
                .column(Column::new("c", Type::SmallInt).identity(Identity::always().increment(5)))
                .column(
                    Column::new("d", Type::BigInt)
                        .identity(Identity::by_default().start(1000).increment(10)),
                ),
        )
        .table(
            Table::new("computed")
                .column(Column::new("w", Type::Integer).not_null())
                .column(Column::new("h", Type::Integer).not_null())
                .column(Column::new("area", Type::Integer).computed(Computed::stored("w * h")))
                .column(
                    Column::new("area_nn", Type::Integer)
                        .computed(Computed::stored("w * h"))
                        .not_null(),
                ),
        )
}

/// Every constraint kind, named and unnamed, every index kind and comments.
pub fn constraints_and_indexes() -> MetaData {
    let mut ix_nulls = IndexElement::column("created_at").desc();
    ix_nulls.nulls = Some(NullsOrder::First);
    let mut ix_opclass = IndexElement::column("email");
    ix_opclass.opclass = Some("text_pattern_ops".into());
    let mut ix_last = IndexElement::expr("lower(email)");
    ix_last.nulls = Some(NullsOrder::Last);
    MetaData::new()
        .naming_convention(NamingConvention::none())
        .table(
            Table::new("accounts")
                .comment("People who can log in; 'owner' is special")
                .column(Column::new("id", Type::Integer).identity(Identity::always()))
                .column(
                    Column::new("email", Type::Text)
                        .not_null()
                        .comment("lower-case, unique"),
                )
                .column(Column::new("tenant", Type::Integer).not_null())
                .column(Column::new("age", Type::Integer))
                .column(Column::new("tags", Type::array(Type::Text)))
                .column(Column::new("created_at", Type::Timestamp { tz: true }))
                .primary_key(["id"])
                .unique(["email"])
                .check(None, "age >= 0")
                .check(Some("accounts_age_sane"), "age < 200"),
        )
        .table({
            let mut t = Table::new("memberships")
                .column(Column::new("account_id", Type::Integer).not_null())
                .column(Column::new("tenant", Type::Integer).not_null())
                .column(Column::new("parent_account", Type::Integer))
                .column(Column::new("role", Type::Text).not_null())
                .foreign_key(
                    ForeignKey::new(["account_id"], "accounts", ["id"])
                        .name("memberships_account_fk")
                        .on_delete(FkAction::Cascade)
                        .on_update(FkAction::Restrict)
                        .deferrable(Deferrable::InitiallyDeferred),
                )
                .foreign_key(
                    ForeignKey::new(["parent_account"], "accounts", ["id"])
                        .on_delete(FkAction::SetNull)
                        .deferrable(Deferrable::InitiallyImmediate),
                )
                .uniques_named("memberships_one_role", ["account_id", "role"]);
            t.primary_key = Some(retort_core::PrimaryKey {
                with: Vec::new(),
                conv: false,
                name: Some("memberships_pk".into()),
                columns: vec!["account_id".into(), "tenant".into()],
            });
            t
        })
        .table(
            Table::new("accounts_indexes")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("email", Type::Text))
                .column(Column::new("created_at", Type::Timestamp { tz: true }))
                .column(Column::new("tags", Type::array(Type::Text)))
                .column(Column::new("deleted", Type::Boolean))
                .index(Index::on_columns(["id"]).name("ai_plain"))
                .index(Index::on_columns(["email"]).name("ai_unique").unique())
                .index(Index {
                    elements: vec![IndexElement::expr("lower(email)")],
                    ..Index::on_columns(Vec::<String>::new()).name("ai_expression")
                })
                .index(
                    Index::on_columns(["email"])
                        .name("ai_partial")
                        .predicate("NOT deleted"),
                )
                .index(Index::on_columns(["tags"]).name("ai_gin").method("gin"))
                .index(
                    Index::on_columns(["id"])
                        .name("ai_covering")
                        .include(["email", "created_at"]),
                )
                .index(Index {
                    elements: vec![ix_opclass],
                    ..Index::on_columns(Vec::<String>::new()).name("ai_opclass")
                })
                .index(Index {
                    elements: vec![ix_nulls, ix_last],
                    ..Index::on_columns(Vec::<String>::new()).name("ai_order")
                })
                .index(Index::on_columns(["created_at"])),
        )
}

/// Two tables that refer to each other (and one to itself): a foreign-key cycle.
pub fn cycle() -> MetaData {
    MetaData::new()
        .table(
            Table::new("departments")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("manager_id", Type::Integer))
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["manager_id"], "employees", ["id"])),
        )
        .table(
            Table::new("employees")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("department_id", Type::Integer))
                .column(Column::new("mentor_id", Type::Integer))
                .primary_key(["id"])
                .foreign_key(
                    ForeignKey::new(["department_id"], "departments", ["id"])
                        .name("employees_dept"),
                )
                .foreign_key(ForeignKey::new(["mentor_id"], "employees", ["id"])),
        )
        .table(
            Table::new("badges")
                .column(Column::new("employee_id", Type::Integer))
                .foreign_key(ForeignKey::new(["employee_id"], "employees", ["id"])),
        )
}

/// A child of two parents (listed before them: created after), with columns only the
/// parents give, one it declares too, its own, and storage parameters on the tables, a key,
/// a unique constraint and an index.
pub fn inheritance() -> MetaData {
    MetaData::new()
        .table(
            Table::new("payment_p1")
                .column(
                    Column::new("id", Type::Integer)
                        .not_null()
                        .server_default(retort_core::ServerDefault::expr("7")),
                )
                .column(
                    Column::new("amount", Type::numeric(5, 2))
                        .not_null()
                        .inherited(),
                )
                .column(Column::new("tag", Type::Text).inherited())
                .column(Column::new("note", Type::Text))
                .inherits("payment")
                .inherits("tagged")
                .with("fillfactor", "60")
                .index(
                    Index::on_columns(["note"])
                        .name("ix_p1_note")
                        .with("fillfactor", "90"),
                ),
        )
        .table({
            let mut t = Table::new("payment")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("amount", Type::numeric(5, 2)).not_null())
                .check(Some("payment_amount_check"), "amount >= 0")
                .with("fillfactor", "70")
                .with("autovacuum_enabled", "false");
            t.primary_key = Some(retort_core::PrimaryKey::new(["id"]).with("fillfactor", "100"));
            t.uniques
                .push(retort_core::Unique::new(["amount"]).with("fillfactor", "80"));
            t
        })
        .table(Table::new("tagged").column(Column::new("tag", Type::Text)))
}

/// Helper for a named unique constraint (the builder only adds unnamed ones).
trait NamedUnique {
    fn uniques_named<const N: usize>(self, name: &str, columns: [&str; N]) -> Self;
}

impl NamedUnique for Table {
    fn uniques_named<const N: usize>(mut self, name: &str, columns: [&str; N]) -> Self {
        self.uniques.push(Unique {
            name: Some(name.into()),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        });
        self
    }
}

/// All the models above in one schema-`app` metadata (the seed aside): every type,
/// default, identity, computed column, constraint, index kind, comment and a cycle.
pub fn everything() -> MetaData {
    let mut md = every_type();
    for part in [columns(), constraints_and_indexes(), cycle()] {
        for t in part.tables() {
            md.add_table(t.clone());
        }
    }
    md
}

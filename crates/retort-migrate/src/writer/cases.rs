//! The writer's test cases, shared by the snapshot tests of this crate and by
//! `retort-script-check`, which compiles the written sources and checks that running them
//! records these same ops. Not part of the API: hidden from the docs.

use retort_core::diff::{RenameHint, RenameKind};
use retort_core::ops::{
    reverse_all, AlterColumn, Constraint, ConstraintKind, EnumValuePosition, Op,
};
use retort_core::{
    Check, Column, Computed, Deferrable, EnumRef, EnumType, FkAction, ForeignKey, Identity, Index,
    IndexElement, Literal, PrimaryKey, ServerDefault, Table, Type, Unique,
};

use super::RevisionHeader;

/// One revision the writer is tested on.
#[derive(Debug, Clone)]
pub struct Case {
    /// File stem of the snapshot and of the compiled copy.
    pub name: &'static str,
    pub header: RevisionHeader,
    pub upgrade: Vec<Op>,
    pub downgrade: Vec<Op>,
    pub hints: Vec<RenameHint>,
}

fn header(id: &str, down: &[&str], message: &str) -> RevisionHeader {
    RevisionHeader {
        id: id.to_owned(),
        down_revisions: down.iter().map(|s| (*s).to_owned()).collect(),
        message: message.to_owned(),
        create_date: "2026-11-25 12:54:52".to_owned(),
        ..RevisionHeader::default()
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn reversed(ops: &[Op]) -> Vec<Op> {
    // The cases only hold reversible ops; an irreversible one would be a broken case.
    reverse_all(ops).unwrap_or_default()
}

/// Every case, in a fixed order.
pub fn cases() -> Vec<Case> {
    vec![
        seed_initial(),
        tables(),
        columns(),
        constraints_and_indexes(),
        enums_schemas_comments(),
        data(),
        rename_hints(),
        merge_without_changes(),
        long_names(),
    ]
}

/// The seed's initial revision, as Alembic autogenerates it in the oracle.
fn seed_initial() -> Case {
    let id = || Column::new("", Type::Integer).identity(Identity::always());
    let customers = Table::new("customers")
        .column(Column {
            name: "customer_id".into(),
            ..id()
        })
        .column(Column::new("first_name", Type::Varchar(None)).not_null())
        .column(Column::new("last_name", Type::Varchar(None)).not_null())
        .column(Column::new("email_address", Type::Varchar(None)).not_null())
        .primary_key(["customer_id"]);
    let products = Table::new("products")
        .column(Column {
            name: "product_id".into(),
            ..id()
        })
        .column(Column::new("product_name", Type::Varchar(None)).not_null())
        .column(Column::new("description", Type::Text))
        .column(Column::new("price", Type::Double).not_null())
        .primary_key(["product_id"]);
    let orders = Table::new("orders")
        .column(Column {
            name: "order_id".into(),
            ..id()
        })
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(
            Column::new("order_date", Type::Timestamp { tz: true })
                .not_null()
                .server_default(ServerDefault::expr("now()")),
        )
        .foreign_key(
            ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                .on_delete(FkAction::Cascade),
        )
        .primary_key(["order_id"]);
    let drop = |name: &str| Op::DropTable {
        schema: None,
        name: name.to_owned(),
        existing: None,
    };
    Case {
        name: "seed_initial",
        header: header(
            "5cc88b64dda9",
            &[],
            "Initial commit, created customers, orders and products",
        ),
        upgrade: vec![
            Op::CreateTable { table: customers },
            Op::CreateTable { table: products },
            Op::CreateTable { table: orders },
        ],
        downgrade: vec![drop("orders"), drop("products"), drop("customers")],
        hints: vec![],
    }
}

/// `create_table` with every column, constraint and index feature, and `drop_table`
/// carrying the definition.
fn tables() -> Case {
    let mut pk = PrimaryKey::new(["id", "region"]);
    pk.name = s("pk_accounts");
    let accounts = Table::new("accounts")
        .schema("billing")
        .column(
            Column::new("id", Type::BigInt)
                .identity(Identity::by_default().start(1000).increment(10)),
        )
        .column(
            Column::new("region", Type::Char(Some(2)))
                .not_null()
                .server_default(ServerDefault::text("eu")),
        )
        .column(
            Column::new("name", Type::Varchar(Some(200)))
                .not_null()
                .comment("Display name, \"as typed\""),
        )
        .column(
            Column::new("note", Type::Text)
                .server_default(ServerDefault::text("it's a \\ backslash\nand a newline")),
        )
        .column(
            Column::new("greeting", Type::Text).server_default(ServerDefault::text("Grüße, 世界")),
        )
        .column(
            Column::new("balance", Type::numeric(12, 2))
                .not_null()
                .server_default(ServerDefault::Literal(Literal::Number("0.00".into()))),
        )
        .column(Column::new(
            "ratio",
            Type::Numeric {
                precision: Some(5),
                scale: None,
            },
        ))
        .column(Column::new(
            "any_number",
            Type::Numeric {
                precision: None,
                scale: None,
            },
        ))
        .column(
            Column::new("active", Type::Boolean)
                .not_null()
                .server_default(ServerDefault::bool(true)),
        )
        .column(Column::new("visits", Type::Integer).server_default(ServerDefault::int(-1)))
        .column(
            Column::new("parent_id", Type::BigInt)
                .server_default(ServerDefault::Literal(Literal::Null)),
        )
        .column(Column::new("small", Type::SmallInt))
        .column(Column::new("score", Type::Real))
        .column(Column::new("born", Type::Date))
        .column(Column::new("wakes", Type::Time { tz: false }))
        .column(
            Column::new("created", Type::Timestamp { tz: false })
                .server_default(ServerDefault::expr("CURRENT_TIMESTAMP")),
        )
        .column(Column::new("grace", Type::Interval))
        .column(
            Column::new("token", Type::Uuid)
                .server_default(ServerDefault::expr("gen_random_uuid()")),
        )
        .column(Column::new("doc", Type::Json))
        .column(Column::new("meta", Type::Jsonb).server_default(ServerDefault::expr("'{}'::jsonb")))
        .column(Column::new("blob", Type::Binary))
        .column(Column::new("tags", Type::array(Type::Text)))
        .column(Column::new("mood", Type::enumeration("mood")))
        .column(Column::new(
            "tier",
            Type::Enum(EnumRef {
                schema: s("billing"),
                name: "tier".into(),
            }),
        ))
        .column(Column::new("shape", Type::custom("geometry(Point, 4326)")))
        .column(Column::new("name_lower", Type::Text).computed(Computed::stored("lower(name)")))
        .column(Column::new("name_len", Type::Integer).computed(Computed::virtual_("length(name)")))
        .column(
            Column::new("odd", Type::Integer)
                .identity(Identity::always())
                .nullable(true),
        );
    let mut accounts = accounts;
    accounts.primary_key = Some(pk);
    let accounts = accounts
        .foreign_key(
            ForeignKey::new(["parent_id", "region"], "accounts", ["id", "region"])
                .name("fk_accounts_parent")
                .on_delete(FkAction::SetNull)
                .on_update(FkAction::Cascade)
                .deferrable(Deferrable::InitiallyDeferred)
                .ref_schema("billing"),
        )
        .foreign_key(
            ForeignKey::new(["visits"], "counters", ["n"])
                .on_delete(FkAction::Restrict)
                .deferrable(Deferrable::InitiallyImmediate),
        )
        .foreign_key(
            ForeignKey::new(["small"], "smalls", ["id"])
                .on_update(FkAction::NoAction)
                .on_delete(FkAction::SetDefault),
        )
        .unique(["token"])
        .check(Some("ck_accounts_balance"), "balance >= 0")
        .check(None, "visits <> 0");
    let mut accounts = accounts;
    accounts
        .uniques
        .push(Unique::new(["name", "region"]).name("uq_accounts_name_region"));
    let accounts = accounts
        .index(Index::on_columns(["name"]).name("ix_accounts_name"))
        .index(
            Index::on_columns(["region", "name"])
                .name("ix_accounts_region_name")
                .unique()
                .include(["balance"]),
        )
        .index(
            Index::on(vec![
                IndexElement::expr("lower(name)").opclass("text_pattern_ops"),
                IndexElement::column("created").desc().nulls_last(),
                IndexElement::column("born").asc().nulls_first(),
            ])
            .name("ix_accounts_lower_name")
            .method("btree")
            .predicate("active AND note <> 'x'"),
        )
        .index(Index::on_columns(["meta"]).method("gin"))
        .comment("Customer accounts, one per region");
    let empty = Table::new("placeholder");
    let mut check_only = Table::new("checks").column(Column::new("n", Type::Integer));
    check_only.checks.push(Check::new("n > 0"));
    let upgrade = vec![
        Op::CreateTable {
            table: accounts.clone(),
        },
        Op::CreateTable {
            table: empty.clone(),
        },
        Op::CreateTable {
            table: check_only.clone(),
        },
    ];
    let downgrade = vec![
        Op::DropTable {
            schema: None,
            name: "checks".into(),
            existing: Some(check_only),
        },
        Op::DropTable {
            schema: None,
            name: "placeholder".into(),
            existing: Some(empty),
        },
        Op::DropTable {
            schema: s("billing"),
            name: "accounts".into(),
            existing: Some(accounts),
        },
    ];
    Case {
        name: "tables",
        header: header(
            "1975ea83b712",
            &["5cc88b64dda9"],
            "Accounts with every column kind",
        ),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

/// Column ops, the downgrade derived by `reverse_all`: the `existing_*` values written in
/// the upgrade are what make it exact.
fn columns() -> Case {
    let mut retype = AlterColumn::new("customers", "customer_id");
    retype.type_ = Some(Type::BigInt);
    retype.existing_type = Some(Type::Integer);
    retype.using = s("customer_id::bigint");
    retype.existing_nullable = Some(false);
    retype.existing_server_default = Some(None);
    let mut nullability = AlterColumn::new("customers", "email_address");
    nullability.nullable = Some(true);
    nullability.existing_nullable = Some(false);
    nullability.existing_type = Some(Type::Varchar(None));
    nullability.new_name = s("email");
    nullability.comment = Some(s("Where receipts go"));
    nullability.existing_comment = Some(None);
    let mut defaults = AlterColumn::new("orders", "order_date");
    defaults.schema = s("shop");
    defaults.server_default = Some(Some(ServerDefault::expr("statement_timestamp()")));
    defaults.existing_server_default = Some(Some(ServerDefault::expr("now()")));
    defaults.comment = Some(None);
    defaults.existing_comment = Some(s("When it was placed"));
    let mut drop_default = AlterColumn::new("products", "price");
    drop_default.server_default = Some(None);
    drop_default.existing_server_default =
        Some(Some(ServerDefault::Literal(Literal::Number("9.99".into()))));
    let mut identity = AlterColumn::new("products", "product_id");
    identity.identity = Some(Some(Identity::by_default().start(100)));
    identity.existing_identity = Some(Some(Identity::always()));
    let mut drop_identity = AlterColumn::new("orders", "order_id");
    drop_identity.identity = Some(None);
    drop_identity.existing_identity = Some(Some(Identity::always().increment(2)));
    let mut add_identity = AlterColumn::new("audit", "id");
    add_identity.identity = Some(Some(Identity::always()));
    add_identity.existing_identity = Some(None);
    let mut computed = AlterColumn::new("products", "label");
    computed.computed = Some(Some(Computed::stored("upper(product_name)")));
    computed.existing_computed = Some(None);
    let mut drop_computed = AlterColumn::new("products", "slug");
    drop_computed.computed = Some(None);
    drop_computed.existing_computed = Some(Some(Computed::stored("lower(product_name)")));
    let upgrade = vec![
        Op::AddColumn {
            schema: None,
            table: "customers".into(),
            column: Column::new("phone", Type::Varchar(Some(32))).comment("E.164"),
        },
        Op::AddColumn {
            schema: s("shop"),
            table: "orders".into(),
            column: Column::new("status", Type::Text)
                .not_null()
                .server_default(ServerDefault::text("new")),
        },
        Op::DropColumn {
            schema: None,
            table: "products".into(),
            column: "description".into(),
            existing: Some(Column::new("description", Type::Text).comment("Free text")),
        },
        Op::AlterColumn(retype),
        Op::AlterColumn(nullability),
        Op::AlterColumn(defaults),
        Op::AlterColumn(drop_default),
        Op::AlterColumn(identity),
        Op::AlterColumn(drop_identity),
        Op::AlterColumn(add_identity),
        Op::AlterColumn(computed),
        Op::AlterColumn(drop_computed),
    ];
    let downgrade = reversed(&upgrade);
    Case {
        name: "columns",
        header: header("27c6a30d7c24", &["1975ea83b712"], "Column changes"),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

fn constraints_and_indexes() -> Case {
    let mut fk = ForeignKey::new(["customer_id"], "customers", ["customer_id"])
        .name("fk_orders_customer")
        .on_delete(FkAction::Cascade)
        .on_update(FkAction::Restrict)
        .deferrable(Deferrable::InitiallyDeferred);
    fk.ref_schema = s("crm");
    let upgrade = vec![
        Op::CreateIndex {
            schema: None,
            table: "customers".into(),
            index: Index::on_columns(["email_address"])
                .name("ix_customers_email")
                .unique(),
            concurrently: false,
        },
        Op::CreateIndex {
            schema: s("shop"),
            table: "orders".into(),
            index: Index::on_columns(["customer_id", "order_date"]).include(["order_id"]),
            concurrently: true,
        },
        Op::CreateIndex {
            schema: None,
            table: "products".into(),
            index: Index::on(vec![
                IndexElement::expr("lower(product_name)").opclass("gin_trgm_ops")
            ])
            .name("ix_products_name_trgm")
            .method("gin")
            .predicate("price > 0"),
            concurrently: false,
        },
        Op::DropIndex {
            schema: None,
            table: "orders".into(),
            name: "ix_orders_date".into(),
            existing: Some(
                Index::on(vec![IndexElement::column("order_date").desc()]).name("ix_orders_date"),
            ),
            concurrently: true,
        },
        Op::CreateUniqueConstraint {
            schema: None,
            table: "products".into(),
            unique: Unique::new(["product_name"]).name("uq_products_name"),
        },
        Op::CreateUniqueConstraint {
            schema: s("shop"),
            table: "orders".into(),
            unique: Unique::new(["customer_id", "order_date"]),
        },
        Op::CreateForeignKey {
            schema: s("shop"),
            table: "orders".into(),
            foreign_key: fk,
        },
        Op::CreateForeignKey {
            schema: None,
            table: "orders".into(),
            foreign_key: ForeignKey::new(["product_id"], "products", ["product_id"]),
        },
        Op::CreateCheckConstraint {
            schema: None,
            table: "products".into(),
            check: Check::new("price >= 0 AND product_name <> ''").name("ck_products_price"),
        },
        Op::CreatePrimaryKey {
            schema: None,
            table: "audit".into(),
            primary_key: PrimaryKey::new(["id"]).name("pk_audit"),
        },
        Op::DropConstraint {
            schema: None,
            table: "products".into(),
            name: "uq_products_code".into(),
            kind: ConstraintKind::Unique,
            existing: Some(Constraint::Unique(
                Unique::new(["code"]).name("uq_products_code"),
            )),
        },
        Op::DropConstraint {
            schema: None,
            table: "products".into(),
            name: "ck_products_code".into(),
            kind: ConstraintKind::Check,
            existing: Some(Constraint::Check(
                Check::new("length(code) = 8").name("ck_products_code"),
            )),
        },
        Op::DropConstraint {
            schema: s("shop"),
            table: "lines".into(),
            name: "pk_lines".into(),
            kind: ConstraintKind::PrimaryKey,
            existing: Some(Constraint::PrimaryKey(
                PrimaryKey::new(["order_id", "line"]).name("pk_lines"),
            )),
        },
        Op::DropConstraint {
            schema: s("shop"),
            table: "lines".into(),
            name: "fk_lines_order".into(),
            kind: ConstraintKind::ForeignKey,
            existing: Some(Constraint::ForeignKey(
                ForeignKey::new(["order_id"], "orders", ["order_id"])
                    .name("fk_lines_order")
                    .on_delete(FkAction::Cascade)
                    .ref_schema("shop"),
            )),
        },
        Op::DropConstraint {
            schema: None,
            table: "legacy".into(),
            name: "legacy_check".into(),
            kind: ConstraintKind::Check,
            existing: None,
        },
    ];
    let downgrade = vec![Op::DropIndex {
        schema: None,
        table: "customers".into(),
        name: "ix_customers_email".into(),
        existing: None,
        concurrently: false,
    }];
    Case {
        name: "constraints_and_indexes",
        header: header("3cac04ae8714", &["27c6a30d7c24"], "Constraints and indexes"),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

fn enums_schemas_comments() -> Case {
    let mut status = EnumType::new(
        "order_status",
        [
            "pending",
            "paid",
            "shipped",
            "delivered",
            "cancelled",
            "refunded",
            "lost",
            "returned",
        ],
    );
    status.schema = s("shop");
    let upgrade = vec![
        Op::CreateSchema {
            name: "shop".into(),
        },
        Op::CreateEnum { enum_type: status },
        Op::CreateEnum {
            enum_type: EnumType::new("mood", ["sad", "ok", "happy"]),
        },
        Op::AddEnumValue {
            schema: None,
            enum_name: "mood".into(),
            value: "meh".into(),
            position: Some(EnumValuePosition::Before("ok".into())),
        },
        Op::AddEnumValue {
            schema: s("shop"),
            enum_name: "order_status".into(),
            value: "disputed".into(),
            position: Some(EnumValuePosition::After("paid".into())),
        },
        Op::AddEnumValue {
            schema: None,
            enum_name: "mood".into(),
            value: "ecstatic".into(),
            position: None,
        },
        Op::CreateTableComment {
            schema: None,
            table: "orders".into(),
            comment: "One row per order; see \"lines\"".into(),
            existing_comment: None,
        },
        Op::CreateTableComment {
            schema: s("shop"),
            table: "lines".into(),
            comment: "Order lines".into(),
            existing_comment: s("Lines"),
        },
        Op::DropTableComment {
            schema: None,
            table: "products".into(),
            existing_comment: s("Things we sell"),
        },
    ];
    let downgrade = vec![
        Op::DropEnum {
            schema: s("shop"),
            name: "order_status".into(),
            existing: Some(EnumType {
                schema: s("shop"),
                ..EnumType::new("order_status", ["pending", "paid"])
            }),
        },
        Op::DropEnum {
            schema: None,
            name: "mood".into(),
            existing: None,
        },
        Op::DropSchema {
            name: "shop".into(),
        },
    ];
    Case {
        name: "enums_schemas_comments",
        header: header(
            "4d3d9e7a1b20",
            &["3cac04ae8714"],
            "Enums, schemas and comments",
        ),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

fn data() -> Case {
    let upgrade = vec![
        Op::Execute {
            sql: "UPDATE products SET price = 0 WHERE price IS NULL".into(),
            reverse_sql: None,
        },
        Op::Execute {
            sql: "INSERT INTO notes (body) VALUES ('say \"hi\"\\n')".into(),
            reverse_sql: Some("DELETE FROM notes WHERE body LIKE 'say%'".into()),
        },
        Op::Execute {
            sql: "CREATE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n  NEW.updated := now();\n  RETURN NEW;\nEND\n$$ LANGUAGE plpgsql".into(),
            reverse_sql: Some("DROP FUNCTION touch()".into()),
        },
        Op::BulkInsert {
            schema: None,
            table: "products".into(),
            columns: vec!["product_name".into(), "price".into(), "description".into(), "active".into(), "stock".into()],
            rows: vec![
                vec![Literal::Text("Tea".into()), Literal::Number("3.50".into()), Literal::Null, Literal::Bool(true), Literal::Int(12)],
                vec![Literal::Text("Café \"crème\"".into()), Literal::Number("4".into()), Literal::Text("line one\nline two".into()), Literal::Bool(false), Literal::Int(-3)],
            ],
        },
        Op::BulkInsert {
            schema: s("shop"),
            table: "flags".into(),
            columns: vec!["name".into()],
            rows: vec![vec![Literal::Text("on".into())]],
        },
    ];
    Case {
        name: "data",
        header: header("5e6f7a8b9c0d", &["4d3d9e7a1b20"], "Data migration"),
        upgrade,
        downgrade: vec![Op::Execute {
            sql: "DELETE FROM products".into(),
            reverse_sql: None,
        }],
        hints: vec![],
    }
}

fn rename_hints() -> Case {
    let upgrade = vec![
        Op::AddColumn {
            schema: None,
            table: "customers".into(),
            column: Column::new("surname", Type::Varchar(None)).not_null(),
        },
        Op::DropColumn {
            schema: None,
            table: "customers".into(),
            column: "last_name".into(),
            existing: Some(Column::new("last_name", Type::Varchar(None)).not_null()),
        },
        Op::RenameTable {
            schema: s("shop"),
            old_name: "basket".into(),
            new_name: "cart".into(),
        },
    ];
    let hints = vec![
        RenameHint {
            kind: RenameKind::Column,
            schema: None,
            table: "customers".into(),
            old_name: "last_name".into(),
            new_name: "surname".into(),
        },
        RenameHint {
            kind: RenameKind::Table,
            schema: s("shop"),
            table: "wishlist".into(),
            old_name: "wishlist".into(),
            new_name: "saved_items".into(),
        },
    ];
    let downgrade = reversed(&upgrade);
    Case {
        name: "rename_hints",
        header: header(
            "6a7b8c9d0e1f",
            &["5e6f7a8b9c0d"],
            "Rename surname\n\nThe diff saw a drop and an add.",
        ),
        upgrade,
        downgrade,
        hints,
    }
}

fn merge_without_changes() -> Case {
    let mut h = header(
        "7b8c9d0e1f2a",
        &["6a7b8c9d0e1f", "1975ea83b712", "27c6a30d7c24"],
        "",
    );
    h.branch_labels = vec!["main".into()];
    h.depends_on = vec!["3cac04ae8714".into()];
    Case {
        name: "merge_without_changes",
        header: h,
        upgrade: vec![],
        downgrade: vec![],
        hints: vec![],
    }
}

/// Names and strings long enough to push every list and chain onto several lines.
fn long_names() -> Case {
    let long = "a_table_name_long_enough_to_push_arguments_onto_their_own_lines";
    let col = "a_column_name_that_is_also_rather_long";
    let table = Table::new(long)
        .column(
            Column::new(col, Type::Varchar(Some(255)))
                .not_null()
                .server_default(ServerDefault::text(
                    "a default value that is long enough to wrap the call",
                ))
                .comment(
                    "and a comment that goes on and on so that the chain cannot stay on one line",
                ),
        )
        .column(Column::new("x", Type::Integer))
        .foreign_key(
            ForeignKey::new([col, "x"], "another_table_with_a_long_name", [col, "y"])
                .on_delete(FkAction::Cascade),
        )
        .index(
            Index::on_columns([col, "x"]).name("ix_a_table_name_long_enough_to_push_arguments_x"),
        );
    let mut alter = AlterColumn::new(long, col);
    alter.type_ = Some(Type::Text);
    alter.existing_type = Some(Type::Varchar(Some(255)));
    alter.existing_nullable = Some(false);
    let upgrade = vec![
        Op::CreateTable { table: table.clone() },
        Op::AddColumn {
            schema: s("a_schema_name"),
            table: long.into(),
            column: Column::new("another_column_with_a_long_name", Type::Timestamp { tz: true })
                .server_default(ServerDefault::expr("now()")),
        },
        Op::AlterColumn(alter),
        Op::CreateForeignKey {
            schema: None,
            table: long.into(),
            foreign_key: ForeignKey::new([col], "another_table_with_a_long_name", [col]).name("fk_long").on_delete(FkAction::Cascade),
        },
        Op::Execute {
            sql: "UPDATE a_table_name_long_enough_to_push_arguments_onto_their_own_lines SET x = 1 WHERE x IS NULL AND a_column_name_that_is_also_rather_long <> ''".into(),
            reverse_sql: None,
        },
        Op::CreateIndex {
            schema: None,
            table: long.into(),
            index: Index::on_columns(["first_column", "second_column", "third_column", "fourth"]).name("ix_many_columns"),
            concurrently: false,
        },
    ];
    let downgrade = vec![Op::DropTable {
        schema: None,
        name: long.into(),
        existing: Some(table),
    }];
    Case {
        name: "long_names",
        header: header(
            "8c9d0e1f2a3b",
            &["7b8c9d0e1f2a"],
            "A message long enough that the REVISION const must break its chain of calls",
        ),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

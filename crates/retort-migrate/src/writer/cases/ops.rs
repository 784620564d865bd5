//! The ops other than tables: columns, constraints and indexes, enums, schemas, comments,
//! data.

use retort_core::ops::{AlterColumn, Constraint, ConstraintKind, EnumValuePosition, Op};
use retort_core::{
    conv, Check, Column, Computed, Deferrable, EnumType, FkAction, ForeignKey, Identity, Index,
    IndexElement, Literal, PrimaryKey, ServerDefault, Table, Type, Unique,
};

use super::{header, reversed, s, Case};

/// Column ops, the downgrade derived by `reverse_all`: the `existing_*` values written in
/// the upgrade are what make it exact.
pub(super) fn columns() -> Case {
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
            data_loss_ok: true,
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

pub(super) fn constraints_and_indexes() -> Case {
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
            not_valid: false,
        },
        Op::CreateForeignKey {
            schema: None,
            table: "orders".into(),
            foreign_key: ForeignKey::new(["product_id"], "products", ["product_id"]),
            not_valid: false,
        },
        Op::CreateCheckConstraint {
            schema: None,
            table: "products".into(),
            check: Check::new("price >= 0 AND product_name <> ''").name("ck_products_price"),
            not_valid: false,
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

/// Names the naming convention built, written `conv(..)` (Alembic's `op.f()`) wherever a
/// name is written: in `create_table`, in each create op, and in the definitions a drop
/// records; the drop's own name stays plain (it takes the mark from `.existing(..)`).
pub(super) fn convention_names() -> Case {
    let long = "ix_customer_loyalty_programme_memberships_by_region_and_channel__customer_id";
    let table = Table::new("memberships")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("code", Type::Varchar(Some(20))))
        .primary_key(["id"])
        .foreign_key(
            ForeignKey::new(["customer_id"], "customers", ["id"])
                .name(conv("fk_memberships_customer_id_customers")),
        )
        .unique(["code"])
        .check(None, "id > 0")
        .index(Index::on_columns(["customer_id"]).name(conv(long)));
    let mut table = table;
    table.primary_key = Some(PrimaryKey::new(["id"]).name(conv("pk_memberships")));
    table.uniques[0] = Unique::new(["code"]).name(conv("uq_memberships_code"));
    table.checks[0] = Check::new("id > 0").name(conv("ck_memberships_positive"));
    let upgrade = vec![
        Op::CreateTable { table },
        Op::CreateIndex {
            schema: None,
            table: "customers".into(),
            index: Index::on_columns(["email"]).name(conv("ix_customers_email")),
            concurrently: false,
        },
        Op::CreateUniqueConstraint {
            schema: None,
            table: "customers".into(),
            unique: Unique::new(["email"]).name(conv("uq_customers_email")),
        },
        Op::CreateCheckConstraint {
            schema: None,
            table: "customers".into(),
            check: Check::new("id > 0").name(conv("ck_customers_positive")),
            not_valid: false,
        },
        Op::CreateForeignKey {
            schema: None,
            table: "customers".into(),
            foreign_key: ForeignKey::new(["referrer_id"], "customers", ["id"])
                .name(conv("fk_customers_referrer_id_customers")),
            not_valid: false,
        },
        Op::DropIndex {
            schema: None,
            table: "customers".into(),
            name: "ix_customers_name".into(),
            existing: Some(Index::on_columns(["name"]).name(conv("ix_customers_name"))),
            concurrently: false,
        },
        Op::DropConstraint {
            schema: None,
            table: "customers".into(),
            name: "pk_customers".into(),
            kind: ConstraintKind::PrimaryKey,
            existing: Some(Constraint::PrimaryKey(
                PrimaryKey::new(["id"]).name(conv("pk_customers")),
            )),
        },
        Op::CreatePrimaryKey {
            schema: None,
            table: "customers".into(),
            primary_key: PrimaryKey::new(["id", "email"]).name(conv("pk_customers")),
        },
    ];
    let downgrade = reversed(&upgrade);
    Case {
        name: "convention_names",
        header: header("5e0c2d7a9b31", &["3cac04ae8714"], "Convention names"),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

pub(super) fn enums_schemas_comments() -> Case {
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
            existing: None,
        },
        Op::AddEnumValue {
            schema: s("shop"),
            enum_name: "order_status".into(),
            value: "disputed".into(),
            position: Some(EnumValuePosition::After("paid".into())),
            existing: None,
        },
        Op::AddEnumValue {
            schema: None,
            enum_name: "mood".into(),
            value: "ecstatic".into(),
            position: None,
            existing: Some(vec![
                "sad".into(),
                "meh".into(),
                "ok".into(),
                "happy".into(),
            ]),
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
        // The reverse of the last added value, which records the values before it.
        Op::RecreateEnum {
            schema: None,
            name: "mood".into(),
            values: vec!["sad".into(), "meh".into(), "ok".into(), "happy".into()],
            existing: Some(vec![
                "sad".into(),
                "meh".into(),
                "ok".into(),
                "happy".into(),
                "ecstatic".into(),
            ]),
        },
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

pub(super) fn data() -> Case {
    let upgrade = vec![
        Op::Execute {
            sql: "UPDATE products SET price = 0 WHERE price IS NULL".into(),
            reverse_sql: None,
            outside_transaction: false,
        },
        Op::Execute {
            sql: "INSERT INTO notes (body) VALUES ('say \"hi\"\\n')".into(),
            reverse_sql: Some("DELETE FROM notes WHERE body LIKE 'say%'".into()),
            outside_transaction: false,
        },
        // SQL that cannot run in a transaction: written with `.outside_transaction()`.
        Op::Execute {
            sql: "VACUUM ANALYZE products".into(),
            reverse_sql: None,
            outside_transaction: true,
        },
        Op::Execute {
            sql: "CREATE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n  NEW.updated := now();\n  RETURN NEW;\nEND\n$$ LANGUAGE plpgsql".into(),
            reverse_sql: Some("DROP FUNCTION touch()".into()),
            outside_transaction: false,
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
        // The table as the database has it, for offline SQLite rebuilds (hand-written).
        Op::CopyFrom {
            table: retort_core::Table::new("flags")
                .schema("shop")
                .column(Column::new("name", Type::Text).not_null())
                .column(Column::new("legacy", Type::Integer))
                .primary_key(["name"]),
        },
    ];
    Case {
        name: "data",
        header: header("5e6f7a8b9c0d", &["4d3d9e7a1b20"], "Data migration"),
        upgrade,
        downgrade: vec![Op::Execute {
            sql: "DELETE FROM products".into(),
            reverse_sql: None,
            outside_transaction: false,
        }],
        hints: vec![],
    }
}

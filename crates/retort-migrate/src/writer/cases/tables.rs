//! `create_table` and `drop_table` with every column, constraint and index feature, and
//! names long enough to break every line.

use retort_core::ops::{AlterColumn, Op};
use retort_core::{
    Check, Column, Computed, Deferrable, EnumRef, FkAction, ForeignKey, Identity, Index,
    IndexElement, Literal, PrimaryKey, ServerDefault, Table, Type, Unique,
};

use super::{header, s, Case};

/// `create_table` with every column, constraint and index feature, and `drop_table`
/// carrying the definition.
pub(super) fn tables() -> Case {
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
            data_loss_ok: false,
        },
        Op::DropTable {
            schema: None,
            name: "placeholder".into(),
            existing: Some(empty),
            data_loss_ok: true,
        },
        Op::DropTable {
            schema: s("billing"),
            name: "accounts".into(),
            existing: Some(accounts),
            data_loss_ok: false,
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

/// Names and strings long enough to push every list and chain onto several lines.
pub(super) fn long_names() -> Case {
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
            not_valid: false,
        },
        Op::Execute {
            sql: "UPDATE a_table_name_long_enough_to_push_arguments_onto_their_own_lines SET x = 1 WHERE x IS NULL AND a_column_name_that_is_also_rather_long <> ''".into(),
            reverse_sql: None,
            outside_transaction: false,
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
        data_loss_ok: false,
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

use crate::ops::{
    reverse_all, AlterColumn, Constraint, ConstraintKind, IrreversibleOp, Op, Operations, Unnamed,
};
use crate::{Column, EnumType, Identity, Literal, ServerDefault, Table, Type, Unique};

fn one(f: impl FnOnce(&mut Operations)) -> Op {
    let mut op = Operations::new();
    f(&mut op);
    op.into_ops().remove(0)
}

#[test]
fn create_table_reverses_to_drop_carrying_the_definition_and_back() {
    let table = Table::new("t").column(Column::new("a", Type::Integer));
    let create = Op::CreateTable {
        table: table.clone(),
    };
    let drop = create.reverse().expect("create_table is reversible");
    assert_eq!(
        drop,
        Op::DropTable {
            schema: None,
            name: "t".into(),
            existing: Some(table),
            data_loss_ok: false
        }
    );
    assert_eq!(drop.reverse(), Ok(create));
}

#[test]
fn drop_table_without_definition_names_the_op_and_the_fix() {
    let err = one(|op| {
        op.drop_table("x");
    })
    .reverse()
    .unwrap_err();
    assert!(matches!(err, IrreversibleOp::MissingDefinition { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("drop_table(\"x\") without its definition cannot be reversed"),
        "{msg}"
    );
    assert!(msg.contains(".existing(table)"), "{msg}");
    assert!(msg.contains("write downgrade() by hand"), "{msg}");
}

#[test]
fn rename_table_swaps_names() {
    let op = one(|op| {
        op.rename_table("a", "b").schema("s");
    });
    assert_eq!(
        op.reverse(),
        Ok(Op::RenameTable {
            schema: Some("s".into()),
            old_name: "b".into(),
            new_name: "a".into()
        })
    );
}

#[test]
fn add_and_drop_column_reverse_each_other() {
    let col = Column::new("note", Type::Text).comment("x");
    let add = one(|op| {
        op.add_column("orders", col.clone());
    });
    let drop = add.reverse().expect("add_column is reversible");
    assert!(
        matches!(&drop, Op::DropColumn { existing: Some(c), column, .. } if *c == col && column == "note")
    );
    assert_eq!(drop.reverse(), Ok(add));
    let bare = one(|op| {
        op.drop_column("orders", "note");
    });
    let msg = bare.reverse().unwrap_err().to_string();
    assert!(
        msg.contains("drop_column(\"orders\", \"note\")") && msg.contains(".existing(column)"),
        "{msg}"
    );
}

#[test]
fn alter_column_swaps_each_changed_property_with_its_old_value() {
    let op = one(|op| {
        op.alter_column("orders", "note")
            .nullable(false)
            .existing_nullable(true)
            .type_(Type::Varchar(Some(10)))
            .using("left(note, 10)")
            .existing_type(Type::Text)
            .server_default(ServerDefault::text("-"))
            .existing_no_server_default()
            .new_column_name("remark");
    });
    let Op::AlterColumn(r) = op.reverse().expect("all old values are recorded") else {
        panic!("alter reverses to alter");
    };
    let mut expected = AlterColumn::new("orders", "remark");
    expected.new_name = Some("note".into());
    expected.nullable = Some(true);
    expected.existing_nullable = Some(false);
    expected.type_ = Some(Type::Text);
    expected.existing_type = Some(Type::Varchar(Some(10)));
    expected.server_default = Some(None);
    expected.existing_server_default = Some(Some(ServerDefault::text("-")));
    assert_eq!(
        r, expected,
        "the USING cast does not carry over to the reverse"
    );
}

#[test]
fn alter_column_keeps_unchanged_context_in_the_reverse() {
    let op = one(|op| {
        op.alter_column("orders", "note")
            .nullable(false)
            .existing_nullable(true)
            .existing_type(Type::Text);
    });
    let Ok(Op::AlterColumn(r)) = op.reverse() else {
        panic!("reversible");
    };
    assert_eq!(r.type_, None);
    assert_eq!(r.existing_type, Some(Type::Text));
    assert_eq!(r.nullable, Some(true));
}

#[test]
fn alter_column_without_old_value_names_the_missing_property() {
    for (property, op) in [
        (
            "nullable",
            one(|op| {
                op.alter_column("t", "c").nullable(false);
            }),
        ),
        (
            "type",
            one(|op| {
                op.alter_column("t", "c").type_(Type::Text);
            }),
        ),
        (
            "server_default",
            one(|op| {
                op.alter_column("t", "c").drop_server_default();
            }),
        ),
        (
            "comment",
            one(|op| {
                op.alter_column("t", "c").comment("x");
            }),
        ),
        (
            "identity",
            one(|op| {
                op.alter_column("t", "c").identity(Identity::always());
            }),
        ),
        (
            "computed",
            one(|op| {
                op.alter_column("t", "c").drop_computed();
            }),
        ),
    ] {
        let err = op.reverse().unwrap_err();
        assert_eq!(
            err,
            IrreversibleOp::MissingExisting {
                op: "alter_column(\"t\", \"c\")".into(),
                property: property.into()
            }
        );
        assert!(err
            .to_string()
            .contains(&format!(".existing_{property}(..)")));
    }
}

#[test]
fn a_rename_alone_is_always_reversible() {
    let op = one(|op| {
        op.alter_column("t", "a").new_column_name("b");
    });
    let back = op.reverse().expect("rename needs no old value");
    assert_eq!(back.reverse(), Ok(op));
}

#[test]
fn index_reverses_keep_the_concurrently_flag() {
    let create = one(|op| {
        op.create_index("ix", "t", ["a"]).concurrently();
    });
    let drop_ix = create.reverse().expect("named index");
    assert!(matches!(drop_ix, Op::DropIndex { concurrently: true, ref name, .. } if name == "ix"));
    assert_eq!(drop_ix.reverse(), Ok(create));
}

#[test]
fn unnamed_indexes_cannot_be_reversed_and_unnamed_constraints_drop_by_content() {
    let ix = one(|op| {
        op.create_index(Unnamed, "t", ["a"]);
    });
    let uq = one(|op| {
        op.create_unique_constraint(Unnamed, "t", ["a"]);
    });
    let fk = one(|op| {
        op.create_foreign_key(Unnamed, "t", "u", ["a"], ["a"]);
    });
    let ck = one(|op| {
        op.create_check_constraint(Unnamed, "t", "a > 0");
    });
    let pk = one(|op| {
        op.create_primary_key(Unnamed, "t", ["a"]);
    });
    // An index is dropped by name on every database.
    let err = ix.reverse().unwrap_err();
    assert!(matches!(err, IrreversibleOp::Unnamed { .. }), "{err}");
    assert!(err.to_string().contains("give it a name"), "{err}");
    // A constraint is dropped by its definition: an unnamed drop carrying it, which
    // SQLite's rebuild runs and PostgreSQL refuses to render.
    for op in [uq, fk, ck, pk] {
        let back = op
            .reverse()
            .expect("an unnamed constraint reverses to a drop by content");
        let Op::DropConstraint {
            name,
            existing: Some(c),
            ..
        } = &back
        else {
            panic!("not a drop_constraint: {back:?}");
        };
        assert_eq!(name, "");
        assert_eq!(c.name(), None);
        assert_eq!(back.reverse().as_ref(), Ok(&op));
    }
}

#[test]
fn constraints_reverse_to_drop_constraint_of_their_kind_and_back() {
    let ops = [
        one(|op| {
            op.create_unique_constraint("uq", "t", ["a"]);
        }),
        one(|op| {
            op.create_foreign_key("fk", "t", "u", ["a"], ["b"]);
        }),
        one(|op| {
            op.create_check_constraint("ck", "t", "a > 0");
        }),
        one(|op| {
            op.create_primary_key("pk", "t", ["a"]);
        }),
    ];
    let kinds = [
        ConstraintKind::Unique,
        ConstraintKind::ForeignKey,
        ConstraintKind::Check,
        ConstraintKind::PrimaryKey,
    ];
    for (op, kind) in ops.into_iter().zip(kinds) {
        let drop = op.reverse().expect("named constraint");
        assert!(
            matches!(&drop, Op::DropConstraint { kind: k, .. } if *k == kind),
            "{drop:?}"
        );
        assert_eq!(drop.reverse(), Ok(op));
    }
}

#[test]
fn drop_constraint_needs_a_definition_of_the_same_kind() {
    let bare = one(|op| {
        op.drop_constraint("uq", "t", ConstraintKind::Unique);
    });
    assert!(matches!(
        bare.reverse(),
        Err(IrreversibleOp::MissingDefinition { .. })
    ));
    let wrong = one(|op| {
        op.drop_constraint("uq", "t", ConstraintKind::ForeignKey)
            .existing(Constraint::Unique(Unique {
                name: Some("uq".into()),
                columns: vec!["a".into()],
                ..Default::default()
            }));
    });
    let msg = wrong.reverse().unwrap_err().to_string();
    assert!(
        msg.contains("foreign key") && msg.contains("unique constraint"),
        "{msg}"
    );
}

#[test]
fn table_comment_reverses_follow_alembic() {
    let fresh = one(|op| {
        op.create_table_comment("t", "new");
    });
    assert_eq!(
        fresh.reverse(),
        Ok(Op::DropTableComment {
            schema: None,
            table: "t".into(),
            existing_comment: Some("new".into())
        })
    );
    let replace = one(|op| {
        op.create_table_comment("t", "new").existing_comment("old");
    });
    assert_eq!(
        replace.reverse(),
        Ok(Op::CreateTableComment {
            schema: None,
            table: "t".into(),
            comment: "old".into(),
            existing_comment: Some("new".into())
        })
    );
    let bare = one(|op| {
        op.drop_table_comment("t");
    });
    assert!(bare
        .reverse()
        .unwrap_err()
        .to_string()
        .contains("existing comment"));
}

#[test]
fn enum_ops_reverse() {
    let create = Op::CreateEnum {
        enum_type: EnumType::new("mood", ["a", "b"]),
    };
    let drop_e = create.reverse().expect("create_enum is reversible");
    assert_eq!(drop_e.reverse(), Ok(create));
}

#[test]
fn an_added_enum_value_reverses_to_a_recreation_with_the_old_values() {
    let bare = one(|op| {
        op.add_enum_value("mood", "c");
    });
    let err = bare.reverse().unwrap_err();
    assert!(
        matches!(err, IrreversibleOp::MissingDefinition { .. }),
        "{err}"
    );
    assert!(err.to_string().contains(".existing(values)"), "{err}");

    let add = one(|op| {
        op.add_enum_value("mood", "c")
            .after("a")
            .existing(["a", "b"]);
    });
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let back = add
        .reverse()
        .expect("add_enum_value with its existing values");
    assert_eq!(
        back,
        Op::RecreateEnum {
            schema: None,
            name: "mood".into(),
            values: strings(&["a", "b"]),
            existing: Some(strings(&["a", "c", "b"])),
        }
    );
    // The recreation reverses to the values after the addition.
    assert_eq!(
        back.reverse(),
        Ok(Op::RecreateEnum {
            schema: None,
            name: "mood".into(),
            values: strings(&["a", "c", "b"]),
            existing: Some(strings(&["a", "b"])),
        })
    );
    let recorded = one(|op| {
        op.recreate_enum("mood", ["x"]);
    });
    assert!(recorded
        .reverse()
        .unwrap_err()
        .to_string()
        .contains(".existing(values)"));

    // A position next to a value the existing values lack cannot be undone exactly.
    let wrong = one(|op| {
        op.add_enum_value("mood", "c").before("zzz").existing(["a"]);
    });
    let err = wrong.reverse().unwrap_err();
    assert!(err.to_string().contains("zzz"), "{err}");
}

#[test]
fn schema_execute_and_bulk_insert() {
    let create = Op::CreateSchema { name: "s".into() };
    assert_eq!(create.reverse(), Ok(Op::DropSchema { name: "s".into() }));
    let sql = one(|op| {
        op.execute("UPDATE t SET a = 1")
            .reverse_sql("UPDATE t SET a = 0");
    });
    assert_eq!(
        sql.reverse(),
        Ok(Op::Execute {
            sql: "UPDATE t SET a = 0".into(),
            reverse_sql: Some("UPDATE t SET a = 1".into()),
            outside_transaction: false,
        })
    );
    let vacuum = one(|op| {
        op.execute("VACUUM ANALYZE t")
            .reverse_sql("VACUUM t")
            .outside_transaction();
    });
    assert_eq!(
        vacuum.reverse(),
        Ok(Op::Execute {
            sql: "VACUUM t".into(),
            reverse_sql: Some("VACUUM ANALYZE t".into()),
            outside_transaction: true,
        }),
        "the reverse SQL runs outside a transaction too"
    );
    let bare = one(|op| {
        op.execute("UPDATE t SET a = 1");
    });
    assert!(bare
        .reverse()
        .unwrap_err()
        .to_string()
        .contains(".reverse_sql(..)"));
    let rows = one(|op| {
        op.bulk_insert("t", ["a"], vec![vec![Literal::Int(1)]]);
    });
    assert!(matches!(
        rows.reverse(),
        Err(IrreversibleOp::Inherent { .. })
    ));
}

#[test]
fn reverse_all_reverses_the_order() {
    let mut op = Operations::new();
    op.create_table("a", |t| {
        t.column("x", Type::Integer);
    });
    op.create_index("ix_a_x", "a", ["x"]);
    op.add_column("a", Column::new("y", Type::Text));
    let down = reverse_all(op.ops()).expect("all reversible");
    let described: Vec<String> = down.iter().map(Op::describe).collect();
    assert_eq!(
        described,
        ["drop column a.y", "drop index ix_a_x on a", "drop table a"]
    );
}

#[test]
fn reverse_all_stops_at_the_first_irreversible_op() {
    let mut op = Operations::new();
    op.create_index("ix", "a", ["x"]);
    op.drop_table("old");
    let err = reverse_all(op.ops()).unwrap_err();
    assert!(err.to_string().contains("drop_table(\"old\")"), "{err}");
}

//! Entities: a view, a materialized view, an overloaded function, a procedure and a
//! trigger created, replaced (carrying the old definition) and dropped, with schemas,
//! declared order and multi-line definitions.

use retort_core::ops::Op;
use retort_core::{DialectKind, Entity, Function, MaterializedView, Trigger, View};

use super::{header, reversed, Case};

pub(super) fn entities() -> Case {
    let touch = Function::new(
        "touch",
        "",
        "RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$function$",
    );
    let upgrade = vec![
        Op::CreateEntity {
            entity: touch.into(),
        },
        Op::CreateEntity {
            entity: Function::new(
                "area",
                "w integer, h integer DEFAULT 1",
                "RETURNS integer LANGUAGE sql AS 'SELECT w * h'",
            )
            .in_schema("geo")
            .into(),
        },
        Op::CreateEntity {
            entity: Function::procedure(
                "archive",
                "before date",
                r#"LANGUAGE sql AS $$ DELETE FROM "orders" WHERE order_date < before $$"#,
            )
            .into(),
        },
        Op::ReplaceEntity {
            entity: View::new(
                "order_totals",
                "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
            )
            .into(),
            existing: Some(
                View::new(
                    "order_totals",
                    " SELECT orders.customer_id,\n    count(*) AS n\n   FROM orders\n  GROUP BY orders.customer_id",
                )
                .into(),
            ),
        },
        Op::CreateEntity {
            entity: MaterializedView::new("big_customers", "SELECT * FROM order_totals WHERE n > 10")
                .with_no_data()
                .after("order_totals")
                .into(),
        },
        Op::CreateEntity {
            entity: Trigger::new(
                "orders",
                "orders_touch",
                "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
            )
            .into(),
        },
        // For some databases only: a trigger of SQLite's own, and a view on two of the three.
        Op::CreateEntity {
            entity: Trigger::new(
                "orders",
                "orders_stamp",
                "AFTER UPDATE OF total ON orders BEGIN UPDATE orders SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id; END",
            )
            .only_on(DialectKind::Sqlite)
            .into(),
        },
        Op::CreateEntity {
            entity: View::new("recent", "SELECT * FROM orders WHERE order_date > now() - interval '1 day'")
                .only_on(DialectKind::Postgres)
                .only_on(DialectKind::Mysql)
                .into(),
        },
        Op::DropEntity {
            key: Entity::from(View::new("old_report", "SELECT 1")).key(),
            existing: Some(View::new("old_report", "SELECT 1").into()),
        },
    ];
    Case {
        name: "entities",
        header: header(
            "b1c2d3e4f5a6",
            &["ae0c5e9a1b20"],
            "Views, functions and triggers",
        ),
        downgrade: reversed(&upgrade),
        upgrade,
        hints: Vec::new(),
    }
}

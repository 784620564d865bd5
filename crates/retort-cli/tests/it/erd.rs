//! `erd` through the command line on PostgreSQL: the model's diagram, the history's at a
//! revision, the live database's (which names its database on the `Target:` line), DOT
//! written to a file, SVG drawn without Graphviz, and the table filter.

use retort_cli::Environment;
use retort_migrate::Migrator;

use crate::support::{database, linear, run, with_password, R1, R3};

#[test]
fn erd_draws_the_model_the_history_and_the_database() {
    let db = database("cli_erd_draws");
    let url = with_password(db.url());
    let model = Migrator::new(linear())
        .expect("linear history")
        .schema_at(&[R3]);
    let env = Environment::new(model, linear());
    let names = [(db.name(), "<db>")];
    let cli = |args: &[&str]| {
        let mut full = vec!["--url", url.as_str()];
        full.extend_from_slice(args);
        let out = run(&env, &full, &names);
        out.assert_no_secret();
        assert_eq!(out.code, 0, "{}", out.render());
        out
    };

    let model = cli(&["erd"]);
    assert!(
        model.stdout.starts_with("erDiagram\n"),
        "{}",
        model.render()
    );
    assert!(
        model.stdout.contains(
            "    customers {\n        INTEGER customer_id PK\n        VARCHAR email_address\n    }"
        ),
        "{}",
        model.render()
    );
    assert!(
        model.stdout.contains("        INTEGER customer_id FK\n"),
        "{}",
        model.render()
    );
    assert!(
        model
            .stdout
            .contains("    customers ||--o{ orders : \"customer_id\"\n"),
        "{}",
        model.render()
    );
    assert!(
        !model.stderr.contains("Target:"),
        "the model's diagram connects to nothing and says nothing of a target: {}",
        model.render()
    );

    // The history at head is the model here; at its first revision, customers alone.
    assert_eq!(cli(&["erd", "--at", "head"]).stdout, model.stdout);
    let first = cli(&["erd", "--at", R1]);
    assert!(
        first.stdout.contains("customers {") && !first.stdout.contains("orders"),
        "{}",
        first.render()
    );

    // The live database, once upgraded: the same tables and edge, under the database's
    // name for the key, and the database named.
    assert_eq!(
        run(&env, &["--url", url.as_str(), "upgrade", "head"], &names).code,
        0
    );
    let live = cli(&["erd", "--from-db"]);
    assert!(live.stderr.contains("Target:"), "{}", live.render());
    assert!(
        live.stdout.contains("    customers {") && live.stdout.contains("    orders {"),
        "{}",
        live.render()
    );
    assert!(
        live.stdout
            .contains("    customers ||--o{ orders : \"orders_customer_id_fkey\"\n"),
        "{}",
        live.render()
    );
    assert!(
        !live.stdout.contains("alembic_version") && !live.stdout.contains("retort_"),
        "bookkeeping tables are not drawn: {}",
        live.render()
    );

    // DOT into a file; one table kept, no edge.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.dot");
    let dot = cli(&["erd", "--format", "dot", "-o", path.to_str().unwrap()]);
    assert!(dot.stdout.is_empty(), "{}", dot.render());
    let text = std::fs::read_to_string(&path).expect("the DOT file");
    assert!(text.starts_with("digraph erd {"), "{text}");
    assert_eq!(text.matches(" -> ").count(), 1, "{text}");
    let svg = cli(&["erd", "--format", "svg", "--from-db"]);
    assert!(
        svg.stdout.contains("<svg")
            && svg.stdout.contains("customer_id integer PK not null")
            && svg.stdout.contains("orders_customer_id_fkey (0..* : 1)"),
        "{}",
        svg.render()
    );
    let only = cli(&["erd", "--tables", "orders"]);
    assert!(
        only.stdout.contains("    orders {")
            && !only.stdout.contains("customers {")
            && !only.stdout.contains("--"),
        "{}",
        only.render()
    );
}

/// Mermaid's own parser (npm `mermaid`, installed by scripts/test.sh) takes what `erd`
/// renders, names that need quoting and types with commas and spaces included; and rejects
/// a broken diagram, so the check can fail.
#[test]
fn the_mermaid_parses_with_mermaids_own_parser() {
    use retort_core::schema::{Column, ForeignKey, MetaData, Table, Type};
    let dir = std::env::var("RETORT_TEST_MERMAID_DIR").expect(
        "RETORT_TEST_MERMAID_DIR is not set: run the tests through scripts/test.sh, which installs Mermaid's parser (npm mermaid) and sets it",
    );
    let model = MetaData::new()
        .table(
            Table::new("customers")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("nick name", Type::Text))
                .column(Column::new("born", Type::Timestamp { tz: true }))
                .primary_key(["id"]),
        )
        .table(
            Table::new("line items")
                .schema("sales")
                .column(Column::new("id", Type::BigInt).not_null())
                .column(Column::new("customer_id", Type::Integer))
                .column(Column::new(
                    "price",
                    Type::Numeric {
                        precision: Some(10),
                        scale: Some(2),
                    },
                ))
                .primary_key(["id"])
                .foreign_key(
                    ForeignKey::new(["customer_id"], "customers", ["id"]).name("a \"quoted\" fk"),
                ),
        );
    let env = Environment::new(model, Vec::new());
    let out = run(&env, &["erd"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    let tmp = tempfile::tempdir().expect("temp dir");
    let parse = |text: &str| {
        let file = tmp.path().join("erd.mmd");
        std::fs::write(&file, text).expect("write the diagram");
        std::process::Command::new("node")
            .arg(std::path::Path::new(&dir).join("mermaid-parse.mjs"))
            .arg(&file)
            .output()
            .expect("node runs (scripts/test.sh installs it)")
    };
    let ok = parse(&out.stdout);
    assert!(
        ok.status.success(),
        "Mermaid rejected:\n{}\n{}",
        out.stdout,
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "er");
    // The last edge's label left unterminated.
    let cut = out.stdout.trim_end().trim_end_matches('"').to_owned();
    let broken = parse(&cut);
    assert!(!broken.status.success(), "a broken diagram must not parse");
}

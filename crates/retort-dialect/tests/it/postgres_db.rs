//! The rendered DDL run on a real PostgreSQL: each test gets a fresh database from
//! retort-testkit (dropped afterwards), and asserts on the catalogs, not on our own output.

use retort_core::{Column, ForeignKey, Index, MetaData, Table, Type};
use retort_dialect::{Dialect, Postgres, TableName};
use retort_testkit::{assert_same_text, db_test, normalize_pg_dump};

use crate::models;

const HOSTILE: [&str; 3] = [r#"x"; DROP TABLE y;--"#, "select", "MixedCase"];

/// `relname<TAB>attname` of every column of every table in `public`. (Results are sorted in
/// Rust: `ORDER BY` would follow the database's collation.)
const PUBLIC_COLUMNS: &str = "SELECT c.relname || chr(9) || a.attname \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_attribute a ON a.attrelid = c.oid \
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped";

const PUBLIC_TABLES: &str = "SELECT c.relname::text FROM pg_class c \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname = 'public' AND c.relkind = 'r'";

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

db_test!(
    hostile_names_create_exactly_those_objects,
    [postgres],
    |db| {
        db.execute("CREATE TABLE y (id integer)").await?;
        // Three tables, each named by one hostile name, each with a column of every hostile name.
        let mut md = MetaData::new();
        for name in HOSTILE {
            let mut t = Table::new(name).comment(format!("{name} ' \\ comment"));
            for col in HOSTILE {
                t = t.column(Column::new(col, Type::Text).comment(col));
            }
            md.add_table(t.index(Index::on_columns(["MixedCase"]).name(format!("{name} ix"))));
        }
        db.execute_all(&Postgres.create_all(&md)?).await?;

        let mut expected_tables: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
        expected_tables.push("y".into());
        assert_eq!(
            sorted(db.query_strings(PUBLIC_TABLES).await?),
            sorted(expected_tables)
        );
        let mut expected_columns = vec!["y\tid".to_string()];
        for t in HOSTILE {
            for c in HOSTILE {
                expected_columns.push(format!("{t}\t{c}"));
            }
        }
        assert_eq!(
            sorted(db.query_strings(PUBLIC_COLUMNS).await?),
            sorted(expected_columns)
        );
        let indexes = db
            .query_strings("SELECT relname::text FROM pg_class WHERE relkind = 'i'")
            .await?;
        let expected_indexes: Vec<String> = HOSTILE.iter().map(|n| format!("{n} ix")).collect();
        assert!(
            expected_indexes.iter().all(|ix| indexes.contains(ix)),
            "{indexes:?}"
        );
        let comments = db
            .query_strings(
                "SELECT d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid \
             WHERE d.objsubid = 0 AND c.relname <> 'y'",
            )
            .await?;
        let expected_comments: Vec<String> = HOSTILE
            .iter()
            .map(|n| format!("{n} ' \\ comment"))
            .collect();
        assert_eq!(sorted(comments), sorted(expected_comments));

        db.execute_all(&Postgres.drop_all(&md)?).await?;
        assert_eq!(
            sorted(db.query_strings(PUBLIC_TABLES).await?),
            ["y"],
            "only y is left"
        );
        Ok(())
    }
);

db_test!(every_kind_creates_and_drops_cleanly, [postgres], |db| {
    let md = models::everything();
    let before = db.user_objects().await?;
    db.execute(&Postgres.create_schema("app")?).await?;
    let create = Postgres.create_all(&md)?;
    db.execute_all(&create).await?;

    let tables = db
        .query_strings(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'app' AND c.relkind = 'r'",
        )
        .await?;
    let tables = sorted(tables);
    let expected: Vec<String> = md.tables().iter().map(|t| t.name.clone()).collect();
    assert_eq!(tables, sorted(expected));
    // Every index the model names exists; the unnamed one got the convention's name.
    let indexes = db
        .query_strings("SELECT indexrelid::regclass::text FROM pg_index")
        .await?;
    for t in md.tables() {
        for ix in &t.indexes {
            let name = format!(
                "app.{}",
                ix.name.as_deref().expect("named by the convention")
            );
            assert!(indexes.contains(&name), "{name} missing from {indexes:?}");
        }
    }
    // Every foreign key exists, the cycle's ones included, with the names we predicted.
    let fks = db
        .query_strings(
            "SELECT conrelid::regclass::text || ' ' || conname FROM pg_constraint \
             WHERE contype = 'f'",
        )
        .await?;
    let fks = sorted(fks);
    let mut expected_fks = Vec::new();
    for t in md.tables() {
        for fk in &t.foreign_keys {
            let name = Postgres.foreign_key_name(TableName::of(t), fk)?;
            expected_fks.push(format!("app.{} {name}", t.name));
        }
    }
    assert_eq!(fks, sorted(expected_fks));
    assert_eq!(
        db.query_strings("SELECT count(*)::text FROM pg_type WHERE typtype = 'e'")
            .await?,
        ["1"]
    );

    db.execute_all(&Postgres.drop_all(&md)?).await?;
    db.execute(&Postgres.drop_schema("app")?).await?;
    assert_eq!(db.user_objects().await?, before, "drop_all leaves nothing");
    Ok(())
});

db_test!(seed_model_matches_the_alembic_pg_dump, [postgres], |db| {
    db.execute_all(&Postgres.create_all(&models::seed())?)
        .await?;
    let ours = normalize_pg_dump(&db.pg_dump_schema().await?, &[]);
    let oracle = normalize_pg_dump(
        include_str!("../../../../examples/ecommerce/tests/oracle/seed_alembic_pg_dump.sql"),
        &["alembic_version"],
    );
    assert_same_text("Alembic's pg_dump", &oracle, "ours", &ours);
    Ok(())
});

db_test!(
    unnamed_foreign_keys_get_the_name_we_predict,
    [postgres],
    |db| {
        // PostgreSQL's own naming, long names included, is what drop_all relies on for cycles.
        let parent = Table::new("parent")
            .column(Column::new("a", Type::Integer).not_null())
            .column(Column::new("b", Type::Integer).not_null())
            .unique(["a", "b"]);
        let long_table = "t".repeat(50);
        let child = Table::new(long_table.as_str())
            .column(Column::new("c".repeat(30), Type::Integer))
            .column(Column::new("é".repeat(20), Type::Integer))
            .foreign_key(ForeignKey::new(
                ["c".repeat(30), "é".repeat(20)],
                "parent",
                ["a", "b"],
            ));
        let md = MetaData::new().table(parent).table(child);
        db.execute_all(&Postgres.create_all(&md)?).await?;
        let names = db
            .query_strings("SELECT conname FROM pg_constraint WHERE contype = 'f'")
            .await?;
        let t = &md.tables()[1];
        let predicted = Postgres.foreign_key_name(TableName::of(t), &t.foreign_keys[0])?;
        assert_eq!(names, [predicted]);
        Ok(())
    }
);

db_test!(alter_statements_run, [postgres], |db| {
    db.execute(&Postgres.create_schema("app")?).await?;
    let md = MetaData::new()
        .with_schema("app")
        .enum_type(retort_core::EnumType::new("mood", ["happy"]))
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("parent_id", Type::Integer))
                .column(Column::new("mood", Type::enumeration("mood"))),
        );
    db.execute_all(&Postgres.create_all(&md)?).await?;
    let statements = crate::ddl_snapshots::alter_statements(&Postgres)?;
    // All but the last two (drop the column, rename the table), then look at the rows.
    let (changes, drop_and_rename) = statements.split_at(statements.len() - 2);
    db.execute_all(changes).await?;
    let rows = db
        .query_strings("SELECT id || ':' || mood || ':' || note FROM app.orders ORDER BY id")
        .await?;
    assert_eq!(rows, ["1:sad:it's", r"2:meh:back\slash"]);
    db.execute_all(drop_and_rename).await?;
    let columns = db
        .query_strings(
            r#"SELECT attname::text FROM pg_attribute WHERE attrelid = 'app."Orders Archive"'::regclass
               AND attnum > 0 AND NOT attisdropped ORDER BY attnum"#,
        )
        .await?;
    assert_eq!(columns, ["id", "parent_id", "mood"]);
    let labels = db
        .query_strings("SELECT enumlabel::text FROM pg_enum ORDER BY enumsortorder")
        .await?;
    assert_eq!(labels, ["happy", "meh", "it's fine", "sad"]);
    let constraints = db
        .query_strings(
            r#"SELECT conname::text FROM pg_constraint
               WHERE conrelid = 'app."Orders Archive"'::regclass"#,
        )
        .await?;
    let constraints = sorted(constraints);
    assert_eq!(
        constraints,
        ["orders_parent_id_fkey", "orders_pkey"],
        "the unique and check constraints on `note` went with it"
    );
    Ok(())
});

//! `revision --baseline` (issue 18, item 3): a database no revision made is adopted. On
//! PostgreSQL (enum, standalone sequence, identity, composite key, foreign key, unique,
//! check, index, comment, view, materialized view, function, trigger, policy and row level
//! security, grant), SQLite (tables, index, view, trigger) and MariaDB (tables, keys, index,
//! check): the baseline is written and the database stamped at it; `check` with the model
//! the history builds is clean and `revision --autogenerate` finds nothing; the written
//! file is the writer's text of the planned ops, and those ops build the same schema on an
//! empty database (`pg_dump -s` / `sqlite_schema` with pragmas / `SHOW CREATE TABLE`,
//! normalised). Refused, by name: what the revision could not carry (a range type, a table in a
//! schema not read, MariaDB's stored function, SQLite's virtual table), a history with
//! revisions, a database already recorded at a revision.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use retort_cli::Environment;
use retort_core::graph::Revision;
use retort_core::ops::Op;
use retort_core::MetaData;
use retort_migrate::{baseline, AnyDriver, DatabaseUrl, Migrator, Script};

use crate::support::{database, env, linear, mysql_database, run, with_password, Outcome};

const ID: &str = "ba5e00000001";
const IGNORED: &[&str] = &["retort_version", "retort_log"];

/// A migrations folder with a retort.toml and an empty versions/.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("retort.toml");
    std::fs::write(
        &config,
        "script_location = \".\"\npost_write_hook = \"none\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("versions")).unwrap();
    (dir, config)
}

/// The only file of versions/ and its text.
fn written(dir: &Path) -> String {
    let files: Vec<PathBuf> = std::fs::read_dir(dir.join("versions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0]
            .to_string_lossy()
            .ends_with(&format!("{ID}_adopt.rs")),
        "{files:?}"
    );
    std::fs::read_to_string(&files[0]).unwrap()
}

/// The baseline as the next build has it. A file outside the subset the build reads from
/// its text (a check constraint, a schema...) is compiled by the build, which a test
/// cannot do in-process: the stand-in records the ops `baseline::plan` gives for the
/// database, and the test holds the written file to be exactly the writer's text of those
/// ops (that the writer's text records its ops is retort-script-check's test).
static OPS: OnceLock<(Vec<Op>, Vec<Op>)> = OnceLock::new();
fn up(op: &mut retort_core::ops::Operations) {
    OPS.get()
        .expect("planned")
        .0
        .iter()
        .for_each(|o| op.push(o.clone()));
}
fn down(op: &mut retort_core::ops::Operations) {
    OPS.get()
        .expect("planned")
        .1
        .iter()
        .for_each(|o| op.push(o.clone()));
}

/// `baseline::plan` on the database at `url` (read only; before the CLI stamps it).
fn planned(url: &str) -> baseline::Baseline {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let url = DatabaseUrl::parse(url).unwrap();
        let mut driver = AnyDriver::connect(&url).await.unwrap();
        let migrator = Migrator::new(Vec::new()).unwrap();
        let plan = baseline::plan(
            &mut driver,
            &migrator,
            &MetaData::new(),
            &Default::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let _ = retort_migrate::driver::Driver::close(driver).await;
        plan
    })
}

fn compiled(plan: &baseline::Baseline, text: &str) -> Vec<Script> {
    let (up_body, down_body) = plan.bodies().unwrap();
    let body = |f: &str| {
        let start = text
            .find(&format!("pub fn {f}("))
            .unwrap_or_else(|| panic!("no {f} in {text}"));
        text[start..].split_once('\n').unwrap().1.to_owned()
    };
    let strip = |b: &str| b.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        strip(&body("upgrade")).starts_with(&strip(&up_body)),
        "{text}\n---\n{up_body}"
    );
    assert!(
        strip(&body("downgrade")).starts_with(&strip(&down_body)),
        "{text}\n---\n{down_body}"
    );
    // Where the build reads it from its text, it records exactly these ops.
    if let Ok(read) = retort_core::ops::read::read_revision(text) {
        assert_eq!(read.upgrade, plan.upgrade);
        assert_eq!(read.downgrade, plan.downgrade);
    }
    OPS.set((plan.upgrade.clone(), plan.downgrade.clone()))
        .expect("one baseline a test");
    vec![Script {
        revision: Revision::new(ID).message("adopt"),
        upgrade: up,
        downgrade: down,
        path: "versions/ba5e00000001_adopt.rs",
        checksum: "0000000000000000000000000000000000000000000000000000000000000000",
    }]
}

fn ok(out: Outcome) -> Outcome {
    out.assert_no_secret();
    assert_eq!(out.code, 0, "{}", out.render());
    out
}

/// Adopts the database at `url`: baseline written and stamped, then the history (the
/// baseline alone) as the next build has it, with a model equal to the database (the
/// schema the history builds): `check` clean, autogenerate empty, the database at it.
fn adopt(url: &str, names: &[(&str, &str)]) -> Environment {
    let plan = planned(url);
    let (dir, config) = project();
    let c = config.to_str().unwrap();
    let out = ok(run(
        &env(Vec::new()),
        &[
            "--url",
            url,
            "-c",
            c,
            "revision",
            "--baseline",
            "-m",
            "adopt",
            "--rev-id",
            ID,
        ],
        names,
    ));
    assert!(
        out.stderr
            .contains(&format!("Stamped the database at {ID} without running it")),
        "{}",
        out.render()
    );
    let scripts = compiled(&plan, &written(dir.path()));
    let model = Migrator::new(scripts.clone())
        .expect("the baseline alone")
        .schema_at(&[ID]);
    let env = Environment::new(model, scripts);
    let current = ok(run(&env, &["--url", url, "current"], names));
    assert!(current.stdout.contains(ID), "{}", current.render());
    let check = ok(run(&env, &["--url", url, "check"], names));
    assert!(
        check.stdout.contains("No new upgrade operations detected."),
        "{}",
        check.render()
    );
    let again = ok(run(
        &env,
        &[
            "--url",
            url,
            "-c",
            c,
            "revision",
            "--autogenerate",
            "-m",
            "none",
        ],
        names,
    ));
    assert!(
        again.stdout.contains("No changes in schema detected"),
        "{}",
        again.render()
    );
    // A second baseline: the history has one now.
    let twice = run(
        &env,
        &[
            "--url",
            url,
            "-c",
            c,
            "revision",
            "--baseline",
            "-m",
            "again",
        ],
        names,
    );
    assert_eq!(twice.code, 2, "{}", twice.render());
    assert!(
        twice
            .stderr
            .contains("writes the first revision of an empty history"),
        "{}",
        twice.render()
    );
    drop(dir);
    env
}

const PG_SCHEMA: &str = r#"
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE invoice_numbers START 1000;
CREATE TABLE people (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name varchar(100) NOT NULL,
    email text NOT NULL UNIQUE,
    feeling mood NOT NULL DEFAULT 'ok',
    born date CHECK (born > '1900-01-01'),
    changed timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE people IS 'who is who';
CREATE TABLE pets (
    owner_id integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name text NOT NULL,
    kind varchar(20),
    PRIMARY KEY (owner_id, name)
);
CREATE INDEX ix_pets_kind ON pets (kind);
CREATE VIEW happy_people AS SELECT id, name FROM people WHERE feeling = 'happy';
CREATE MATERIALIZED VIEW feelings AS SELECT feeling, count(*) AS n FROM people GROUP BY feeling;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER people_touch BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE pets ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_pets ON pets USING (owner_id > 0);
GRANT SELECT ON people TO PUBLIC;
"#;

#[test]
fn a_postgres_database_is_adopted_and_its_history_builds_it_again() {
    let db = database("cli_baseline_pg");
    let url = with_password(db.url());
    let names = [(db.name(), "<db>")];
    db.execute(PG_SCHEMA);
    let env = adopt(&url, &names);

    // The history builds the same schema on an empty database.
    let fresh = database("cli_baseline_pg_fresh");
    let fresh_url = with_password(fresh.url());
    ok(run(
        &env,
        &["--url", &fresh_url, "upgrade", "head"],
        &[(fresh.name(), "<db>")],
    ));
    let adopted = retort_testkit::normalize_pg_dump(&db.dump(), IGNORED);
    let rebuilt = retort_testkit::normalize_pg_dump(&fresh.dump(), IGNORED);
    assert!(adopted.contains("CREATE TRIGGER people_touch"), "{adopted}");
    retort_testkit::assert_same_text(
        "pg_dump -s of the adopted database",
        &adopted,
        "pg_dump -s of an empty database upgraded through the baseline",
        &rebuilt,
    );
    // And takes it down again.
    ok(run(
        &env,
        &["--url", &fresh_url, "downgrade", "base"],
        &[(fresh.name(), "<db>")],
    ));
    fresh.close();
    db.close();
}

/// What the baseline cannot carry is refused by name, and nothing is written or stamped:
/// a range type (no model object), a table in a schema not read; a database already recorded
/// at a revision; a history with revisions.
#[test]
fn what_a_baseline_cannot_carry_is_refused_by_name() {
    let db = database("cli_baseline_refused");
    let url = with_password(db.url());
    let names = [(db.name(), "<db>")];
    db.execute(
        "CREATE TYPE span AS RANGE (subtype = integer); \
         CREATE TABLE t (id integer PRIMARY KEY, n span); \
         CREATE SCHEMA billing; CREATE TABLE billing.invoices (id integer PRIMARY KEY)",
    );
    let (dir, config) = project();
    let c = config.to_str().unwrap();
    let out = run(
        &env(Vec::new()),
        &["--url", &url, "-c", c, "revision", "--baseline"],
        &names,
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr
            .contains("range type span: Retort has no model object for a range type")
            && out
                .stderr
                .contains("table billing.invoices: not read: its schema is not among those read")
            && out.stderr.contains("nothing was written"),
        "{}",
        out.render()
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("versions"))
            .unwrap()
            .count(),
        0
    );
    assert_eq!(
        db.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'retort_version'"),
        ["0"]
    );

    // Already recorded at a revision (stamped by hand): refused.
    db.execute("DROP TABLE t; DROP TYPE span; DROP SCHEMA billing CASCADE; CREATE TABLE t (id integer PRIMARY KEY)");
    db.execute("CREATE TABLE retort_version (version_num varchar(32) PRIMARY KEY); INSERT INTO retort_version VALUES ('abcd11112222')");
    let out = run(
        &env(Vec::new()),
        &["--url", &url, "-c", c, "revision", "--baseline"],
        &names,
    );
    assert_eq!(out.code, 1, "{}", out.render());
    assert!(
        out.stderr
            .contains("recorded at revision abcd11112222 already"),
        "{}",
        out.render()
    );

    // A history with revisions: refused before anything is read.
    let out = run(
        &env(linear()),
        &["--url", &url, "-c", c, "revision", "--baseline"],
        &names,
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains("this one has 3 revision(s)")
            && out.stderr.contains("revision --autogenerate"),
        "{}",
        out.render()
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("versions"))
            .unwrap()
            .count(),
        0
    );
    db.close();
}

const SQLITE_SCHEMA: &str = "
CREATE TABLE authors (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(80) NOT NULL UNIQUE,
    born DATE
);
CREATE TABLE books (
    id INTEGER NOT NULL PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    pages INTEGER CHECK (pages > 0),
    added TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_books_title ON books (title);
CREATE VIEW long_books AS SELECT id, title FROM books WHERE pages > 500;
CREATE TRIGGER books_added AFTER INSERT ON books BEGIN UPDATE books SET added = CURRENT_TIMESTAMP WHERE id = NEW.id; END;
";

/// The `CHECK (..)` clauses of a `CREATE TABLE` text, as written.
fn checks(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = sql;
    while let Some(i) = rest.find("CHECK (") {
        let tail = &rest[i + "CHECK ".len()..];
        let mut depth = 0;
        let end = tail
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(tail.len(), |(j, _)| j + 1);
        out.push(tail[..end].to_owned());
        rest = &tail[end..];
    }
    out
}

/// SQLite's schema, normalised: a table's columns (type, NOT NULL, default without the
/// parentheses Retort writes around it, key position), foreign keys, unique and other
/// indexes by their columns, and checks; views', triggers' and indexes' `CREATE` text with
/// white space collapsed and identifier quotes taken off. A table's `CREATE TABLE` text
/// itself differs (a constraint written inline or after the columns is the same table).
fn sqlite_schema(rt: &tokio::runtime::Runtime, db: &retort_testkit::TestDb) -> Vec<String> {
    let q = |sql: &str| {
        rt.block_on(db.query_strings(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let user =
        "m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.tbl_name NOT LIKE 'retort\\_%' ESCAPE '\\'";
    let mut out: Vec<String> = q(&format!(
        "SELECT m.type || ' ' || m.name || ': ' || coalesce(m.sql, '') FROM sqlite_schema m \
         WHERE m.type <> 'table' AND m.sql IS NOT NULL AND {user}"
    ))
    .iter()
    .map(|s| {
        s.replace(['"', '`'], "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
    .collect();
    let default = |d: &str| {
        let d = d.trim();
        d.strip_prefix('(')
            .and_then(|d| d.strip_suffix(')'))
            .unwrap_or(d)
            .to_owned()
    };
    for row in q(&format!(
        "SELECT m.name || '|' || p.name || '|' || p.type || '|' || p.\"notnull\" || '|' || \
         coalesce(p.dflt_value, '') || '|' || p.pk \
         FROM sqlite_schema m, pragma_table_xinfo(m.name) p WHERE m.type = 'table' AND {user}"
    )) {
        let f: Vec<&str> = row.split('|').collect();
        out.push(format!(
            "column {}.{} {} notnull={} default={} pk={}",
            f[0],
            f[1],
            f[2],
            f[3],
            default(f[4]),
            f[5]
        ));
    }
    out.extend(q(&format!(
        "SELECT 'foreign key ' || m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\" || \
         ' on delete ' || f.on_delete || ' on update ' || f.on_update \
         FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND {user}"
    )));
    out.extend(q(&format!(
        "SELECT 'index ' || m.name || ' unique=' || i.\"unique\" || ' origin=' || i.origin || ' (' || \
         (SELECT group_concat(c.name, ',') FROM pragma_index_info(i.name) c) || ')' \
         FROM sqlite_schema m, pragma_index_list(m.name) i WHERE m.type = 'table' AND {user}"
    )));
    for row in q(&format!(
        "SELECT m.name || '|' || m.sql FROM sqlite_schema m WHERE m.type = 'table' AND {user}"
    )) {
        let (table, sql) = row.split_once('|').unwrap();
        out.extend(
            checks(sql)
                .into_iter()
                .map(|c| format!("check {table} {c}")),
        );
    }
    out.sort();
    out
}

#[test]
fn a_sqlite_database_is_adopted_and_its_history_builds_it_again() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = rt.block_on(retort_testkit::TestDb::sqlite("cli_baseline_sqlite"));
    for statement in SQLITE_SCHEMA.split(";\n").filter(|s| !s.trim().is_empty()) {
        rt.block_on(db.execute(statement))
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    let env = adopt(db.url(), &[]);
    let fresh = rt.block_on(retort_testkit::TestDb::sqlite("cli_baseline_sqlite_fresh"));
    ok(run(&env, &["--url", fresh.url(), "upgrade", "head"], &[]));
    let adopted = sqlite_schema(&rt, &db);
    assert!(
        adopted.contains(&"check books (pages > 0)".to_owned()),
        "{adopted:#?}"
    );
    assert!(
        adopted.iter().any(|o| o.starts_with("trigger books_added")),
        "{adopted:#?}"
    );
    assert_eq!(adopted, sqlite_schema(&rt, &fresh));
    rt.block_on(fresh.close()).unwrap();
    rt.block_on(db.close()).unwrap();
}

/// MariaDB: the test database carries the testkit's marker, a stored function, which
/// Retort does not read on MySQL: the baseline refuses it by name rather than leave it out.
#[test]
fn a_mariadb_stored_function_is_refused_by_name() {
    let db = mysql_database("cli_baseline_mysql");
    let url = db.url().to_owned();
    db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
    let (_dir, config) = project();
    let c = config.to_str().unwrap();
    let out = run(
        &env(Vec::new()),
        &["--url", &url, "-c", c, "revision", "--baseline"],
        &[(db.name(), "<db>")],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr
            .contains("function retort_testkit_marker: not read back"),
        "{}",
        out.render()
    );
    assert!(!out.stderr.contains("table t:"), "{}", out.render());
    db.close();
}

const MARIADB_SCHEMA: &[&str] = &[
    "CREATE TABLE authors (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, \
     name VARCHAR(80) NOT NULL UNIQUE, born DATE)",
    "CREATE TABLE books (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, author_id INT NOT NULL, \
     title VARCHAR(200) NOT NULL, pages INT, CONSTRAINT ck_pages CHECK (pages > 0), \
     CONSTRAINT fk_books_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_books_title ON books (title)",
];

/// MariaDB, once the testkit's marker (a stored function Retort does not read) is out of
/// the way for the adoption (put back after, so the cleanup still knows the database):
/// the tables come back alike (`SHOW CREATE TABLE` of each). The check is a table's here:
/// a column's inline `CHECK` is read as a table check (MariaDB names it after the column)
/// and comes back as `CONSTRAINT pages CHECK (..)` after the columns, the same constraint
/// in another place of `SHOW CREATE TABLE`.
#[test]
fn a_mariadb_database_is_adopted_and_its_history_builds_it_again() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = rt.block_on(retort_testkit::TestDb::mysql("cli_baseline_mysql_adopt"));
    let marker = rt
        .block_on(db.query_strings(
            "SELECT CAST(ROUTINE_COMMENT AS CHAR) FROM information_schema.ROUTINES \
             WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'retort_testkit_marker'",
        ))
        .unwrap();
    assert_eq!(marker.len(), 1, "{marker:?}");
    rt.block_on(db.execute("DROP FUNCTION retort_testkit_marker"))
        .unwrap();
    for statement in MARIADB_SCHEMA {
        rt.block_on(db.execute(statement))
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    let names = [(db.name(), "<db>")];
    let url = db.url().to_owned();
    let adopted = std::panic::catch_unwind(|| adopt(&url, &names));
    rt.block_on(db.execute(&format!(
        "CREATE FUNCTION retort_testkit_marker() RETURNS INT DETERMINISTIC NO SQL COMMENT '{}' RETURN 1",
        marker[0].replace('\\', "\\\\").replace('\'', "''")
    )))
    .unwrap();
    let env = adopted.unwrap_or_else(|e| std::panic::resume_unwind(e));
    let fresh = rt.block_on(retort_testkit::TestDb::mysql("cli_baseline_mysql_fresh"));
    ok(run(
        &env,
        &["--url", fresh.url(), "upgrade", "head"],
        &[(fresh.name(), "<db>")],
    ));
    let tables = |d: &retort_testkit::TestDb| -> Vec<String> {
        rt.block_on(d.mysql_schema())
            .unwrap()
            .into_iter()
            .filter(|t| !t.contains("`retort_version`") && !t.contains("`retort_log`"))
            .collect()
    };
    let before = tables(&db);
    assert_eq!(before.len(), 2, "{before:#?}");
    assert_eq!(before, tables(&fresh));
    rt.block_on(fresh.close()).unwrap();
    rt.block_on(db.close()).unwrap();
}

/// SQLite: a virtual table (full-text search) has no model object; refused by name.
#[test]
fn a_sqlite_virtual_table_is_refused_by_name() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = rt.block_on(retort_testkit::TestDb::sqlite(
        "cli_baseline_sqlite_virtual",
    ));
    rt.block_on(db.execute("CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY, body TEXT)"))
        .unwrap();
    rt.block_on(db.execute("CREATE VIRTUAL TABLE notes_search USING fts5(body)"))
        .unwrap();
    let (dir, config) = project();
    let c = config.to_str().unwrap();
    let out = run(
        &env(Vec::new()),
        &["--url", db.url(), "-c", c, "revision", "--baseline"],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr
            .contains("virtual table notes_search: Retort has no model object for a virtual table"),
        "{}",
        out.render()
    );
    assert!(!out.stderr.contains("table notes:"), "{}", out.render());
    assert_eq!(
        std::fs::read_dir(dir.path().join("versions"))
            .unwrap()
            .count(),
        0
    );
    rt.block_on(db.close()).unwrap();
}

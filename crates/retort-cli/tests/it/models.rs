//! `models --from-db` through the command line on PostgreSQL: the migrations binary writes
//! the configured database's models (on stdout, one file, or a file a table), naming its
//! target and never its password; the `retort` tool does the same with `--url` and no
//! project. What the models say is the generator's to test (`retort_migrate::models`) and
//! the round trip's (`retort-models-check`).

use retort_cli::{Environment, Printer};
use retort_core::MetaData;

use crate::support::{database, run, with_password};

const SCHEMA: &str = "CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE artists (artist_id serial PRIMARY KEY, name varchar(120) NOT NULL, mood mood);
CREATE TABLE albums (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    artist_id integer NOT NULL REFERENCES artists ON DELETE CASCADE);
CREATE VIEW artist_names AS SELECT name FROM artists;";

#[test]
fn models_from_db_writes_the_databases_models() {
    let db = database("cli_models_from_db");
    db.execute(SCHEMA);
    let url = with_password(db.url());
    let env = Environment::new(MetaData::new(), Vec::new());
    let names = [(db.name(), "<db>")];
    let out = run(&env, &["--url", &url, "models", "--from-db"], &names);
    out.assert_no_secret();
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(out.stderr.contains("Target: "), "{}", out.render());
    for expected in [
        "#[derive(DbEnum)]\n#[retort(name = \"mood\")]\npub enum Mood {\n    Sad,\n    Ok,\n}",
        "table = \"artists\"",
        "pub struct Artist {",
        // ON DELETE CASCADE: the database deletes the albums (SQLAlchemy's passive_deletes).
        "has_many(albums = Album, back_populates = \"artist\", passive_deletes)",
        "belongs_to(artist = Artist, back_populates = \"albums\")",
        "on_delete = \"cascade\"",
        "pub mood: Option<Mood>,",
        "View::new(",
        ".only_on(DialectKind::Postgres)",
    ] {
        assert!(
            out.stdout.contains(expected),
            "no {expected:?} in:\n{}",
            out.stdout
        );
    }

    // One file a table, and the same through the `retort` tool with no project.
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("models");
    let out = run(
        &env,
        &[
            "--url",
            &url,
            "models",
            "--from-db",
            "--dir",
            folder.to_str().unwrap(),
        ],
        &names,
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["albums.rs", "artists.rs", "enums.rs", "mod.rs"]);
    let root = std::fs::read_to_string(folder.join("mod.rs")).unwrap();
    assert!(
        root.contains("mod albums;") && root.contains("pub use artists::*;"),
        "{root}"
    );

    let file = dir.path().join("models.rs");
    let mut printer = Printer::captured();
    let code = retort_cli::tool::execute(
        [
            "retort",
            "models",
            "--from-db",
            "--url",
            &url,
            "-o",
            file.to_str().unwrap(),
        ]
        .map(Into::into)
        .to_vec(),
        &mut printer,
    );
    assert_eq!(code, 0, "{}", printer.stderr());
    assert!(
        !printer.stderr().contains(crate::support::SECRET),
        "{}",
        printer.stderr()
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("pub struct Album {"), "{written}");
    db.close();
}

/// What the read does not bring back (here a range type and a materialized view's storage
/// parameters) is named in a warning and in the file's header, never left out without a
/// word: models generated from this database would otherwise lose it silently. A foreign
/// key's `MATCH FULL`, a domain, the rules of a view and of a table and an index's storage
/// parameters are carried:
/// written, not warned about.
#[test]
fn models_from_db_names_what_the_models_cannot_carry() {
    let db = database("cli_models_unread");
    db.execute(
        "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TYPE span AS RANGE (subtype = integer);
CREATE TABLE items (id integer PRIMARY KEY, qty positive, during span);
CREATE INDEX items_qty ON items (qty) WITH (fillfactor = 90);
CREATE MATERIALIZED VIEW item_totals WITH (fillfactor = 70) AS SELECT count(*) AS n FROM items;
CREATE VIEW item_ids AS SELECT id FROM items;
CREATE RULE item_ids_insert AS ON INSERT TO item_ids DO INSTEAD INSERT INTO items (id) VALUES (NEW.id);
CREATE RULE items_kept AS ON DELETE TO items DO INSTEAD NOTHING;
CREATE TABLE pairs (a integer, b integer, PRIMARY KEY (a, b));
CREATE TABLE uses (a integer, b integer,
    CONSTRAINT uses_pair_fkey FOREIGN KEY (a, b) REFERENCES pairs MATCH FULL);",
    );
    let url = db.url().to_owned();
    let env = Environment::new(MetaData::new(), Vec::new());
    let names = [(db.name(), "<db>")];
    let out = run(&env, &["--url", &url, "models", "--from-db"], &names);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        !out.stderr.contains("uses_pair_fkey") && out.stdout.contains(r#"match = "full""#),
        "the MATCH FULL key is not carried:\n{}",
        out.render()
    );
    // Written (rustfmt lays each call out over several lines), not warned about.
    let written = out.stdout.split_whitespace().collect::<String>();
    for (carried, call) in [
        ("items_kept", r#"Rule::new("items","items_kept","#),
        (
            "item_ids_insert",
            r#"Rule::new("item_ids","item_ids_insert","#,
        ),
        ("positive", r#"Domain::new("positive","ASintegerCONSTRAINT"#),
        ("items_qty", r#"name="items_qty",with="fillfactor=90""#),
    ] {
        assert!(
            !out.stderr.contains(carried) && written.contains(call),
            "{carried} is not carried:\n{}",
            out.render()
        );
    }
    for name in ["range type span", "item_totals WITH (fillfactor=70)"] {
        assert!(
            out.stderr.contains(name),
            "no warning naming {name}:\n{}",
            out.render()
        );
        let header: String = out
            .stdout
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            header.contains(name),
            "the header does not name {name}:\n{header}"
        );
    }
}

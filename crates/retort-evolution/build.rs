//! Finds every case folder under `cases/` so that adding a case is adding a folder: no list
//! to edit. Writes `$OUT_DIR/cases.rs`, which `tests/it/main.rs` includes: one module per
//! case (its `case.rs` by `#[path]`), with one `#[test]` per dialect the case runs on.
//!
//! A case runs on every dialect (`postgres`, `sqlite`, `mysql`: MariaDB or MySQL) unless
//! its `case.rs` declares `pub const DIALECTS: &[&str] = &["postgres"];` (the names are the
//! testkit's constructors); the generated code checks at run time that the list it was
//! built from is the one the module declares. `pub fn seed_rows()` and `pub fn probes()`
//! are detected the same way.
//!
//! A dialect whose database cannot hold what a case asks is declared in the case's
//! `pub const UNSUPPORTED: &[Unsupported]`, passed in (the test must then fail as
//! declared: `retort_evolution::run_case`) and listed in `UNSUPPORTED_LIST` for the test
//! that keeps `unsupported.md` current.
//!
//! A case on both PostgreSQL and SQLite also gets one test per direction of a portable history
//! (`sqlite_to_postgres`, `postgres_to_sqlite`: `retort_evolution::run_cross`); its
//! `pub const NOT_PORTABLE: &[NotPortable]`, if any, is passed in and listed in
//! `NOT_PORTABLE_LIST` (case name, declarations) for the test that keeps
//! `not_portable.md` current.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

const ALL_DIALECTS: [&str; 3] = ["postgres", "sqlite", "mysql"];

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("cases");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut names: Vec<String> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read the case folder {}: {e}", root.display()))
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("case.rs").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut out = String::new();
    // The declarations of the cases that run on PostgreSQL and SQLite and have one.
    let mut portable: Vec<String> = Vec::new();
    // The declarations of the cases that some dialect cannot run.
    let mut unsupported_list: Vec<String> = Vec::new();
    // Each case and the dialects it runs on.
    let mut case_dialects: Vec<String> = Vec::new();
    for name in &names {
        let file = root.join(name).join("case.rs");
        println!("cargo:rerun-if-changed={}", file.display());
        let text = fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let dialects = declared_dialects(&text, &file);
        case_dialects.push(format!("({name:?}, &{dialects:?})"));
        let seeds = if text.contains("pub fn seed_rows(") {
            "case::seed_rows()"
        } else {
            "::std::vec::Vec::new()"
        };
        let probes = if text.contains("pub fn probes(") {
            "case::probes()"
        } else {
            "::std::vec::Vec::new()"
        };
        let not_portable = if text.contains("pub const NOT_PORTABLE") {
            "case::NOT_PORTABLE"
        } else {
            "&[]"
        };
        let unsupported = if text.contains("pub const UNSUPPORTED") {
            "case::UNSUPPORTED"
        } else {
            "&[]"
        };
        // Roles (PostgreSQL, cluster-wide): created for the test and dropped after it.
        let roles = if text.contains("pub const ROLES") {
            "case::ROLES"
        } else {
            "&[]"
        };
        let by_hand = if text.contains("pub fn by_hand(") {
            "case::by_hand()"
        } else {
            "::std::vec::Vec::new()"
        };
        let warnings = if text.contains("pub const WARNINGS") {
            "case::WARNINGS"
        } else {
            "&[]"
        };
        let online = if text.contains("pub const ONLINE") {
            "case::ONLINE"
        } else {
            "false"
        };
        let module = format!(
            "case_{}",
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let dir = root.join(name);
        writeln!(out, "mod {module} {{").unwrap();
        writeln!(out, "    #[path = {:?}]", file.display().to_string()).unwrap();
        writeln!(out, "    pub(crate) mod case;").unwrap();
        writeln!(out, "    fn spec() -> ::retort_evolution::Case {{").unwrap();
        writeln!(out, "        ::retort_evolution::Case {{ name: {name:?}, dir: {:?}, before: case::before(), after: case::after(), seeds: {seeds}, probes: {probes}, not_portable: {not_portable}, unsupported: {unsupported}, roles: {roles}, by_hand: {by_hand}, warnings: {warnings}, online: {online} }}", dir.display().to_string()).unwrap();
        writeln!(out, "    }}").unwrap();
        if text.contains("pub const DIALECTS") {
            writeln!(out, "    #[test] fn dialects_listed() {{ assert_eq!(case::DIALECTS, &{dialects:?}, \"build.rs read DIALECTS of {name} differently\"); }}").unwrap();
        }
        for d in &dialects {
            writeln!(out, "    #[test] fn {d}() {{ ::retort_testkit::block_on(::retort_evolution::run_case(spec(), ::retort_testkit::TestDialect::{})); }}", camel(d)).unwrap();
        }
        // The lint of the case's upgrade on PostgreSQL (issue 15): no false alarm.
        if dialects.contains(&"postgres") && !text.contains("dialect: \"postgres\"") {
            writeln!(out, "    #[test] fn lint_postgres() {{ ::retort_testkit::block_on(::retort_evolution::lint_case(spec())); }}").unwrap();
        }
        if unsupported != "&[]" {
            writeln!(out, "    #[test] fn unsupported_on_its_dialects() {{ for u in case::UNSUPPORTED {{ assert!({dialects:?}.contains(&u.dialect), \"{name}: UNSUPPORTED names {{}}, which the case does not run on\", u.dialect); }} }}").unwrap();
            unsupported_list.push(format!("({name:?}, {module}::case::UNSUPPORTED)"));
        }
        if dialects.contains(&"postgres") && dialects.contains(&"sqlite") {
            for (from, to) in [("sqlite", "postgres"), ("postgres", "sqlite")] {
                writeln!(out, "    #[test] fn {from}_to_{to}() {{ ::retort_testkit::block_on(::retort_evolution::run_cross(spec(), ::retort_testkit::TestDialect::{}, ::retort_testkit::TestDialect::{})); }}", camel(from), camel(to)).unwrap();
            }
            if not_portable != "&[]" {
                portable.push(format!("({name:?}, {module}::case::NOT_PORTABLE)"));
            }
        } else if not_portable != "&[]" {
            panic!(
                "{}: NOT_PORTABLE is for cases that run on both PostgreSQL and SQLite",
                file.display()
            );
        }
        writeln!(out, "}}").unwrap();
    }
    writeln!(out, "pub const CASE_COUNT: usize = {};", names.len()).unwrap();
    writeln!(
        out,
        "pub const CASE_DIALECTS: &[(&str, &[&str])] = &[{}];",
        case_dialects.join(", ")
    )
    .unwrap();
    writeln!(
        out,
        "pub const NOT_PORTABLE_LIST: &[(&str, &[::retort_evolution::NotPortable])] = &[{}];",
        portable.join(", ")
    )
    .unwrap();
    writeln!(
        out,
        "pub const UNSUPPORTED_LIST: &[(&str, &[::retort_evolution::Unsupported])] = &[{}];",
        unsupported_list.join(", ")
    )
    .unwrap();
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("cases.rs");
    fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}

/// The dialect names of `pub const DIALECTS: &[&str] = &["postgres", ..];`, or all of them.
fn declared_dialects(text: &str, file: &Path) -> Vec<&'static str> {
    let Some(line) = text.lines().find(|l| l.contains("pub const DIALECTS")) else {
        return ALL_DIALECTS.to_vec();
    };
    let listed: Vec<&'static str> = ALL_DIALECTS
        .iter()
        .copied()
        .filter(|d| line.contains(&format!("\"{d}\"")))
        .collect();
    assert!(
        !listed.is_empty(),
        "{}: DIALECTS must name at least one of {ALL_DIALECTS:?} on its one line",
        file.display()
    );
    listed
}

fn camel(dialect: &str) -> &'static str {
    match dialect {
        "postgres" => "Postgres",
        "sqlite" => "Sqlite",
        "mysql" => "Mysql",
        other => panic!("unknown dialect {other}"),
    }
}

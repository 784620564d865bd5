//! The configuration chapter (`docs/guide/configuration.md`) against the code that reads
//! `retort.toml`: its "every key" block loads (an unknown key would be refused), it names
//! every key the loader knows (read from the loader's source, so a new key without its line
//! in the guide fails here), and the defaults it states are the loader's.

use std::path::Path;
use std::time::Duration;

use retort::migrate::config::{PostWriteHook, TransactionMode};
use retort::migrate::Config;

fn repo(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
    .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first ```toml block of the chapter: the one with every key.
fn every_key_block() -> String {
    let chapter = repo("docs/guide/configuration.md");
    let start = chapter.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + chapter[start..].find("```").unwrap();
    chapter[start..end].to_owned()
}

/// The field names of `struct NAME { .. }` in a source file.
fn fields(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("struct {name} {{"))
        .unwrap_or_else(|| panic!("no struct {name}"));
    let body = &source[start..start + source[start..].find("\n}").unwrap()];
    body.lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, _)| k.trim_start_matches("pub ").to_owned())
        })
        .collect()
}

#[test]
fn the_block_of_every_key_loads_in_both_environments() {
    let text = every_key_block();
    let config = Config::parse(&text, "/srv/shop/migrations/retort.toml").unwrap();
    let base = config.settings(None, &|_| None).unwrap();
    assert_eq!(base.version_table, "retort_version");
    assert_eq!(base.autogenerate.exclude_tables, ["tmp_*", "legacy.*"]);
    let prod = config
        .settings(Some("production"), &|v| {
            (v == "PROD_DATABASE_URL").then(|| "postgres://app@db/shop".to_owned())
        })
        .unwrap();
    assert_eq!(prod.timeouts.lock_wait, Duration::from_secs(30));
    assert!(prod.url.is_some());
}

#[test]
fn the_block_names_every_key_the_loader_knows() {
    let text = every_key_block();
    let mut keys = fields(&repo("crates/retort-migrate/src/config.rs"), "RawSettings");
    keys.extend(fields(
        &repo("crates/retort-migrate/src/autogenerate.rs"),
        "RawAutogenerate",
    ));
    keys.extend(fields(
        &repo("crates/retort-migrate/src/lint/mod.rs"),
        "RawLint",
    ));
    assert!(keys.len() > 15, "the loader's keys are found: {keys:?}");
    for key in keys {
        let present = match key.as_str() {
            "autogenerate" => text.contains("[autogenerate]"),
            "env" => text.contains("[env."),
            "lint" => text.contains("[lint]"),
            "rules" => text.contains("[lint.rules]"),
            k => text.lines().any(|l| l.starts_with(&format!("{k} = "))),
        };
        assert!(
            present,
            "retort.toml key `{key}` is missing from docs/guide/configuration.md"
        );
    }
}

#[test]
fn the_documented_defaults_are_the_loaders() {
    let config = Config::parse("", "/srv/shop/retort.toml").unwrap();
    let s = config.settings(None, &|_| None).unwrap();
    assert_eq!(s.script_location, Path::new("/srv/shop/migrations"));
    assert_eq!(s.url, None);
    assert_eq!(s.version_table, "retort_version");
    assert_eq!(s.version_table_schema, None);
    assert_eq!(s.log_table, "retort_log");
    assert_eq!(s.transaction_mode, TransactionMode::PerRevision);
    assert_eq!(s.file_template, "{rev}_{slug}");
    assert_eq!(s.post_write_hook, PostWriteHook::None);
    assert_eq!(s.timeouts.lock_wait, Duration::from_secs(600));
    assert_eq!(s.timeouts.statement, None);
    assert_eq!(s.timeouts.ddl_lock, None);
    assert_eq!(s.timeouts.ddl_lock_retries, 0);
    assert_eq!(s.autogenerate.include_schemas, None);
    assert!(s.autogenerate.include_tables.is_empty());
    assert!(s.autogenerate.exclude_tables.is_empty());
    assert!(s.autogenerate.compare_type);
    assert!(s.autogenerate.compare_server_default);
    let (url, _) = s.resolve_url(None, None).unwrap();
    assert!(url.to_string().contains("/srv/shop/retort.db"), "{url}");
}

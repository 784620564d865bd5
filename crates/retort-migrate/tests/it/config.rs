//! `retort.toml`: environments, interpolation, URL precedence, and that no password
//! reaches a message.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use retort_migrate::config::render_file_name;
use retort_migrate::{Backend, Config, ConfigError, PostWriteHook, TransactionMode, UrlSource};

const TOML: &str = r#"
url = "postgres://dev@localhost/app_dev"
version_table = "schema_versions"
transaction_mode = "all"
post_write_hook = ["rustfmt", "--edition", "2021"]

[env.production]
url = "postgres://app:${PROD_PASSWORD}@db.internal/app"
version_table_schema = "${SCHEMA:-ops}"
transaction_mode = "per-revision"

[env.staging]
url = "${STAGING_URL}"
post_write_hook = "none"
"#;

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |k| map.get(k).cloned()
}

fn config() -> Config {
    Config::parse(TOML, "/proj/retort.toml").unwrap()
}

#[test]
fn top_level_settings_and_defaults() {
    let s = config().settings(None, &vars(&[])).unwrap();
    assert_eq!(s.version_table, "schema_versions");
    assert_eq!(s.log_table, "retort_log");
    assert_eq!(s.version_table_schema, None);
    assert_eq!(s.transaction_mode, TransactionMode::All);
    assert_eq!(s.file_template, "{rev}_{slug}");
    assert_eq!(s.script_location, Path::new("/proj/migrations"));
    assert_eq!(
        s.post_write_hook,
        PostWriteHook::Command(vec!["rustfmt".into(), "--edition".into(), "2021".into()])
    );
    assert_eq!(
        s.url.as_ref().map(|u| u.to_string()).as_deref(),
        Some("postgres://dev@localhost/app_dev")
    );
}

#[test]
fn environment_overrides_and_interpolates() {
    let s = config()
        .settings(Some("production"), &vars(&[("PROD_PASSWORD", "p@ss:w%rd")]))
        .unwrap();
    let url = s.url.clone().unwrap();
    assert_eq!(
        url.expose_secret(),
        "postgres://app:p@ss:w%rd@db.internal/app"
    );
    assert_eq!(url.to_string(), "postgres://app:***@db.internal/app");
    assert_eq!(url.backend(), Backend::Postgres);
    assert_eq!(s.version_table_schema.as_deref(), Some("ops"));
    assert_eq!(s.transaction_mode, TransactionMode::PerRevision);
    // Not overridden: inherited from the top level.
    assert_eq!(s.version_table, "schema_versions");
    // Settings' Debug shows the URL redacted.
    let debug = format!("{s:?}");
    assert!(!debug.contains("p@ss"), "{debug}");
    assert_eq!(s.tables().schema.as_deref(), Some("ops"));
}

#[test]
fn unknown_environment_lists_the_known_ones() {
    let err = config().settings(Some("prod"), &vars(&[])).unwrap_err();
    assert!(matches!(err, ConfigError::UnknownEnvironment { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("`prod`") && msg.contains("production, staging"),
        "{msg}"
    );
    assert!(msg.contains("/proj/retort.toml"), "{msg}");
}

#[test]
fn unset_variable_names_variable_and_file() {
    let err = config()
        .settings(Some("production"), &vars(&[]))
        .unwrap_err();
    let ConfigError::UnsetVariable {
        ref var, ref path, ..
    } = err
    else {
        panic!("{err}");
    };
    assert_eq!(var, "PROD_PASSWORD");
    assert_eq!(path, &PathBuf::from("/proj/retort.toml"));
    let msg = err.to_string();
    assert!(
        msg.contains("PROD_PASSWORD") && msg.contains("/proj/retort.toml"),
        "{msg}"
    );
    // An environment that is not selected is not interpolated.
    assert!(config()
        .settings(Some("staging"), &vars(&[("STAGING_URL", "sqlite://s.db")]))
        .is_ok());
}

#[test]
fn malformed_toml_names_file_line_and_column() {
    let text = "version_table = \"v\"\nurl = \"postgres://u:hunter2@h/d\"\nlog_table = = 3\n";
    let err = Config::parse(text, "/proj/retort.toml").unwrap_err();
    let ConfigError::Parse { line, column, .. } = err else {
        panic!("{err}");
    };
    assert_eq!(line, 3);
    assert_eq!(column, 13);
    let msg = err.to_string();
    assert!(msg.starts_with("/proj/retort.toml:3:13: "), "{msg}");
    assert!(!msg.contains("hunter2"), "{msg}");

    // A misspelt key is an error too, located.
    let err = Config::parse("\n\nverison_table = \"v\"\n", "r.toml").unwrap_err();
    assert!(err.to_string().starts_with("r.toml:3:1: "), "{err}");
    assert!(err.to_string().contains("verison_table"), "{err}");
}

#[test]
fn url_precedence() {
    let s = config().settings(None, &vars(&[])).unwrap();
    let (u, src) = s
        .resolve_url(Some("sqlite://cli.db"), Some("postgres://env@h/d"))
        .unwrap();
    assert_eq!(
        (u.expose_secret(), src),
        ("sqlite://cli.db", UrlSource::CommandLine)
    );
    let (u, src) = s.resolve_url(None, Some("postgres://env@h/d")).unwrap();
    assert_eq!(
        (u.expose_secret(), src),
        ("postgres://env@h/d", UrlSource::EnvironmentVariable)
    );
    let (u, src) = s.resolve_url(None, Some("")).unwrap();
    assert_eq!(
        (u.expose_secret(), src),
        ("postgres://dev@localhost/app_dev", UrlSource::Config)
    );
    let bare = Config::parse("", "/proj/retort.toml")
        .unwrap()
        .settings(None, &vars(&[]))
        .unwrap();
    let (u, src) = bare.resolve_url(None, None).unwrap();
    assert_eq!(src, UrlSource::SqliteDefault);
    assert_eq!(u.backend(), Backend::Sqlite);
    assert_eq!(u.expose_secret(), "sqlite:///proj/retort.db?mode=rwc");
}

#[test]
fn bad_urls_are_reported_redacted() {
    let s = config().settings(None, &vars(&[])).unwrap();
    let err = s
        .resolve_url(Some("oracle://root:topsecret@h/d"), None)
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("--url: "), "{msg}");
    assert!(!msg.contains("topsecret"), "{msg}");
    let err = s.resolve_url(None, Some("root:topsecret@h/d")).unwrap_err();
    assert!(!err.to_string().contains("topsecret"), "{err}");
    assert!(err.to_string().contains("DATABASE_URL"), "{err}");

    let text = "[env.x]\nurl = \"oracle://u:${PW}@h\"\n";
    let err = Config::parse(text, "r.toml")
        .unwrap()
        .settings(Some("x"), &vars(&[("PW", "s3cr3t")]))
        .unwrap_err();
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
    assert!(err.to_string().contains("r.toml [env.x] url"), "{err}");
}

#[test]
fn file_names_from_the_template() {
    assert_eq!(
        render_file_name(
            "{rev}_{slug}",
            "5cc88b64dda9",
            "Initial commit, created customers!"
        ),
        "5cc88b64dda9_initial_commit_created_customers"
    );
    assert_eq!(render_file_name("{rev}_{slug}", "ab12", ""), "ab12");
    let err = Config::parse("file_template = \"{slug}\"", "r.toml")
        .unwrap()
        .settings(None, &vars(&[]))
        .unwrap_err();
    assert!(err.to_string().contains("{rev}"), "{err}");
}

#[test]
fn post_write_hook_runs_or_reports() {
    use retort_migrate::HookOutcome;
    let file = std::env::temp_dir().join(format!("retort-hook-{}.rs", std::process::id()));
    std::fs::write(&file, "fn main(){}\n").unwrap();
    assert_eq!(
        PostWriteHook::None.run(&file).unwrap(),
        HookOutcome::Disabled
    );
    let ran = PostWriteHook::Command(vec!["true".into()])
        .run(&file)
        .unwrap();
    assert_eq!(
        ran,
        HookOutcome::Ran {
            command: "true".into()
        }
    );
    let err = PostWriteHook::Command(vec!["false".into()])
        .run(&file)
        .unwrap_err();
    assert!(err.to_string().contains("`false` failed"), "{err}");
    let err = PostWriteHook::Command(vec!["retort-no-such-formatter".into()])
        .run(&file)
        .unwrap_err();
    assert!(
        err.to_string().contains("retort-no-such-formatter"),
        "{err}"
    );
    // The default formats when rustfmt is there, and is skipped when it is not.
    match PostWriteHook::Rustfmt.run(&file).unwrap() {
        HookOutcome::Ran { .. } => {
            assert_eq!(std::fs::read_to_string(&file).unwrap(), "fn main() {}\n")
        }
        other => assert_eq!(other, HookOutcome::RustfmtMissing),
    }
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn interpolation_escapes_defaults_and_mistakes() {
    let parse = |text: &str| Config::parse(text, "r.toml").unwrap();
    let s = parse("log_table = \"log_$$_${SUFFIX:-x}_$HOME\"")
        .settings(None, &vars(&[]))
        .unwrap();
    assert_eq!(s.log_table, "log_$_x_$HOME");
    let s = parse("log_table = \"log_${SUFFIX:-x}\"")
        .settings(None, &vars(&[("SUFFIX", "prod")]))
        .unwrap();
    assert_eq!(s.log_table, "log_prod");
    let err = parse("log_table = \"log_${SUFFIX\"")
        .settings(None, &vars(&[]))
        .unwrap_err();
    assert!(err.to_string().contains("no closing"), "{err}");
    let err = parse("log_table = \"log_${1X}\"")
        .settings(None, &vars(&[]))
        .unwrap_err();
    assert!(
        err.to_string().contains("not a valid variable name"),
        "{err}"
    );
    let err = Config::parse("[env.a.env.b]\nurl = \"x\"\n", "r.toml").unwrap_err();
    assert!(err.to_string().contains("cannot be nested"), "{err}");
    let err = Config::parse("transaction_mode = \"sometimes\"\n", "r.toml").unwrap_err();
    assert!(err.to_string().starts_with("r.toml:1:20: "), "{err}");
}

#[test]
fn timeouts_per_environment() {
    use std::time::Duration;
    let text = "lock_timeout = \"30s\"\nstatement_timeout = 120\n\
                [env.prod]\nlock_timeout = \"${LOCK:-2m}\"\nddl_lock_timeout = \"500ms\"\nddl_lock_retries = 3\n\
                [env.bad]\nlock_timeout = \"soon\"\n";
    let cfg = Config::parse(text, "/p/retort.toml").unwrap();
    let base = cfg.settings(None, &vars(&[])).unwrap().timeouts;
    assert_eq!(base.lock_wait, Duration::from_secs(30));
    assert_eq!(base.statement, Some(Duration::from_secs(120)));
    assert_eq!((base.ddl_lock, base.ddl_lock_retries), (None, 0));
    let prod = cfg.settings(Some("prod"), &vars(&[])).unwrap().timeouts;
    assert_eq!(prod.lock_wait, Duration::from_secs(120));
    assert_eq!(prod.statement, Some(Duration::from_secs(120)), "inherited");
    assert_eq!(prod.ddl_lock, Some(Duration::from_millis(500)));
    assert_eq!(prod.ddl_lock_retries, 3);
    let prod = cfg
        .settings(Some("prod"), &vars(&[("LOCK", "5s")]))
        .unwrap();
    assert_eq!(prod.timeouts.lock_wait, Duration::from_secs(5));
    // The default, and --lock-timeout on top.
    let none = Config::parse("", "/p/retort.toml").unwrap();
    let t = none.settings(None, &vars(&[])).unwrap().timeouts;
    assert_eq!(t.lock_wait, retort_migrate::Timeouts::DEFAULT_LOCK_WAIT);
    let flag = retort_migrate::parse_duration("1500ms").unwrap();
    assert_eq!(
        t.with_lock_wait(flag).lock_wait,
        Duration::from_millis(1500)
    );
    let err = cfg
        .settings(Some("bad"), &vars(&[]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("lock_timeout") && err.contains("`soon` is not a duration"),
        "{err}"
    );
}

/// `online` is off unless asked for, set per environment, inherited from the top level, and
/// refused with the file and line when it is not a boolean.
#[test]
fn online_per_environment() {
    let text = "[env.prod]\nonline = true\n[env.dev]\n";
    let cfg = Config::parse(text, "/p/retort.toml").unwrap();
    assert!(!cfg.settings(None, &vars(&[])).unwrap().online);
    assert!(cfg.settings(Some("prod"), &vars(&[])).unwrap().online);
    assert!(!cfg.settings(Some("dev"), &vars(&[])).unwrap().online);
    let all = Config::parse(
        "online = true\n[env.dev]\nonline = false\n[env.prod]\n",
        "r.toml",
    )
    .unwrap();
    assert!(
        all.settings(Some("prod"), &vars(&[])).unwrap().online,
        "inherited"
    );
    assert!(!all.settings(Some("dev"), &vars(&[])).unwrap().online);
    let err = Config::parse("online = \"yes\"\n", "r.toml").unwrap_err();
    assert!(err.to_string().starts_with("r.toml:1:"), "{err}");
}

//! Passwords never show: Display and Debug of every config and URL type, errors, offline
//! SQL and connection failures.

use retort_fault::{history, Variant};
use retort_migrate::{AnyDriver, Config, DatabaseUrl, Migrator, Target};

const SECRETS: &[&str] = &["p@ss:w%40rd?x", "hunter2", "qwxy:zzqv@wvu#kk", "s3cr3t%3A"];

fn urls(secret: &str) -> Vec<String> {
    vec![
        format!("postgres://app:{secret}@127.0.0.1:1/db"),
        format!("postgresql://app:{secret}@127.0.0.1:1/db?sslmode=disable"),
        format!("postgres://127.0.0.1:1/db?user=app&password={secret}"),
    ]
}

fn assert_hidden(text: &str, secret: &str) {
    // The secret, and its distinctive parts, never appear.
    assert!(!text.contains(secret), "leaked {secret:?} in: {text}");
    for part in secret
        .split(['@', ':', '%', '?', '#'])
        .filter(|p| p.len() >= 4)
    {
        assert!(
            !text.contains(part),
            "leaked part {part:?} of {secret:?} in: {text}"
        );
    }
}

#[test]
fn urls_and_config_never_show_the_password() {
    for secret in SECRETS {
        for raw in urls(secret) {
            let url = DatabaseUrl::parse(&raw).expect("parses");
            assert_hidden(&url.to_string(), secret);
            assert_hidden(&format!("{url:?}"), secret);
            assert_hidden(&url.redacted(), secret);
            assert_hidden(&format!("{:?}", Target::from(&url)), secret);
            let pg = sqlx::postgres::PgConnectOptions::new()
                .host("db")
                .username("app")
                .password(secret);
            assert_hidden(&format!("{:?}", Target::Postgres(pg)), secret);

            let toml = format!("url = {raw:?}\n[env.prod]\nurl = \"${{PROD_URL}}\"\n");
            let cfg = Config::parse(&toml, "retort.toml").expect("config parses");
            assert_hidden(&format!("{cfg:?}"), secret);
            let vars = |name: &str| (name == "PROD_URL").then(|| raw.clone());
            for env in [None, Some("prod")] {
                let settings = cfg.settings(env, &vars).expect("settings");
                assert_hidden(&format!("{settings:?}"), secret);
                let (resolved, _) = settings.resolve_url(None, None).expect("resolves");
                assert_hidden(&resolved.to_string(), secret);
            }
            // A config too broken to parse still does not quote it.
            let broken = format!("url = {raw:?} nonsense\n");
            let err = Config::parse(&broken, "retort.toml").unwrap_err();
            assert_hidden(&err.to_string(), secret);
            assert_hidden(&format!("{err:?}"), secret);
            // Nor does a URL refused for its scheme or shape.
            let bad = raw.replacen("postgres", "oracle", 1);
            let err = DatabaseUrl::parse(&bad).unwrap_err();
            assert_hidden(&format!("{err} {err:?}"), secret);
        }
    }
}

#[test]
fn connection_errors_and_offline_sql_never_show_the_password() {
    retort_testkit::block_on(async {
        for secret in SECRETS {
            for raw in urls(secret) {
                let url = DatabaseUrl::parse(&raw).expect("parses");
                let Err(err) = AnyDriver::connect(&url).await else {
                    panic!("connected to a closed port");
                };
                assert_hidden(&format!("{err} {err:?}"), secret);
                let migrator = Migrator::new(history(Variant::Good)).expect("graph");
                let sql = migrator
                    .offline_upgrade(url.backend(), "head")
                    .expect("offline SQL");
                assert_hidden(&sql, secret);
            }
        }
    });
}

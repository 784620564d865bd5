//! Passwords never show: Display and Debug of every config and URL type, errors, offline
//! SQL and connection failures.

use retort_fault::{history_on, Variant};
use retort_migrate::{AnyDriver, Config, DatabaseUrl, Migrator, Target};
use retort_testkit::db_test;

use crate::support::{run, text};

const SECRETS: &[&str] = &["p@ss:w%40rd?x", "hunter2", "qwxy:zzqv@wvu#kk", "s3cr3t%3A"];

fn urls(secret: &str) -> Vec<String> {
    vec![
        format!("postgres://app:{secret}@127.0.0.1:1/db"),
        format!("postgresql://app:{secret}@127.0.0.1:1/db?sslmode=disable"),
        format!("postgres://127.0.0.1:1/db?user=app&password={secret}"),
        format!("mysql://app:{secret}@127.0.0.1:1/db"),
        format!("mariadb://app:{secret}@127.0.0.1:1/db?ssl-mode=disabled"),
        format!("mysql://127.0.0.1:1/db?user=app&password={secret}"),
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
            let scheme = raw.split("://").next().expect("a scheme");
            let bad = raw.replacen(scheme, "oracle", 1);
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
                let migrator =
                    Migrator::new(history_on(Variant::Good, url.backend())).expect("graph");
                let sql = migrator
                    .offline_upgrade(url.backend(), "head")
                    .expect("offline SQL");
                assert_hidden(&sql, secret);
            }
        }
    });
}

/// The percent-encoded form of `secret` for a URL's userinfo.
fn encoded(secret: &str) -> String {
    secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

db_test!(a_mysql_password_never_shows_in_a_run, [mysql], |db| {
    // A real user with a password on the real server: a failing run's and a refused
    // connection's every line, and a URL whose password is wrong.
    let user = format!("retort_pw_{}", std::process::id());
    let secret = "s3cr3t:qxvw@zzkq%mrpl";
    db.execute(&format!("DROP USER IF EXISTS '{user}'@'%'"))
        .await?;
    db.execute(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY '{secret}'"
    ))
    .await?;
    db.execute(&format!("GRANT ALL ON `{}`.* TO '{user}'@'%'", db.name()))
        .await?;
    let (_, rest) = db.url().split_once('@').expect("user@host URL");
    let url = format!("mysql://{user}:{}@{rest}", encoded(secret));
    let wrong = format!("mysql://{user}:{}@{rest}", encoded("hunter2-wrong"));
    // Caught, so the user is dropped whatever happens.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut outputs = Vec::new();
        // Connected: the run fails at R3's second statement and says so.
        let out = run(
            &db,
            &["upgrade", "head"],
            &[
                ("RETORT_FAULT_URL", url.as_str()),
                ("RETORT_FAULT_HISTORY", "fail-last"),
            ],
        );
        assert!(!out.status.success());
        let stderr = text(&out.stderr);
        assert!(stderr.contains("no_such_table"), "{stderr}");
        outputs.push((secret, format!("{}{stderr}", text(&out.stdout))));
        // Refused by the server for a wrong password.
        let out = run(
            &db,
            &["upgrade", "head"],
            &[("RETORT_FAULT_URL", wrong.as_str())],
        );
        assert!(!out.status.success());
        let stderr = text(&out.stderr);
        assert!(stderr.contains("Access denied"), "{stderr}");
        outputs.push(("hunter2-wrong", format!("{}{stderr}", text(&out.stdout))));
        outputs
    }));
    db.execute(&format!("DROP USER '{user}'@'%'")).await?;
    let outcome = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    for (secret, output) in outcome {
        assert_hidden(&output, secret);
        assert_hidden(&output, &encoded(secret));
    }
    Ok(())
});

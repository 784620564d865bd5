//! The test environment: three revisions written with the operations API (so online and
//! offline SQL come from the dialect), a branchy history for the graph commands, and a
//! runner that captures and normalises output.

use retort_cli::{Environment, Printer};
use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::schema::{FkAction, Identity, ServerDefault, Type};
use retort_core::MetaData;
use retort_migrate::Script;

pub const R1: &str = "abcd11112222";
pub const R2: &str = "abcd33334444";
pub const R3: &str = "ef0155556666";

/// A password that must never appear in any output.
pub const SECRET: &str = "Secr3tPassw0rd";

fn up1(op: &mut Operations) {
    op.create_table("customers", |t| {
        t.column("customer_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("email_address", Type::Varchar(None)).not_null();
        t.primary_key(["customer_id"]);
    });
}
fn down1(op: &mut Operations) {
    op.drop_table("customers");
}
fn up2(op: &mut Operations) {
    op.create_table("orders", |t| {
        t.column("order_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("customer_id", Type::Integer).not_null();
        t.column("order_date", Type::Timestamp { tz: true })
            .server_default(ServerDefault::expr("now()"))
            .not_null();
        t.foreign_key(["customer_id"], "customers", ["customer_id"])
            .on_delete(FkAction::Cascade);
        t.primary_key(["order_id"]);
    });
}
fn down2(op: &mut Operations) {
    op.drop_table("orders");
}
fn up3(op: &mut Operations) {
    op.execute("CREATE INDEX ix_orders_date ON orders (order_date)");
}
fn down3(op: &mut Operations) {
    op.execute("DROP INDEX ix_orders_date");
}
fn nothing(_: &mut Operations) {}

pub fn script(
    revision: Revision,
    up: fn(&mut Operations),
    down: fn(&mut Operations),
    path: &'static str,
) -> Script {
    Script {
        revision,
        upgrade: up,
        downgrade: down,
        path,
        checksum: "0000000000000000000000000000000000000000000000000000000000000000",
    }
}

/// R1 <- R2 <- R3.
pub fn linear() -> Vec<Script> {
    vec![
        script(
            Revision::new(R1).message("create customers"),
            up1,
            down1,
            "versions/abcd11112222_create_customers.rs",
        ),
        script(
            Revision::new(R2).message("create orders").down_revision(R1),
            up2,
            down2,
            "versions/abcd33334444_create_orders.rs",
        ),
        script(
            Revision::new(R3)
                .message("index order dates")
                .down_revision(R2),
            up3,
            down3,
            "versions/ef0155556666_index_order_dates.rs",
        ),
    ]
}

/// base1 <- {left (label `left`), right}: two heads and one branch point.
pub fn branchy() -> Vec<Script> {
    vec![
        script(
            Revision::new("b0000000base").message("base"),
            nothing,
            nothing,
            "versions/b0000000base_base.rs",
        ),
        script(
            Revision::new("c1111111left")
                .message("left side")
                .down_revision("b0000000base")
                .branch_labels(&["left"]),
            nothing,
            nothing,
            "versions/c1111111left_left_side.rs",
        ),
        script(
            Revision::new("d2222222rght")
                .message("right side")
                .down_revision("b0000000base"),
            nothing,
            nothing,
            "versions/d2222222rght_right_side.rs",
        ),
    ]
}

pub fn env(scripts: Vec<Script>) -> Environment {
    Environment::new(MetaData::new(), scripts)
}

/// What one command line did.
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Exit code and both streams, for a snapshot.
    pub fn render(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Fails the test if the password appears anywhere.
    pub fn assert_no_secret(&self) -> &Self {
        assert!(
            !self.stdout.contains(SECRET) && !self.stderr.contains(SECRET),
            "the password leaked:\n{}",
            self.render()
        );
        self
    }
}

/// Runs `args` (without the program name) against `env`; `replace` maps volatile text
/// (database names, temporary paths) to stable placeholders.
pub fn run(env: &Environment, args: &[&str], replace: &[(&str, &str)]) -> Outcome {
    let mut printer = Printer::captured();
    let mut argv = vec!["migrations"];
    argv.extend_from_slice(args);
    let code = retort_cli::execute(argv, env, &mut printer);
    // The test server's address appears in `Target:` lines; `normalize` makes it `<server>`.
    Outcome {
        code,
        stdout: normalize(printer.stdout(), replace),
        stderr: normalize(&printer.stderr(), replace),
    }
}

/// Replaces `replace`'s pairs, then the test server's `host:port` by `<server>` (5432 here,
/// a random port under the throwaway cluster of `scripts/test.sh`), then every `N ms`
/// duration by `<n> ms`.
pub fn normalize(text: &str, replace: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in replace {
        if !from.is_empty() {
            text = text.replace(from, to);
        }
    }
    if let Some(server) = retort_testkit::env::postgres_server_url() {
        text = retort_testkit::normalize_server(&text, &server);
    }
    if let Some(server) = retort_testkit::env::mysql_server_url() {
        text = retort_testkit::normalize_server(&text, &server);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find(" ms") {
        let head = &rest[..i];
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str(&head[..head.len() - digits]);
            out.push_str("<n>");
        } else {
            out.push_str(head);
        }
        out.push_str(" ms");
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// `url` with the test password added (the test server trusts local connections, so the
/// password is accepted and ignored); the URL is unchanged if it already has one.
pub fn with_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some(at) = rest.rfind('@') else {
        return format!("{scheme}://postgres:{SECRET}@{rest}");
    };
    let userinfo = &rest[..at];
    if userinfo.contains(':') {
        return url.to_owned();
    }
    format!("{scheme}://{userinfo}:{SECRET}@{}", &rest[at + 1..])
}

/// A fresh PostgreSQL database for one test, with the runtime its pool lives on: a pool
/// cannot outlive the runtime that made it, and the command line runs on runtimes of its
/// own, so the test keeps one for the database.
pub struct Db {
    rt: tokio::runtime::Runtime,
    db: Option<retort_testkit::TestDb>,
}

impl Db {
    fn db(&self) -> &retort_testkit::TestDb {
        self.db
            .as_ref()
            .expect("the database is open until close()")
    }
    pub fn url(&self) -> &str {
        self.db().url()
    }
    pub fn name(&self) -> &str {
        self.db().name()
    }
    pub fn execute(&self, sql: &str) {
        self.rt
            .block_on(self.db().execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    /// The rows of one query, as strings.
    pub fn query(&self, sql: &str) -> Vec<String> {
        self.rt
            .block_on(self.db().query_strings(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
    /// `pg_dump -s`, normalised.
    pub fn dump(&self) -> String {
        let text = self
            .rt
            .block_on(self.db().pg_dump_schema())
            .unwrap_or_else(|e| panic!("{e}"));
        retort_testkit::normalize_pg_dump(&text, &[])
    }
    /// Drops the database.
    pub fn close(mut self) {
        if let Some(db) = self.db.take() {
            if let Err(e) = self.rt.block_on(db.close()) {
                panic!("{e}");
            }
        }
    }
}

pub fn database(test: &str) -> Db {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime for the test database");
    let db = rt.block_on(retort_testkit::TestDb::postgres(test));
    Db { rt, db: Some(db) }
}

/// A fresh MariaDB/MySQL database for one test (see [`database`]).
pub fn mysql_database(test: &str) -> Db {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime for the test database");
    let db = rt.block_on(retort_testkit::TestDb::mysql(test));
    Db { rt, db: Some(db) }
}

#[test]
fn durations_are_normalised() {
    assert_eq!(
        normalize("a (12 ms)\nin 0 ms; 5 ms x ms", &[]),
        "a (<n> ms)\nin <n> ms; <n> ms x ms"
    );
    assert_eq!(
        with_password("postgres://postgres@h:5432/d"),
        format!("postgres://postgres:{SECRET}@h:5432/d")
    );
}

//! Policies, row level security and grants through a real history on PostgreSQL: the
//! runner applies them, live and offline autogenerate compare clean, a grant the model
//! drops is revoked while one made by hand is only named in a warning (and stops its table
//! from being dropped, as a trigger made by hand does), and a grant to a role that does not
//! exist is refused, naming the role, before anything is compared, and by `upgrade` before
//! anything is sent.
//! SQLite and MySQL refuse these kinds by name.

use retort_core::graph::Revision;
use retort_core::ops::{Op, Operations};
use retort_core::schema::{Column, Grant, MetaData, Policy, RowLevelSecurity, Table, Type};
use retort_migrate::autogenerate::{
    compare_metadata, compare_metadata_offline, compare_metadata_with_empty, AutogenerateError,
    AutogenerateSettings,
};
use retort_migrate::driver::Driver;
use retort_migrate::Backend;
use retort_migrate::{Migrator, Script};
use retort_testkit::{test_role_name, BoxError, TestDb, TestRoles};

use crate::fixtures::driver;

fn reader() -> String {
    test_role_name("access_reader")
}

fn up_notes(op: &mut Operations) {
    op.create_table("notes", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("owner", Type::Text).not_null();
        t.primary_key(["id"]);
    });
    op.create_entity(RowLevelSecurity::new("notes"));
    op.create_entity(Policy::new(
        "notes",
        "own_notes",
        format!("FOR SELECT TO {} USING (owner = current_user)", reader()),
    ));
    op.create_entity(Grant::on_table("notes", "SELECT", reader()));
    op.create_entity(Grant::on_table("notes", "INSERT", reader()));
}

/// As autogenerate writes it: what is on the table first (the runner refuses a `DROP
/// TABLE` that would take a policy along unannounced), then the table.
fn down_notes(op: &mut Operations) {
    op.drop_entity(Grant::on_table("notes", "INSERT", reader()));
    op.drop_entity(Grant::on_table("notes", "SELECT", reader()));
    op.drop_entity(Policy::new(
        "notes",
        "own_notes",
        format!("FOR SELECT TO {} USING (owner = current_user)", reader()),
    ));
    op.drop_entity(RowLevelSecurity::new("notes"));
    op.drop_table("notes");
}

fn migrator() -> Result<Migrator, BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    Ok(Migrator::new(vec![Script {
        revision: Revision::new("a10000000001").message("notes"),
        upgrade: up_notes,
        downgrade: down_notes,
        path: "versions/a10000000001_notes.rs",
        checksum: zeros,
    }])?)
}

#[test]
fn a_history_of_grants_and_policies_compares_clean_and_revokes_only_what_it_made() {
    retort_testkit::block_on(async {
        // The roles first: they are dropped after the database that was granted to them.
        let roles = TestRoles::create(&[reader()]).await.expect("test role");
        let db = TestDb::postgres("access::history").await;
        let outcome = history_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn history_body(db: &TestDb) -> Result<(), BoxError> {
    let migrator = migrator()?;
    let mut d = driver(db).await;
    migrator.upgrade(&mut d, "head").await?;
    // A grant nobody declared.
    db.execute(&format!("GRANT UPDATE ON notes TO {}", reader()))
        .await?;
    let heads = migrator.graph().heads();
    let settings = AutogenerateSettings::default();
    let model = migrator.schema_at(&heads);
    assert_eq!(model.entities().len(), 4, "{:#?}", model.entities());
    let by_hand = |w: &[String]| {
        w.iter().any(|w| {
            w.starts_with(&format!(
                "grant UPDATE on table notes to {} is in the database but not in the model",
                reader()
            ))
        })
    };

    let same = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
    assert!(same.diff.ops.is_empty(), "{:#?}", same.diff.ops);
    assert!(by_hand(&same.diff.warnings), "{:?}", same.diff.warnings);

    let offline = compare_metadata_offline(
        &migrator,
        &model,
        &heads,
        Backend::Postgres,
        &settings,
        None,
    )?;
    assert!(offline.diff.ops.is_empty(), "{:#?}", offline.diff.ops);

    // The model no longer grants INSERT: revoked, since the history granted it; the grant
    // by hand stays.
    let mut fewer = model.clone();
    fewer
        .entities_mut()
        .retain(|e| !matches!(e, retort_core::Entity::Grant(g) if g.privilege == "INSERT"));
    let w = compare_metadata(&mut d, &migrator, &fewer, &heads, &settings, None).await?;
    assert_eq!(
        w.diff.log,
        [format!(
            "Detected removed grant INSERT on table notes to {}",
            reader()
        )]
    );
    assert!(by_hand(&w.diff.warnings), "{:?}", w.diff.warnings);
    let off = compare_metadata_offline(
        &migrator,
        &fewer,
        &heads,
        Backend::Postgres,
        &settings,
        None,
    )?;
    assert_eq!(off.diff.log, w.diff.log);
    assert!(matches!(&w.diff.ops[0], Op::DropEntity { .. }));

    // A grant to a role that does not exist: refused, naming it, before anything else.
    let ghost = test_role_name("access_ghost");
    let wrong = model
        .clone()
        .with_entity(Grant::on_table("notes", "DELETE", ghost.clone()));
    let err = compare_metadata(&mut d, &migrator, &wrong, &heads, &settings, None)
        .await
        .expect_err("an unknown role is refused");
    assert!(
        matches!(err, AutogenerateError::UnknownRoles { .. }),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "role `{ghost}` (named by grant DELETE on table notes to {ghost})"
        )),
        "{text}"
    );

    // A model without the table: the grants and policy the history made are dropped with
    // it, but the grant by hand and one on a column would vanish with the table unseen, so
    // autogenerate refuses the drop naming them, as it does a trigger it does not know.
    // (REFERENCES on the column: the revision's REVOKE SELECT on the table would take a
    // column's SELECT with it.)
    db.execute(&format!(
        "GRANT REFERENCES (owner) ON notes TO {}",
        reader()
    ))
    .await?;
    let err = compare_metadata(&mut d, &migrator, &MetaData::new(), &heads, &settings, None)
        .await
        .expect_err("a grant by hand on a dropped table is refused");
    assert!(
        matches!(err, AutogenerateError::LostObjects { .. }),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&format!("grant UPDATE to {} on table notes", reader())),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "grant REFERENCES (owner) to {} on table notes",
            reader()
        )),
        "{text}"
    );
    assert!(
        !text.contains(&format!("grant INSERT to {}", reader())),
        "the history's grant is dropped by the diff: {text}"
    );

    // Downgrade: the runner refuses to drop the table while the grants by hand are on it,
    // naming them, and nothing of the revision ran.
    let err = migrator
        .downgrade(&mut d, "base")
        .await
        .expect_err("the downgrade would lose the grants by hand");
    let text = err.to_string();
    assert!(
        text.contains(&format!("grant UPDATE to {} on table notes", reader()))
            && text.contains(&format!(
                "grant REFERENCES (owner) to {} on table notes",
                reader()
            )),
        "{text}"
    );
    let kept = db
        .query_strings("SELECT count(*)::text FROM pg_policy")
        .await?;
    assert_eq!(
        kept,
        ["1"],
        "the revision's first statements were rolled back"
    );
    // Revoked by hand, they no longer stand in the way.
    db.execute(&format!(
        "REVOKE UPDATE ON notes FROM {r}; REVOKE REFERENCES (owner) ON notes FROM {r}",
        r = reader()
    ))
    .await?;
    migrator.downgrade(&mut d, "base").await?;
    let left = db
        .query_strings("SELECT count(*)::text FROM pg_policy")
        .await?;
    assert_eq!(left, ["0"]);
    d.close().await?;
    Ok(())
}

fn up_ghosts(op: &mut Operations) {
    op.create_table("notes", |t| {
        t.column("id", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
    op.create_entity(Grant::on_table("notes", "SELECT", reader()));
    op.create_entity(Grant::on_table(
        "notes",
        "SELECT",
        test_role_name("access_ghost"),
    ));
    op.create_entity(Policy::new(
        "notes",
        "ghostly",
        format!(
            "FOR SELECT TO {} USING (true)",
            test_role_name("access_spook")
        ),
    ));
}

fn down_ghosts(op: &mut Operations) {
    op.drop_table("notes");
}

/// `upgrade` checks the roles a revision's grants and policies name before it sends
/// anything, as autogenerate and `check` do: a role missing from the server is named with
/// the revision and the op.
#[test]
fn upgrade_refuses_a_revision_that_grants_to_a_missing_role_before_sending_anything() {
    retort_testkit::block_on(async {
        let roles = TestRoles::create(&[reader()]).await.expect("test role");
        let db = TestDb::postgres("access::ghosts").await;
        let outcome = ghosts_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn ghosts_body(db: &TestDb) -> Result<(), BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    let migrator = Migrator::new(vec![Script {
        revision: Revision::new("a10000000002").message("ghosts"),
        upgrade: up_ghosts,
        downgrade: down_ghosts,
        path: "versions/a10000000002_ghosts.rs",
        checksum: zeros,
    }])?;
    let mut d = driver(db).await;
    let err = migrator
        .upgrade(&mut d, "head")
        .await
        .expect_err("a missing role is refused");
    let text = err.to_string();
    let ghost = test_role_name("access_ghost");
    let spook = test_role_name("access_spook");
    for expected in [
        format!("role `{ghost}`"),
        format!("create grant SELECT on table notes to {ghost}"),
        format!("role `{spook}`"),
        "create policy ghostly on notes".to_owned(),
        "a10000000002".to_owned(),
        "versions/a10000000002_ghosts.rs".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected:?} not in: {text}");
    }
    assert!(!text.contains(&format!("role `{}`", reader())), "{text}");
    // Nothing was sent: no table, not even the version table.
    let made = db
        .query_strings(
            "SELECT count(*)::text FROM pg_class WHERE relname IN ('notes', 'retort_version')",
        )
        .await?;
    assert_eq!(made, ["0"]);
    d.close().await?;
    Ok(())
}

#[test]
fn sqlite_and_mysql_refuse_these_kinds_by_name() {
    let table = Table::new("notes")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"]);
    let models = [
        MetaData::new()
            .table(table.clone())
            .with_entity(Grant::on_table("notes", "SELECT", "app")),
        MetaData::new()
            .table(table.clone())
            .with_entity(Policy::new("notes", "p", "USING (true)")),
        MetaData::new()
            .table(table)
            .with_entity(RowLevelSecurity::new("notes")),
    ];
    let names = [
        "grant SELECT on table notes to app",
        "policy p on notes",
        "row level security on notes",
    ];
    for backend in [Backend::Sqlite, Backend::Mysql] {
        for (model, name) in models.iter().zip(names) {
            let err =
                compare_metadata_with_empty(model, backend, &AutogenerateSettings::default(), None)
                    .expect_err("refused");
            assert!(
                matches!(err, AutogenerateError::Unsupported(_)),
                "{backend:?}: {err}"
            );
            assert!(err.to_string().contains(name), "{backend:?}: {err}");
        }
    }
}

fn up_secrets(op: &mut Operations) {
    op.create_table("secrets", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("secret", Type::Text);
        t.primary_key(["id"]);
    });
    op.create_entity(Grant::on_table("secrets", "UPDATE", reader()));
}
fn down_secrets(op: &mut Operations) {
    op.drop_entity(Grant::on_table("secrets", "UPDATE", reader()));
    op.drop_table("secrets");
}

/// Column privileges are not modelled, but none goes without a word: a column the
/// revision drops takes its grants along, and a revision's REVOKE of a privilege on the
/// table takes that privilege off every column too; autogenerate names each in a warning.
#[test]
fn a_column_grant_lost_to_a_dropped_column_or_a_revoke_is_named() {
    retort_testkit::block_on(async {
        let roles = TestRoles::create(&[reader()]).await.expect("test role");
        let db = TestDb::postgres("access::column_grants").await;
        let outcome = column_grants_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn column_grants_body(db: &TestDb) -> Result<(), BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    let migrator = Migrator::new(vec![Script {
        revision: Revision::new("a10000000003").message("secrets"),
        upgrade: up_secrets,
        downgrade: down_secrets,
        path: "versions/a10000000003_secrets.rs",
        checksum: zeros,
    }])?;
    let mut d = driver(db).await;
    migrator.upgrade(&mut d, "head").await?;
    db.execute(&format!(
        "GRANT SELECT (secret) ON secrets TO {r}; GRANT UPDATE (id) ON secrets TO {r}",
        r = reader()
    ))
    .await?;
    let heads = migrator.graph().heads();
    let settings = AutogenerateSettings::default();
    let model = migrator.schema_at(&heads);
    let same = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
    assert!(same.diff.ops.is_empty(), "{:#?}", same.diff.ops);
    // Column privileges are grants like the table's: made by hand, they are left alone and
    // named, never revoked.
    assert_eq!(same.diff.warnings.len(), 2, "{:?}", same.diff.warnings);
    for what in ["SELECT (secret)", "UPDATE (id)"] {
        let left_alone = format!(
            "grant {what} on table secrets to {} is in the database but not in the model, and no revision created it: left alone",
            reader()
        );
        assert!(
            same.diff
                .warnings
                .iter()
                .any(|w| w.starts_with(&left_alone)),
            "{:?}",
            same.diff.warnings
        );
    }

    let mut changed = model.clone();
    changed.tables_mut()[0]
        .columns
        .retain(|c| c.name != "secret");
    changed.entities_mut().clear();
    let c = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
    let named = |what: &str| {
        c.diff
            .warnings
            .iter()
            .any(|w| w.starts_with(&format!("grant {what} to {} on table secrets", reader())))
    };
    assert!(named("SELECT (secret)"), "{:?}", c.diff.warnings);
    assert!(named("UPDATE (id)"), "{:?}", c.diff.warnings);
    d.close().await?;
    Ok(())
}

/// Default privileges (`ALTER DEFAULT PRIVILEGES`) are not under version control: live
/// autogenerate names each, for one schema and for every schema, granted or revoked, and
/// changes nothing.
#[test]
fn default_privileges_are_named_never_changed() {
    retort_testkit::block_on(async {
        let role = test_role_name("access_defaults");
        let roles = TestRoles::create(&[reader(), role.clone()])
            .await
            .expect("test role");
        let db = TestDb::postgres("access::default_privileges").await;
        let outcome = default_privileges_body(&db, &role).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn default_privileges_body(db: &TestDb, role: &str) -> Result<(), BoxError> {
    let migrator = migrator()?;
    let mut d = driver(db).await;
    migrator.upgrade(&mut d, "head").await?;
    let heads = migrator.graph().heads();
    let settings = AutogenerateSettings::default();
    let model = migrator.schema_at(&heads);
    let before = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
    let named = |w: &Vec<String>| {
        w.iter()
            .filter(|w| w.starts_with("default privileges in the database"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(
        named(&before.diff.warnings).is_empty(),
        "{:?}",
        before.diff.warnings
    );
    db.execute(&format!(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {role}; \
         ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC"
    ))
    .await?;
    let c = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
    assert!(c.diff.ops.is_empty(), "{:#?}", c.diff.ops);
    let got = named(&c.diff.warnings);
    assert_eq!(got.len(), 2, "{:?}", c.diff.warnings);
    assert!(
        got.iter().any(|w| w.contains(&format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO {role};"
        ))),
        "{got:?}"
    );
    assert!(
        got.iter().any(|w| w.contains(
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"
        )),
        "{got:?}"
    );
    d.close().await?;
    Ok(())
}

//! [`run_case`]: the loop of the module notes in `lib.rs`, for one case on one dialect.

use retort_core::diff::Diff;
use retort_core::ops::{apply_all, reverse_all, Op};
use retort_core::{MetaData, Table};
use retort_testkit::{BoxError, TestDb, TestDialect};

use crate::{rows, Case, Live};

/// Runs `case` on a fresh database of `dialect` (and a second one for the after-model);
/// panics, saying which step and what differed, when the case does not hold, or when it
/// holds although the case declares `dialect` [`crate::Unsupported`] (the declaration is
/// stale), or fails otherwise than declared.
pub async fn run_case(case: Case, dialect: TestDialect) {
    let key = dialect_key(dialect);
    let label = format!("{}::{key}", case.name);
    // Declared before the databases, so that on a panic they are dropped first (a role
    // still granted something cannot be dropped).
    let roles = if case.roles.is_empty() {
        None
    } else {
        let names: Vec<String> = case.roles.iter().map(|r| crate::role(r)).collect();
        match retort_testkit::TestRoles::create(&names).await {
            Ok(r) => Some(r),
            Err(e) => panic!("{label}: {e}"),
        }
    };
    let main = TestDb::new(dialect, &label).await;
    let fresh = TestDb::new(dialect, &format!("{label}_fresh")).await;
    let outcome = steps(&case, dialect, &main, &fresh).await;
    let closed = (main.close().await, fresh.close().await);
    if let Some(roles) = roles {
        if let Err(e) = roles.close().await {
            panic!("{label}: {e}");
        }
    }
    let declared = case.unsupported.iter().find(|u| u.dialect == key);
    match (outcome, declared) {
        (Ok(()), None) => {}
        (Err(err), None) => panic!("evolution case {label} failed: {err}"),
        (Ok(()), Some(u)) => panic!(
            "{label} is declared unsupported on {} ({}), but it now passes: remove the \
             declaration from cases/{}/case.rs and from unsupported.md",
            dialect.name(),
            u.reason,
            case.name
        ),
        (Err(err), Some(u)) => {
            let text = err.to_string();
            assert!(
                text.contains(u.error),
                "{label} is declared to fail with {:?} ({}), but it failed otherwise: {text}",
                u.error,
                u.reason
            );
            eprintln!("{label}: unsupported as declared ({}): {text}", u.reason);
        }
    }
    if let (Err(e), _) | (_, Err(e)) = closed {
        panic!("{e}");
    }
}

pub(crate) fn dialect_key(dialect: TestDialect) -> &'static str {
    match dialect {
        TestDialect::Postgres => "postgres",
        TestDialect::Mysql => "mysql",
        _ => "sqlite",
    }
}

/// The online-safe forms of the upgrade, as `revision --autogenerate --online` writes them,
/// when the case asks for them (`ONLINE`) and the database is PostgreSQL.
pub(crate) fn online(case: &Case, dialect: TestDialect, diff: &mut Diff) {
    if case.online && dialect == TestDialect::Postgres {
        diff.ops = retort_migrate::autogenerate::online_ops(
            std::mem::take(&mut diff.ops),
            retort_migrate::Backend::Postgres,
            &case.after,
        );
    }
}

async fn steps(
    case: &Case,
    dialect: TestDialect,
    main: &TestDb,
    fresh: &TestDb,
) -> Result<(), BoxError> {
    let live = Live::new(main, &[&case.before, &case.after]);

    // 1. The before-model, its rows, and no false positive against it.
    let (_, dump_before, seeded) = set_up_before(case, &live, main, "").await?;

    // 2. Autogenerate the upgrade; its ops are the case's snapshot.
    let (db_schema, mut diff) = live.autogenerate(&case.after).await?;
    online(case, dialect, &mut diff);
    expected_warnings(case, &diff.warnings)?;
    if diff.ops.is_empty() {
        return Err("autogenerate found no change between the before- and after-model".into());
    }
    let downgrade = reverse_all(&diff.ops).map_err(|e| format!("reverse_all: {e}"))?;
    snapshot(case, dialect, &diff)?;

    // 3. Upgrade; `check` is clean; kept columns keep their places, new ones come last.
    // The same inputs give the same script, byte for byte (issue 7, item 14).
    let (_, mut again) = live.autogenerate(&case.after).await?;
    online(case, dialect, &mut again);
    if script(&again)? != script(&diff)? {
        return Err("a second autogenerate against the same database wrote another script".into());
    }
    let up_sql = live
        .apply(&diff.ops, &db_schema)
        .await
        .map_err(|e| format!("upgrade: {e}"))?;
    rebuilds_are_seeded(case, &up_sql, "upgrade")?;
    let (upgraded, check) = live.autogenerate(&case.after).await?;
    expect_no_ops("check after the upgrade", &check.ops, &check.log)?;
    column_order(&db_schema, &upgraded)?;

    // 4. Same schema as a fresh create_all(after), on which autogenerate finds nothing.
    let fresh_live = Live::new(fresh, &[&case.before, &case.after]);
    fresh_live
        .create_all(&case.after)
        .await
        .map_err(|e| format!("create_all(after): {e}"))?;
    fresh_live
        .run_statements(&case.by_hand, false)
        .await
        .map_err(|e| format!("the statements by hand on create_all(after): {e}"))?;
    let (_, same) = fresh_live.autogenerate(&case.after).await?;
    expect_no_ops(
        "autogenerate against create_all(after)",
        &same.ops,
        &same.log,
    )?;
    same_text(
        "create_all(after)",
        &fresh_live.dump().await?,
        "upgraded",
        &live.dump().await?,
    )?;

    // 6 (after the upgrade). Rows and references; 7. the probes.
    check_rows(case, main, &seeded, &case.after, "upgrade").await?;
    run_probes(case, &live, main, "upgrade").await?;
    expect_no_broken_references(&live, "upgrade").await?;

    // 5. Downgrade back to the before-schema, rendered (as the runner does) against the
    // schema the upgrade's ops replay into, not a fresh introspection.
    let mut replayed = db_schema.clone();
    apply_all(&diff.ops, &mut replayed).map_err(|e| format!("replaying the upgrade: {e}"))?;
    let before = Before {
        dump: &dump_before,
        seeded: &seeded,
    };
    let labels = ("downgrade", "check");
    downgrade_and_verify(case, &live, main, &downgrade, &replayed, before, labels).await
}

/// What step 1 left to compare the downgrade with: the dump and the seeded rows.
pub(crate) struct Before<'a> {
    pub dump: &'a str,
    pub seeded: &'a [Vec<String>],
}

/// Step 5 and what follows it on `live` (the database `db`): the downgrade rendered against
/// `replayed` and run, `check` against the before-model clean, the dump equal to the one
/// taken before, rows, probes and references. `labels` open the error messages of the
/// downgrade and of the check after it ("downgrade of the target", "check on the target").
pub(crate) async fn downgrade_and_verify(
    case: &Case,
    live: &Live<'_>,
    db: &TestDb,
    downgrade: &[Op],
    replayed: &MetaData,
    before: Before<'_>,
    labels: (&str, &str),
) -> Result<(), BoxError> {
    let (down, check_label) = labels;
    let down_sql = live
        .apply(downgrade, replayed)
        .await
        .map_err(|e| format!("{down}: {e}"))?;
    rebuilds_are_seeded(case, &down_sql, "downgrade")?;
    let (_, check) = live.autogenerate(&case.before).await?;
    expect_no_ops(
        &format!("{check_label} against the before-model after the downgrade"),
        &check.ops,
        &check.log,
    )?;
    same_text(
        "create_all(before)",
        before.dump,
        "downgraded",
        &live.dump().await?,
    )?;
    check_rows(case, db, before.seeded, &case.after, "downgrade").await?;
    run_probes(case, live, db, "downgrade").await?;
    expect_no_broken_references(live, "downgrade").await?;
    Ok(())
}

/// Step 1 on `live` (the database `db`): `create_all(before)`, the seed rows, and
/// autogenerate against it finds nothing. Returns the schema autogenerate read, the dump and
/// the seeded rows as read back. `on` ends each error message (" on the target").
pub(crate) async fn set_up_before(
    case: &Case,
    live: &Live<'_>,
    db: &TestDb,
    on: &str,
) -> Result<(MetaData, String, Vec<Vec<String>>), BoxError> {
    live.create_all(&case.before)
        .await
        .map_err(|e| format!("create_all(before){on}: {e}"))?;
    live.run_statements(&rows::insert_statements(&case.seeds, db.dialect()), false)
        .await
        .map_err(|e| format!("seeding{on}: {e}"))?;
    live.run_statements(&case.by_hand, false)
        .await
        .map_err(|e| format!("the statements by hand{on}: {e}"))?;
    let (schema, same) = live.autogenerate(&case.before).await?;
    expect_no_ops(
        &format!("autogenerate{on} against create_all(before)"),
        &same.ops,
        &same.log,
    )?;
    let dump = live.dump().await?;
    let mut seeded = Vec::new();
    for seed in &case.seeds {
        seeded.push(rows::read(db, seed.table, seed.columns).await?);
    }
    Ok((schema, dump, seeded))
}

/// The upgrade's autogenerate warns exactly as the case declares (`WARNINGS`; none by
/// default).
fn expected_warnings(case: &Case, warnings: &[String]) -> Result<(), BoxError> {
    let fits = warnings.len() == case.warnings.len()
        && warnings
            .iter()
            .zip(case.warnings)
            .all(|(w, e)| w.contains(e));
    if fits {
        Ok(())
    } else {
        Err(format!(
            "autogenerate warned:\n  {}\nexpected warnings containing:\n  {}",
            warnings.join("\n  "),
            case.warnings.join("\n  ")
        )
        .into())
    }
}

pub(crate) fn expect_no_ops(what: &str, ops: &[Op], log: &[String]) -> Result<(), BoxError> {
    if ops.is_empty() {
        return Ok(());
    }
    let ops: Vec<String> = ops.iter().map(Op::describe).collect();
    Err(format!(
        "{what} found changes:\n  {}\n  log:\n  {}",
        ops.join("\n  "),
        log.join("\n  ")
    )
    .into())
}

pub(crate) fn same_text(
    expected_label: &str,
    expected: &str,
    actual_label: &str,
    actual: &str,
) -> Result<(), BoxError> {
    if expected == actual {
        return Ok(());
    }
    let diff = retort_testkit::unified_diff(expected_label, expected, actual_label, actual);
    Err(format!("the {actual_label} schema differs from {expected_label}:\n{diff}").into())
}

/// The upgrade and downgrade bodies exactly as `revision --autogenerate` writes them
/// (`script_bodies`: rename hints included), and the log.
fn snapshot(case: &Case, dialect: TestDialect, diff: &Diff) -> Result<(), BoxError> {
    let mut text = script(diff)?;
    // A role's name carries the test process's id; the snapshot says where.
    for base in case.roles {
        text = text.replace(&crate::role(base), &format!("{base}_<pid>"));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case.dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!("{} on {}", case.name, dialect.name()));
    settings.bind(|| insta::assert_snapshot!(format!("ops.{}", dialect_key(dialect)), text));
    Ok(())
}

/// The upgrade and downgrade bodies `revision --autogenerate` writes, and the log.
pub(crate) fn script(diff: &Diff) -> Result<String, BoxError> {
    let (upgrade, downgrade) = retort_migrate::autogenerate::script_bodies(diff)
        .map_err(|e| format!("the script writer failed: {e}"))?;
    Ok(format!(
        "# upgrade\n{}\n# downgrade\n{}\n# log\n{}\n",
        upgrade.trim_end(),
        downgrade.trim_end(),
        diff.log.join("\n")
    ))
}

/// Every table a SQLite rebuild recreates must have seeded rows, so that the suite proves
/// they survive (issue 5); the check that they do is `check_rows`.
pub(crate) fn rebuilds_are_seeded(
    case: &Case,
    statements: &[String],
    step: &str,
) -> Result<(), BoxError> {
    // Only tables of the before-model can hold seeded rows.
    let rebuilt = crate::db::rebuilt_tables(statements)
        .into_iter()
        .filter(|t| {
            case.before
                .tables()
                .iter()
                .any(|b| b.schema.is_none() && b.name == *t)
        });
    for table in rebuilt {
        let seeded = case
            .seeds
            .iter()
            .any(|s| s.table == table && !s.rows.is_empty());
        if !seeded {
            return Err(format!(
                "the {step} rebuilds table {table} on SQLite, but the case seeds no rows in it: \
                 add them to seed_rows() so the suite shows they survive"
            )
            .into());
        }
    }
    Ok(())
}

/// Columns added go at the end of their table, and the kept ones stay in order.
pub(crate) fn column_order(before: &MetaData, after: &MetaData) -> Result<(), BoxError> {
    for table in after.tables() {
        let Some(old) = find(before, table) else {
            continue;
        };
        let now: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        let kept = old
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| now.contains(c));
        let added = now.iter().copied().filter(|c| old.get_column(c).is_none());
        let expected: Vec<&str> = kept.chain(added).collect();
        if now != expected {
            return Err(format!(
                "columns of {} are {now:?}, expected kept then added: {expected:?}",
                table.name
            )
            .into());
        }
    }
    Ok(())
}

fn find<'m>(md: &'m MetaData, t: &Table) -> Option<&'m Table> {
    md.tables()
        .iter()
        .find(|x| x.schema == t.schema && x.name == t.name)
}

pub(crate) async fn check_rows(
    case: &Case,
    db: &TestDb,
    seeded: &[Vec<String>],
    after: &MetaData,
    step: &str,
) -> Result<(), BoxError> {
    for (seed, before_rows) in case.seeds.iter().zip(seeded) {
        if !after
            .tables()
            .iter()
            .any(|t| t.schema.is_none() && t.name == seed.table)
        {
            continue;
        }
        let columns = rows::stable_columns(seed, &case.before, after);
        let now = rows::read(db, seed.table, &columns).await?;
        let mut then = Vec::new();
        // The rows as seeded, projected onto the stable columns.
        let positions: Vec<usize> = columns
            .iter()
            .filter_map(|c| seed.columns.iter().position(|s| s == c))
            .collect();
        for row in before_rows {
            let parts: Vec<&str> = row.split('|').collect();
            let projected: Vec<&str> = positions
                .iter()
                .filter_map(|&i| parts.get(i).copied())
                .collect();
            then.push(if columns.is_empty() {
                "row".to_string()
            } else {
                projected.join("|")
            });
        }
        then.sort();
        if then != now {
            return Err(format!(
                "rows of {} on columns {columns:?} after the {step}:\n  before: {then:?}\n  after:  {now:?}",
                seed.table
            )
            .into());
        }
    }
    Ok(())
}

/// Step 7 of the module notes in `lib.rs`.
pub(crate) async fn run_probes(
    case: &Case,
    live: &Live<'_>,
    db: &TestDb,
    step: &str,
) -> Result<(), BoxError> {
    let owned = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    for probe in &case.probes {
        live.run_statements(&owned(probe.statements), false)
            .await
            .map_err(|e| format!("a probe after the {step}: {e}"))?;
        let now = rows::read(db, probe.table, probe.columns).await?;
        let mut expect = owned(probe.expect);
        expect.sort();
        if now != expect {
            return Err(format!(
                "a probe after the {step} ({}) left the rows of {} on {:?}:\n  expected: {expect:?}\n  found:    {now:?}",
                probe.statements.join("; "),
                probe.table,
                probe.columns
            )
            .into());
        }
        live.run_statements(&owned(probe.undo), false)
            .await
            .map_err(|e| format!("undoing a probe after the {step}: {e}"))?;
    }
    Ok(())
}

pub(crate) async fn expect_no_broken_references(
    live: &Live<'_>,
    step: &str,
) -> Result<(), BoxError> {
    let broken = live.foreign_key_check().await?;
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!("PRAGMA foreign_key_check after the {step}: {broken:?}").into())
    }
}

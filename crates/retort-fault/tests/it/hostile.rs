//! Hostile bookkeeping names are quoted by the dialect; a role without privileges gets a
//! clear error and no half-created version table.

use retort_fault::R3;
use retort_migrate::driver::Driver;
use retort_migrate::{AnyDriver, DatabaseUrl, MigrateError, Migrator, Tables};
use retort_testkit::db_test;

use crate::support::{good, has_table, objects, reset};

db_test!(
    hostile_bookkeeping_names_are_quoted,
    [postgres, sqlite, mysql],
    |db| {
        reset(&db).await;
        let tables = Tables {
            schema: None,
            version: "select".to_owned(),
            log: "Log\"; DROP TABLE f_one; --".to_owned(),
        };
        let migrator = Migrator::new(good(&db))?.with_tables(tables.clone());
        let mut d = AnyDriver::connect(&DatabaseUrl::parse(db.url())?).await?;
        migrator.upgrade(&mut d, "head").await?;
        assert_eq!(migrator.current(&mut d).await?, vec![R3]);
        let upgrades = migrator
            .log(&mut d)
            .await?
            .iter()
            .filter(|e| e.direction == retort_migrate::LogDirection::Upgrade)
            .count();
        assert_eq!(upgrades, 3);
        d.close().await?;
        assert!(has_table(&db, "select").await);
        assert!(
            objects(&db).await.contains(&"f_one".to_owned()),
            "nothing injected"
        );
        let log_name = tables.log.replace('\'', "''");
        assert!(has_table(&db, &log_name).await);
        Ok(())
    }
);

// MariaDB's users and grants differ: `a_user_without_privileges_gets_a_clear_error`.
db_test!(
    a_role_without_privileges_gets_a_clear_error,
    [postgres],
    |db| {
        let role = format!("retort_ro_{}", std::process::id());
        db.execute(&format!("DROP ROLE IF EXISTS {role}")).await?;
        db.execute(&format!("CREATE ROLE {role} LOGIN")).await?;
        db.execute(&format!(
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC, {role}"
        ))
        .await?;
        let url = db.url();
        let (scheme_user, rest) = url.split_once('@').expect("user@host URL");
        let scheme = &scheme_user[..scheme_user.find("://").expect("scheme") + 3];
        let as_role = format!("{scheme}{role}@{rest}");
        let result = async {
            let migrator = Migrator::new(good(&db))?;
            let mut d = AnyDriver::connect(&DatabaseUrl::parse(&as_role)?).await?;
            let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
            d.close().await?;
            let msg = err.to_string();
            assert!(
                matches!(
                    err,
                    MigrateError::Bookkeeping { .. } | MigrateError::Step { .. }
                ),
                "{msg}"
            );
            assert!(msg.contains("permission denied"), "{msg}");
            assert!(
                msg.contains("retort_version") || msg.contains("f_one"),
                "{msg}"
            );
            assert!(
                !has_table(&db, "retort_version").await,
                "no half-created version table"
            );
            assert!(!has_table(&db, "retort_log").await);
            Ok::<_, retort_testkit::BoxError>(msg)
        }
        .await;
        db.execute(&format!("DROP OWNED BY {role}")).await?;
        db.execute(&format!("DROP ROLE {role}")).await?;
        let msg = result?;
        assert!(msg.contains("lacks a privilege"), "{msg}");
        Ok(())
    }
);

db_test!(
    a_user_without_privileges_gets_a_clear_error,
    [mysql],
    |db| {
        // A user who may read the database but create nothing in it.
        let user = format!("retort_ro_{}", std::process::id());
        db.execute(&format!("DROP USER IF EXISTS '{user}'@'%'"))
            .await?;
        db.execute(&format!("CREATE USER '{user}'@'%'")).await?;
        db.execute(&format!(
            "GRANT SELECT ON `{}`.* TO '{user}'@'%'",
            db.name()
        ))
        .await?;
        let url = db.url();
        let (_, rest) = url.split_once('@').expect("user@host URL");
        let as_user = format!("mysql://{user}@{rest}");
        // Nothing here panics before the user is dropped: a failed test leaks no user.
        let result = async {
            let migrator = Migrator::new(good(&db))?;
            let mut d = AnyDriver::connect(&DatabaseUrl::parse(&as_user)?).await?;
            let outcome = migrator.upgrade(&mut d, "head").await;
            d.close().await?;
            Ok::<_, retort_testkit::BoxError>(outcome)
        }
        .await;
        db.execute(&format!("DROP USER '{user}'@'%'")).await?;
        let err = result?.expect_err("a user who may not create tables upgraded");
        let msg = err.to_string();
        assert!(matches!(err, MigrateError::Bookkeeping { .. }), "{msg}");
        assert!(msg.contains("command denied"), "{msg}");
        assert!(msg.contains("retort_version"), "{msg}");
        assert!(msg.contains("lacks a privilege"), "{msg}");
        assert!(!has_table(&db, "retort_version").await);
        assert!(!has_table(&db, "retort_log").await);
        Ok(())
    }
);

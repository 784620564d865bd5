//! MySQL's and MariaDB's entities: views and triggers, read from `information_schema`,
//! spelled by the server where it rewrites them, and their DDL.
//!
//! Reading: two queries for every view and trigger of the current database
//! (`queries/mysql/{views,triggers}.sql`), turned into entities by [`build_mysql_entities`]
//! (pure). MySQL rewrites a view's `SELECT` (every name qualified with the database,
//! backticks, `AS` aliases, `count(0)` for `count(*)`): the current database's qualifier is
//! taken off again ([`strip_database`]), so a definition read here runs in another database
//! (a downgrade recorded from it, a test database). A trigger's body is kept as written
//! (`ACTION_STATEMENT`); its head is columns, written back as `<timing> <event> ON <table>
//! FOR EACH ROW`.
//!
//! Spelling (`BackendSupport::spell_entities`): MySQL commits DDL implicitly, so the model's
//! views cannot be created in a rolled-back transaction as on PostgreSQL. Each model view
//! whose database counterpart differs as text is created under a scratch name in the current database
//! (`retort_spell_<connection id>_<n>`: the view's definition names its tables unqualified,
//! so it must be compiled where they are; no other session has that connection id), the
//! scratch views are read back with `queries/mysql/views.sql`, and then dropped in one
//! `DROP VIEW IF EXISTS`, which runs whatever happened before it (a create or the read that
//! failed). A view the server refuses is compared as text; when none can be created at all
//! (no right to create views), the answer is an error, which the caller turns into a
//! warning. Only a process killed in between leaves a scratch view behind: it is then an
//! undeclared view, left alone with a warning like any other, and can be dropped by hand.
//! Triggers need no server: the model's head is written as the catalog's columns give it
//! back ([`spell_trigger`]), and the body is compared as written. Nothing is created when
//! every text already matches.
//!
//! DDL: `CREATE VIEW`, `CREATE OR REPLACE VIEW` for a change (MySQL takes any new column
//! list), `DROP VIEW`; `CREATE TRIGGER name <definition>` (one statement, or a
//! `BEGIN .. END` body sent as one statement), `DROP TRIGGER name`, and a changed trigger
//! dropped and created again (MySQL 8 has no `CREATE OR REPLACE TRIGGER`). What MySQL
//! cannot express (materialized views, policies, row-level security, extensions, schemas'
//! comments, grants) is refused by name; functions and procedures are not read back yet
//! and are refused too.

use retort_core::{Entity, EntityKey, EntityKind, Trigger, View};

use super::Mysql;
use crate::ansi::entities::body;
use crate::live_schema::Catalog;
use crate::table_dependents::TextRow;
use crate::{Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

/// `queries/mysql/views.sql` and its file name.
pub(crate) const VIEWS: (&str, &str) = (
    "queries/mysql/views.sql",
    include_str!("../../queries/mysql/views.sql"),
);

/// `queries/mysql/triggers.sql` and its file name.
pub(crate) const TRIGGERS: (&str, &str) = (
    "queries/mysql/triggers.sql",
    include_str!("../../queries/mysql/triggers.sql"),
);

/// The prefix of the scratch views the comparison creates and drops (see the module notes).
pub const SCRATCH_PREFIX: &str = "retort_spell_";

/// `sql` without the qualifier `` `database`. `` MySQL writes before the current
/// database's tables and columns (`` `shop`.`orders`.`id` `` becomes `` `orders`.`id` ``),
/// outside strings and comments. A qualifier is recognised as a backquoted name equal to
/// `database` followed by `.` and another backquoted name, which is how MySQL prints one.
pub fn strip_database(sql: &str, database: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                let end = string_end(b, i, q);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'`' => {
                let end = backtick_end(b, i);
                let name = sql[i + 1..end.saturating_sub(1).max(i + 1)].replace("``", "`");
                if name == database && b.get(end) == Some(&b'.') && b.get(end + 1) == Some(&b'`') {
                    i = end + 1;
                } else {
                    out.push_str(&sql[i..end]);
                    i = end;
                }
            }
            _ => {
                let c = sql[i..].chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// The end (exclusive) of a string literal starting at `start` with quote `q`: doubled
/// quotes and backslash escapes inside (MySQL's default `sql_mode`).
fn string_end(b: &[u8], start: usize, q: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
        } else if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// The end (exclusive) of a backquoted name starting at `start`, doubled backticks inside.
fn backtick_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == b'`' {
            if b.get(i + 1) == Some(&b'`') {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// A view's definition as read: the query without the database's qualifier, and MySQL's
/// check option (kept apart from the query) after it.
fn view_definition(query: &str, check_option: &str, database: &str) -> String {
    let query = strip_database(query.trim(), database);
    match check_option.trim().to_ascii_uppercase().as_str() {
        "" | "NONE" => query,
        option => format!("{query} WITH {option} CHECK OPTION"),
    }
}

/// A table name as the trigger head writes it: bare where MySQL allows, backquoted else.
fn table_word(table: &str) -> String {
    Mysql
        .quote_identifier(table)
        .unwrap_or_else(|_| format!("`{}`", table.replace('`', "``")))
}

/// A trigger's definition from the catalog's columns: `<timing> <event> ON <table> FOR EACH
/// ROW <body>`.
fn trigger_definition(timing: &str, event: &str, table: &str, body: &str) -> String {
    format!(
        "{} {} ON {} FOR EACH ROW {}",
        timing.trim().to_ascii_uppercase(),
        event.trim().to_ascii_uppercase(),
        table_word(table),
        crate::sql_text::without_terminator(body.trim())
    )
}

/// The views and triggers among the rows of `queries/mysql/views.sql` and
/// `queries/mysql/triggers.sql`, in `database` (the current one); views named in
/// `excluded_tables`, and triggers on those tables, are left out as the tables are.
pub fn build_mysql_entities(
    views: &[TextRow],
    triggers: &[TextRow],
    database: &str,
    excluded_tables: &[String],
) -> Vec<Entity> {
    let field = |row: &TextRow, i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    let mut out = Vec::new();
    for row in views {
        let name = field(row, 0);
        if excluded_tables.contains(&name) {
            continue;
        }
        let definition = view_definition(&field(row, 1), &field(row, 2), database);
        out.push(View::new(name, definition).into());
    }
    for row in triggers {
        let (name, table) = (field(row, 0), field(row, 1));
        if excluded_tables.contains(&table) {
            continue;
        }
        let definition = trigger_definition(&field(row, 2), &field(row, 3), &table, &field(row, 4));
        out.push(Trigger::new(table, name, definition).into());
    }
    out
}

/// A tiny reader of a trigger's head: words and names, white space between.
struct Head<'a> {
    rest: &'a str,
}

impl<'a> Head<'a> {
    /// The next bare word, if it is `word` (any case).
    fn keyword(&mut self, word: &str) -> bool {
        let r = self.rest.trim_start();
        let end = r
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(r.len());
        if end > 0 && r[..end].eq_ignore_ascii_case(word) {
            self.rest = &r[end..];
            true
        } else {
            false
        }
    }

    /// The next bare word, uppercase.
    fn word(&mut self) -> Option<String> {
        let r = self.rest.trim_start();
        let end = r
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(r.len());
        (end > 0).then(|| {
            self.rest = &r[end..];
            r[..end].to_ascii_uppercase()
        })
    }

    /// The next name (bare or backquoted), unquoted.
    fn name(&mut self) -> Option<String> {
        let r = self.rest.trim_start();
        if r.starts_with('`') {
            let end = backtick_end(r.as_bytes(), 0);
            if end < 2 || !r[..end].ends_with('`') {
                return None;
            }
            self.rest = &r[end..];
            return Some(r[1..end - 1].replace("``", "`"));
        }
        let end = r
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(r.len());
        (end > 0).then(|| {
            self.rest = &r[end..];
            r[..end].to_owned()
        })
    }

    /// A table name, `database.table` taken as `table` when `database` is the current one.
    fn table(&mut self, database: &str) -> Option<String> {
        let first = self.name()?;
        if let Some(after) = self.rest.strip_prefix('.') {
            self.rest = after;
            let second = self.name()?;
            return (first == database).then_some(second);
        }
        Some(first)
    }
}

/// The model's trigger as the catalog gives it back ([`build_mysql_entities`]): its head
/// (`BEFORE|AFTER INSERT|UPDATE|DELETE ON table FOR EACH ROW`) written as MySQL's columns
/// print it, the body as written. `None` when the head is not one MySQL keeps in those
/// columns alone (`FOLLOWS`/`PRECEDES`, a table of another database, a table other than the
/// trigger's), which is then compared as text.
pub fn spell_trigger(t: &Trigger, database: &str) -> Option<Trigger> {
    let mut head = Head {
        rest: t.definition.trim(),
    };
    let timing = head.word().filter(|w| w == "BEFORE" || w == "AFTER")?;
    let event = head
        .word()
        .filter(|w| matches!(w.as_str(), "INSERT" | "UPDATE" | "DELETE"))?;
    if !head.keyword("ON") {
        return None;
    }
    let table = head.table(database).filter(|table| *table == t.table)?;
    if !(head.keyword("FOR") && head.keyword("EACH") && head.keyword("ROW")) {
        return None;
    }
    let mut probe = Head { rest: head.rest };
    if probe.keyword("FOLLOWS") || probe.keyword("PRECEDES") {
        return None;
    }
    let mut spelled = t.clone();
    spelled.definition = trigger_definition(&timing, &event, &table, head.rest);
    Some(spelled)
}

/// The model's views and triggers as MySQL prints them (see the module notes), as (index
/// into `model`, the entity as printed), for those whose counterpart in `db` differs as
/// text; nothing is sent when none does.
pub(super) async fn spell_entities(
    catalog: &mut dyn Catalog,
    db: &[Entity],
    model: &[Entity],
) -> std::result::Result<Vec<(usize, Entity)>, String> {
    let differs = |m: &Entity| {
        db.iter()
            .any(|d| d.key() == m.key() && !d.same_definition(m))
    };
    let todo: Vec<(usize, &Entity)> = model
        .iter()
        .enumerate()
        .filter(|(_, m)| matches!(m, Entity::View(_) | Entity::Trigger(_)) && differs(m))
        .collect();
    if todo.is_empty() {
        return Ok(Vec::new());
    }
    let first = |rows: Vec<TextRow>| {
        rows.into_iter()
            .find_map(|r| r.into_iter().next().flatten())
            .unwrap_or_default()
    };
    let ask = |e: crate::live_schema::CatalogError| e.to_string();
    let database = first(catalog.query("SELECT DATABASE()").await.map_err(ask)?);
    let mut out = Vec::new();
    let mut views = Vec::new();
    for (i, e) in &todo {
        match e {
            Entity::Trigger(t) => {
                if let Some(s) = spell_trigger(t, &database) {
                    out.push((*i, Entity::Trigger(s)));
                }
            }
            Entity::View(v) => views.push((*i, v)),
            _ => {}
        }
    }
    if views.is_empty() {
        return Ok(out);
    }
    let connection = first(
        catalog
            .query("SELECT CAST(CONNECTION_ID() AS CHAR)")
            .await
            .map_err(ask)?,
    );
    let scratch = |n: usize| format!("{SCRATCH_PREFIX}{connection}_{n}");
    // Every scratch view is created (a failed create loses only itself: its model view is
    // then compared as text), read back in one query, and dropped in one statement that
    // runs whatever happened before it.
    let mut created = Vec::new();
    let mut failed: Option<String> = None;
    for (n, (_, v)) in views.iter().enumerate() {
        let name = scratch(n);
        let Ok(quoted) = Mysql.quote_identifier(&name) else {
            continue;
        };
        let sql = format!("CREATE VIEW {quoted} AS {}", body(&v.definition));
        match catalog.execute(&sql).await {
            Ok(()) => created.push((n, quoted)),
            Err(e) => {
                failed.get_or_insert_with(|| format!("view {}: {e}", v.name));
            }
        }
    }
    // Not one view could be made (no right to create views, say): the caller warns that
    // the views are compared as text. One the server refuses among others is compared as
    // text quietly: it would not run as written either.
    if created.is_empty() {
        if let Some(why) = failed {
            return Err(format!("no scratch view could be created ({why})"));
        }
    }
    let read = if created.is_empty() {
        Ok(Vec::new())
    } else {
        catalog.query(VIEWS.1).await.map_err(ask)
    };
    if !created.is_empty() {
        let names: Vec<&str> = created.iter().map(|(_, q)| q.as_str()).collect();
        let drop = format!("DROP VIEW IF EXISTS {}", names.join(", "));
        catalog.execute(&drop).await.map_err(|e| {
            format!(
                "the scratch views {} could not be dropped ({e}): drop them by hand",
                names.join(", ")
            )
        })?;
    }
    let rows = read?;
    let field = |row: &TextRow, i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    for (n, _) in &created {
        let name = scratch(*n);
        let Some(row) = rows.iter().find(|r| field(r, 0) == name) else {
            continue;
        };
        let (i, v) = views[*n];
        let mut spelled = v.clone();
        spelled.definition = view_definition(&field(row, 1), &field(row, 2), &database);
        out.push((i, Entity::View(spelled)));
    }
    Ok(out)
}

fn refused(what: String, hint: &str) -> DialectError {
    DialectError::unsupported(Mysql.name(), what, hint)
}

/// Why MySQL cannot hold an entity of `kind`, as a hint.
fn why_not(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::MaterializedView => {
            "MySQL and MariaDB have no materialized views: use a table the application (or an event) fills, or a plain view"
        }
        EntityKind::Function | EntityKind::Procedure => {
            "Retort does not read MySQL's functions and procedures back yet: create it with op.execute(..) (Retort never drops what it does not read)"
        }
        EntityKind::Policy | EntityKind::RowLevelSecurity => {
            "MySQL and MariaDB have no row-level security: leave it out of the model for this database"
        }
        EntityKind::Extension => "MySQL and MariaDB have no extensions",
        EntityKind::Domain | EntityKind::Aggregate | EntityKind::Rule => {
            "MySQL and MariaDB have no domains, user-defined aggregates or rules: mark it `.only_on(DialectKind::Postgres)`, or leave it out of the model for this database"
        }
        EntityKind::SchemaComment => {
            "a MySQL schema is a database, which has no comment"
        }
        EntityKind::Grant => {
            "grants are not under version control on MySQL: manage them outside the migrations (or with op.execute(..))"
        }
        _ => "leave it out of the model for this database (or create it with op.execute(..))",
    }
}

fn create(d: &Mysql, entity: &Entity, or_replace: bool) -> Result<String> {
    match entity {
        Entity::View(v) => Ok(format!(
            "CREATE {}VIEW {} AS {}",
            if or_replace { "OR REPLACE " } else { "" },
            d.qualified_name(v.schema.as_deref(), &v.name)?,
            body(&v.definition)
        )),
        Entity::Trigger(t) => Ok(format!(
            "CREATE TRIGGER {} {}",
            d.quote_identifier(&t.name)?,
            body(&t.definition)
        )),
        other => Err(refused(other.key().to_string(), why_not(other.kind()))),
    }
}

/// See [`Dialect::create_entity`].
pub(super) fn create_entity(d: &Mysql, entity: &Entity) -> Result<Vec<String>> {
    Ok(vec![create(d, entity, false)?])
}

/// See [`Dialect::replace_entity`]: `CREATE OR REPLACE VIEW`; a trigger dropped and
/// created again.
pub(super) fn replace_entity(d: &Mysql, entity: &Entity) -> Result<Vec<String>> {
    match entity {
        Entity::View(_) => Ok(vec![create(d, entity, true)?]),
        _ => {
            let mut out = drop_entity(d, &entity.key())?;
            out.push(create(d, entity, false)?);
            Ok(out)
        }
    }
}

/// See [`Dialect::drop_entity`].
pub(super) fn drop_entity(d: &Mysql, key: &EntityKey) -> Result<Vec<String>> {
    let name = || d.qualified_name(key.schema.as_deref(), &key.name);
    match key.kind {
        EntityKind::View => Ok(vec![format!("DROP VIEW {}", name()?)]),
        EntityKind::Trigger => Ok(vec![format!("DROP TRIGGER {}", name()?)]),
        kind => Err(refused(format!("dropping {key}"), why_not(kind))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[&str]) -> TextRow {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    #[test]
    fn the_current_database_qualifier_goes_and_nothing_else() {
        let printed = "select `shop`.`orders`.`customer_id` AS `customer_id`,count(0) AS `n` \
                       from `shop`.`orders` where `shop`.`orders`.`note` <> '`shop`.`x`' \
                       and `other`.`t`.`a` = 1 and `shop` = 2";
        assert_eq!(
            strip_database(printed, "shop"),
            "select `orders`.`customer_id` AS `customer_id`,count(0) AS `n` \
             from `orders` where `orders`.`note` <> '`shop`.`x`' \
             and `other`.`t`.`a` = 1 and `shop` = 2"
        );
        // A backquote inside a name, and text with an escaped quote.
        assert_eq!(
            strip_database("select 'it\\'s `a`.`b`' from `a``b`.`t`", "a`b"),
            "select 'it\\'s `a`.`b`' from `t`"
        );
    }

    #[test]
    fn views_and_triggers_from_the_catalog_rows() {
        let views = vec![
            row(&[
                "totals",
                "select `shop`.`orders`.`n` AS `n` from `shop`.`orders`",
                "NONE",
            ]),
            row(&["checked", "select 1 AS `1`", "CASCADED"]),
            row(&["retort_log", "select 1 AS `1`", "NONE"]),
        ];
        let triggers = vec![
            row(&["touch", "orders", "BEFORE", "UPDATE", "SET NEW.n = 1"]),
            row(&[
                "t2",
                "order items",
                "AFTER",
                "INSERT",
                "BEGIN\n  SET @x = 1;\nEND",
            ]),
            row(&["hidden", "retort_log", "AFTER", "INSERT", "SET @x = 1"]),
        ];
        let got = build_mysql_entities(&views, &triggers, "shop", &["retort_log".to_owned()]);
        assert_eq!(
            got,
            vec![
                Entity::from(View::new(
                    "totals",
                    "select `orders`.`n` AS `n` from `orders`"
                )),
                View::new("checked", "select 1 AS `1` WITH CASCADED CHECK OPTION").into(),
                Trigger::new(
                    "orders",
                    "touch",
                    "BEFORE UPDATE ON orders FOR EACH ROW SET NEW.n = 1"
                )
                .into(),
                Trigger::new(
                    "order items",
                    "t2",
                    "AFTER INSERT ON `order items` FOR EACH ROW BEGIN\n  SET @x = 1;\nEND"
                )
                .into(),
            ]
        );
    }

    #[test]
    fn a_model_trigger_head_is_written_as_the_catalog_gives_it_back() {
        let t = Trigger::new(
            "orders",
            "touch",
            "before update on `shop`.`orders`\n  for each row SET NEW.n = 1;",
        );
        let spelled = spell_trigger(&t, "shop").expect("a plain head");
        assert_eq!(
            spelled.definition,
            "BEFORE UPDATE ON orders FOR EACH ROW SET NEW.n = 1"
        );
        // The catalog's own print is a fixed point.
        assert_eq!(spell_trigger(&spelled, "shop"), Some(spelled.clone()));
        let not = |def: &str| spell_trigger(&Trigger::new("orders", "t", def), "shop");
        assert!(not("BEFORE UPDATE ON orders FOR EACH ROW FOLLOWS other SET NEW.n = 1").is_none());
        assert!(not("BEFORE UPDATE ON elsewhere.orders FOR EACH ROW SET NEW.n = 1").is_none());
        assert!(not("BEFORE UPDATE ON customers FOR EACH ROW SET NEW.n = 1").is_none());
        assert!(not("INSTEAD OF UPDATE ON orders FOR EACH ROW SET NEW.n = 1").is_none());
    }

    #[test]
    fn ddl_for_views_and_triggers_and_refusals_by_name() {
        let d = Mysql;
        let v = Entity::from(View::new("totals", "SELECT n FROM orders;"));
        assert_eq!(
            d.create_entity(&v).unwrap(),
            ["CREATE VIEW totals AS SELECT n FROM orders"]
        );
        assert_eq!(
            d.replace_entity(&v, None).unwrap(),
            ["CREATE OR REPLACE VIEW totals AS SELECT n FROM orders"]
        );
        assert_eq!(d.drop_entity(&v.key()).unwrap(), ["DROP VIEW totals"]);
        let t = Entity::from(Trigger::new(
            "orders",
            "touch",
            "BEFORE UPDATE ON orders FOR EACH ROW BEGIN SET NEW.n = 1; END;",
        ));
        assert_eq!(
            d.replace_entity(&t, None).unwrap(),
            [
                "DROP TRIGGER touch",
                "CREATE TRIGGER touch BEFORE UPDATE ON orders FOR EACH ROW BEGIN SET NEW.n = 1; END"
            ]
        );
        let mv = Entity::MaterializedView(retort_core::MaterializedView::new("m", "SELECT 1"));
        let err = d.create_entity(&mv).unwrap_err().to_string();
        assert!(err.contains("materialized view"), "{err}");
        assert!(err.contains("no materialized views"), "{err}");
        let err = d.drop_entity(&mv.key()).unwrap_err().to_string();
        assert!(err.contains("no materialized views"), "{err}");
    }
}

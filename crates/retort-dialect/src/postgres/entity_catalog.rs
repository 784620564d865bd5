//! PostgreSQL's entities (views, materialized views, functions and procedures, triggers):
//! read from the catalog, and the model's spelled by the server.
//!
//! Reading: three catalog queries (`queries/postgres/{views,functions,triggers}.sql`) for
//! every entity of the requested schemas at once, the server printing each definition
//! (`pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`); an extension's own objects
//! are left out. [`build_entities`] turns the rows into entities (a pure function).
//! Extensions, schemas' comments and materialized views' indexes come from three more
//! queries (`postgres::extension_catalog`).
//!
//! Spelling (`spell_entities`): PostgreSQL never keeps a definition as written, so the
//! model's text cannot be compared with the catalog's. Where some model entity differs from
//! its database counterpart as text, every model entity is created in ONE transaction that
//! is rolled back (alembic_utils takes a savepoint per entity): one `DO` block drops the
//! database's versions of them, then creates them in rounds, each create guarded (a failed
//! one loses only itself, and is tried again in the next round, so dependencies among
//! them sort themselves out), recording the object each create made; the same catalog
//! queries then read them back. The model's entity and the database's are the same where
//! the server prints them alike ([`crate::entities::align`]). Nothing is asked when every
//! text already matches.

use retort_core::{Entity, EntityKey, EntityKind, Function, MaterializedView, Trigger, View};

use super::entities::aggregate_arguments;
use super::introspect::with_schema_list;
use super::Postgres;
use crate::backend::Spelled;
use crate::live_schema::{query, Catalog, ReadSchemaError};
use crate::table_dependents::TextRow;
use crate::Dialect;

/// The entity catalog queries, each with the file it comes from.
pub(crate) const QUERIES: [(&str, &str); 3] = [
    (
        "queries/postgres/views.sql",
        include_str!("../../queries/postgres/views.sql"),
    ),
    (
        "queries/postgres/functions.sql",
        include_str!("../../queries/postgres/functions.sql"),
    ),
    (
        "queries/postgres/triggers.sql",
        include_str!("../../queries/postgres/triggers.sql"),
    ),
];

/// The dependencies query (`queries/postgres/entity_dependencies.sql`) and its file.
pub(crate) const DEPENDENCIES: (&str, &str) = (
    "queries/postgres/entity_dependencies.sql",
    include_str!("../../queries/postgres/entity_dependencies.sql"),
);

/// The rows of `DEPENDENCIES` as (dependent, dependency) keys; objects of
/// `default_schema` carry no schema, as [`build_entities`] gives them.
pub fn build_entity_dependencies(
    rows: &[TextRow],
    default_schema: &str,
) -> Vec<(EntityKey, EntityKey)> {
    let f = |row: &TextRow, i: usize| row.get(i).cloned().flatten();
    let schema = |s: Option<String>| s.filter(|s| s != default_schema);
    let relkind = |k: &str| {
        if k == "m" {
            EntityKind::MaterializedView
        } else {
            EntityKind::View
        }
    };
    rows.iter()
        .map(|row| {
            let dependent = EntityKey {
                kind: relkind(&f(row, 2).unwrap_or_default()),
                schema: schema(f(row, 0)),
                name: f(row, 1).unwrap_or_default(),
                table: None,
                arguments: None,
                grant: None,
            };
            let kind = f(row, 5).unwrap_or_default();
            let dependency = EntityKey {
                kind: match kind.as_str() {
                    "f" => EntityKind::Function,
                    "p" => EntityKind::Procedure,
                    "a" => EntityKind::Aggregate,
                    other => relkind(other),
                },
                schema: schema(f(row, 3)),
                name: f(row, 4).unwrap_or_default(),
                table: None,
                arguments: f(row, 6).map(|a| retort_core::identity_arguments(&a)),
                grant: None,
            };
            (dependent, dependency)
        })
        .collect()
}

/// The rows of the entity queries: `QUERIES` in order, then `extension_catalog::QUERIES`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityRows {
    /// Views and materialized views, one row each.
    pub views: Vec<TextRow>,
    /// Functions and procedures, one row each.
    pub functions: Vec<TextRow>,
    /// Triggers (not internal or constraint triggers), one row each.
    pub triggers: Vec<TextRow>,
    /// Extensions (all of the database's), one row each.
    pub extensions: Vec<TextRow>,
    /// Comments on the schemas, one row each.
    pub schema_comments: Vec<TextRow>,
    /// Indexes on materialized views, one row each.
    pub matview_indexes: Vec<TextRow>,
    /// Policies, row level security and grants (`access_catalog`).
    pub access: super::access_catalog::AccessRows,
    /// Domains, aggregates and rules (`object_catalog`).
    pub objects: super::object_catalog::ObjectRows,
}

/// Every entity query with its file, in the order [`EntityRows::from_results`] takes their
/// rows: `QUERIES`, `extension_catalog::QUERIES`, `access_catalog::QUERIES`, then
/// `object_catalog::QUERIES`.
pub(crate) fn entity_queries() -> [(&'static str, &'static str); 12] {
    let [a, b, c] = QUERIES;
    let [d, e, f] = super::extension_catalog::QUERIES;
    let [g, h, i] = super::access_catalog::QUERIES;
    let [j, k, l] = super::object_catalog::QUERIES;
    [a, b, c, d, e, f, g, h, i, j, k, l]
}

impl EntityRows {
    /// The rows of each of [`entity_queries`], in its order.
    pub(crate) fn from_results(results: [Vec<TextRow>; 12]) -> Self {
        let [views, functions, triggers, extensions, schema_comments, matview_indexes, policies, row_security, grants, domains, aggregates, rules] =
            results;
        EntityRows {
            views,
            functions,
            triggers,
            extensions,
            schema_comments,
            matview_indexes,
            access: super::access_catalog::AccessRows {
                policies,
                row_security,
                grants,
            },
            objects: super::object_catalog::ObjectRows {
                domains,
                aggregates,
                rules,
            },
        }
    }
}

/// Runs the twelve entity queries for `schemas`, one after the other.
pub(crate) async fn read_entity_rows(
    catalog: &mut dyn Catalog,
    schemas: &[String],
) -> Result<EntityRows, ReadSchemaError> {
    let mut results: [Vec<TextRow>; 12] = Default::default();
    for ((file, sql), rows) in entity_queries().into_iter().zip(results.iter_mut()) {
        *rows = query(catalog, file, &with_schema_list(sql, schemas)).await?;
    }
    Ok(EntityRows::from_results(results))
}

/// A view's query as the model writes it: PostgreSQL prints it with a leading space and a
/// final `;`.
fn view_text(def: &str) -> String {
    let t = def.trim();
    t.strip_suffix(';').unwrap_or(t).trim_end().to_owned()
}

/// `pg_get_functiondef`'s text after its first line (`CREATE OR REPLACE FUNCTION
/// name(args)`): the rest of the definition, as [`Function::definition`] holds it.
fn function_text(def: &str) -> String {
    let t = def.trim();
    match t.split_once('\n') {
        Some((first, rest)) if first.starts_with("CREATE OR REPLACE ") => rest.trim().to_owned(),
        _ => t.to_owned(),
    }
}

/// The rows as entities with their object ids; objects of `default_schema` carry no schema,
/// as tables there do.
pub fn build_entities(rows: &EntityRows, default_schema: &str) -> Vec<(u32, Entity)> {
    let f = |row: &TextRow, i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    let schema = |s: String| (s != default_schema).then_some(s);
    let oid = |row: &TextRow| f(row, 5).parse::<u32>().unwrap_or(0);
    let mut out = Vec::new();
    for row in &rows.views {
        let (s, name, kind, def) = (f(row, 0), f(row, 1), f(row, 2), f(row, 3));
        let entity: Entity = if kind == "m" {
            MaterializedView {
                schema: schema(s),
                name,
                definition: view_text(&def),
                with_data: f(row, 4) == "true",
                indexes: Vec::new(),
                after: Vec::new(),
                only_on: Vec::new(),
            }
            .into()
        } else {
            View {
                schema: schema(s),
                name,
                definition: view_text(&def),
                after: Vec::new(),
                only_on: Vec::new(),
            }
            .into()
        };
        out.push((oid(row), entity));
    }
    for row in &rows.functions {
        let entity = Function {
            schema: schema(f(row, 0)),
            name: f(row, 1),
            arguments: f(row, 3),
            definition: function_text(&f(row, 4)),
            procedure: f(row, 2) == "p",
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((oid(row), entity.into()));
    }
    for row in &rows.triggers {
        let def = f(row, 4);
        let prefix = format!("CREATE TRIGGER {} ", f(row, 3));
        let definition = def.strip_prefix(&prefix).unwrap_or(&def).trim().to_owned();
        let entity = Trigger {
            schema: schema(f(row, 0)),
            table: f(row, 1),
            name: f(row, 2),
            definition,
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((oid(row), entity.into()));
    }
    super::extension_catalog::attach_matview_indexes(
        &mut out,
        &rows.matview_indexes,
        default_schema,
    );
    out.extend(super::extension_catalog::build_extensions(&rows.extensions));
    out.extend(super::extension_catalog::build_schema_comments(
        &rows.schema_comments,
    ));
    out.extend(super::access_catalog::build_access_entities(
        &rows.access,
        default_schema,
    ));
    out.extend(super::object_catalog::build_objects(
        &rows.objects,
        default_schema,
    ));
    out
}

const TAG: &str = "$retort_entities$";
const SPELLED: &str = "pg_temp.retort_entity_spelled";
const REFUSED: &str = "pg_temp.retort_entity_refused";
/// PostgreSQL's `syntax_error`: the one refusal that is the definition's own fault whatever
/// the database holds (a missing table may be one the revision creates first).
const SYNTAX_ERROR: &str = "42601";

/// A string literal for the `DO` block, or `None` if PostgreSQL cannot hold it (a NUL).
fn lit(s: &str) -> Option<String> {
    Postgres.string_literal(s).ok()
}

/// The name a database's domain is renamed to while the model's is spelled under its own
/// (within PostgreSQL's 63 bytes).
fn set_aside_name(name: &str) -> String {
    let mut out = format!("retort_set_aside_{name}");
    while out.len() > 63 {
        out.pop();
    }
    out
}

/// The statements of one entity in the spelling block: drop the database's version (by the
/// model's own identity), create the model's, and find the objects of that name (to tell
/// which one the create made).
fn steps(e: &Entity) -> Option<(String, String, String)> {
    let pg = Postgres;
    let create = pg.create_entity(e).ok()?.join("; ");
    let nsp = match e.schema() {
        Some(s) => format!("to_regnamespace({})", lit(&pg.quote_identifier(s).ok()?)?),
        None => "current_schema()::regnamespace".to_owned(),
    };
    let qualified = pg.qualified_name(e.schema(), e.name()).ok()?;
    let (drop, find) = match e {
        Entity::View(_) | Entity::MaterializedView(_) => {
            let word = if matches!(e, Entity::View(_)) {
                "VIEW"
            } else {
                "MATERIALIZED VIEW"
            };
            (
                format!("DROP {word} IF EXISTS {qualified} CASCADE"),
                format!(
                    "SELECT array_agg(oid) FROM pg_class WHERE oid = to_regclass({})",
                    lit(&qualified)?
                ),
            )
        }
        Entity::Function(f) => (
            format!(
                "DROP {} IF EXISTS {qualified}({}) CASCADE",
                if f.procedure { "PROCEDURE" } else { "FUNCTION" },
                f.identity_arguments()
            ),
            format!(
                "SELECT array_agg(oid) FROM pg_proc WHERE proname = {} AND pronamespace = {nsp}",
                lit(&f.name)?
            ),
        ),
        Entity::Trigger(t) => {
            let table = pg.qualified_name(t.schema.as_deref(), &t.table).ok()?;
            (
                format!(
                    "DROP TRIGGER IF EXISTS {} ON {table}",
                    pg.quote_identifier(&t.name).ok()?
                ),
                format!(
                    "SELECT array_agg(oid) FROM pg_trigger WHERE tgrelid = to_regclass({}) AND tgname = {}",
                    lit(&table)?,
                    lit(&t.name)?
                ),
            )
        }
        // Created (if missing) so that what uses it can be spelled; never dropped, and
        // compared as it is, not as spelled.
        Entity::Extension(_) => ("SELECT 1".to_owned(), "SELECT NULL::oid[]".to_owned()),
        // Kept exactly as written: nothing to spell.
        Entity::SchemaComment(_) => {
            return Some((
                "SELECT 1".into(),
                "SELECT 1".into(),
                "SELECT NULL::oid[]".into(),
            ))
        }
        Entity::Policy(p) => {
            let table = pg.qualified_name(p.schema.as_deref(), &p.table).ok()?;
            (
                format!(
                    "DROP POLICY IF EXISTS {} ON {table}",
                    pg.quote_identifier(&p.name).ok()?
                ),
                format!(
                    "SELECT array_agg(oid) FROM pg_policy WHERE polrelid = to_regclass({}) AND polname = {}",
                    lit(&table)?,
                    lit(&p.name)?
                ),
            )
        }
        Entity::Domain(_) => (
            // Renamed out of the way, not dropped: a drop would take the columns of the type
            // along (CASCADE), and with them the views that read them, which could then not
            // be spelled. The columns keep the old domain under its new name. Its checks are
            // renamed too, so that the model's unnamed ones get the names the server gives
            // them (`year_check`, not `year_check1`).
            format!(
                "DO $retort_set_aside$ DECLARE c record; BEGIN \
                 FOR c IN SELECT oid, conname FROM pg_constraint WHERE contypid = to_regtype({name}) LOOP \
                 EXECUTE format('ALTER DOMAIN %s RENAME CONSTRAINT %I TO %I', {name}, c.conname, 'retort_set_aside_' || c.oid); \
                 END LOOP; \
                 ALTER DOMAIN {qualified} RENAME TO {aside}; END $retort_set_aside$",
                name = lit(&qualified)?,
                aside = pg.quote_identifier(&set_aside_name(e.name())).ok()?
            ),
            format!(
                "SELECT array_agg(oid) FROM pg_type WHERE typname = {} AND typnamespace = {nsp}",
                lit(e.name())?
            ),
        ),
        Entity::Aggregate(a) => (
            format!(
                "DROP AGGREGATE IF EXISTS {qualified}({}) CASCADE",
                aggregate_arguments(&a.identity_arguments())
            ),
            format!(
                "SELECT array_agg(oid) FROM pg_proc WHERE proname = {} AND pronamespace = {nsp}",
                lit(&a.name)?
            ),
        ),
        Entity::Rule(r) => {
            let table = pg.qualified_name(r.schema.as_deref(), &r.table).ok()?;
            (
                format!(
                    "DROP RULE IF EXISTS {} ON {table}",
                    pg.quote_identifier(&r.name).ok()?
                ),
                format!(
                    "SELECT array_agg(oid) FROM pg_rewrite WHERE ev_class = to_regclass({}) AND rulename = {}",
                    lit(&table)?,
                    lit(&r.name)?
                ),
            )
        }
        _ => return None,
    };
    Some((drop, create, find))
}

/// The spelling block for `entities` (see the module notes), or `None` if a definition
/// holds the block's quoting tag. Entity `i` that PostgreSQL created is recorded as the
/// row `(i, its oid)` of a temporary table; one it never created, with the SQLSTATE and
/// message of its last refusal in another.
pub(crate) fn spelling_block(entities: &[Entity]) -> Option<String> {
    let mut drops = Vec::new();
    let mut creates = Vec::new();
    let mut finds = Vec::new();
    for e in entities {
        // An entity the dialect cannot spell is still given a slot (a statement that
        // fails), so indexes stay those of `entities`.
        let (d, c, f) = steps(e).unwrap_or_else(|| {
            (
                "SELECT 1".into(),
                "SELECT retort_cannot_spell()".into(),
                "SELECT NULL::oid[]".into(),
            )
        });
        drops.push(lit(&d)?);
        creates.push(lit(&c)?);
        finds.push(lit(&f)?);
    }
    let array = |v: &[String]| format!("ARRAY[{}]::text[]", v.join(",\n    "));
    let n = entities.len();
    let block = format!(
        "DO {TAG}
DECLARE
  drops text[] := {drops};
  creates text[] := {creates};
  finds text[] := {finds};
  done bool[] := array_fill(false, ARRAY[{n}]);
  states text[] := array_fill(NULL::text, ARRAY[{n}]);
  errors text[] := array_fill(NULL::text, ARRAY[{n}]);
  progress bool := true;
  olds oid[];
  news oid[];
  made oid;
BEGIN
  CREATE TEMPORARY TABLE retort_entity_spelled (i int, obj oid);
  CREATE TEMPORARY TABLE retort_entity_refused (i int, state text, message text);
  FOR i IN 1..{n} LOOP
    BEGIN EXECUTE drops[i]; EXCEPTION WHEN OTHERS THEN NULL; END;
  END LOOP;
  WHILE progress LOOP
    progress := false;
    FOR i IN 1..{n} LOOP
      CONTINUE WHEN done[i];
      BEGIN
        EXECUTE finds[i] INTO olds;
        EXECUTE creates[i];
        EXECUTE finds[i] INTO news;
        SELECT x INTO made FROM unnest(news) x
          WHERE NOT (x = ANY (coalesce(olds, '{{}}'::oid[]))) LIMIT 1;
        INSERT INTO {SPELLED} VALUES (i - 1, made);
        done[i] := true;
        progress := true;
      EXCEPTION WHEN OTHERS THEN
        states[i] := SQLSTATE;
        errors[i] := SQLERRM;
      END;
    END LOOP;
  END LOOP;
  FOR i IN 1..{n} LOOP
    CONTINUE WHEN done[i];
    INSERT INTO {REFUSED} VALUES (i - 1, states[i], errors[i]);
  END LOOP;
END
{TAG}",
        drops = array(&drops),
        creates = array(&creates),
        finds = array(&finds),
    );
    let holds_tag = entities.iter().any(|e| {
        e.definition().contains(TAG)
            || matches!(e, Entity::Function(f) if f.arguments.contains(TAG))
            || matches!(e, Entity::Aggregate(a) if a.arguments.contains(TAG))
    });
    (!holds_tag).then_some(block)
}

/// The model entities PostgreSQL spells, as (index in `model`, the entity as the server
/// prints it), read with the catalog queries of `schemas` (see the module notes). Asks
/// nothing, and finds none, when no model entity has a counterpart of its name in `db`
/// that differs as text.
pub(crate) async fn spell_entities(
    catalog: &mut dyn Catalog,
    db: &[Entity],
    model: &[Entity],
    schemas: &[String],
    default_schema: &str,
) -> Result<Spelled, String> {
    if !crate::entities::needs_spelling(db, model) {
        return Ok(Spelled::default());
    }
    // In dependency order, so that the first round usually creates them all.
    let order = retort_core::sort_entities(model);
    let sorted: Vec<Entity> = order.iter().map(|&i| model[i].clone()).collect();
    let Some(block) = spelling_block(&sorted) else {
        return Err(format!(
            "a definition holds the spelling block's quoting tag {TAG}"
        ));
    };
    catalog.execute("BEGIN").await.map_err(|e| e.to_string())?;
    let result = match catalog.execute(super::CATALOG_READ_SETTINGS).await {
        Ok(()) => read_back(catalog, &block, schemas, default_schema).await,
        Err(e) => Err(e.to_string()),
    };
    let rolled_back = catalog.execute("ROLLBACK").await;
    let (out, refused) = result?;
    rolled_back.map_err(|e| e.to_string())?;
    let mut entities: Vec<(usize, Entity)> = out
        .into_iter()
        .filter_map(|(i, e)| order.get(i).map(|&m| (m, e)))
        .collect();
    entities.sort_by_key(|(i, _)| *i);
    let mut malformed: Vec<(usize, String)> = refused
        .into_iter()
        .filter_map(|(i, message)| order.get(i).map(|&m| (m, message)))
        .collect();
    malformed.sort_by_key(|(i, _)| *i);
    Ok(Spelled {
        entities,
        malformed,
    })
}

/// The spelled entities, and the syntax errors, each as (index in the block, message).
type ReadBack = (Vec<(usize, Entity)>, Vec<(usize, String)>);

async fn read_back(
    catalog: &mut dyn Catalog,
    block: &str,
    schemas: &[String],
    default_schema: &str,
) -> Result<ReadBack, String> {
    catalog.execute(block).await.map_err(|e| e.to_string())?;
    let made = catalog
        .query(&format!("SELECT i::text, obj::text FROM {SPELLED}"))
        .await
        .map_err(|e| e.to_string())?;
    let refused = catalog
        .query(&format!(
            "SELECT i::text, message FROM {REFUSED} WHERE state = '{SYNTAX_ERROR}' ORDER BY i"
        ))
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|row| {
            let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            Some((field(0).parse::<usize>().ok()?, field(1)))
        })
        .collect();
    let rows = read_entity_rows(catalog, schemas)
        .await
        .map_err(|e| e.to_string())?;
    let read = build_entities(&rows, default_schema);
    let mut out = Vec::new();
    for row in made {
        let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let (Ok(i), Ok(oid)) = (field(0).parse::<usize>(), field(1).parse::<u32>()) else {
            continue;
        };
        if let Some((_, e)) = read.iter().find(|(o, _)| *o == oid) {
            out.push((i, e.clone()));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    Ok((out, refused))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[&str]) -> TextRow {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    #[test]
    fn dependency_rows_become_keys() {
        let rows = vec![
            vec![
                Some("public".into()),
                Some("top".into()),
                Some("v".into()),
                Some("app".into()),
                Some("totals".into()),
                Some("m".into()),
                None,
            ],
            vec![
                Some("public".into()),
                Some("top".into()),
                Some("v".into()),
                Some("public".into()),
                Some("area".into()),
                Some("f".into()),
                Some("w integer DEFAULT 1".into()),
            ],
        ];
        let got = build_entity_dependencies(&rows, "public");
        let shown: Vec<String> = got.iter().map(|(a, b)| format!("{a} -> {b}")).collect();
        assert_eq!(
            shown,
            [
                "view top -> materialized view app.totals",
                "view top -> function area(w integer)"
            ]
        );
    }

    #[test]
    fn rows_become_entities_as_a_model_writes_them() {
        let rows = EntityRows {
            views: vec![
                row(&["public", "totals", "v", " SELECT 1 AS n;", "true", "11"]),
                row(&["app", "snap", "m", " SELECT 2 AS n;", "false", "12"]),
            ],
            functions: vec![row(&[
                "public",
                "area",
                "f",
                "a integer, b integer DEFAULT 1",
                "CREATE OR REPLACE FUNCTION public.area(a integer, b integer DEFAULT 1)\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a * b$function$\n",
                "13",
            ])],
            triggers: vec![row(&[
                "public",
                "orders",
                "Touch",
                "\"Touch\"",
                "CREATE TRIGGER \"Touch\" BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION touch()",
                "14",
            ])],
            ..EntityRows::default()
        };
        let got = build_entities(&rows, "public");
        let keys: Vec<String> = got.iter().map(|(_, e)| e.key().to_string()).collect();
        assert_eq!(
            keys,
            [
                "view totals",
                "materialized view app.snap",
                "function area(a integer, b integer)",
                "trigger Touch on orders"
            ]
        );
        assert_eq!(got[0].1.definition(), "SELECT 1 AS n");
        assert!(matches!(&got[1].1, Entity::MaterializedView(m) if !m.with_data));
        assert_eq!(
            got[2].1.definition(),
            "RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a * b$function$"
        );
        assert_eq!(
            got[3].1.definition(),
            "BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION touch()"
        );
        assert_eq!(got[3].0, 14);
    }

    #[test]
    fn the_block_drops_then_creates_in_guarded_rounds() {
        let model: Vec<Entity> = vec![
            View::new("totals", "SELECT 'it''s' AS n").into(),
            Function::new(
                "area",
                "a int",
                "RETURNS int LANGUAGE sql AS $$ SELECT a $$",
            )
            .into(),
        ];
        let block = spelling_block(&model).expect("a block");
        assert!(block.starts_with("DO $retort_entities$"), "{block}");
        assert!(
            block.contains("'DROP VIEW IF EXISTS totals CASCADE'"),
            "{block}"
        );
        assert!(
            block.contains("'DROP FUNCTION IF EXISTS area(a int) CASCADE'"),
            "{block}"
        );
        // Quotes doubled once by the view, once more for the array's literal.
        assert!(
            block.contains("'CREATE VIEW totals AS SELECT ''it''''s'' AS n'"),
            "{block}"
        );
        assert!(block.contains("WHILE progress LOOP"), "{block}");
        let holds: Vec<Entity> = vec![View::new("v", "SELECT '$retort_entities$'").into()];
        assert!(spelling_block(&holds).is_none());
    }
}

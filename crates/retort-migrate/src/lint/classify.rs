//! Pure classification of one op against the schema before it: the lock PostgreSQL takes,
//! whether the table is rewritten or scanned, and the candidate findings, each with the
//! live condition (`Check`) that decides whether it is reported when a database is at hand.

use std::collections::HashSet;

use retort_core::ops::{AlterColumn, ConstraintKind, Op};
use retort_core::{Column, DialectKind, ForeignKey, IndexTarget, MetaData, ServerDefault, Type};

use super::raw_sql;
use super::rules::Rule;
use crate::Backend;

/// A table as `schema.name` (`None`: the default schema).
pub(crate) type TableRef = (Option<String>, String);

/// What one op does on PostgreSQL (the lock is PostgreSQL's; other backends report none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effect {
    /// The strongest lock the statement takes on an existing table (`ACCESS EXCLUSIVE`,
    /// `SHARE`, ...); `None` when it takes none worth naming.
    pub lock: Option<&'static str>,
    /// Whether every row is rewritten.
    pub rewrites: bool,
    /// Whether every row is read (a validation or an index build).
    pub scans: bool,
}

/// The live condition under which a candidate is reported.
#[derive(Debug, Clone)]
pub(crate) enum Check {
    /// Reported whatever the data.
    Always,
    /// Reported when the table's size reaches `large_table_bytes` (PostgreSQL's catalog);
    /// offline, reported with the size unknown.
    TableLarge(TableRef),
    /// Reported when the table holds a row.
    TableHasRows(TableRef),
    /// Reported when the column holds a value (not NULL) in some row.
    ColumnHasValues(TableRef, String),
    /// Reported when some row matches `condition` (SQL over alias `o`); `what` names those rows.
    RowsMatch {
        table: TableRef,
        condition: String,
        what: String,
    },
    /// Reported when the columns hold duplicated values.
    Duplicates {
        table: TableRef,
        columns: Vec<String>,
        nulls_distinct: bool,
        predicate: Option<String>,
    },
    /// Reported when rows refer to no row of the referenced table.
    Orphans {
        table: TableRef,
        foreign_key: ForeignKey,
        /// The referenced table is created by this run (so every reference is an orphan).
        referenced_is_new: bool,
    },
    /// Reported when a column of the enum type holds one of `values`.
    EnumInUse {
        columns: Vec<(TableRef, String)>,
        values: Vec<String>,
    },
}

impl Check {
    /// Whether the check reads one of `columns` (columns the run adds: not in the
    /// database yet). A condition is searched for the column's name, which may be too
    /// careful, never too little.
    pub(crate) fn reads_any(&self, columns: &HashSet<(TableRef, String)>) -> bool {
        let hit = |t: &TableRef, c: &str| columns.contains(&(t.clone(), c.to_owned()));
        match self {
            Check::Always | Check::TableLarge(_) | Check::TableHasRows(_) => false,
            Check::ColumnHasValues(t, c) => hit(t, c),
            Check::RowsMatch {
                table, condition, ..
            } => columns
                .iter()
                .any(|(t, c)| t == table && condition.contains(c.as_str())),
            Check::Duplicates {
                table, columns: cs, ..
            } => cs.iter().any(|c| hit(table, c)),
            Check::Orphans {
                table, foreign_key, ..
            } => foreign_key.columns.iter().any(|c| hit(table, c)),
            Check::EnumInUse { columns: cs, .. } => cs.iter().any(|(t, c)| hit(t, c)),
        }
    }
}

/// A finding before its live check.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub rule: Rule,
    /// What the finding is about, in the op's words (`orders.note`).
    pub object: String,
    /// What the op does that the rule is about.
    pub detail: String,
    pub check: Check,
    /// Whether it is reported without a database.
    pub offline: bool,
}

impl Candidate {
    fn new(rule: Rule, object: impl Into<String>, detail: impl Into<String>, check: Check) -> Self {
        Candidate {
            rule,
            object: object.into(),
            detail: detail.into(),
            check,
            offline: true,
        }
    }
    fn live_only(mut self) -> Self {
        self.offline = false;
        self
    }
}

/// What classification needs besides the op.
pub(crate) struct Ctx<'a> {
    pub backend: Backend,
    /// The schema before the op (replayed from the history).
    pub schema: &'a MetaData,
    /// Tables created earlier in this run (empty, and unknown to running code).
    pub new_tables: &'a HashSet<TableRef>,
}

impl Ctx<'_> {
    fn kind(&self) -> DialectKind {
        match self.backend {
            Backend::Postgres => DialectKind::Postgres,
            Backend::Sqlite => DialectKind::Sqlite,
            Backend::Mysql => DialectKind::Mysql,
        }
    }
    fn is_new(&self, t: &TableRef) -> bool {
        self.new_tables.contains(t)
    }
    fn pg(&self) -> bool {
        self.backend == Backend::Postgres
    }
}

fn tref(schema: &Option<String>, table: &str) -> TableRef {
    (schema.clone(), table.to_owned())
}

fn show(t: &TableRef) -> String {
    match &t.0 {
        Some(s) => format!("{s}.{}", t.1),
        None => t.1.clone(),
    }
}

/// The effect and candidate findings of `op`.
pub(crate) fn classify(op: &Op, ctx: &Ctx<'_>) -> (Effect, Vec<Candidate>) {
    let mut out = Vec::new();
    let effect = match op {
        Op::CreateTable { table } => {
            for c in &table.columns {
                style(ctx, &show(&tref(&table.schema, &table.name)), c, &mut out);
            }
            Effect {
                lock: (!table.foreign_keys.is_empty())
                    .then_some("SHARE ROW EXCLUSIVE (referenced tables)"),
                ..Effect::default()
            }
        }
        Op::DropTable { schema, name, .. } => {
            let t = tref(schema, name);
            if !ctx.is_new(&t) {
                out.push(Candidate::new(
                    Rule::DropTable,
                    show(&t),
                    format!("drops table {}", show(&t)),
                    Check::TableHasRows(t),
                ));
            }
            access_exclusive()
        }
        Op::RenameTable {
            schema,
            old_name,
            new_name,
        } => {
            let t = tref(schema, old_name);
            if !ctx.is_new(&t) {
                out.push(Candidate::new(
                    Rule::RenamingTable,
                    show(&t),
                    format!("renames table {} to {new_name}", show(&t)),
                    Check::Always,
                ));
            }
            access_exclusive()
        }
        Op::AddColumn {
            schema,
            table,
            column,
        } => add_column(ctx, tref(schema, table), column, &mut out),
        Op::DropColumn {
            schema,
            table,
            column,
            ..
        } => {
            let t = tref(schema, table);
            if !ctx.is_new(&t) {
                out.push(Candidate::new(
                    Rule::DropColumn,
                    format!("{}.{column}", show(&t)),
                    format!("drops column {}.{column}", show(&t)),
                    Check::ColumnHasValues(t, column.clone()),
                ));
            }
            access_exclusive()
        }
        Op::AlterColumn(a) => alter_column(ctx, a, &mut out),
        Op::CreateIndex {
            schema,
            table,
            index,
            concurrently,
        } => {
            let t = tref(schema, table);
            let name = index.name.clone().unwrap_or_else(|| "(unnamed)".into());
            if !ctx.is_new(&t) {
                if ctx.pg() && !concurrently {
                    out.push(Candidate::new(
                        Rule::RequireConcurrentIndexCreation,
                        format!("index {name} on {}", show(&t)),
                        format!("creates index {name} without CONCURRENTLY"),
                        Check::TableLarge(t.clone()),
                    ));
                }
                if index.unique {
                    if let Some(columns) = plain_columns(index.elements.iter().map(|e| &e.target)) {
                        out.push(
                            Candidate::new(
                                Rule::UniqueViolation,
                                format!("unique index {name} on {}", show(&t)),
                                format!("creates unique index {name} ({})", columns.join(", ")),
                                Check::Duplicates {
                                    table: t.clone(),
                                    columns,
                                    nulls_distinct: !index.nulls_not_distinct,
                                    predicate: index.predicate.clone(),
                                },
                            )
                            .live_only(),
                        );
                    }
                }
            }
            Effect {
                lock: Some(if *concurrently {
                    "SHARE UPDATE EXCLUSIVE"
                } else {
                    "SHARE"
                }),
                scans: true,
                ..Effect::default()
            }
        }
        Op::DropIndex {
            schema,
            table,
            name,
            concurrently,
            ..
        } => {
            let t = tref(schema, table);
            if ctx.pg() && !concurrently && !ctx.is_new(&t) {
                out.push(Candidate::new(
                    Rule::RequireConcurrentIndexDeletion,
                    format!("index {name} on {}", show(&t)),
                    format!("drops index {name} without CONCURRENTLY"),
                    Check::TableLarge(t),
                ));
            }
            Effect {
                lock: Some(if *concurrently {
                    "SHARE UPDATE EXCLUSIVE"
                } else {
                    "ACCESS EXCLUSIVE"
                }),
                ..Effect::default()
            }
        }
        Op::CreateUniqueConstraint {
            schema,
            table,
            unique,
        } => {
            let t = tref(schema, table);
            let name = unique.name.clone().unwrap_or_else(|| "(unnamed)".into());
            if !ctx.is_new(&t) {
                if ctx.pg() {
                    out.push(Candidate::new(
                        Rule::AddingUniqueConstraint,
                        format!("{name} on {}", show(&t)),
                        format!(
                            "adds unique constraint {name} ({})",
                            unique.columns.join(", ")
                        ),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::UniqueViolation,
                        format!("{name} on {}", show(&t)),
                        format!(
                            "adds unique constraint {name} ({})",
                            unique.columns.join(", ")
                        ),
                        Check::Duplicates {
                            table: t,
                            columns: unique.columns.clone(),
                            nulls_distinct: !unique.nulls_not_distinct,
                            predicate: None,
                        },
                    )
                    .live_only(),
                );
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: true,
                ..Effect::default()
            }
        }
        Op::CreatePrimaryKey {
            schema,
            table,
            primary_key,
        } => {
            let t = tref(schema, table);
            let cols = primary_key.columns.join(", ");
            if !ctx.is_new(&t) {
                if ctx.pg() {
                    out.push(Candidate::new(
                        Rule::AddingPrimaryKeyConstraint,
                        show(&t),
                        format!("adds primary key ({cols})"),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::UniqueViolation,
                        format!("primary key of {}", show(&t)),
                        format!("adds primary key ({cols})"),
                        Check::Duplicates {
                            table: t.clone(),
                            columns: primary_key.columns.clone(),
                            nulls_distinct: true,
                            predicate: None,
                        },
                    )
                    .live_only(),
                );
                let d = super::probe::dialect(ctx.backend);
                let cond = primary_key
                    .columns
                    .iter()
                    .map(|c| format!("o.{} IS NULL", quote(d, c)))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                out.push(
                    Candidate::new(
                        Rule::NotNullViolation,
                        format!("primary key of {}", show(&t)),
                        format!("adds primary key ({cols})"),
                        Check::RowsMatch {
                            table: t,
                            condition: cond,
                            what: format!("rows with a NULL in ({cols})"),
                        },
                    )
                    .live_only(),
                );
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: true,
                ..Effect::default()
            }
        }
        Op::CreateForeignKey {
            schema,
            table,
            foreign_key,
            not_valid,
        } => {
            // NOT VALID exists on PostgreSQL only; elsewhere the flag is the plain form.
            let not_valid = *not_valid && ctx.pg();
            let t = tref(schema, table);
            let name = foreign_key
                .name
                .clone()
                .unwrap_or_else(|| "(unnamed)".into());
            let r = (
                foreign_key.ref_schema.clone().or_else(|| schema.clone()),
                foreign_key.ref_table.clone(),
            );
            if !ctx.is_new(&t) {
                if ctx.pg() && !not_valid {
                    out.push(Candidate::new(
                        Rule::ConstraintMissingNotValid,
                        format!("foreign key {name} on {}", show(&t)),
                        format!(
                            "adds foreign key {name} ({}) -> {} and validates every row",
                            foreign_key.columns.join(", "),
                            show(&r)
                        ),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::ForeignKeyViolation,
                        format!("foreign key {name} on {}", show(&t)),
                        format!(
                            "adds foreign key {name} ({}) -> {}",
                            foreign_key.columns.join(", "),
                            show(&r)
                        ),
                        Check::Orphans {
                            table: t,
                            foreign_key: foreign_key.clone(),
                            referenced_is_new: ctx.is_new(&r),
                        },
                    )
                    .live_only(),
                );
            }
            // NOT VALID: the lock for a moment, no rows read; the scan is the validate's.
            Effect {
                lock: Some("SHARE ROW EXCLUSIVE (both tables)"),
                scans: !not_valid,
                ..Effect::default()
            }
        }
        Op::CreateCheckConstraint {
            schema,
            table,
            check,
            not_valid,
        } => {
            let not_valid = *not_valid && ctx.pg();
            let t = tref(schema, table);
            let name = check.name.clone().unwrap_or_else(|| "(unnamed)".into());
            if !ctx.is_new(&t) {
                if ctx.pg() && !not_valid {
                    out.push(Candidate::new(
                        Rule::ConstraintMissingNotValid,
                        format!("check {name} on {}", show(&t)),
                        format!("adds check {name} ({}) and validates every row", check.expr),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::CheckViolation,
                        format!("check {name} on {}", show(&t)),
                        format!("adds check {name} ({})", check.expr),
                        Check::RowsMatch {
                            table: t,
                            condition: format!("NOT ({})", check.expr),
                            what: format!("rows breaking ({})", check.expr),
                        },
                    )
                    .live_only(),
                );
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: !not_valid,
                ..Effect::default()
            }
        }
        // The safe form's second step: reads and writes go on while it scans (the referenced
        // table of a foreign key gets ROW SHARE). Nothing to validate elsewhere.
        Op::ValidateConstraint { kind, .. } => {
            if ctx.pg() {
                Effect {
                    lock: Some(if *kind == ConstraintKind::ForeignKey {
                        "SHARE UPDATE EXCLUSIVE (referenced table: ROW SHARE)"
                    } else {
                        "SHARE UPDATE EXCLUSIVE"
                    }),
                    scans: true,
                    ..Effect::default()
                }
            } else {
                Effect::default()
            }
        }
        Op::CreateExcludeConstraint {
            schema,
            table,
            exclude,
        } => {
            let t = tref(schema, table);
            if ctx.pg() && !ctx.is_new(&t) {
                let name = exclude.name.clone().unwrap_or_else(|| "(unnamed)".into());
                out.push(Candidate::new(
                    Rule::AddingExclusionConstraint,
                    format!("{name} on {}", show(&t)),
                    format!("adds exclusion constraint {name}"),
                    Check::TableLarge(t),
                ));
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: true,
                ..Effect::default()
            }
        }
        Op::DropConstraint { .. } => access_exclusive(),
        Op::CreateTableComment { .. } | Op::DropTableComment { .. } => Effect {
            lock: Some("SHARE UPDATE EXCLUSIVE"),
            ..Effect::default()
        },
        Op::AddEnumValue {
            schema,
            enum_name,
            value,
            position,
            ..
        } => {
            if position.is_none() {
                out.push(Candidate::new(
                    Rule::RequireEnumValueOrdering,
                    show(&tref(schema, enum_name)),
                    format!("adds value '{value}' last"),
                    Check::Always,
                ));
            }
            Effect::default()
        }
        Op::RecreateEnum {
            schema,
            name,
            values,
            existing,
        } => recreate_enum(ctx, schema, name, values, existing.as_deref(), &mut out),
        Op::Execute {
            sql,
            outside_transaction,
            ..
        } => {
            raw_sql::scan(ctx.backend, sql, *outside_transaction, &mut out);
            Effect::default()
        }
        Op::BulkInsert { .. } => Effect {
            lock: Some("ROW EXCLUSIVE"),
            ..Effect::default()
        },
        Op::CreateEnum { .. }
        | Op::DropEnum { .. }
        | Op::CreateSequence { .. }
        | Op::DropSequence { .. }
        | Op::AlterSequence { .. }
        | Op::CreateEntity { .. }
        | Op::ReplaceEntity { .. }
        | Op::DropEntity { .. }
        | Op::CreateSchema { .. }
        | Op::DropSchema { .. }
        | Op::CopyFrom { .. } => Effect::default(),
    };
    if ctx.backend == Backend::Sqlite {
        sqlite_rebuild(op, ctx, &mut out);
    }
    let effect = if ctx.pg() { effect } else { Effect::default() };
    (effect, out)
}

fn access_exclusive() -> Effect {
    Effect {
        lock: Some("ACCESS EXCLUSIVE"),
        ..Effect::default()
    }
}

pub(crate) fn quote(d: &(dyn retort_dialect::Dialect + Send + Sync), name: &str) -> String {
    d.quote_identifier(name)
        .unwrap_or_else(|_| format!("\"{}\"", name.replace('"', "\"\"")))
}

fn plain_columns<'a>(targets: impl Iterator<Item = &'a IndexTarget>) -> Option<Vec<String>> {
    targets
        .map(|t| match t {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expr(_) => None,
        })
        .collect()
}

fn sqlite_rebuild(op: &Op, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) {
    let table = match op {
        Op::AlterColumn(a) => tref(&a.schema, &a.table),
        Op::CreateForeignKey { schema, table, .. }
        | Op::CreateCheckConstraint { schema, table, .. }
        | Op::CreateUniqueConstraint { schema, table, .. }
        | Op::CreatePrimaryKey { schema, table, .. }
        | Op::DropConstraint { schema, table, .. }
        | Op::DropColumn { schema, table, .. }
        | Op::AddColumn { schema, table, .. } => tref(schema, table),
        Op::RecreateEnum { .. } => return,
        _ => return,
    };
    if ctx.is_new(&table) {
        return;
    }
    let rebuilds = retort_dialect::sqlite::Sqlite
        .needs_foreign_keys_off(std::slice::from_ref(op), ctx.schema)
        .unwrap_or(false);
    if rebuilds {
        out.push(Candidate::new(
            Rule::SqliteTableRebuild,
            show(&table),
            format!("{} rebuilds table {}", op.describe(), show(&table)),
            Check::TableHasRows(table),
        ));
    }
}

/// Functions whose value changes row by row (PostgreSQL `VOLATILE`), so a default using
/// one is computed for every existing row when the column is added.
const VOLATILE: &[&str] = &[
    "random(",
    "gen_random_uuid(",
    "uuid_generate_v1",
    "uuid_generate_v4(",
    "clock_timestamp(",
    "timeofday(",
    "nextval(",
    "txid_current(",
    "setseed(",
];

fn is_volatile(d: &ServerDefault, kind: DialectKind) -> bool {
    match d.for_dialect(Some(kind)).as_deref() {
        Some(ServerDefault::Expr(e)) => {
            let e = e.to_ascii_lowercase().replace(' ', "");
            VOLATILE.iter().any(|f| e.contains(f))
        }
        _ => false,
    }
}

fn add_column(ctx: &Ctx<'_>, t: TableRef, column: &Column, out: &mut Vec<Candidate>) -> Effect {
    let object = format!("{}.{}", show(&t), column.name);
    style(ctx, &show(&t), column, out);
    let mut effect = access_exclusive();
    if ctx.is_new(&t) {
        return effect;
    }
    let required = !column.nullable
        && column.server_default.is_none()
        && column.identity.is_none()
        && column.computed.is_none()
        && column.serial.is_none();
    if required {
        out.push(Candidate::new(
            Rule::AddingRequiredField,
            object.clone(),
            format!("adds NOT NULL column {object} without a default"),
            Check::TableHasRows(t.clone()),
        ));
    }
    if ctx.pg() {
        let volatile = column
            .server_default
            .as_ref()
            .is_some_and(|d| is_volatile(d, ctx.kind()));
        if volatile || column.identity.is_some() || column.serial.is_some() {
            effect.rewrites = true;
            let what = if volatile {
                "a volatile default"
            } else {
                "generated values (identity or serial)"
            };
            out.push(Candidate::new(
                Rule::AddingFieldWithVolatileDefault,
                object.clone(),
                format!("adds column {object} with {what}"),
                Check::TableLarge(t.clone()),
            ));
        }
        if column.computed.as_ref().is_some_and(|c| c.stored) {
            effect.rewrites = true;
            out.push(Candidate::new(
                Rule::AddingStoredGeneratedColumn,
                object.clone(),
                format!("adds stored generated column {object}"),
                Check::TableLarge(t),
            ));
        }
    }
    effect
}

/// The style rules (off unless enabled) over a column being created.
fn style(ctx: &Ctx<'_>, table: &str, column: &Column, out: &mut Vec<Candidate>) {
    let object = format!("{table}.{}", column.name);
    let ty = column.ty.for_dialect(Some(ctx.kind()));
    let generated = column.identity.is_some() || column.serial.is_some();
    if generated && matches!(*ty, Type::Integer | Type::SmallInt) {
        out.push(Candidate::new(
            Rule::PreferBigintOverInt,
            object.clone(),
            format!("generated key {object} is {}", type_name(&ty)),
            Check::Always,
        ));
    }
    if ctx.pg() {
        if let Type::Varchar(Some(n)) = *ty {
            out.push(Candidate::new(
                Rule::PreferTextField,
                object.clone(),
                format!("{object} is varchar({n})"),
                Check::Always,
            ));
        }
        if matches!(*ty, Type::Timestamp { tz: false }) {
            out.push(Candidate::new(
                Rule::PreferTimestamptz,
                object.clone(),
                format!("{object} is timestamp without time zone"),
                Check::Always,
            ));
        }
        if column.serial.is_some() {
            out.push(Candidate::new(
                Rule::PreferIdentity,
                object.clone(),
                format!("{object} is serial"),
                Check::Always,
            ));
        }
    }
    if matches!(*ty, Type::Char(_)) {
        out.push(Candidate::new(
            Rule::BanCharField,
            object.clone(),
            format!("{object} is char"),
            Check::Always,
        ));
    }
}

fn type_name(t: &Type) -> String {
    format!("{t:?}").to_ascii_lowercase()
}

fn alter_column(ctx: &Ctx<'_>, a: &AlterColumn, out: &mut Vec<Candidate>) -> Effect {
    let t = tref(&a.schema, &a.table);
    let object = format!("{}.{}", show(&t), a.column);
    let d = super::probe::dialect(ctx.backend);
    let col = quote(d, &a.column);
    let mut effect = if a.comment.is_some() && a.changed().len() == 1 {
        Effect {
            lock: Some("SHARE UPDATE EXCLUSIVE"),
            ..Effect::default()
        }
    } else {
        access_exclusive()
    };
    if ctx.is_new(&t) {
        return effect;
    }
    let existing_column = ctx
        .schema
        .get_table(a.schema.as_deref(), &a.table)
        .and_then(|tb| tb.columns.iter().find(|c| c.name == a.column));
    if a.nullable == Some(false) {
        effect.scans = true;
        let proven = ctx
            .schema
            .get_table(a.schema.as_deref(), &a.table)
            .is_some_and(|tb| {
                tb.checks
                    .iter()
                    .any(|c| proves_not_null(&c.expr, &a.column))
            });
        if ctx.pg() && !proven {
            out.push(Candidate::new(
                Rule::SettingNotNull,
                object.clone(),
                format!("sets {object} NOT NULL"),
                Check::TableLarge(t.clone()),
            ));
        }
        out.push(
            Candidate::new(
                Rule::NotNullViolation,
                object.clone(),
                format!("sets {object} NOT NULL"),
                Check::RowsMatch {
                    table: t.clone(),
                    condition: format!("o.{col} IS NULL"),
                    what: format!("rows where {} is NULL", a.column),
                },
            )
            .live_only(),
        );
    }
    if a.nullable == Some(true) {
        out.push(Candidate::new(
            Rule::DropNotNull,
            object.clone(),
            format!("drops NOT NULL on {object}"),
            Check::Always,
        ));
    }
    if let Some(new_name) = &a.new_name {
        out.push(Candidate::new(
            Rule::RenamingColumn,
            object.clone(),
            format!("renames column {object} to {new_name}"),
            Check::Always,
        ));
    }
    if let Some(new) = &a.type_ {
        let old = a
            .existing_type
            .clone()
            .or_else(|| existing_column.map(|c| c.ty.clone()));
        let new = new.for_dialect(Some(ctx.kind())).into_owned();
        let old = old.map(|o| o.for_dialect(Some(ctx.kind())).into_owned());
        let change = match &old {
            Some(o) => format!("{} -> {}", type_name(o), type_name(&new)),
            None => format!("to {}", type_name(&new)),
        };
        if ctx.pg() && !old.as_ref().is_some_and(|o| binary_coercible(o, &new)) {
            effect.rewrites = true;
            out.push(Candidate::new(
                Rule::ChangingColumnType,
                object.clone(),
                format!("changes the type of {object} ({change})"),
                Check::TableLarge(t.clone()),
            ));
        }
        if let Some(narrow) = old
            .as_ref()
            .and_then(|o| narrowing(o, &new, &col, ctx.pg()))
        {
            let check = match narrow {
                Some((condition, what)) => Check::RowsMatch {
                    table: t.clone(),
                    condition,
                    what,
                },
                None => Check::ColumnHasValues(t.clone(), a.column.clone()),
            };
            out.push(Candidate::new(
                Rule::NarrowingType,
                object.clone(),
                format!("narrows the type of {object} ({change})"),
                check,
            ));
        }
    }
    effect
}

/// Whether a check's expression is `col IS NOT NULL` (quotes, case and parentheses aside),
/// which lets PostgreSQL 12+ set NOT NULL without a scan.
fn proves_not_null(expr: &str, column: &str) -> bool {
    let norm: String = expr
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '"' | '`'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    norm == format!("{} is not null", column.to_ascii_lowercase())
}

/// PostgreSQL changes these without rewriting the table.
fn binary_coercible(old: &Type, new: &Type) -> bool {
    use Type::*;
    match (old, new) {
        (a, b) if a == b => true,
        (Varchar(Some(a)), Varchar(Some(b))) => b >= a,
        (Varchar(_), Varchar(None)) | (Varchar(_), Text) | (Text, Varchar(None)) => true,
        (
            Numeric {
                precision: Some(p1),
                scale: s1,
            },
            Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => p2 >= p1 && s1.unwrap_or(0) == s2.unwrap_or(0),
        (
            Numeric { .. },
            Numeric {
                precision: None,
                scale: None,
            },
        ) => true,
        _ => false,
    }
}

fn int_range(t: &Type) -> Option<(i64, i64)> {
    match t {
        Type::SmallInt => Some((i16::MIN.into(), i16::MAX.into())),
        Type::Integer => Some((i32::MIN.into(), i32::MAX.into())),
        Type::BigInt => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

fn text_len(t: &Type) -> Option<Option<u32>> {
    match t {
        Type::Text | Type::Varchar(None) => Some(None),
        Type::Varchar(Some(n)) => Some(Some(*n)),
        Type::Char(n) => Some(Some(n.unwrap_or(1))),
        _ => None,
    }
}

/// `Some(check)` when `old -> new` can lose or reject values: the check is the condition
/// (over alias `o`) of the rows that do not fit where one can be written, else `None`.
#[allow(clippy::type_complexity)]
fn narrowing(old: &Type, new: &Type, col: &str, pg: bool) -> Option<Option<(String, String)>> {
    use Type::*;
    if let (Some(a), Some(b)) = (text_len(old), text_len(new)) {
        return match (a, b) {
            (_, None) => None,
            (Some(a), Some(b)) if b >= a => None,
            (_, Some(b)) => Some(Some((
                format!("length(o.{col}) > {b}"),
                format!("values longer than {b} characters"),
            ))),
        };
    }
    if let (Some((lo1, hi1)), Some((lo2, hi2))) = (int_range(old), int_range(new)) {
        if lo2 <= lo1 && hi2 >= hi1 {
            return None;
        }
        return Some(Some((
            format!("(o.{col} < {lo2} OR o.{col} > {hi2})"),
            format!("values outside {lo2}..{hi2}"),
        )));
    }
    match (old, new) {
        (
            Numeric {
                precision: p1,
                scale: s1,
            },
            Numeric {
                precision: p2,
                scale: s2,
            },
        ) => {
            // An unbounded numeric has any scale; a bounded one without a scale has 0.
            let old_scale = if p1.is_none() {
                None
            } else {
                Some(s1.unwrap_or(0))
            };
            let fewer = match (p1, p2) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
            } || p2.is_some() && old_scale.map_or(true, |o| s2.unwrap_or(0) < o);
            let p = (*p2)?;
            let scale = s2.unwrap_or(0);
            let limit = format!("1{}", "0".repeat(p.saturating_sub(scale) as usize));
            fewer.then(|| {
                Some((
                    format!("(o.{col} <> ROUND(o.{col}, {scale}) OR ABS(o.{col}) >= {limit})"),
                    format!("values that do not fit numeric({p}, {scale})"),
                ))
            })
        }
        (Double, Real) => Some(None),
        // Text to an integer: values that are not whole numbers (PostgreSQL's regular
        // expressions; elsewhere every value is suspect).
        (a, b) if pg && text_len(a).is_some() && int_range(b).is_some() => Some(Some((
            format!("o.{col} !~ '^\\s*[-+]?[0-9]+\\s*$'"),
            "values that are not whole numbers".to_owned(),
        ))),
        // Text to anything else that is not text: values that do not parse are rejected.
        (a, b)
            if text_len(a).is_some()
                && text_len(b).is_none()
                && !matches!(b, Json | Jsonb | Custom(_) | Enum(_)) =>
        {
            Some(None)
        }
        _ => None,
    }
}

fn recreate_enum(
    ctx: &Ctx<'_>,
    schema: &Option<String>,
    name: &str,
    values: &[String],
    existing: Option<&[String]>,
    out: &mut Vec<Candidate>,
) -> Effect {
    // The columns of existing tables that use the type.
    let mut columns = Vec::new();
    for t in ctx.schema.tables() {
        let tr = (t.schema.clone(), t.name.clone());
        if ctx.is_new(&tr) {
            continue;
        }
        for c in &t.columns {
            let ty = c.ty.for_dialect(Some(ctx.kind()));
            let uses = |e: &retort_core::EnumRef| {
                e.name == name
                    && (e.schema.as_deref().or(t.schema.as_deref()) == schema.as_deref()
                        || schema.is_none() && e.schema.is_none())
            };
            let hit = match &*ty {
                Type::Enum(e) => uses(e),
                Type::Array(inner) => matches!(&**inner, Type::Enum(e) if uses(e)),
                _ => false,
            };
            if hit {
                columns.push((tr.clone(), c.name.clone()));
            }
        }
    }
    let enum_name = show(&tref(schema, name));
    if let Some(existing) = existing {
        let removed: Vec<String> = existing
            .iter()
            .filter(|v| !values.contains(v))
            .cloned()
            .collect();
        if !removed.is_empty() && !columns.is_empty() {
            out.push(Candidate::new(
                Rule::DropEnumValue,
                enum_name.clone(),
                format!("removes {} from enum {enum_name}", removed.join(", ")),
                Check::EnumInUse {
                    columns: columns.clone(),
                    values: removed,
                },
            ));
        }
    }
    let mut tables: Vec<TableRef> = columns.iter().map(|(t, _)| t.clone()).collect();
    tables.dedup();
    if ctx.pg() {
        for t in &tables {
            out.push(Candidate::new(
                Rule::ChangingColumnType,
                show(t),
                format!(
                    "re-creates enum {enum_name}, converting the columns of {} that use it",
                    show(t)
                ),
                Check::TableLarge(t.clone()),
            ));
        }
    }
    Effect {
        lock: (!tables.is_empty()).then_some("ACCESS EXCLUSIVE (tables using the type)"),
        rewrites: !tables.is_empty(),
        scans: false,
    }
}

/// The existing table an op locks, if any.
pub(crate) fn op_table(op: &Op) -> Option<TableRef> {
    Some(match op {
        Op::DropTable { schema, name, .. } => tref(schema, name),
        Op::RenameTable {
            schema, old_name, ..
        } => tref(schema, old_name),
        Op::AlterColumn(a) => tref(&a.schema, &a.table),
        Op::AddColumn { schema, table, .. }
        | Op::DropColumn { schema, table, .. }
        | Op::CreateIndex { schema, table, .. }
        | Op::DropIndex { schema, table, .. }
        | Op::CreateUniqueConstraint { schema, table, .. }
        | Op::CreateForeignKey { schema, table, .. }
        | Op::CreateCheckConstraint { schema, table, .. }
        | Op::CreateExcludeConstraint { schema, table, .. }
        | Op::CreatePrimaryKey { schema, table, .. }
        | Op::DropConstraint { schema, table, .. } => tref(schema, table),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_null_checks_are_recognised_in_any_spelling() {
        assert!(proves_not_null("(\"email\" IS NOT NULL)", "email"));
        assert!(proves_not_null("email is not null", "email"));
        assert!(!proves_not_null("email IS NOT NULL AND x > 0", "email"));
    }

    #[test]
    fn widening_is_not_narrowing() {
        assert!(narrowing(&Type::Integer, &Type::BigInt, "c", true).is_none());
        assert!(narrowing(
            &Type::Varchar(Some(10)),
            &Type::Varchar(Some(20)),
            "c",
            true
        )
        .is_none());
        assert!(narrowing(&Type::Varchar(Some(10)), &Type::Text, "c", true).is_none());
        assert!(narrowing(&Type::Text, &Type::Varchar(Some(5)), "c", true).is_some());
        assert!(narrowing(&Type::BigInt, &Type::Integer, "c", true).is_some());
        assert!(narrowing(&Type::Text, &Type::Integer, "c", true).is_some());
        assert!(binary_coercible(&Type::Varchar(Some(10)), &Type::Text));
        assert!(!binary_coercible(&Type::Integer, &Type::BigInt));
    }
}

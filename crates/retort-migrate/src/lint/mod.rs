//! The lint of dangerous operations: every op of the revisions a run would apply,
//! classified for the backend it runs on, before it runs.
//!
//! # Design
//!
//! * Ops are plain data, so the lint reads the same recorded ops the runner renders; no
//!   SQL is parsed except raw `op.execute` text (`raw_sql`, a scan of words).
//! * Classification ([`classify`]) is pure: the op and the schema before it (replayed from
//!   the history) give the lock PostgreSQL takes, whether the table is rewritten or
//!   scanned, and candidate findings, each with the live condition that decides it.
//! * With a database (`probe`), each condition is asked of the data: "offline, what can
//!   go wrong; connected, what will". A drop of an empty table, a lock on a table smaller
//!   than `large_table_bytes`, a `SET NOT NULL` over no NULL: not reported. A `SET NOT
//!   NULL` over NULL rows, duplicates under a new unique constraint, orphans under a new
//!   foreign key, rows a new check breaks: reported with the count and a few keys, which
//!   offline cannot know (those rules need a database).
//! * Tables created earlier in the same run are empty and unknown to running code: no
//!   lock, data or compatibility finding is raised on them (style rules still are).
//! * Rules ([`rules`]) have stable ids, a default severity, per-environment overrides in
//!   `retort.toml` (`[lint]`, [`LintSettings`]), and the rationale and safe alternative that
//!   `docs/lint.md` lists (a test keeps the two equal).
//! * Lines: revisions are Rust files; [`locate`] finds each op's recorder call.
//!
//! Only reads: counts and `SELECT`s, never a lock or a write. The library prints nothing;
//! the CLI's printer writes the report.

pub mod classify;
pub mod locate;
mod probe;
mod raw_sql;
pub mod rules;

use std::collections::{BTreeMap, HashSet};

use retort_core::graph::{Direction, Plan};
use retort_core::ops::Op;
use retort_core::MetaData;

pub use classify::Effect;
pub use rules::{Category, Rule, RuleInfo, Severity};

use crate::driver::Driver;
use crate::{Backend, MigrateError, Migrator, Script};

/// The default of `large_table_bytes`: tables smaller than this (indexes and TOAST
/// included) are locked for a moment only, so lock and rewrite rules stay silent on them
/// when the lint is connected.
pub const DEFAULT_LARGE_TABLE_BYTES: u64 = 10 * 1024 * 1024;

/// `[lint]` of `retort.toml` (per environment: `[env.NAME.lint]` overlays it, rule by rule).
///
/// ```toml
/// [lint]
/// fail_on = "error"               # the level at which `lint` exits 5 and `upgrade` refuses
/// large_table_bytes = 10485760    # lock rules are silent on smaller tables when connected
/// data_loss = "refuse"            # upgrade/downgrade dropping rows: refuse | warn | off
/// [lint.rules]
/// drop-column = "warning"         # error | warning | info | off
/// prefer-text-field = "info"      # style rules are off unless enabled
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LintSettings {
    /// Per-rule severity overrides; `None`: the rule is off.
    pub rules: BTreeMap<Rule, Option<Severity>>,
    /// Findings at or above this level fail `lint` and stop `upgrade`.
    pub fail_on: Severity,
    /// The size from which a table counts as large (connected, PostgreSQL).
    pub large_table_bytes: u64,
    /// Whether `ddl_lock_timeout` is configured (`require-lock-timeout`).
    pub ddl_lock_timeout: bool,
    /// What `upgrade` and `downgrade` do with an unmarked drop of a table holding rows or a
    /// column holding values (the runner's data-loss guard, [`crate::DataLossGuard`]).
    pub data_loss: crate::DataLossGuard,
}

impl Default for LintSettings {
    fn default() -> Self {
        LintSettings {
            rules: BTreeMap::new(),
            fail_on: Severity::Error,
            large_table_bytes: DEFAULT_LARGE_TABLE_BYTES,
            ddl_lock_timeout: false,
            data_loss: crate::DataLossGuard::default(),
        }
    }
}

impl LintSettings {
    /// The severity `rule` is reported at; `None`: off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.rules.get(&rule) {
            Some(s) => *s,
            None => rule.info().default_severity,
        }
    }

    /// These settings with `rule` at `severity` (`None`: off).
    pub fn with_rule(mut self, rule: Rule, severity: Option<Severity>) -> Self {
        self.rules.insert(rule, severity);
        self
    }

    /// These settings with the large-table threshold at `bytes`.
    pub fn with_large_table_bytes(mut self, bytes: u64) -> Self {
        self.large_table_bytes = bytes;
        self
    }

    /// These settings with the data-loss guard at `guard`.
    pub fn with_data_loss(mut self, guard: crate::DataLossGuard) -> Self {
        self.data_loss = guard;
        self
    }

    /// These settings with `ddl_lock_timeout` said to be configured or not.
    pub fn with_ddl_lock_timeout(mut self, set: bool) -> Self {
        self.ddl_lock_timeout = set;
        self
    }
}

/// `[lint]` as written; see [`LintSettings`].
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLint {
    fail_on: Option<String>,
    large_table_bytes: Option<u64>,
    data_loss: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
}

impl RawLint {
    /// `over` on top of `self`: scalar keys replaced, rules merged rule by rule.
    pub(crate) fn overlay(mut self, over: &RawLint) -> RawLint {
        if over.fail_on.is_some() {
            self.fail_on.clone_from(&over.fail_on);
        }
        if over.large_table_bytes.is_some() {
            self.large_table_bytes = over.large_table_bytes;
        }
        if over.data_loss.is_some() {
            self.data_loss.clone_from(&over.data_loss);
        }
        for (k, v) in &over.rules {
            self.rules.insert(k.clone(), v.clone());
        }
        self
    }

    /// The settings, or what is wrong (the key and why).
    pub(crate) fn settings(
        &self,
        ddl_lock_timeout: bool,
    ) -> Result<LintSettings, (String, String)> {
        let level = |key: &str, v: &str| {
            Severity::parse(v).ok_or_else(|| {
                (
                    key.to_owned(),
                    format!("`{v}` is not a level; write error, warning or info"),
                )
            })
        };
        let mut s = LintSettings {
            ddl_lock_timeout,
            ..LintSettings::default()
        };
        if let Some(v) = &self.fail_on {
            s.fail_on = level("lint.fail_on", v)?;
        }
        if let Some(b) = self.large_table_bytes {
            s.large_table_bytes = b;
        }
        if let Some(v) = &self.data_loss {
            s.data_loss = crate::DataLossGuard::parse(v).ok_or_else(|| {
                (
                    "lint.data_loss".to_owned(),
                    format!("`{v}` is not a choice; write refuse, warn or off"),
                )
            })?;
        }
        for (id, v) in &self.rules {
            let key = format!("lint.rules.{id}");
            let rule = Rule::from_id(id).ok_or_else(|| {
                (
                    key.clone(),
                    format!(
                        "no rule is called `{id}`; the rules are listed in docs/lint.md ({})",
                        Rule::ALL
                            .iter()
                            .map(|r| r.id())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            let sev = if v.trim().eq_ignore_ascii_case("off") {
                None
            } else {
                Some(level(&key, v).map_err(|(k, m)| (k, format!("{m}, or off")))?)
            };
            s.rules.insert(rule, sev);
        }
        Ok(s)
    }
}

/// The ops of one step to lint: a revision's upgrade or downgrade.
#[derive(Debug, Clone)]
pub struct RevisionOps {
    /// The revision id.
    pub revision: String,
    /// Its file, as shown (`versions/ab12_add_note.rs`).
    pub path: String,
    /// Which function recorded the ops.
    pub direction: Direction,
    /// The recorded ops, in order.
    pub ops: Vec<Op>,
    /// The file's text, to find each op's line; `None`: lines unknown.
    pub source: Option<String>,
}

/// One op, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpReport {
    /// The revision that records it.
    pub revision: String,
    /// The revision's file.
    pub path: String,
    /// The op's line in it (1-based), when found.
    pub line: Option<usize>,
    /// `upgrade` or `downgrade`.
    pub direction: Direction,
    /// The op in words (`drop column orders.note`).
    pub op: String,
    /// What the op does on PostgreSQL (no lock is reported for other backends).
    pub effect: Effect,
}

/// One finding: a rule an op breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// At which severity (the rule's, or the environment's override).
    pub severity: Severity,
    /// The revision that records the op.
    pub revision: String,
    /// Its file.
    pub path: String,
    /// The op's line (1-based); `None` when the file could not be read.
    pub line: Option<usize>,
    /// Whether `line` is the op's own (else the line of its function: the op was recorded
    /// through a helper).
    pub exact_line: bool,
    /// `upgrade` or `downgrade`.
    pub direction: Direction,
    /// The op in words.
    pub op: String,
    /// What it is about (`orders.note`, `index ix on t`).
    pub object: String,
    /// What the op does that the rule is about, and what the database says about it
    /// (counts, sizes), when connected.
    pub message: String,
    /// A few keys (or values) of the rows concerned, when connected.
    pub samples: Vec<String>,
}

impl Finding {
    /// Why the rule matters.
    pub fn why(&self) -> &'static str {
        self.rule.info().why
    }
    /// What to do instead.
    pub fn safe_alternative(&self) -> &'static str {
        self.rule.info().safe
    }
    /// `path:line` (or the path alone).
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.path),
            None => self.path.clone(),
        }
    }
}

/// Everything the lint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintReport {
    /// The backend the ops were classified for.
    pub backend: Backend,
    /// Whether the data was read (else: offline, the findings say what could happen).
    pub connected: bool,
    /// Every op, classified, in run order.
    pub ops: Vec<OpReport>,
    /// The findings, in run order.
    pub findings: Vec<Finding>,
}

impl LintReport {
    /// The findings at or above `level`.
    pub fn at_or_above(&self, level: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity >= level)
    }
    /// The highest severity found.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// The ops of every step of `plan`, from the compiled scripts; `read` gives a script's
/// file text (to find lines), or `None`.
// The error is the runner's own (a script that panics while recording), as `step_ops` gives it.
#[allow(clippy::result_large_err)]
pub fn plan_ops(
    migrator: &Migrator,
    plan: &Plan,
    read: impl Fn(&Script) -> Option<String>,
) -> Result<Vec<RevisionOps>, MigrateError> {
    plan.steps
        .iter()
        .map(|step| {
            let (script, ops) = migrator.step_ops(&step.revision, step.direction)?;
            Ok(RevisionOps {
                revision: step.revision.clone(),
                path: script.path.to_owned(),
                direction: step.direction,
                ops,
                source: read(script),
            })
        })
        .collect()
}

/// Lints `steps`, run in order from the schema `start` (the history replayed up to where
/// the database is), for `backend`. With `driver`, every candidate is checked against the
/// data (read-only); without, the findings say what could happen.
pub async fn lint<D: Driver>(
    steps: &[RevisionOps],
    start: MetaData,
    backend: Backend,
    settings: &LintSettings,
    driver: Option<&mut D>,
) -> LintReport {
    let connected = driver.is_some();
    let mut probe = driver.map(|d| probe::Probe::new(d, settings.large_table_bytes));
    if let Some(p) = probe.as_mut() {
        p.start().await;
    }
    let mut schema = start;
    let mut new_tables: HashSet<classify::TableRef> = HashSet::new();
    // Columns this run adds (or renames to) on existing tables: the database does not
    // have them yet, and they hold only what this run puts in them.
    let mut new_columns: HashSet<(classify::TableRef, String)> = HashSet::new();
    let mut report = LintReport {
        backend,
        connected,
        ops: Vec::new(),
        findings: Vec::new(),
    };
    for step in steps {
        let function = match step.direction {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        };
        let lines = match &step.source {
            Some(src) => locate::op_lines(src, function, &step.ops),
            None => vec![(None, false); step.ops.len()],
        };
        let mut lock_timeout_reported = settings.ddl_lock_timeout || backend != Backend::Postgres;
        for (op, (line, exact)) in step.ops.iter().zip(lines) {
            let ctx = classify::Ctx {
                backend,
                schema: &schema,
                new_tables: &new_tables,
            };
            let (effect, mut candidates) = classify::classify(op, &ctx);
            let locked = classify::op_table(op).filter(|t| !new_tables.contains(t));
            if let (false, Some(table), true) = (
                lock_timeout_reported,
                locked,
                effect
                    .lock
                    .is_some_and(|l| l.starts_with("ACCESS EXCLUSIVE")),
            ) {
                candidates.push(classify::Candidate {
                    rule: Rule::RequireLockTimeout,
                    object: format!("revision {}", step.revision),
                    detail: format!(
                        "{} waits for an ACCESS EXCLUSIVE lock with no ddl_lock_timeout",
                        op.describe()
                    ),
                    // Size is the catalog's only hint of how busy a table is.
                    check: classify::Check::TableLarge(table),
                    offline: true,
                });
            }
            let describe = op.describe();
            for c in candidates {
                if !c.rule.applies_to(backend) {
                    continue;
                }
                let Some(severity) = settings.severity(c.rule) else {
                    continue;
                };
                // Raw SQL names its table by text: one this run creates is empty.
                if let classify::Check::TableLarge(t) = &c.check {
                    if new_tables.contains(t) {
                        continue;
                    }
                }
                if c.check.reads_any(&new_columns) {
                    continue;
                }
                let (facts, samples) = match probe.as_mut() {
                    Some(p) => match p.evaluate(&c.check, &schema).await {
                        probe::Verdict::Silent => continue,
                        probe::Verdict::Report { facts, samples } => (facts, samples),
                    },
                    None if !c.offline => continue,
                    None => (offline_note(&c.check), Vec::new()),
                };
                let message = if facts.is_empty() {
                    c.detail
                } else {
                    format!("{}; {facts}", c.detail)
                };
                // Once a revision, at its first op that is reported.
                lock_timeout_reported |= c.rule == Rule::RequireLockTimeout;
                report.findings.push(Finding {
                    rule: c.rule,
                    severity,
                    revision: step.revision.clone(),
                    path: step.path.clone(),
                    line,
                    exact_line: exact,
                    direction: step.direction,
                    op: describe.clone(),
                    object: c.object,
                    message,
                    samples,
                });
            }
            report.ops.push(OpReport {
                revision: step.revision.clone(),
                path: step.path.clone(),
                line,
                direction: step.direction,
                op: describe,
                effect,
            });
            track_new_tables(op, &mut new_tables);
            track_new_columns(op, &mut new_columns);
            let _ = op.apply(&mut schema);
        }
    }
    if let Some(p) = probe.as_mut() {
        p.finish().await;
    }
    report
}

fn offline_note(check: &classify::Check) -> String {
    use classify::Check;
    match check {
        Check::Always => String::new(),
        Check::TableLarge(_) => "size unknown (not connected)".into(),
        Check::TableHasRows(_) | Check::ColumnHasValues(..) => {
            "rows unknown (not connected)".into()
        }
        Check::RowsMatch { what, .. } => format!("{what} not counted (not connected)"),
        Check::EnumInUse { .. } => "rows holding the values not counted (not connected)".into(),
        Check::Duplicates { .. } | Check::Orphans { .. } => String::new(),
    }
}

fn track_new_columns(op: &Op, new_columns: &mut HashSet<(classify::TableRef, String)>) {
    match op {
        Op::AddColumn {
            schema,
            table,
            column,
        } => {
            new_columns.insert(((schema.clone(), table.clone()), column.name.clone()));
        }
        Op::AlterColumn(a) => {
            if let Some(new_name) = &a.new_name {
                new_columns.insert(((a.schema.clone(), a.table.clone()), new_name.clone()));
            }
        }
        _ => {}
    }
}

fn track_new_tables(op: &Op, new_tables: &mut HashSet<classify::TableRef>) {
    match op {
        Op::CreateTable { table } => {
            new_tables.insert((table.schema.clone(), table.name.clone()));
        }
        Op::RenameTable {
            schema,
            old_name,
            new_name,
        } if new_tables.remove(&(schema.clone(), old_name.clone())) => {
            new_tables.insert((schema.clone(), new_name.clone()));
        }
        Op::DropTable { schema, name, .. } => {
            new_tables.remove(&(schema.clone(), name.clone()));
        }
        _ => {}
    }
}

//! The rule registry: every rule's stable id, default severity, the backends it applies to,
//! why it matters and what to do instead. `docs/lint.md` lists the same rules (a test keeps
//! the two equal), and every finding carries its rule's text.

use std::fmt;

use crate::Backend;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails a gate set at `warning` or `error`.
    Info,
    /// Risky on a live database (a lock, a rewrite, a change a running application may not
    /// expect); there is a safer way.
    Warning,
    /// Data is lost, or the statement fails on the data the database holds.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`, as `retort.toml` and the output spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` (or `warn`), `error`.
    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule is about (the sections of `docs/lint.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Rows or values are lost.
    DataLoss,
    /// A running application breaks (names it uses go away).
    Compatibility,
    /// A strong lock, a table rewrite or a full scan.
    Locking,
    /// The statement fails on the rows the table holds (checked only when connected).
    ExistingData,
    /// Raw SQL (`op.execute`) that cannot work or is dangerous as written.
    RawSql,
    /// Column type choices that cost a rewrite later (off unless enabled).
    Style,
}

/// A lint rule. The id (`Rule::id`) is stable: configuration and CI refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// `drop-table`
    DropTable,
    /// `drop-column`
    DropColumn,
    /// `narrowing-type`
    NarrowingType,
    /// `drop-enum-value`
    DropEnumValue,
    /// `renaming-table`
    RenamingTable,
    /// `renaming-column`
    RenamingColumn,
    /// `drop-not-null`
    DropNotNull,
    /// `changing-column-type`
    ChangingColumnType,
    /// `adding-field-with-volatile-default`
    AddingFieldWithVolatileDefault,
    /// `adding-stored-generated-column`
    AddingStoredGeneratedColumn,
    /// `setting-not-null`
    SettingNotNull,
    /// `constraint-missing-not-valid`
    ConstraintMissingNotValid,
    /// `adding-unique-constraint`
    AddingUniqueConstraint,
    /// `adding-primary-key-constraint`
    AddingPrimaryKeyConstraint,
    /// `adding-exclusion-constraint`
    AddingExclusionConstraint,
    /// `require-concurrent-index-creation`
    RequireConcurrentIndexCreation,
    /// `require-concurrent-index-deletion`
    RequireConcurrentIndexDeletion,
    /// `require-lock-timeout`
    RequireLockTimeout,
    /// `sqlite-table-rebuild`
    SqliteTableRebuild,
    /// `mysql-copying-alter`
    MysqlCopyingAlter,
    /// `adding-required-field`
    AddingRequiredField,
    /// `not-null-violation`
    NotNullViolation,
    /// `unique-violation`
    UniqueViolation,
    /// `foreign-key-violation`
    ForeignKeyViolation,
    /// `check-violation`
    CheckViolation,
    /// `concurrent-index-in-transaction`
    ConcurrentIndexInTransaction,
    /// `transaction-nesting`
    TransactionNesting,
    /// `ban-drop-database`
    BanDropDatabase,
    /// `ban-truncate-cascade`
    BanTruncateCascade,
    /// `prefer-bigint-over-int`
    PreferBigintOverInt,
    /// `prefer-text-field`
    PreferTextField,
    /// `prefer-timestamptz`
    PreferTimestamptz,
    /// `ban-char-field`
    BanCharField,
    /// `prefer-identity`
    PreferIdentity,
    /// `require-enum-value-ordering`
    RequireEnumValueOrdering,
}

/// Everything said about a rule, for findings and for `docs/lint.md`.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The stable id.
    pub id: &'static str,
    /// The section it belongs to.
    pub category: Category,
    /// The severity unless `retort.toml` says otherwise; `None`: off unless enabled.
    pub default_severity: Option<Severity>,
    /// The backends it is checked on.
    pub backends: &'static [Backend],
    /// Why it matters, in one or two sentences.
    pub why: &'static str,
    /// What to do instead.
    pub safe: &'static str,
}

const PG: &[Backend] = &[Backend::Postgres];
const ALL: &[Backend] = &[Backend::Postgres, Backend::Sqlite, Backend::Mysql];
const PG_SQLITE: &[Backend] = &[Backend::Postgres, Backend::Sqlite];
const SQLITE: &[Backend] = &[Backend::Sqlite];
const MYSQL: &[Backend] = &[Backend::Mysql];

impl Rule {
    /// Every rule, in documentation order.
    pub const ALL: &'static [Rule] = &[
        Rule::DropTable,
        Rule::DropColumn,
        Rule::NarrowingType,
        Rule::DropEnumValue,
        Rule::RenamingTable,
        Rule::RenamingColumn,
        Rule::DropNotNull,
        Rule::ChangingColumnType,
        Rule::AddingFieldWithVolatileDefault,
        Rule::AddingStoredGeneratedColumn,
        Rule::SettingNotNull,
        Rule::ConstraintMissingNotValid,
        Rule::AddingUniqueConstraint,
        Rule::AddingPrimaryKeyConstraint,
        Rule::AddingExclusionConstraint,
        Rule::RequireConcurrentIndexCreation,
        Rule::RequireConcurrentIndexDeletion,
        Rule::RequireLockTimeout,
        Rule::SqliteTableRebuild,
        Rule::MysqlCopyingAlter,
        Rule::AddingRequiredField,
        Rule::NotNullViolation,
        Rule::UniqueViolation,
        Rule::ForeignKeyViolation,
        Rule::CheckViolation,
        Rule::ConcurrentIndexInTransaction,
        Rule::TransactionNesting,
        Rule::BanDropDatabase,
        Rule::BanTruncateCascade,
        Rule::PreferBigintOverInt,
        Rule::PreferTextField,
        Rule::PreferTimestamptz,
        Rule::BanCharField,
        Rule::PreferIdentity,
        Rule::RequireEnumValueOrdering,
    ];

    /// The stable id (`drop-column`).
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The rule whose id is `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// Everything said about the rule.
    pub fn info(self) -> RuleInfo {
        use Category::*;
        use Severity::*;
        let (id, category, sev, backends, why, safe): (
            &'static str,
            Category,
            Option<Severity>,
            &'static [Backend],
            &'static str,
            &'static str,
        ) = match self {
            Rule::DropTable => (
                "drop-table",
                DataLoss,
                Some(Error),
                ALL,
                "Dropping a table deletes every row it holds; a downgrade re-creates the table, not the rows. Running code that still reads it fails.",
                "Stop using the table in the application first and deploy that; keep a backup or archive the rows (`CREATE TABLE .. AS SELECT`), then drop it in a later revision. Connected, an empty table is not reported.",
            ),
            Rule::DropColumn => (
                "drop-column",
                DataLoss,
                Some(Error),
                ALL,
                "Dropping a column deletes its values in every row, and running code that still reads or writes it fails.",
                "Stop reading and writing the column first and deploy that; copy the values out if they matter, then drop it in a later revision. Connected, a column holding no value (all NULL) is not reported.",
            ),
            Rule::NarrowingType => (
                "narrowing-type",
                DataLoss,
                Some(Error),
                ALL,
                "A type that holds less (shorter varchar, smaller integer, fewer digits, another type altogether) fails on, or silently truncates (MySQL, SQLite), values that do not fit.",
                "Check the values first (connected, the rule counts the rows that do not fit and names a few); widen instead, or add a new column, copy the values that fit, and switch over.",
            ),
            Rule::DropEnumValue => (
                "drop-enum-value",
                DataLoss,
                Some(Error),
                PG_SQLITE,
                "Re-creating an enum type without a value fails on (PostgreSQL) or rejects every row that holds the value.",
                "Update the rows that hold the value (connected, the rule counts them and names a few) in an earlier revision, then remove the value.",
            ),
            Rule::RenamingTable => (
                "renaming-table",
                Compatibility,
                Some(Warning),
                ALL,
                "Code that is running uses the old name and fails from the moment the rename commits until it is redeployed.",
                "Create the new table (or a view under the new name), have the application use both, move the rows, then drop the old name in a later revision; or accept downtime.",
            ),
            Rule::RenamingColumn => (
                "renaming-column",
                Compatibility,
                Some(Warning),
                ALL,
                "Code that is running uses the old column name and fails until it is redeployed.",
                "Add the new column, write both, backfill, read the new one, then drop the old column in a later revision.",
            ),
            Rule::DropNotNull => (
                "drop-not-null",
                Compatibility,
                Some(Warning),
                ALL,
                "Readers (application code, functions, reports) that relied on the column never being NULL may break on the NULLs that follow.",
                "Make sure every reader handles NULL before the change, or keep the column NOT NULL with a marker value.",
            ),
            Rule::ChangingColumnType => (
                "changing-column-type",
                Locking,
                Some(Warning),
                PG,
                "ALTER COLUMN .. TYPE takes an ACCESS EXCLUSIVE lock and rewrites the table and its indexes (except binary-compatible changes: a longer varchar, varchar to text, more numeric precision), blocking reads and writes for the whole rewrite.",
                "Change it by add-copy-swap: `revision --autogenerate --online` (or `online = true`) writes the three `swap_column_type` steps (a copy column kept in step by a trigger, a batched backfill outside the transaction that resumes after a kill, the swap of names in a short transaction), silent here (docs/online.md); or run it in a maintenance window.",
            ),
            Rule::AddingFieldWithVolatileDefault => (
                "adding-field-with-volatile-default",
                Locking,
                Some(Warning),
                PG,
                "A column added with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval()) makes PostgreSQL rewrite the whole table under an ACCESS EXCLUSIVE lock; a constant or stable default (now()) does not since PostgreSQL 11.",
                "Add the column without a default (or with a constant), set the default afterwards, and backfill the existing rows in batches.",
            ),
            Rule::AddingStoredGeneratedColumn => (
                "adding-stored-generated-column",
                Locking,
                Some(Warning),
                PG,
                "Adding a STORED generated column computes it for every row: a table rewrite under an ACCESS EXCLUSIVE lock.",
                "Add a plain column, fill it with a trigger and a batched backfill, or compute the value in a view or in queries.",
            ),
            Rule::SettingNotNull => (
                "setting-not-null",
                Locking,
                Some(Warning),
                PG,
                "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove no row is NULL.",
                "Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later step (a weaker lock), then SET NOT NULL, which PostgreSQL 12+ proves from the check without a scan, and drop the check; `revision --autogenerate --online` writes these four steps.",
            ),
            Rule::ConstraintMissingNotValid => (
                "constraint-missing-not-valid",
                Locking,
                Some(Warning),
                PG,
                "Adding a foreign key or a check validates every row while holding its lock (SHARE ROW EXCLUSIVE on both tables for a foreign key, ACCESS EXCLUSIVE for a check): writes wait for the whole scan.",
                "Add it NOT VALID (`.not_valid()` on `create_foreign_key`/`create_check_constraint`), then `op.validate_constraint(..)`, which runs after a commit under SHARE UPDATE EXCLUSIVE; `revision --autogenerate --online` (or `online = true`) writes both. Connected, tables below `large_table_bytes` are not reported.",
            ),
            Rule::AddingUniqueConstraint => (
                "adding-unique-constraint",
                Locking,
                Some(Warning),
                PG,
                "ADD CONSTRAINT .. UNIQUE builds its index under an ACCESS EXCLUSIVE lock: reads and writes wait for the build.",
                "CREATE UNIQUE INDEX CONCURRENTLY (`create_index(..).unique().concurrently()`), then ADD CONSTRAINT .. UNIQUE USING INDEX.",
            ),
            Rule::AddingPrimaryKeyConstraint => (
                "adding-primary-key-constraint",
                Locking,
                Some(Warning),
                PG,
                "ADD PRIMARY KEY builds its index (and checks NOT NULL) under an ACCESS EXCLUSIVE lock.",
                "CREATE UNIQUE INDEX CONCURRENTLY on the columns, then ADD CONSTRAINT .. PRIMARY KEY USING INDEX.",
            ),
            Rule::AddingExclusionConstraint => (
                "adding-exclusion-constraint",
                Locking,
                Some(Warning),
                PG,
                "ADD CONSTRAINT .. EXCLUDE builds its index and checks every row under an ACCESS EXCLUSIVE lock; there is no concurrent form.",
                "Add it while the table is small, or in a maintenance window.",
            ),
            Rule::RequireConcurrentIndexCreation => (
                "require-concurrent-index-creation",
                Locking,
                Some(Warning),
                PG,
                "CREATE INDEX without CONCURRENTLY takes a SHARE lock: every write to the table waits until the index is built.",
                "`op.create_index(..).concurrently()`: built without blocking writes, outside the revision's transaction (the runner handles it).",
            ),
            Rule::RequireConcurrentIndexDeletion => (
                "require-concurrent-index-deletion",
                Locking,
                Some(Warning),
                PG,
                "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table.",
                "`op.drop_index(..).concurrently()`.",
            ),
            Rule::RequireLockTimeout => (
                "require-lock-timeout",
                Locking,
                Some(Warning),
                PG,
                "A statement waiting for an ACCESS EXCLUSIVE lock behind a long query blocks every query queued after it: the whole table stalls.",
                "Set `ddl_lock_timeout` (and `ddl_lock_retries`) in retort.toml, so a statement gives up waiting and retries instead of stalling the table.",
            ),
            Rule::SqliteTableRebuild => (
                "sqlite-table-rebuild",
                Locking,
                Some(Info),
                SQLITE,
                "SQLite has no ALTER for this: the table is rebuilt (created anew, every row copied, renamed over), holding the database's write lock for the copy.",
                "Nothing to change for small tables; for large ones, plan for the copy time and the disk space of a second copy.",
            ),
            Rule::MysqlCopyingAlter => (
                "mysql-copying-alter",
                Locking,
                Some(Warning),
                MYSQL,
                "MySQL/MariaDB cannot do this ALTER in place (a column type change other than a VARCHAR made longer within its length prefix, a check or foreign key added, a primary key dropped, a column added with a stored generated value or a volatile default such as UUID()): it copies the table row by row, and writes wait for the whole copy. With `ALGORITHM=INPLACE, LOCK=NONE` the server refuses it instead.",
                "For a large table, use an online schema-change tool (pt-online-schema-change, gh-ost: they copy in the background and swap the tables), or run it in a maintenance window. In place: widen a VARCHAR within its length prefix (up to 63 characters in utf8mb4, or from 64 up), add a new column instead of changing a type. Connected, an empty table is not reported.",
            ),
            Rule::AddingRequiredField => (
                "adding-required-field",
                ExistingData,
                Some(Error),
                ALL,
                "A NOT NULL column without a default cannot be added to a table that has rows (the statement fails), and running code that inserts without it fails afterwards.",
                "Add it nullable (or with a constant default), backfill, then set NOT NULL (see setting-not-null). Connected, an empty table is not reported.",
            ),
            Rule::NotNullViolation => (
                "not-null-violation",
                ExistingData,
                Some(Error),
                ALL,
                "SET NOT NULL (or a new primary key) fails on the rows that hold NULL, and the revision rolls back.",
                "Fill or delete those rows in an earlier revision (the finding counts them and names a few keys).",
            ),
            Rule::UniqueViolation => (
                "unique-violation",
                ExistingData,
                Some(Error),
                ALL,
                "A unique constraint, unique index or primary key fails on duplicate rows.",
                "Remove or merge the duplicates in an earlier revision (the finding counts the duplicated values and names a few).",
            ),
            Rule::ForeignKeyViolation => (
                "foreign-key-violation",
                ExistingData,
                Some(Error),
                ALL,
                "A new foreign key fails on rows that refer to no row of the referenced table (on SQLite, the rebuild's foreign_key_check rolls it back).",
                "Delete or fix the orphans in an earlier revision (the finding counts them and names a few keys), or add the key NOT VALID and clean up before validating.",
            ),
            Rule::CheckViolation => (
                "check-violation",
                ExistingData,
                Some(Error),
                ALL,
                "A new check constraint fails on the rows that break it.",
                "Fix those rows in an earlier revision (the finding counts them and names a few keys), or add the check NOT VALID so only new rows are checked.",
            ),
            Rule::ConcurrentIndexInTransaction => (
                "concurrent-index-in-transaction",
                RawSql,
                Some(Error),
                PG,
                "CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block: raw SQL run in the revision's transaction fails.",
                "Declare it `op.execute(..).outside_transaction()`, or use `op.create_index(..).concurrently()`.",
            ),
            Rule::TransactionNesting => (
                "transaction-nesting",
                RawSql,
                Some(Error),
                ALL,
                "BEGIN, COMMIT or ROLLBACK in raw SQL ends or nests the transaction the runner manages: what is committed, recorded and rolled back no longer agrees.",
                "Remove them: each revision runs in a transaction of the runner's (see transaction_mode), and `.outside_transaction()` runs a statement outside one.",
            ),
            Rule::BanDropDatabase => (
                "ban-drop-database",
                RawSql,
                Some(Error),
                ALL,
                "DROP DATABASE in a migration deletes everything in it.",
                "Drop databases by hand, never from a revision.",
            ),
            Rule::BanTruncateCascade => (
                "ban-truncate-cascade",
                RawSql,
                Some(Error),
                PG,
                "TRUNCATE .. CASCADE also empties every table that refers to it, and the tables that refer to those.",
                "TRUNCATE the tables you mean by name, without CASCADE.",
            ),
            Rule::PreferBigintOverInt => (
                "prefer-bigint-over-int",
                Style,
                None,
                ALL,
                "An integer (or smallint) identity, serial or auto-increment key runs out (2^31) on busy tables, and widening it later rewrites the table.",
                "Use BIGINT for generated keys.",
            ),
            Rule::PreferTextField => (
                "prefer-text-field",
                Style,
                None,
                PG,
                "On PostgreSQL varchar(n) is no faster than text; changing n later takes an ACCESS EXCLUSIVE lock (and shrinking it a scan).",
                "Use text, with a CHECK (length(col) <= n) where a limit matters (a check can be added NOT VALID).",
            ),
            Rule::PreferTimestamptz => (
                "prefer-timestamptz",
                Style,
                None,
                PG,
                "timestamp without time zone stores a wall-clock time that means different instants for different sessions; converting it later rewrites the table.",
                "Use timestamp with time zone (`Type::Timestamp { tz: true }`).",
            ),
            Rule::BanCharField => (
                "ban-char-field",
                Style,
                None,
                ALL,
                "char(n) pads values with spaces and compares them oddly; changing it later rewrites the table.",
                "Use varchar or text.",
            ),
            Rule::PreferIdentity => (
                "prefer-identity",
                Style,
                None,
                PG,
                "serial columns own a sequence with its own permissions and quirks (dumps, ownership); identity columns are the SQL standard form.",
                "Use an identity column (`.identity(Identity::Always)`).",
            ),
            Rule::RequireEnumValueOrdering => (
                "require-enum-value-ordering",
                Style,
                None,
                PG,
                "ALTER TYPE .. ADD VALUE without BEFORE/AFTER puts the value last, which changes what `<` and ORDER BY mean for it.",
                "Say where it goes: `add_enum_value(..).before(\"..\")` or `.after(\"..\")`.",
            ),
        };
        RuleInfo {
            id,
            category,
            default_severity: sev,
            backends,
            why,
            safe,
        }
    }

    /// Whether the rule is checked on `backend`.
    pub fn applies_to(self, backend: Backend) -> bool {
        self.info().backends.contains(&backend)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

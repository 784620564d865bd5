//! PostgreSQL's lock table, checked before a run: a transaction that creates thousands of
//! tables holds a lock on each table, its TOAST table and index, its indexes and its
//! sequences until it commits, and a default server's shared lock table
//! (`max_locks_per_transaction * (max_connections + max_prepared_transactions)`, 6,400
//! entries, with some slack) runs out mid-way ("out of shared memory"). The runner
//! estimates the locks of each transaction from its statements and refuses to start one
//! that cannot fit, naming the setting to raise and the value, or the split.

use crate::render::Statement;

/// The locks a statement takes and keeps, estimated from its text. Measured on PostgreSQL
/// 15 (`pg_locks` of the transaction): a table with a primary key, a unique text column
/// takes 10; the bench's tables (identity key, unique column, two more indexes) 18.
pub(super) fn statement_locks(sql: &str) -> usize {
    let head: String = sql
        .trim_start()
        .chars()
        .take(40)
        .collect::<String>()
        .to_ascii_uppercase();
    if head.starts_with("CREATE TABLE") || head.starts_with("CREATE UNLOGGED TABLE") {
        let upper = sql.to_ascii_uppercase();
        let keys = upper.matches("PRIMARY KEY").count()
            + upper.matches("UNIQUE").count()
            + upper.matches("EXCLUDE").count();
        let sequences = upper.matches("IDENTITY").count() + upper.matches("SERIAL").count();
        // The table, its types, TOAST table and index, plus each key's index and each
        // sequence.
        6 + 2 * keys + 2 * sequences
    } else if head.starts_with("CREATE INDEX") || head.starts_with("CREATE UNIQUE INDEX") {
        3
    } else if head.starts_with("DROP TABLE") {
        6
    } else {
        1
    }
}

/// The estimated locks of a transaction running `statements`.
pub(super) fn transaction_locks<'a>(statements: impl IntoIterator<Item = &'a Statement>) -> usize {
    statements
        .into_iter()
        .filter(|s| !s.autocommit)
        .map(|s| statement_locks(&s.sql))
        .sum()
}

/// Whether a transaction of `estimate` locks cannot fit a lock table of `capacity`
/// entries. The documented size has slack: on the shared default server (6,400) one
/// transaction held 15,004 locks (1,500 such tables) and failed at 1,566 tables (about
/// 15,700), so a run is refused above two and a half times the documented size, where it
/// would fail mid-way, and never below it.
pub(super) fn too_many(estimate: usize, capacity: usize) -> bool {
    2 * estimate > 5 * capacity
}

/// The server's lock table size and the number of slots it is counted over.
pub(super) const LOCK_TABLE_SQL: &str = "SELECT current_setting('max_locks_per_transaction'), \
     (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)::text";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bench_table_is_estimated_at_what_postgresql_takes() {
        let create = "CREATE TABLE s0.t1 (\n    id INTEGER GENERATED ALWAYS AS IDENTITY,\n    code VARCHAR(20) NOT NULL,\n    PRIMARY KEY (id),\n    UNIQUE (code)\n)";
        let total = statement_locks(create)
            + statement_locks("CREATE INDEX ix_t1_name_created ON s0.t1 (name, created_at)")
            + statement_locks("CREATE INDEX ix_s0_t1_parent_id ON s0.t1 (parent_id)");
        assert_eq!(total, 18);
        let lots = "CREATE TABLE lots_1 (id INTEGER PRIMARY KEY, code TEXT UNIQUE)";
        assert_eq!(statement_locks(lots), 10);
        assert_eq!(statement_locks("ALTER TABLE t ADD COLUMN x int"), 1);
        assert!(too_many(18 * 10_000, 6400));
        assert!(
            !too_many(10 * 1500, 6400),
            "1,500 such tables fit a default server"
        );
    }
}

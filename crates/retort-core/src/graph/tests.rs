//! Graph tests: every graph is built in memory.

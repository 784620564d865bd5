//! Diff tests: each case is a `before` and an `after` [`MetaData`] built in memory, the
//! expected ops or log, and the round trip every diff must survive (see `support`).

mod columns;
mod constraints;
mod entities;
mod entity_columns;
mod enums_schemas;
mod excludes;
mod options;
mod ordering;
mod storage;
mod support;
mod tables;

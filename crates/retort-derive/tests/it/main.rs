//! Behaviour of the derives: real models, and the `Table`s and `MetaData` they produce.
//! One binary for every integration test, to link once.

mod arrays;
mod columns;
mod constraint_options;
mod constraints;
mod db_enum;
mod relationships;
mod sequences;
mod ui;
mod validate;
mod variants;

//! The ecommerce model and service against real databases (one test binary).
//!
//! * `seed_oracle`: `create_all` of the seed model gives, statement for statement, the
//!   schema that SQLAlchemy + Alembic gave (`tests/oracle/seed_alembic_pg_dump.sql`,
//!   a `pg_dump --schema-only` of the seed tutorial's database), apart from
//!   `alembic_version`;
//! * `drop_all`: the reverse leaves the database empty;
//! * `behaviour`: the schema does what the seed model says with real rows;
//! * `api`: the `ecommerce` binary serving its HTTP API, driven by a real HTTP client, on
//!   PostgreSQL and SQLite;
//! * `startup`: the start-up migration under the lock.

mod api;
mod behaviour;
mod drop_all;
mod seed_oracle;
mod startup;

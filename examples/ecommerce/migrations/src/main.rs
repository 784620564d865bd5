//! The migration environment of the ecommerce example (Alembic's env.py): the model the
//! database should match and the revision scripts of versions/.
//!
//! ```text
//! cargo run -p ecommerce-migrations -- upgrade head                 # SQLite file retort.db here
//! cargo run -p ecommerce-migrations -- --url postgres://... upgrade head
//! ```

fn main() -> std::process::ExitCode {
    retort::cli::main(retort::Environment::new(
        ecommerce::metadata(),
        retort::versions!(),
    ))
}

//! Compile-fail cases: every kind of attribute misuse, with the compiler output committed
//! under `tests/ui/*.stderr`. Runs in a plain `cargo test -p retort-derive`; after changing a
//! message, regenerate with `TRYBUILD=overwrite` and read the new `.stderr` files.

#[test]
fn misuse_is_a_compile_error_at_the_attribute() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}

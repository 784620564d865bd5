//! Embeds the history of `migrations/versions` (the revisions `ecommerce-migrations` runs)
//! into this crate, exactly as the migrations binary's own `build.rs` does, so the service
//! brings its database to head at start-up (`startup::migrate`) with the same scripts and
//! checksums: one history, two binaries.
// `..Default::default()` keeps this building when Options gains fields.
#[allow(clippy::needless_update)]
fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out = std::path::Path::new(&out_dir).join("versions.rs");
    let options = retort_build::Options {
        crate_path: "::retort::migrate".to_owned(),
        ..Default::default()
    };
    if let Err(e) = retort_build::generate_versions_with("migrations/versions", &out, &options) {
        panic!("{e}");
    }
}

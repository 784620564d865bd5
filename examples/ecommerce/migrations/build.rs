//! Compiles every revision file of versions/ into the binary (`retort::versions!()`).
fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out = std::path::Path::new(&out_dir).join("versions.rs");
    let mut options = retort_migrate::build::Options::default();
    // The scripts name the runner through the facade, the only retort dependency here.
    options.crate_path = "::retort::migrate".to_owned();
    if let Err(e) = retort_migrate::build::generate_versions_with("versions", &out, &options) {
        panic!("{e}");
    }
}

//! Puts every revision file of versions/ into the binary (`retort::versions!()`): files
//! that only record ops (all three here, the view and the trigger included) go into one
//! embedded bundle and are read when they run; a file with Rust of its own is compiled.
// `..Default::default()` keeps this building when Options gains fields.
#[allow(clippy::needless_update)]
fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out = std::path::Path::new(&out_dir).join("versions.rs");
    // The scripts name the runner through the facade, the only retort dependency here.
    let options = retort_build::Options {
        crate_path: "::retort::migrate".to_owned(),
        ..Default::default()
    };
    if let Err(e) = retort_build::generate_versions_with("versions", &out, &options) {
        panic!("{e}");
    }
}

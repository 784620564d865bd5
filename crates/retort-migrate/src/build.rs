//! The `build.rs` helper of a migrations crate: every file of `versions/` compiled in,
//! with its checksum, so no registry of revisions is ever edited by hand.
//!
//! ```text
//! // build.rs of the migrations crate
//! fn main() {
//!     let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("versions.rs");
//!     retort_migrate::build::generate_versions("versions", &out).unwrap();
//! }
//! ```
//!
//! ```text
//! // main.rs of the migrations crate
//! mod versions {
//!     include!(concat!(env!("OUT_DIR"), "/versions.rs"));
//! }
//! let scripts: Vec<retort_migrate::Script> = versions::scripts();
//! ```
//!
//! The generated file declares one `#[path = "<absolute path>"] mod` per `versions/*.rs`
//! file, sorted by file name so the output is deterministic, and a `pub fn scripts()`
//! listing each module's `REVISION`, `upgrade`, `downgrade`, its path and the SHA-256 of
//! its normalised content (see [`crate::script::checksum`]). Module names are derived
//! from file names (`5cc88b64dda9_initial.rs` -> `r_5cc88b64dda9_initial`), always valid
//! identifiers, made unique when two names map to one.
//!
//! Absolute `#[path]`s are used because a relative `#[path]` inside an `include!`d file
//! is resolved against the including file, which lives elsewhere.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::script::checksum;

/// Why the versions could not be generated. Messages name the folder or file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error("cannot read the versions folder {path}: {source}; create it (`retort init` does) or point generate_versions at it")]
    ReadDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read revision script {path}: {source}")]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Options of [`render_versions`].
#[derive(Debug, Clone)]
pub struct Options {
    /// The path by which the generated code names this crate: `::retort_migrate` by
    /// default; `::retort::migrate` (or wherever the facade re-exports it) for crates
    /// that depend on the facade only.
    pub crate_path: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crate_path: "::retort_migrate".to_owned(),
        }
    }
}

/// The generated source and the paths cargo should watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedVersions {
    pub source: String,
    /// The versions folder (for added or removed files) and every script in it.
    pub watched: Vec<PathBuf>,
}

/// Writes the module list of `versions_dir` to `out_file` (only when it changed, so an
/// unchanged history does not recompile) and prints the `cargo:rerun-if-changed` lines:
/// this is the one function of the crate that writes to stdout, because that is how a
/// build script talks to cargo.
pub fn generate_versions(
    versions_dir: impl AsRef<Path>,
    out_file: impl AsRef<Path>,
) -> Result<(), BuildError> {
    generate_versions_with(versions_dir, out_file, &Options::default())
}

/// [`generate_versions`] with [`Options`].
pub fn generate_versions_with(
    versions_dir: impl AsRef<Path>,
    out_file: impl AsRef<Path>,
    options: &Options,
) -> Result<(), BuildError> {
    let out_file = out_file.as_ref();
    let generated = render_versions(versions_dir.as_ref(), options)?;
    let unchanged = std::fs::read_to_string(out_file).is_ok_and(|old| old == generated.source);
    if !unchanged {
        std::fs::write(out_file, &generated.source).map_err(|source| BuildError::Write {
            path: out_file.to_owned(),
            source,
        })?;
    }
    for path in &generated.watched {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    Ok(())
}

/// The source [`generate_versions`] writes, without touching the file system beyond
/// reading `versions_dir`.
pub fn render_versions(
    versions_dir: &Path,
    options: &Options,
) -> Result<GeneratedVersions, BuildError> {
    let read_dir = |source| BuildError::ReadDir {
        path: versions_dir.to_owned(),
        source,
    };
    let abs_dir = std::fs::canonicalize(versions_dir).map_err(read_dir)?;
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(&abs_dir).map_err(read_dir)? {
        let entry = entry.map_err(read_dir)?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        // Editors' backup and hidden files are not revisions.
        if name.starts_with('.') || !name.ends_with(".rs") || !path.is_file() {
            continue;
        }
        files.push((name.to_owned(), path));
    }
    files.sort();

    let dir_name = versions_dir.file_name().map_or_else(
        || "versions".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let krate = &options.crate_path;
    let mut mods = String::new();
    let mut list = String::new();
    let mut taken = HashSet::new();
    let mut watched = vec![abs_dir.clone()];
    for (name, path) in &files {
        let bytes = std::fs::read(path).map_err(|source| BuildError::ReadFile {
            path: path.clone(),
            source,
        })?;
        let module = unique_module_name(name.trim_end_matches(".rs"), &mut taken);
        let shown = format!("{dir_name}/{name}");
        let _ = writeln!(
            mods,
            "#[path = {:?}]\n#[allow(clippy::all)]\nmod {module};",
            path.display().to_string()
        );
        let _ = writeln!(
            list,
            "        {krate}::Script {{\n            revision: {module}::REVISION,\n            upgrade: {module}::upgrade,\n            downgrade: {module}::downgrade,\n            path: {shown:?},\n            checksum: {:?},\n        }},",
            checksum(&bytes)
        );
        watched.push(path.clone());
    }
    let source = format!(
        "// @generated by retort_migrate::build::generate_versions from {dir_name}/; do not edit.\n\n\
         {mods}\n\
         /// Every revision script of `{dir_name}/`, sorted by file name.\n\
         pub fn scripts() -> ::std::vec::Vec<{krate}::Script> {{\n    ::std::vec![\n{list}    ]\n}}\n"
    );
    Ok(GeneratedVersions { source, watched })
}

/// `r_` + the file stem with every character that cannot be in an identifier replaced by
/// `_`, lowercased; `_2`, `_3`... when taken. The prefix keeps names that start with a
/// digit (most revision ids) or that are keywords valid.
fn unique_module_name(stem: &str, taken: &mut HashSet<String>) -> String {
    let base: String = std::iter::once("r_".to_owned())
        .chain(stem.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase().to_string()
            } else {
                "_".to_owned()
            }
        }))
        .collect();
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_are_identifiers_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            unique_module_name("5cc88b64dda9_initial", &mut taken),
            "r_5cc88b64dda9_initial"
        );
        assert_eq!(unique_module_name("a-b", &mut taken), "r_a_b");
        assert_eq!(unique_module_name("a_b", &mut taken), "r_a_b_2");
        assert_eq!(unique_module_name("A.b", &mut taken), "r_a_b_3");
        assert_eq!(unique_module_name("fn", &mut taken), "r_fn");
    }
}

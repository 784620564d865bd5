//! The `build.rs` helper of a migrations crate: every file of `versions/` compiled in,
//! with its checksum, so no registry of revisions is ever edited by hand.
//!
//! ```text
//! // build.rs of the migrations crate
//! fn main() {
//!     let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("versions.rs");
//!     retort_build::generate_versions("versions", &out).unwrap();
//! }
//! ```
//!
//! ```text
//! // main.rs of the migrations crate
//! mod versions {
//!     include!(concat!(env!("OUT_DIR"), "/versions.rs"));
//! }
//! let scripts: Vec<retort::migrate::Script> = versions::scripts();
//! ```
//!
//! A file that only records ops, as `revision --autogenerate` writes it, is not compiled:
//! it is read here with `retort_core::ops::read` (so a file this reader does not take is
//! compiled, and one it takes is known to record exactly what compiling it would), and
//! embedded as text (`include_str!`) with two one-line functions that read it again when
//! the runner asks for its ops. Adding one revision to a history of thousands then
//! recompiles a few lines per revision instead of every revision's code (issue 16;
//! `bench/history.sh`). Every other file (hand-written Rust, a call the reader does not
//! know) is compiled as before: one `#[path = "<absolute path>"] mod` per file.
//! [`Options::read_recorded`] turns reading off.
//!
//! The generated `pub fn scripts()` lists every file, sorted by file name so the output is
//! deterministic: its `REVISION`, `upgrade`, `downgrade`, its path and the SHA-256 of
//! its normalised content (see [`checksum`]). Module names are derived
//! from file names (`5cc88b64dda9_initial.rs` -> `r_5cc88b64dda9_initial`), always valid
//! identifiers, made unique when two names map to one.
//!
//! Absolute `#[path]`s are used because a relative `#[path]` inside an `include!`d file
//! is resolved against the including file, which lives elsewhere.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Why the versions could not be generated. Messages name the folder or file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The versions folder was missing or unreadable.
    #[error("cannot read the versions folder {path}: {source}; create it (`retort init` does) or point generate_versions at it")]
    ReadDir {
        /// The folder, as given to the generator.
        path: PathBuf,
        /// Why the operating system refused.
        #[source]
        source: std::io::Error,
    },
    /// A revision script in the folder could not be read.
    #[error("cannot read revision script {path}: {source}")]
    ReadFile {
        /// The script's path.
        path: PathBuf,
        /// Why the operating system refused.
        #[source]
        source: std::io::Error,
    },
    /// The generated module list could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file that was being written (under `OUT_DIR`).
        path: PathBuf,
        /// Why the operating system refused.
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
    /// Read the files that only record ops instead of compiling them (on by default);
    /// off, every file is compiled.
    pub read_recorded: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crate_path: "::retort_migrate".to_owned(),
            read_recorded: true,
        }
    }
}

/// The generated source and the paths cargo should watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedVersions {
    /// The Rust source of the module list (`include!`-ed by `versions!()`).
    pub source: String,
    /// The versions folder (for added or removed files) and every script in it.
    pub watched: Vec<PathBuf>,
    /// The files compiled as Rust, and why each was not read (`line N: ..`); every other
    /// file is read at run time.
    pub compiled: Vec<(PathBuf, String)>,
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
    let mut compiled = Vec::new();
    for (name, path) in &files {
        let bytes = std::fs::read(path).map_err(|source| BuildError::ReadFile {
            path: path.clone(),
            source,
        })?;
        let module = unique_module_name(name.trim_end_matches(".rs"), &mut taken);
        let shown = format!("{dir_name}/{name}");
        let file = path.display().to_string();
        let read = match std::str::from_utf8(&bytes) {
            Ok(_) if !options.read_recorded => Err("reading is off".to_owned()),
            Ok(text) => retort_core::ops::read::read_revision(text).map_err(|e| e.to_string()),
            Err(_) => Err("not UTF-8".to_owned()),
        };
        let (revision, upgrade, downgrade) = match read {
            Ok(read) => {
                let _ = writeln!(
                    mods,
                    "#[allow(non_upper_case_globals)]\nconst {module}: &str = include_str!({file:?});\n\
                     fn {module}_up(op: &mut {krate}::generated::Operations) {{ {krate}::generated::record(op, {module}, {shown:?}, true) }}\n\
                     fn {module}_down(op: &mut {krate}::generated::Operations) {{ {krate}::generated::record(op, {module}, {shown:?}, false) }}"
                );
                (
                    revision_source(&read, krate),
                    format!("{module}_up"),
                    format!("{module}_down"),
                )
            }
            Err(why) => {
                compiled.push((path.clone(), why));
                let _ = writeln!(
                    mods,
                    "#[path = {file:?}]\n#[allow(clippy::all)]\nmod {module};"
                );
                (
                    format!("{module}::REVISION"),
                    format!("{module}::upgrade"),
                    format!("{module}::downgrade"),
                )
            }
        };
        let _ = writeln!(
            list,
            "        {krate}::Script {{\n            revision: {revision},\n            upgrade: {upgrade},\n            downgrade: {downgrade},\n            path: {shown:?},\n            checksum: {:?},\n        }},",
            checksum(&bytes)
        );
        watched.push(path.clone());
    }
    let source = format!(
        "// @generated by retort_build::generate_versions from {dir_name}/; do not edit.\n\n\
         {mods}\n\
         /// Every revision script of `{dir_name}/`, sorted by file name.\n\
         pub fn scripts() -> ::std::vec::Vec<{krate}::Script> {{\n    ::std::vec![\n{list}    ]\n}}\n"
    );
    Ok(GeneratedVersions {
        source,
        watched,
        compiled,
    })
}

/// The `REVISION` constant of a read file, as the file wrote it.
fn revision_source(read: &retort_core::ops::read::ReadRevision, krate: &str) -> String {
    let list = |items: &[String]| {
        let items: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
        format!("&[{}]", items.join(", "))
    };
    let mut s = format!(
        "{krate}::generated::Revision::new({:?}).message({:?})",
        read.id, read.message
    );
    match (read.down_as_list, read.down_revisions.as_slice()) {
        (false, [one]) => {
            let _ = write!(s, ".down_revision({one:?})");
        }
        (false, _) => {}
        (true, many) => {
            let _ = write!(s, ".down_revisions({})", list(many));
        }
    }
    if !read.branch_labels.is_empty() {
        let _ = write!(s, ".branch_labels({})", list(&read.branch_labels));
    }
    if !read.depends_on.is_empty() {
        let _ = write!(s, ".depends_on({})", list(&read.depends_on));
    }
    s
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

/// SHA-256, in lowercase hex, of `content` with a leading UTF-8 BOM removed and every
/// `\r\n` or lone `\r` turned into `\n`: a checkout on Windows (or an editor adding a
/// BOM) does not change the checksum, any other edit does.
pub fn checksum(content: &[u8]) -> String {
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    let mut hasher = Sha256::new();
    let mut rest = content;
    while let Some(i) = rest.iter().position(|&b| b == b'\r') {
        hasher.update(&rest[..i]);
        hasher.update(b"\n");
        rest = &rest[i + 1..];
        if rest.first() == Some(&b'\n') {
            rest = &rest[1..];
        }
    }
    hasher.update(rest);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

    #[test]
    fn line_endings_and_bom_do_not_change_the_checksum() {
        let unix = checksum(b"fn a() {}\nfn b() {}\n");
        assert_eq!(checksum(b"fn a() {}\r\nfn b() {}\r\n"), unix);
        assert_eq!(checksum(b"\xEF\xBB\xBFfn a() {}\rfn b() {}\n"), unix);
        assert_ne!(checksum(b"fn a() {}\nfn c() {}\n"), unix);
        assert_eq!(unix.len(), 64);
        // The SHA-256 of the empty string, a fixed point anyone can check.
        assert_eq!(
            checksum(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    // What a build script sees: deterministic module list, valid names, normalised checksums.

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("retort-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("versions")).unwrap();
        dir
    }

    #[test]
    fn generates_one_module_per_script_sorted() {
        let dir = temp_dir("gen");
        let versions = dir.join("versions");
        std::fs::write(versions.join("bbb222_two.rs"), "// two\r\n").unwrap();
        std::fs::write(versions.join("aaa111_one-more.rs"), "// one\n").unwrap();
        std::fs::write(versions.join("notes.md"), "not a script").unwrap();
        std::fs::write(versions.join(".aaa000_hidden.rs"), "").unwrap();

        let out = render_versions(&versions, &Options::default()).unwrap();
        let abs = std::fs::canonicalize(&versions).unwrap();
        let one = abs.join("aaa111_one-more.rs");
        let expected_one = format!("#[path = {:?}]", one.display().to_string());
        assert!(out.source.contains(&expected_one), "{}", out.source);
        assert!(out.source.contains("mod r_aaa111_one_more;"));
        assert!(out.source.contains("mod r_bbb222_two;"));
        assert!(!out.source.contains("hidden") && !out.source.contains("notes"));
        assert!(
            out.source.find("r_aaa111_one_more::REVISION").unwrap()
                < out.source.find("r_bbb222_two::REVISION").unwrap()
        );
        assert!(out.source.contains("path: \"versions/bbb222_two.rs\""));
        assert!(out
            .source
            .contains("pub fn scripts() -> ::std::vec::Vec<::retort_migrate::Script>"));
        // CRLF is normalised: the checksum is that of "// two\n".
        let two = checksum(b"// two\n");
        assert!(out.source.contains(&format!("checksum: {two:?}")));
        assert_eq!(out.watched.len(), 3);
        assert_eq!(out.watched[0], abs);

        // Deterministic: the same folder gives the same text.
        let again = render_versions(&versions, &Options::default()).unwrap();
        assert_eq!(again.source, out.source);

        let facade = render_versions(
            &versions,
            &Options {
                crate_path: "::retort::migrate".into(),
                ..Options::default()
            },
        )
        .unwrap();
        assert!(facade.source.contains("::retort::migrate::Script {"));

        let out_file = dir.join("versions.rs");
        generate_versions(&versions, &out_file).unwrap();
        assert_eq!(std::fs::read_to_string(&out_file).unwrap(), out.source);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    const RECORDED: &str = "//! One\nuse retort::migration::*;\n\npub const REVISION: Revision = Revision::new(\"aaa111\")\n    .message(\"One \\\"1\\\"\")\n    .down_revisions(&[\"x\", \"y\"])\n    .depends_on(&[\"z\"]);\n\npub fn upgrade(op: &mut Operations) {\n    op.create_index(\"ix\", \"t\", [\"a\"]);\n}\n\npub fn downgrade(op: &mut Operations) {\n    op.drop_index(\"ix\", \"t\");\n}\n";

    #[test]
    fn recorded_files_are_embedded_and_others_compiled() {
        let dir = temp_dir("read");
        let versions = dir.join("versions");
        std::fs::write(versions.join("aaa111_one.rs"), RECORDED).unwrap();
        let hand = RECORDED.replace(
            "    op.create_index(",
            "    for _ in 0..1 {}\n    op.create_index(",
        );
        std::fs::write(versions.join("bbb222_two.rs"), hand).unwrap();
        let out = render_versions(&versions, &Options::default()).unwrap();
        let abs = std::fs::canonicalize(&versions).unwrap();
        let one = abs.join("aaa111_one.rs").display().to_string();
        assert!(
            out.source.contains(&format!(
                "const r_aaa111_one: &str = include_str!({one:?});"
            )),
            "{}",
            out.source
        );
        assert!(out.source.contains(
            "revision: ::retort_migrate::generated::Revision::new(\"aaa111\").message(\"One \\\"1\\\"\").down_revisions(&[\"x\", \"y\"]).depends_on(&[\"z\"]),\n            upgrade: r_aaa111_one_up,"
        ), "{}", out.source);
        assert!(!out.source.contains("mod r_aaa111_one;"));
        assert!(out.source.contains("mod r_bbb222_two;"));
        assert!(out.source.contains("upgrade: r_bbb222_two::upgrade,"));
        assert_eq!(out.compiled.len(), 1);
        assert_eq!(out.compiled[0].0, abs.join("bbb222_two.rs"));
        assert!(
            out.compiled[0].1.starts_with("line 10: "),
            "{:?}",
            out.compiled
        );

        let off = Options {
            read_recorded: false,
            ..Options::default()
        };
        let all = render_versions(&versions, &off).unwrap();
        assert!(all.source.contains("mod r_aaa111_one;"));
        assert_eq!(all.compiled.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_folder_is_named() {
        let err = render_versions(
            std::path::Path::new("/no/such/versions"),
            &Options::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("/no/such/versions"), "{err}");
    }
}

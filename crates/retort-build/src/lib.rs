//! The `build.rs` helper of a migrations crate: every file of `versions/` in the binary,
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
//! put with its `REVISION`, path, checksum and text in one bundle
//! (`retort_core::ops::read::bundle`, the file [`BUNDLE_FILE`] in `OUT_DIR`) that the
//! generated code embeds once; the binary reads its ops when the runner asks for them.
//! The generated code is then the same size however long the history is, and adding one
//! revision to thousands recompiles only the migrations crate's own few lines (issue 16;
//! `bench/history.sh`). A cache beside the output keeps what each file held, so a run
//! reads only the files that changed. Every other file (hand-written Rust, a call the
//! reader does not know) is compiled as before, one `#[path = "<absolute path>"] mod` per
//! file, and named in the build script's output. [`Options::read_recorded`] turns reading
//! off.
//!
//! The generated `pub fn scripts()` lists every file, sorted by file name so the output is
//! deterministic: its `REVISION`, `upgrade`, `downgrade`, its path and the SHA-256 of
//! its normalised content (see [`checksum`]). Module names of compiled files are derived
//! from file names (`5cc88b64dda9_initial.rs` -> `r_5cc88b64dda9_initial`), always valid
//! identifiers, made unique when two names map to one.
//!
//! Absolute `#[path]`s are used because a relative `#[path]` inside an `include!`d file
//! is resolved against the including file, which lives elsewhere.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

mod cache;

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

/// The file, next to the generated source in `OUT_DIR`, that holds every read revision
/// file ([`retort_core::ops::read::bundle`]); the generated source embeds it.
pub const BUNDLE_FILE: &str = "versions.bundle";

/// The generated source and the paths cargo should watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedVersions {
    /// The Rust source of the module list (`include!`-ed by `versions!()`): one module per
    /// compiled file, and the bundle of every read file, embedded from
    /// `OUT_DIR/`[`BUNDLE_FILE`].
    pub source: String,
    /// The bundle: every read file with its `REVISION`, path, checksum and text.
    pub bundle: String,
    /// The versions folder (cargo watches every file in it).
    pub watched: Vec<PathBuf>,
    /// The files compiled as Rust, and why each was not read (`line N: ..`); every other
    /// file is in the bundle and read at run time.
    pub compiled: Vec<(PathBuf, String)>,
}

/// Writes the module list of `versions_dir` to `out_file` and the bundle to
/// [`BUNDLE_FILE`] beside it (each only when it changed, so an unchanged history does not
/// recompile) and prints the `cargo:` lines: this is the one function of the crate that
/// writes to stdout, because that is how a build script talks to cargo. `out_file` must be
/// in `OUT_DIR`, where the generated source finds the bundle.
pub fn generate_versions(
    versions_dir: impl AsRef<Path>,
    out_file: impl AsRef<Path>,
) -> Result<(), BuildError> {
    generate_versions_with(versions_dir, out_file, &Options::default())
}

/// [`generate_versions`] with [`Options`].
///
/// Each file is read, checksummed and parsed only when its size or modification time
/// changed since the last run: a cache beside `out_file` keeps what the last run found,
/// so adding one revision to thousands costs one file's reading (the build script is not
/// optimised in the dev profile, and reading every file again took a second at 2,000).
/// A file compiled as Rust is named in the build script's output (`cargo build -vv`); one
/// that `revision --autogenerate` wrote but that uses something the reader does not know
/// gets a `cargo:warning`, since it should have been read.
pub fn generate_versions_with(
    versions_dir: impl AsRef<Path>,
    out_file: impl AsRef<Path>,
    options: &Options,
) -> Result<(), BuildError> {
    let out_file = out_file.as_ref();
    let cache_file = out_file.with_extension("cache");
    let bundle_file = out_file.with_file_name(BUNDLE_FILE);
    let old_bundle = std::fs::read_to_string(&bundle_file).unwrap_or_default();
    let previous = cache::load(&cache_file, &old_bundle, options);
    let (generated, cache) = render(versions_dir.as_ref(), options, &previous)?;
    write_if_changed(&bundle_file, &generated.bundle)?;
    write_if_changed(out_file, &generated.source)?;
    // Last: a cache is only ever written beside the bundle it points into.
    write_if_changed(&cache_file, &cache)?;
    for path in &generated.watched {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    for (path, why) in &generated.compiled {
        println!("retort-build: compiled as Rust: {} ({why})", path.display());
        if looks_recorded(why) {
            println!(
                "cargo:warning={} is compiled, not read: {why}; it runs the same, but every build compiles it (tell Retort's maintainers: the file looks written by `revision --autogenerate`)",
                path.display()
            );
        }
    }
    Ok(())
}

/// Whether a file was refused for a call or argument the reader does not know (rather
/// than for Rust of the user's own: a loop, a helper function, a `let`): the shape
/// `revision --autogenerate` writes, which the reader is meant to take.
fn looks_recorded(why: &str) -> bool {
    why.contains("this reader does not know")
}

fn write_if_changed(path: &Path, content: &str) -> Result<(), BuildError> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, content).map_err(|source| BuildError::Write {
        path: path.to_owned(),
        source,
    })
}

/// The source [`generate_versions`] writes, without touching the file system beyond
/// reading `versions_dir` (every file is read: there is no cache here).
pub fn render_versions(
    versions_dir: &Path,
    options: &Options,
) -> Result<GeneratedVersions, BuildError> {
    render(versions_dir, options, &cache::Previous::default()).map(|(g, _)| g)
}

/// What the build found in one file.
#[derive(Debug, Clone)]
enum Found {
    /// Read: the bundle's entry, owned.
    Read(cache::OwnedEntry),
    /// Compiled: its checksum, and why the reader refused it.
    Compiled { checksum: String, why: String },
}

fn render(
    versions_dir: &Path,
    options: &Options,
    previous: &cache::Previous,
) -> Result<(GeneratedVersions, String), BuildError> {
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
    let mut compiled = Vec::new();
    let mut read = Vec::new();
    let mut cache = cache::Writer::new(options);
    for (name, path) in &files {
        let stamp = cache::stamp(path);
        let found = match previous.get(name, stamp) {
            Some(found) => found.clone(),
            None => find(path, &format!("{dir_name}/{name}"), options)?,
        };
        cache.add(name, stamp, &found);
        match found {
            Found::Read(entry) => read.push(entry),
            Found::Compiled { checksum, why } => {
                compiled.push((path.clone(), why));
                let module = unique_module_name(name.trim_end_matches(".rs"), &mut taken);
                let shown = format!("{dir_name}/{name}");
                let file = path.display().to_string();
                let _ = writeln!(
                    mods,
                    "#[path = {file:?}]\n#[allow(clippy::all)]\nmod {module};"
                );
                let _ = writeln!(
                    list,
                    "            {krate}::Script {{\n                revision: {module}::REVISION,\n                upgrade: {module}::upgrade,\n                downgrade: {module}::downgrade,\n                path: {shown:?},\n                checksum: {checksum:?},\n            }},"
                );
            }
        }
    }
    let bundle = retort_core::ops::read::bundle::encode(
        &read
            .iter()
            .map(cache::OwnedEntry::borrow)
            .collect::<Vec<_>>(),
    );
    let source = format!(
        "// @generated by retort_build::generate_versions from {dir_name}/; do not edit.\n\n\
         {mods}\n\
         /// Every revision script of `{dir_name}/`, sorted by file name: the compiled ones\n\
         /// and those read from the bundle.\n\
         pub fn scripts() -> ::std::vec::Vec<{krate}::Script> {{\n    {krate}::generated::scripts(\n        \
         include_str!(concat!(env!(\"OUT_DIR\"), \"/{BUNDLE_FILE}\")),\n        \
         ::std::vec![\n{list}        ],\n    )\n}}\n"
    );
    let generated = GeneratedVersions {
        source,
        bundle,
        watched: vec![abs_dir],
        compiled,
    };
    Ok((generated, cache.finish()))
}

/// Reads, checksums and parses one file.
fn find(path: &Path, shown: &str, options: &Options) -> Result<Found, BuildError> {
    let bytes = std::fs::read(path).map_err(|source| BuildError::ReadFile {
        path: path.to_owned(),
        source,
    })?;
    let checksum = checksum(&bytes);
    let text = match std::str::from_utf8(&bytes) {
        Ok(_) if !options.read_recorded => Err("reading is off".to_owned()),
        Ok(text) => Ok(text),
        Err(_) => Err("not UTF-8".to_owned()),
    };
    let read = text.and_then(|text| {
        let read = retort_core::ops::read::read_revision(text).map_err(|e| e.to_string())?;
        Ok((text, read))
    });
    Ok(match read {
        Ok((text, r)) => Found::Read(cache::OwnedEntry {
            path: shown.to_owned(),
            checksum,
            id: r.id,
            message: r.message,
            down_as_list: r.down_as_list,
            down_revisions: r.down_revisions,
            branch_labels: r.branch_labels,
            depends_on: r.depends_on,
            replaces: r.replaces,
            text: text.to_owned(),
        }),
        Err(why) => Found::Compiled { checksum, why },
    })
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
    use retort_core::ops::read::bundle;

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
    fn generates_one_module_per_compiled_script_sorted() {
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
        assert_eq!(out.watched, vec![abs]);
        assert_eq!(out.compiled.len(), 2);
        assert_eq!(bundle::decode(&out.bundle).unwrap(), vec![], "nothing read");

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
    fn recorded_files_are_bundled_and_others_compiled() {
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
        // The generated code is the same size whatever was read: it names the bundle.
        assert!(!out.source.contains("aaa111"), "{}", out.source);
        assert!(out.source.contains(
            "::retort_migrate::generated::scripts(\n        include_str!(concat!(env!(\"OUT_DIR\"), \"/versions.bundle\")),"
        ), "{}", out.source);
        let read = bundle::decode(&out.bundle).unwrap();
        assert_eq!(
            read,
            vec![bundle::Entry {
                path: "versions/aaa111_one.rs",
                checksum: &checksum(RECORDED.as_bytes()),
                id: "aaa111",
                message: "One \"1\"",
                down_as_list: true,
                down_revisions: vec!["x", "y"],
                branch_labels: vec![],
                depends_on: vec!["z"],
                replaces: vec![],
                text: RECORDED,
            }]
        );
        assert!(out.source.contains("mod r_bbb222_two;"));
        assert!(out.source.contains("upgrade: r_bbb222_two::upgrade,"));
        assert_eq!(out.compiled.len(), 1);
        assert_eq!(out.compiled[0].0, abs.join("bbb222_two.rs"));
        assert!(
            out.compiled[0].1.starts_with("line 10: "),
            "{:?}",
            out.compiled
        );
        assert!(!looks_recorded(&out.compiled[0].1), "Rust of its own");

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
    fn a_call_the_reader_does_not_know_looks_recorded() {
        let file = RECORDED.replace("op.drop_index(", "op.drop_index_someday(");
        let why = retort_core::ops::read::read_revision(&file)
            .unwrap_err()
            .to_string();
        assert!(looks_recorded(&why), "{why}");
    }

    /// The cache: a second run reads only the files whose stamp changed, and what it
    /// writes is what a run without a cache writes.
    #[test]
    fn the_cache_rereads_only_changed_files() {
        let dir = temp_dir("cache");
        let versions = dir.join("versions");
        let out_file = dir.join("versions.rs");
        std::fs::write(versions.join("aaa111_one.rs"), RECORDED).unwrap();
        generate_versions(&versions, &out_file).unwrap();
        let cache_text = std::fs::read_to_string(out_file.with_extension("cache")).unwrap();
        assert!(cache_text.contains("aaa111_one.rs\t"), "{cache_text}");

        // A cached entry is taken from the old bundle, not from the file: plant a
        // different bundle under the same cache and see it come back.
        let bundle_file = out_file.with_file_name(BUNDLE_FILE);
        let planted = std::fs::read_to_string(&bundle_file)
            .unwrap()
            .replace("One \"1\"", "One \"2\"");
        std::fs::write(&bundle_file, &planted).unwrap();
        let previous = cache::load(
            &out_file.with_extension("cache"),
            &planted,
            &Options::default(),
        );
        let (cached, _) = render(&versions, &Options::default(), &previous).unwrap();
        assert_eq!(cached.bundle, planted);

        // A changed file (its size changes) is read again.
        let two = RECORDED.replace("\"ix\"", "\"ix_two\"");
        std::fs::write(versions.join("aaa111_one.rs"), &two).unwrap();
        let (fresh, _) = render(&versions, &Options::default(), &previous).unwrap();
        assert_eq!(
            fresh.bundle,
            render_versions(&versions, &Options::default())
                .unwrap()
                .bundle
        );
        assert!(fresh.bundle.contains("ix_two"));

        // Another option set starts from nothing.
        let off = Options {
            read_recorded: false,
            ..Options::default()
        };
        let none = cache::load(&out_file.with_extension("cache"), &planted, &off);
        assert!(none
            .get(
                "aaa111_one.rs",
                cache::stamp(&versions.join("aaa111_one.rs"))
            )
            .is_none());
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

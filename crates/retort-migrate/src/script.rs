//! [`Script`]: one compiled revision script, and the checksum that identifies its text.

use retort_core::graph::{Revision, RevisionInfo};
use retort_core::ops::Operations;

/// One revision script as compiled into a migrations binary by the `build.rs` helper
/// (`retort_build::generate_versions`).
#[derive(Clone, Copy)]
pub struct Script {
    /// The script's `pub const REVISION`.
    pub revision: Revision,
    /// The script's `pub fn upgrade`; for a file the build embedded as text, a function
    /// that panics: call [`Script::record`], which reads either kind.
    pub upgrade: fn(&mut Operations),
    /// The script's `pub fn downgrade` (see `upgrade`).
    pub downgrade: fn(&mut Operations),
    /// The file it was compiled from, relative to the migrations crate (`versions/x.rs`).
    pub path: &'static str,
    /// SHA-256 (hex) of the file with line endings and BOM normalised; see `retort_build::checksum`.
    pub checksum: &'static str,
}

impl Script {
    /// The owned description the revision graph is built from, naming this file.
    pub fn info(&self) -> RevisionInfo {
        self.revision.info(self.path)
    }

    /// Records the ops of `upgrade` (`up`) or `downgrade` into `op`: the compiled
    /// function's, or for a file the build embedded as text, the ops read from it.
    pub fn record(&self, op: &mut Operations, up: bool) {
        match generated::text(self.checksum) {
            Some(text) => generated::record(op, text, self.path, up),
            None if up => (self.upgrade)(op),
            None => (self.downgrade)(op),
        }
    }
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Script")
            .field("revision", &self.revision.id)
            .field("path", &self.path)
            .field("checksum", &self.checksum)
            .finish_non_exhaustive()
    }
}

/// The compiled revision scripts and the folder of the crate that compiled them, as
/// `retort::versions!()` produces them.
#[derive(Debug, Clone)]
pub struct Versions {
    /// Every compiled revision script, in file-name order.
    pub scripts: Vec<Script>,
    /// `CARGO_MANIFEST_DIR` of the migrations crate, when known.
    pub crate_dir: Option<&'static str>,
}

impl From<Vec<Script>> for Versions {
    fn from(scripts: Vec<Script>) -> Self {
        Versions {
            scripts,
            crate_dir: None,
        }
    }
}

/// What the code `retort_build::generate_versions` writes names. A revision file that only
/// records ops is not compiled: the build reads it and puts it in one bundle
/// ([`retort_core::ops::read::bundle`]) that the crate embeds once, so the generated code is
/// the same size however long the history is. [`scripts`](generated::scripts) turns the
/// bundle into [`Script`]s when the binary starts; each file's ops are read from its text
/// only when the runner asks for them ([`Script::record`]).
#[doc(hidden)]
pub mod generated {
    use std::collections::HashMap;
    use std::sync::{Mutex, PoisonError};

    use retort_core::graph::DownRevisions;
    pub use retort_core::graph::Revision;
    use retort_core::ops::read::bundle;
    pub use retort_core::ops::Operations;

    use super::Script;

    /// Each bundle's scripts, by the bundle's address: built once per binary (the
    /// revisions' lists are leaked into `&'static` slices, so they must not be built again
    /// on every call) and the texts [`Script::record`] reads, by checksum.
    static BUNDLES: Mutex<Option<Bundles>> = Mutex::new(None);

    #[derive(Default)]
    struct Bundles {
        scripts: HashMap<usize, Vec<Script>>,
        texts: HashMap<&'static str, &'static str>,
    }

    /// The scripts of `bundle` and the `compiled` ones, in file-name order.
    pub fn scripts(bundle: &'static str, mut compiled: Vec<Script>) -> Vec<Script> {
        let mut guard = BUNDLES.lock().unwrap_or_else(PoisonError::into_inner);
        let all = guard.get_or_insert_with(Bundles::default);
        let key = bundle.as_ptr() as usize;
        if !all.scripts.contains_key(&key) {
            let entries = bundle::decode(bundle).unwrap_or_else(|e| {
                panic!("the revisions the build embedded do not read back ({e}): run `cargo clean -p` on the migrations crate and build again")
            });
            let leak = |v: Vec<&'static str>| -> &'static [&'static str] { Vec::leak(v) };
            let read: Vec<Script> = entries
                .into_iter()
                .map(|e| {
                    all.texts.insert(e.checksum, e.text);
                    let down = match (e.down_as_list, e.down_revisions.as_slice()) {
                        (false, [one]) => DownRevisions::One(one),
                        (false, _) => DownRevisions::None,
                        (true, _) => DownRevisions::Many(leak(e.down_revisions)),
                    };
                    Script {
                        revision: Revision {
                            id: e.id,
                            message: e.message,
                            down,
                            branch_labels: leak(e.branch_labels),
                            depends_on: leak(e.depends_on),
                            replaces: leak(e.replaces),
                        },
                        upgrade: read_upgrade,
                        downgrade: read_downgrade,
                        path: e.path,
                        checksum: e.checksum,
                    }
                })
                .collect();
            all.scripts.insert(key, read);
        }
        compiled.extend(all.scripts[&key].iter().copied());
        compiled.sort_by(|a, b| a.path.cmp(b.path));
        compiled
    }

    /// The text of a file read from a bundle, by its checksum.
    pub(super) fn text(checksum: &str) -> Option<&'static str> {
        let guard = BUNDLES.lock().unwrap_or_else(PoisonError::into_inner);
        guard.as_ref()?.texts.get(checksum).copied()
    }

    // The `upgrade`/`downgrade` of a script read from a bundle: a function pointer cannot
    // carry the file it belongs to, so its ops come from `Script::record`, which finds the
    // text; called directly, these say so instead of recording nothing.
    fn read_upgrade(_: &mut Operations) {
        panic!("this revision is read from its text: record its ops with Script::record")
    }

    fn read_downgrade(_: &mut Operations) {
        panic!("this revision is read from its text: record its ops with Script::record")
    }

    /// Records the ops of `text`'s `upgrade` (`up`) or `downgrade`. The build read this
    /// very text with the same reader, so failing here is a bug in the reader, not in the
    /// file: the message names the file and line all the same.
    pub(super) fn record(op: &mut Operations, text: &str, path: &str, up: bool) {
        match retort_core::ops::read::read_ops(text, up) {
            Ok(ops) => ops.into_iter().for_each(|o| op.push(o)),
            Err(e) => panic!("{path}: {e}: the build read this file, but it does not read now"),
        }
    }
}

#[cfg(test)]
mod tests {
    use retort_core::ops::read::bundle::{encode, Entry};
    use retort_core::ops::{Op, Operations};

    use super::{generated, Script};

    const TEXT: &str = "use retort::migration::*;\n\npub const REVISION: Revision = Revision::new(\"b\");\n\npub fn upgrade(op: &mut Operations) {\n    op.create_index(\"ix\", \"t\", [\"a\"]);\n}\n\npub fn downgrade(op: &mut Operations) {\n    op.drop_index(\"ix\", \"t\");\n}\n";

    fn compiled_up(op: &mut Operations) {
        op.execute("select 1");
    }

    fn ops(script: &Script, up: bool) -> Vec<Op> {
        let mut op = Operations::new();
        script.record(&mut op, up);
        op.into_ops()
    }

    #[test]
    fn a_bundle_becomes_scripts_whose_ops_are_read_when_asked() {
        let bundle: &'static str = String::leak(encode(&[Entry {
            path: "versions/b.rs",
            checksum: "c0ffee-bundle-test",
            id: "b",
            message: "Two",
            down_as_list: true,
            down_revisions: vec!["a", "x"],
            branch_labels: vec!["main"],
            depends_on: vec![],
            replaces: vec!["r"],
            text: TEXT,
        }]));
        let compiled = Script {
            revision: generated::Revision::new("a"),
            upgrade: compiled_up,
            downgrade: compiled_up,
            path: "versions/a.rs",
            checksum: "c0ffee-compiled",
        };
        let scripts = generated::scripts(bundle, vec![compiled]);
        let paths: Vec<&str> = scripts.iter().map(|s| s.path).collect();
        assert_eq!(paths, ["versions/a.rs", "versions/b.rs"]);
        let read = &scripts[1];
        assert_eq!(read.checksum, "c0ffee-bundle-test");
        let info = read.info();
        assert_eq!((info.id.as_str(), info.message.as_str()), ("b", "Two"));
        assert_eq!(info.down_revisions, ["a", "x"]);
        assert_eq!(info.branch_labels, ["main"]);
        assert_eq!(read.revision.replaces, ["r"]);

        let mut want = Operations::new();
        want.create_index("ix", "t", ["a"]);
        assert_eq!(ops(read, true), want.into_ops());
        let mut want = Operations::new();
        want.drop_index("ix", "t");
        assert_eq!(ops(read, false), want.into_ops());
        // A compiled script records through its functions.
        assert!(matches!(
            ops(&scripts[0], true).as_slice(),
            [Op::Execute { .. }]
        ));
        // Called without `record`, a read script's function says so instead of
        // recording nothing.
        let direct = std::panic::catch_unwind(|| (read.upgrade)(&mut Operations::new()));
        assert!(direct.is_err());

        // Asked again (a second `versions!()`), the same scripts, built once.
        let again = generated::scripts(bundle, Vec::new());
        assert_eq!(again.len(), 1);
        assert!(std::ptr::eq(
            again[0].revision.branch_labels,
            read.revision.branch_labels
        ));
    }
}

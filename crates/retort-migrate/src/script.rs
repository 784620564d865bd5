//! [`Script`]: one compiled revision script, and the checksum that identifies its text.

use retort_core::graph::{Revision, RevisionInfo};
use retort_core::ops::Operations;

/// One revision script as compiled into a migrations binary by the `build.rs` helper
/// (`retort_build::generate_versions`).
#[derive(Clone, Copy)]
pub struct Script {
    /// The script's `pub const REVISION`.
    pub revision: Revision,
    /// The script's `pub fn upgrade`.
    pub upgrade: fn(&mut Operations),
    /// The script's `pub fn downgrade`.
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

/// What the code `retort_build::generate_versions` writes names: for a revision file that
/// only records ops, read at build time and embedded as text, its `REVISION` and the two
/// functions that read its ops again when the runner asks for them.
#[doc(hidden)]
pub mod generated {
    pub use retort_core::graph::Revision;
    pub use retort_core::ops::Operations;

    /// Records the ops of `text`'s `upgrade` (`up`) or `downgrade`. The build read this
    /// very text (`include_str!`) with the same reader, so failing here is a bug in the
    /// reader, not in the file: the message names the file and line all the same.
    pub fn record(op: &mut Operations, text: &str, path: &str, up: bool) {
        match retort_core::ops::read::read_ops(text, up) {
            Ok(ops) => ops.into_iter().for_each(|o| op.push(o)),
            Err(e) => panic!("{path}: {e}: the build read this file, but it does not read now"),
        }
    }
}

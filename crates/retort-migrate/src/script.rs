//! [`Script`]: one compiled revision script, and the checksum that identifies its text.

use sha2::{Digest, Sha256};

use retort_core::graph::{Revision, RevisionInfo};
use retort_core::ops::Operations;

/// One revision script as compiled into a migrations binary by the `build.rs` helper
/// ([`crate::build::generate_versions`]).
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
    /// SHA-256 (hex) of the file with line endings and BOM normalised; see [`checksum`].
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
    use super::checksum;

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
}

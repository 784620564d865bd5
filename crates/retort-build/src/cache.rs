//! What the last run of the build script found in each file, so that the next run reads,
//! checksums and parses only the files whose size or modification time changed (the way
//! cargo itself decides what is fresh). The cache lives beside the generated source in
//! `OUT_DIR`: one line per file, `name \t mtime \t size \t R \t path` for a file in the
//! bundle written beside it (its entry is taken back from that bundle) or
//! `name \t mtime \t size \t C \t checksum \t why` for a compiled one. Its first line names
//! the build script binary (size and time) and the options: a new `retort-build` (a
//! reader that knows more) or other options start from nothing.

use std::collections::HashMap;
use std::path::Path;

use retort_core::ops::read::bundle;

use super::{Found, Options};

/// A file's modification time (nanoseconds since the epoch) and size.
pub(crate) type Stamp = (u128, u64);

/// `path`'s stamp; `None` when the file system does not tell (then nothing is cached).
pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((mtime.as_nanos(), meta.len()))
}

/// The first line: this build script and these options.
fn header(options: &Options) -> Option<String> {
    let exe = stamp(&std::env::current_exe().ok()?)?;
    Some(format!(
        "retort-build-cache 1 {} {} {} {}\n",
        exe.0, exe.1, options.read_recorded, options.crate_path
    ))
}

/// A bundle entry that owns its strings.
#[derive(Debug, Clone)]
pub(crate) struct OwnedEntry {
    pub path: String,
    pub checksum: String,
    pub id: String,
    pub message: String,
    pub down_as_list: bool,
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    pub replaces: Vec<String>,
    pub text: String,
}

impl OwnedEntry {
    pub(crate) fn borrow(&self) -> bundle::Entry<'_> {
        fn strs(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        bundle::Entry {
            path: &self.path,
            checksum: &self.checksum,
            id: &self.id,
            message: &self.message,
            down_as_list: self.down_as_list,
            down_revisions: strs(&self.down_revisions),
            branch_labels: strs(&self.branch_labels),
            depends_on: strs(&self.depends_on),
            replaces: strs(&self.replaces),
            text: &self.text,
        }
    }

    fn own(e: &bundle::Entry<'_>) -> Self {
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        OwnedEntry {
            path: e.path.to_owned(),
            checksum: e.checksum.to_owned(),
            id: e.id.to_owned(),
            message: e.message.to_owned(),
            down_as_list: e.down_as_list,
            down_revisions: strings(&e.down_revisions),
            branch_labels: strings(&e.branch_labels),
            depends_on: strings(&e.depends_on),
            replaces: strings(&e.replaces),
            text: e.text.to_owned(),
        }
    }
}

/// What the last run found, by file name.
#[derive(Debug, Default)]
pub(crate) struct Previous {
    files: HashMap<String, (Stamp, Found)>,
}

impl Previous {
    /// What the last run found in `name`, if the file has not changed since.
    pub(crate) fn get(&self, name: &str, stamp: Option<Stamp>) -> Option<&Found> {
        let (was, found) = self.files.get(name)?;
        (Some(*was) == stamp).then_some(found)
    }
}

/// The cache at `cache_file`, whose read files are in `old_bundle`; empty when there is
/// none, or it was written by another build script or with other options, or anything in
/// it does not add up (the cache only ever saves time).
pub(crate) fn load(cache_file: &Path, old_bundle: &str, options: &Options) -> Previous {
    let mut previous = Previous::default();
    let (Some(header), Ok(text), Ok(entries)) = (
        header(options),
        std::fs::read_to_string(cache_file),
        bundle::decode(old_bundle),
    ) else {
        return previous;
    };
    let Some(lines) = text.strip_prefix(&header) else {
        return previous;
    };
    let by_path: HashMap<&str, &bundle::Entry<'_>> = entries.iter().map(|e| (e.path, e)).collect();
    for line in lines.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(mtime), Some(size)) = (
            fields.get(1).and_then(|s| s.parse().ok()),
            fields.get(2).and_then(|s| s.parse().ok()),
        ) else {
            continue;
        };
        let found = match fields[3..] {
            ["R", path] => match by_path.get(path) {
                Some(e) => Found::Read(OwnedEntry::own(e)),
                None => continue,
            },
            ["C", checksum, why] => Found::Compiled {
                checksum: checksum.to_owned(),
                why: why.to_owned(),
            },
            _ => continue,
        };
        previous
            .files
            .insert(fields[0].to_owned(), ((mtime, size), found));
    }
    previous
}

/// The cache text of this run.
pub(crate) struct Writer {
    text: String,
}

impl Writer {
    pub(crate) fn new(options: &Options) -> Self {
        Writer {
            text: header(options).unwrap_or_default(),
        }
    }

    /// Records what was found in `name`. A name or reason with a tab or a line break in
    /// it is not cached (the line could not be read back); nor is a file without a stamp.
    pub(crate) fn add(&mut self, name: &str, stamp: Option<Stamp>, found: &Found) {
        let Some((mtime, size)) = stamp else { return };
        let plain = |s: &str| !s.contains(['\t', '\n', '\r']);
        let rest = match found {
            Found::Read(e) if plain(&e.path) => format!("R\t{}", e.path),
            Found::Compiled { checksum, why } if plain(why) => format!("C\t{checksum}\t{why}"),
            _ => return,
        };
        if plain(name) {
            self.text
                .push_str(&format!("{name}\t{mtime}\t{size}\t{rest}\n"));
        }
    }

    pub(crate) fn finish(self) -> String {
        self.text
    }
}

//! The bundle: every revision file a migrations crate's build read, in one text that the
//! crate embeds once (`include_str!`), so the code the build generates is the same size
//! however long the history is (issue 16). `retort-build` writes it, `retort-migrate`
//! reads it when the binary starts; each file's ops are read from its text only when the
//! runner asks for them.
//!
//! The format is private to those two (both are built from one version of this crate):
//! a magic line, then per file a sequence of fields, each `<byte length>:<bytes>`, so no
//! text needs escaping and every field is a slice of the bundle itself.

/// The first line of a bundle; a new layout changes the number.
const MAGIC: &str = "retort-bundle 2\n";

/// One read revision file, as the bundle holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The file, relative to the migrations crate (`versions/x.rs`).
    pub path: &'a str,
    /// The checksum of its content (`retort_build::checksum`).
    pub checksum: &'a str,
    /// `Revision::new(..)`.
    pub id: &'a str,
    /// `.message(..)`.
    pub message: &'a str,
    /// Whether the down revisions were written as a list (a merge, or a base as `&[]`).
    pub down_as_list: bool,
    /// `.down_revision(..)` / `.down_revisions(..)`.
    pub down_revisions: Vec<&'a str>,
    /// `.branch_labels(..)`.
    pub branch_labels: Vec<&'a str>,
    /// `.depends_on(..)`.
    pub depends_on: Vec<&'a str>,
    /// `.replaces(..)` (a squash).
    pub replaces: Vec<&'a str>,
    /// The file's whole text, read again for its ops.
    pub text: &'a str,
}

/// Writes `entries` as a bundle.
pub fn encode<'a>(entries: impl IntoIterator<Item = &'a Entry<'a>>) -> String {
    let mut out = String::from(MAGIC);
    let mut field = |s: &str| {
        out.push_str(&s.len().to_string());
        out.push(':');
        out.push_str(s);
    };
    for e in entries {
        field(e.path);
        field(e.checksum);
        field(e.id);
        field(e.message);
        field(if e.down_as_list { "list" } else { "one" });
        for list in [
            &e.down_revisions,
            &e.branch_labels,
            &e.depends_on,
            &e.replaces,
        ] {
            field(&list.len().to_string());
            list.iter().for_each(|s| field(s));
        }
        field(e.text);
    }
    out
}

/// Reads a bundle [`encode`] wrote. Any other text is an error saying where it stopped
/// making sense (a bundle is only ever written by the build, so this is a bug or a
/// stale file, never a user's mistake).
pub fn decode(bundle: &str) -> Result<Vec<Entry<'_>>, String> {
    let mut c = Cursor {
        bundle,
        rest: bundle
            .strip_prefix(MAGIC)
            .ok_or("not a bundle of this version of retort")?,
    };
    let mut entries = Vec::new();
    while !c.rest.is_empty() {
        let path = c.field()?;
        let checksum = c.field()?;
        let id = c.field()?;
        let message = c.field()?;
        let down_as_list = c.field()? == "list";
        let mut lists = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        for list in &mut lists {
            let n: usize = c
                .field()?
                .parse()
                .map_err(|_| format!("{path}: a list length that is not a number"))?;
            for _ in 0..n {
                list.push(c.field()?);
            }
        }
        let [down_revisions, branch_labels, depends_on, replaces] = lists;
        entries.push(Entry {
            path,
            checksum,
            id,
            message,
            down_as_list,
            down_revisions,
            branch_labels,
            depends_on,
            replaces,
            text: c.field()?,
        });
    }
    Ok(entries)
}

/// Where [`decode`] is in a bundle.
struct Cursor<'a> {
    bundle: &'a str,
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    /// The next `<length>:<bytes>` field.
    fn field(&mut self) -> Result<&'a str, String> {
        let at = self.bundle.len() - self.rest.len();
        let bad = || format!("a bundle cut or changed at byte {at}");
        let (len, tail) = self.rest.split_once(':').ok_or_else(bad)?;
        let len: usize = len.parse().map_err(|_| bad())?;
        let value = tail.get(..len).ok_or_else(bad)?;
        self.rest = &tail[len..];
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_reads_back_what_was_written() {
        let entries = [
            Entry {
                path: "versions/a.rs",
                checksum: "00ff",
                id: "a",
                message: "with: colons, \"quotes\"\nand 12:34 a new line",
                down_as_list: false,
                down_revisions: vec![],
                branch_labels: vec!["main"],
                depends_on: vec![],
                replaces: vec![],
                text: "é\r\n1:x",
            },
            Entry {
                path: "versions/b.rs",
                checksum: "11ee",
                id: "b",
                message: "",
                down_as_list: true,
                down_revisions: vec!["a", "z"],
                branch_labels: vec![],
                depends_on: vec!["y"],
                replaces: vec!["c", "d"],
                text: "",
            },
        ];
        let bundle = encode(&entries);
        assert_eq!(decode(&bundle).unwrap(), entries);
        assert_eq!(decode(MAGIC).unwrap(), vec![]);
    }

    #[test]
    fn a_cut_bundle_is_an_error_not_a_short_list() {
        let bundle = encode(&[Entry {
            path: "versions/a.rs",
            checksum: "00",
            id: "a",
            message: "m",
            down_as_list: false,
            down_revisions: vec!["x"],
            branch_labels: vec![],
            depends_on: vec![],
            replaces: vec![],
            text: "some text",
        }]);
        let cut = &bundle[..bundle.len() - 3];
        assert!(decode(cut).unwrap_err().contains("cut or changed"));
        assert!(decode("something else").is_err());
    }
}

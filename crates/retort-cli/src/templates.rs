//! Templates: the scaffolds `retort init --template NAME` writes (listed by
//! `list_templates`, as Alembic's are) and the revision script template `script.rs.j2`
//! (Alembic's `script.py.mako`), rendered with minijinja.
//!
//! A project may edit the `script.rs.j2` that `init` put beside its `retort.toml`; the
//! built-in copy is used when there is none. Its variables: `up_revision`,
//! `down_revision` (comma-separated, empty for a base), `down_revisions`,
//! `branch_labels`, `depends_on`, `message`, `message_doc` (the message with every line
//! a `//!` line, control and bidirectional characters escaped), `create_date`, `revision_builder` (the whole `Revision::new(..)...`
//! expression), `upgrades`, `downgrades` (operations, empty for now).

use minijinja::Environment as Jinja;
use serde_like::Vars;

/// The revision script template every scaffold starts from.
pub const SCRIPT_TEMPLATE: &str = include_str!("../templates/script.rs.j2");

/// The profile `init` writes into a workspace manifest it creates (never into one it
/// joins: a project's profiles are its own): debug info kept small, so that linking the
/// migrations binary after a new revision is quick (`bench/history.sh` builds with it).
pub const WORKSPACE_PROFILE: &str = include_str!("../templates/workspace-profile.toml");
/// The file name of the revision script template in a migrations crate.
pub const SCRIPT_TEMPLATE_FILE: &str = "script.rs.j2";

/// One scaffold.
#[derive(Debug)]
pub struct Template {
    pub name: &'static str,
    pub description: &'static str,
    /// (path in the new crate, minijinja source)
    pub files: &'static [(&'static str, &'static str)],
}

const GENERIC_FILES: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../templates/generic/Cargo.toml.j2"),
    ),
    ("build.rs", include_str!("../templates/generic/build.rs.j2")),
    (
        "src/main.rs",
        include_str!("../templates/generic/main.rs.j2"),
    ),
    (
        "retort.toml",
        include_str!("../templates/generic/retort.toml.j2"),
    ),
    (SCRIPT_TEMPLATE_FILE, SCRIPT_TEMPLATE),
    (".gitignore", include_str!("../templates/generic/gitignore")),
    ("versions/.gitkeep", ""),
];

const EMBEDDED_FILES: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../templates/generic/Cargo.toml.j2"),
    ),
    ("build.rs", include_str!("../templates/generic/build.rs.j2")),
    (
        "src/main.rs",
        include_str!("../templates/generic/main.rs.j2"),
    ),
    (
        "src/lib.rs",
        include_str!("../templates/embedded/lib.rs.j2"),
    ),
    (
        "retort.toml",
        include_str!("../templates/generic/retort.toml.j2"),
    ),
    (SCRIPT_TEMPLATE_FILE, SCRIPT_TEMPLATE),
    (".gitignore", include_str!("../templates/generic/gitignore")),
    ("versions/.gitkeep", ""),
];

const TEMPLATES: &[Template] = &[
    Template {
        name: "generic",
        description: "Generic single-database configuration: a migrations binary with its versions/.",
        files: GENERIC_FILES,
    },
    Template {
        name: "embedded",
        description: "Generic, plus a library exposing the compiled scripts so the application can run retort::migrate() at start-up.",
        files: EMBEDDED_FILES,
    },
];

/// Every template, in the order `list_templates` shows them.
pub fn all() -> &'static [Template] {
    TEMPLATES
}

pub fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// A Rust string literal of `s` (the `rust` filter): `Debug` of a `str` escapes exactly as
/// the Rust lexer reads it back.
fn rust_literal(s: String) -> String {
    format!("{s:?}")
}

fn jinja() -> Jinja<'static> {
    let mut env = Jinja::new();
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_filter("rust", rust_literal);
    env
}

/// Renders one template source with `vars`; the error names `name`.
pub fn render(name: &str, source: &str, vars: &Vars) -> Result<String, String> {
    let env = jinja();
    let ctx = vars.to_value();
    env.render_named_str(name, source, ctx)
        .map_err(|e| format!("{e:#}"))
}

/// Template variables, built without serde (minijinja takes maps of values directly).
pub mod serde_like {
    use std::collections::BTreeMap;

    use minijinja::Value;

    /// A flat map of template variables.
    #[derive(Debug, Default, Clone)]
    pub struct Vars(BTreeMap<String, Value>);

    impl Vars {
        pub fn new() -> Self {
            Vars::default()
        }
        pub fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
            self.0.insert(key.to_owned(), value.into());
            self
        }
        pub fn list(mut self, key: &str, values: &[String]) -> Self {
            self.0.insert(key.to_owned(), Value::from(values.to_vec()));
            self
        }
        pub fn to_value(&self) -> Value {
            Value::from(self.0.clone())
        }
    }
}

/// What a new revision file says about itself.
#[derive(Debug, Clone, Default)]
pub struct NewRevision {
    pub id: String,
    pub message: String,
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    pub create_date: String,
}

impl NewRevision {
    /// The `Revision::new(..)...` expression of the file's `REVISION` const.
    pub fn builder(&self) -> String {
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = format!("Revision::new({:?})", self.id);
        if !self.message.is_empty() {
            out.push_str(&format!("\n    .message({:?})", self.message));
        }
        match self.down_revisions.as_slice() {
            [] => {}
            [one] => out.push_str(&format!("\n    .down_revision({one:?})")),
            many => out.push_str(&format!("\n    .down_revisions(&[{}])", list(many))),
        }
        if !self.branch_labels.is_empty() {
            out.push_str(&format!(
                "\n    .branch_labels(&[{}])",
                list(&self.branch_labels)
            ));
        }
        if !self.depends_on.is_empty() {
            out.push_str(&format!("\n    .depends_on(&[{}])", list(&self.depends_on)));
        }
        out
    }

    pub fn vars(&self) -> Vars {
        // The template writes `//! {{ message_doc }}`: the first line's `//! ` is its own.
        // Every further line is a `//!` line, and control and bidirectional characters
        // are escaped, so no message can end the comment or make rustc refuse the file.
        let doc = retort_migrate::writer::doc_comment(&self.message);
        let message_doc = doc
            .strip_prefix("//! ")
            .or_else(|| doc.strip_prefix("//!"))
            .unwrap_or(&doc)
            .to_owned();
        Vars::new()
            .set("up_revision", self.id.as_str())
            .set("down_revision", self.down_revisions.join(", "))
            .list("down_revisions", &self.down_revisions)
            .list("branch_labels", &self.branch_labels)
            .list("depends_on", &self.depends_on)
            .set("message", self.message.as_str())
            .set("message_doc", message_doc)
            .set("create_date", self.create_date.as_str())
            .set("revision_builder", self.builder())
            .set("upgrades", "")
            .set("downgrades", "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_template_renders_a_merge_with_labels() {
        let rev = NewRevision {
            id: "abc123def456".into(),
            message: "merge \"a\" and b\nsecond line".into(),
            down_revisions: vec!["a1".into(), "b2".into()],
            branch_labels: vec!["main".into()],
            depends_on: vec![],
            create_date: "2026-11-25 12:00:00".into(),
        };
        let text = render("script.rs.j2", SCRIPT_TEMPLATE, &rev.vars()).unwrap();
        insta::assert_snapshot!(text);
    }

    #[test]
    fn every_template_has_the_environment_files() {
        for t in all() {
            for needed in [
                "Cargo.toml",
                "build.rs",
                "src/main.rs",
                "retort.toml",
                SCRIPT_TEMPLATE_FILE,
            ] {
                assert!(
                    t.files.iter().any(|(p, _)| *p == needed),
                    "{} lacks {needed}",
                    t.name
                );
            }
        }
        assert!(find("generic").is_some());
        assert!(find("nope").is_none());
    }
}

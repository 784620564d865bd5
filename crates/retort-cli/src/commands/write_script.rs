//! Writing a new revision file (for `revision` and `merge`): a fresh 12-hex id unless one
//! is given, the file name from `file_template`, the text from the project's
//! `script.rs.j2` (or the built-in one), then the post-write hook.

use std::path::{Path, PathBuf};

use retort_core::graph::RevisionGraph;
use retort_migrate::config::render_file_name;
use retort_migrate::PostWriteHook;

use crate::context::Context;
use crate::printer::Style;
use crate::templates::serde_like::Vars;
use crate::templates::{self, NewRevision, SCRIPT_TEMPLATE, SCRIPT_TEMPLATE_FILE};
use crate::{CliError, Printer};

/// A new id: 48 random bits as 12 hex digits (Alembic's `uuid4().hex[-12:]`), redrawn
/// in the unlikely case it is taken.
pub(crate) fn fresh_id(graph: &RevisionGraph) -> String {
    loop {
        let id = format!("{:012x}", fastrand::u64(..) & 0xffff_ffff_ffff);
        if graph.revision(&id).is_none() {
            return id;
        }
    }
}

/// Checks `--branch-label` values against the labels and ids already in use.
pub(crate) fn check_labels(graph: &RevisionGraph, labels: &[String]) -> Result<(), CliError> {
    for label in labels {
        if let Some((_, rev)) = graph.labels().into_iter().find(|(l, _)| l == label) {
            return Err(CliError::usage(
                format!("branch label '{label}' is already used by revision {rev}"),
                Some("choose another --branch-label".to_owned()),
            ));
        }
        if graph.revision(label).is_some() {
            return Err(CliError::usage(
                format!("branch label '{label}' is the id of a revision"),
                Some("choose another --branch-label".to_owned()),
            ));
        }
    }
    Ok(())
}

/// Renders and writes `rev` into `dir` (the versions folder unless `--version-path`).
pub(crate) fn write(
    ctx: &Context<'_>,
    rev: &NewRevision,
    dir: Option<&Path>,
    p: &mut Printer,
) -> Result<PathBuf, CliError> {
    write_vars(ctx, rev, &rev.vars(), dir, p)
}

/// [`write`] with the template variables given (autogenerate fills `upgrades` and
/// `downgrades`).
pub(crate) fn write_vars(
    ctx: &Context<'_>,
    rev: &NewRevision,
    vars: &Vars,
    dir: Option<&Path>,
    p: &mut Printer,
) -> Result<PathBuf, CliError> {
    let dir = dir.map_or_else(|| ctx.versions_dir(), Path::to_path_buf);
    if !dir.is_dir() {
        return Err(CliError::usage(
            format!("the versions folder {} does not exist", dir.display()),
            Some(format!(
                "create it, or check script_location in {} (or --version-path)",
                ctx.settings.config_dir.join("retort.toml").display()
            )),
        ));
    }
    let template_path = ctx.settings.script_location.join(SCRIPT_TEMPLATE_FILE);
    let (template_name, source) = match std::fs::read_to_string(&template_path) {
        Ok(text) => (template_path.display().to_string(), text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
            "built-in script.rs.j2".to_owned(),
            SCRIPT_TEMPLATE.to_owned(),
        ),
        Err(e) => return Err(CliError::io("read", &template_path, e)),
    };
    let text = templates::render(&template_name, &source, vars).map_err(|e| {
        CliError::usage(
            format!("the revision template {template_name} cannot be rendered: {e}"),
            Some("fix the template, or delete it to use the built-in one".to_owned()),
        )
    })?;
    let name = render_file_name(&ctx.settings.file_template, &rev.id, &rev.message);
    let path = dir.join(format!("{name}.rs"));
    if path.exists() {
        return Err(CliError::usage(
            format!("{} already exists", path.display()),
            Some("pass another --rev-id or message".to_owned()),
        ));
    }
    let shown = path.display().to_string();
    std::fs::write(&path, text).map_err(|e| CliError::io("write", &path, e))?;
    p.line(&format!(
        "Generating {} ... {}",
        shown,
        p.paint(Style::Green, "done")
    ));
    run_hook(&ctx.settings.post_write_hook, &path, p);
    Ok(path)
}

/// Runs the post-write hook; a failing hook is a warning (the file is written and
/// valid), and a missing `rustfmt` (`post_write_hook = "rustfmt"`) is skipped quietly.
fn run_hook(hook: &PostWriteHook, path: &Path, p: &mut Printer) {
    if let Err(e) = hook.run(path) {
        p.warn(&e.to_string());
    }
}

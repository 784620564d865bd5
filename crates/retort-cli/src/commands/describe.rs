//! How revisions are shown: Alembic's `Script.cmd_format` (one line:
//! `<base> -> 5cc88b64dda9 (head), Initial commit`) and `log_entry` (the verbose block).

use retort_core::graph::{RevisionGraph, RevisionInfo};

use crate::printer::{Printer, Style};

/// The ` (head) (branchpoint)...` markers of a revision.
fn markers(graph: &RevisionGraph, rev: &RevisionInfo, current: &[String], p: &Printer) -> String {
    let mut out = String::new();
    let labels = graph.branch_labels(&rev.id);
    if !labels.is_empty() {
        out.push_str(&format!(" ({})", labels.join(", ")));
    }
    if graph.is_head(&rev.id) {
        out.push_str(&format!(" ({})", p.paint(Style::Green, "head")));
    } else if graph.is_effective_head(&rev.id) {
        out.push_str(" (effective head)");
    }
    if graph.is_branch_point(&rev.id) {
        out.push_str(" (branchpoint)");
    }
    if graph.is_merge_point(&rev.id) {
        out.push_str(" (mergepoint)");
    }
    if current.iter().any(|c| c == &rev.id) {
        out.push_str(&format!(" ({})", p.paint(Style::Yellow, "current")));
    }
    out
}

fn parents(rev: &RevisionInfo) -> String {
    if rev.down_revisions.is_empty() {
        "<base>".to_owned()
    } else {
        rev.down_revisions.join(", ")
    }
}

/// `parents -> id (markers), message`.
pub(crate) fn line(
    graph: &RevisionGraph,
    rev: &RevisionInfo,
    current: &[String],
    p: &Printer,
) -> String {
    format!(
        "{} -> {}{}, {}",
        parents(rev),
        p.paint(Style::Bold, &rev.id),
        markers(graph, rev, current, p),
        rev.message
    )
}

/// `id (markers)`, as `heads` and `current` show a revision.
pub(crate) fn short(
    graph: &RevisionGraph,
    rev: &RevisionInfo,
    current: &[String],
    p: &Printer,
) -> String {
    format!(
        "{}{}",
        p.paint(Style::Bold, &rev.id),
        markers(graph, rev, current, p)
    )
}

/// The verbose block: `Rev:`, `Parent:`, branches, dependencies, `Path:`, and the message.
pub(crate) fn verbose(
    graph: &RevisionGraph,
    rev: &RevisionInfo,
    current: &[String],
    p: &Printer,
) -> String {
    let mut out = format!("Rev: {}\n", short(graph, rev, current, p));
    out.push_str(&format!(
        "{}: {}\n",
        if rev.down_revisions.len() > 1 {
            "Merges"
        } else {
            "Parent"
        },
        parents(rev)
    ));
    let deps = graph.dependencies(&rev.id);
    if !rev.depends_on.is_empty() || !deps.is_empty() {
        let shown = if rev.depends_on.is_empty() {
            deps
        } else {
            rev.depends_on.clone()
        };
        out.push_str(&format!("Also depends on: {}\n", shown.join(", ")));
    }
    let children = graph.children(&rev.id);
    if children.len() > 1 {
        out.push_str(&format!("Branches into: {}\n", children.join(", ")));
    }
    let labels = graph.branch_labels(&rev.id);
    if !labels.is_empty() {
        out.push_str(&format!("Branch names: {}\n", labels.join(", ")));
    }
    out.push_str(&format!("Path: {}\n\n", rev.source));
    for l in rev.message.lines() {
        out.push_str(&format!("    {l}\n"));
    }
    out.push_str(&format!(
        "\n    Revision ID: {}\n    Revises: {}\n",
        rev.id,
        rev.down_revisions.join(", ")
    ));
    out
}

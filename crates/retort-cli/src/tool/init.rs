//! `retort init <dir> [--template NAME]`: scaffolds a migrations crate (Cargo.toml,
//! build.rs, `src/main.rs` as the environment, `versions/`, `script.rs.j2`,
//! `retort.toml`), adds it to the enclosing workspace when there is one, and says what to
//! do next. Writing nothing until every check has passed, so a refused `init` leaves no
//! half-made folder behind.

use std::path::{Component, Path, PathBuf};

use crate::printer::Style;
use crate::templates::{self, serde_like::Vars};
use crate::{CliError, Printer};

/// What `init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub directory: PathBuf,
    pub template: String,
    /// The package name (default: `<project>-migrations`).
    pub package: Option<String>,
    /// A source checkout of the `retort` crate to depend on by path; a version otherwise.
    pub retort_path: Option<PathBuf>,
}

/// What `init` did.
#[derive(Debug, Clone)]
pub struct Scaffold {
    pub directory: PathBuf,
    pub package: String,
    pub files: Vec<PathBuf>,
    /// The workspace manifest the crate was added to, if any.
    pub workspace: Option<PathBuf>,
}

/// The nearest `Cargo.toml` above `dir` that has a `[package]`, and the nearest one with a
/// `[workspace]`.
struct Project {
    package: Option<(String, PathBuf)>,
    workspace: Option<PathBuf>,
}

fn read_manifest(path: &Path) -> Option<toml::Table> {
    std::fs::read_to_string(path)
        .ok()?
        .parse::<toml::Table>()
        .ok()
}

fn find_project(start: &Path) -> Project {
    let mut project = Project {
        package: None,
        workspace: None,
    };
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let Some(table) = read_manifest(&manifest) else {
            continue;
        };
        if project.package.is_none() {
            if let Some(name) = table
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
            {
                project.package = Some((name.to_owned(), dir.to_path_buf()));
            }
        }
        if table.contains_key("workspace") {
            project.workspace = Some(manifest);
            break;
        }
    }
    project
}

/// `to` relative to `from` (both absolute), with `/` separators.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn package_name(s: &str) -> String {
    let name: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("migrations-{name}")
            .trim_end_matches('-')
            .to_owned()
    } else {
        name
    }
}

/// Adds `member` to the `members` array of the workspace manifest at `path`, keeping the
/// file's formatting: a text edit rather than a TOML round trip.
fn add_workspace_member(path: &Path, member: &str) -> Result<bool, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, e))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        CliError::usage(
            format!("{}: {}", path.display(), e.message()),
            Some("fix the workspace manifest, then run init again".to_owned()),
        )
    })?;
    let members = table
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array());
    if members.is_some_and(|m| m.iter().any(|v| v.as_str() == Some(member))) {
        return Ok(false);
    }
    let new_text = if members.is_some() {
        let Some(start) = text.find("members") else {
            return Ok(false);
        };
        let Some(open) = text[start..].find('[').map(|i| start + i) else {
            return Ok(false);
        };
        let Some(close) = text[open..].find(']').map(|i| open + i) else {
            return Ok(false);
        };
        let inner = text[open + 1..close].trim_end();
        let multiline = inner.contains('\n');
        let sep = if inner.trim().is_empty() || inner.ends_with(',') {
            ""
        } else {
            ","
        };
        let entry = if multiline {
            format!("{sep}\n    \"{member}\",\n")
        } else if inner.trim().is_empty() {
            format!("\"{member}\"")
        } else {
            format!("{sep} \"{member}\"")
        };
        format!("{}{}{}{}", &text[..open + 1], inner, entry, &text[close..])
    } else {
        let Some(at) = text.find("[workspace]") else {
            return Ok(false);
        };
        let end = at + "[workspace]".len();
        format!("{}\nmembers = [\"{member}\"]{}", &text[..end], &text[end..])
    };
    std::fs::write(path, new_text).map_err(|e| CliError::io("write", path, e))?;
    Ok(true)
}

/// Scaffolds the crate; see the module documentation.
pub fn init(options: &InitOptions, p: &mut Printer) -> Result<Scaffold, CliError> {
    let template = templates::find(&options.template).ok_or_else(|| {
        let names: Vec<&str> = templates::all().iter().map(|t| t.name).collect();
        CliError::usage(
            format!(
                "no template named '{}'; available: {}",
                options.template,
                names.join(", ")
            ),
            Some("`retort list_templates` describes them".to_owned()),
        )
    })?;
    let cwd = std::env::current_dir().map_err(|e| CliError::io("read", Path::new("."), e))?;
    let dir = cwd.join(&options.directory);
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(CliError::usage(
            format!(
                "directory {} already exists and is not empty",
                dir.display()
            ),
            Some("choose a new folder for the migrations crate".to_owned()),
        ));
    }
    let parent = dir.parent().unwrap_or(&cwd);
    let project = find_project(parent);
    let dir_name = dir.file_name().map_or_else(
        || "migrations".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let package = match (&options.package, &project.package) {
        (Some(name), _) => package_name(name),
        (None, Some((app, _))) => package_name(&format!("{app}-migrations")),
        (None, None) => package_name(&dir_name),
    };
    let project_name = project
        .package
        .as_ref()
        .map_or_else(|| package.clone(), |(name, _)| name.clone());
    let (retort_dep, build_dep) = match &options.retort_path {
        Some(path) => {
            let build = path.join("../retort-build");
            let build = build.canonicalize().unwrap_or(build);
            (
                format!("path = {:?}", path.display().to_string()),
                format!("path = {:?}", build.display().to_string()),
            )
        }
        None => (
            "version = \"0.1\"".to_owned(),
            "version = \"0.1\"".to_owned(),
        ),
    };
    let vars = Vars::new()
        .set("package", package.as_str())
        .set("project", project_name.as_str())
        .set("template", template.name)
        .set("retort_dep", retort_dep)
        .set("retort_build_dep", build_dep)
        .set("crate_ident", package.replace('-', "_"))
        .set(
            "app_package",
            project
                .package
                .as_ref()
                .map_or_else(String::new, |(n, _)| n.clone()),
        )
        .set(
            "app_path",
            project
                .package
                .as_ref()
                .map_or_else(String::new, |(_, d)| relative(&dir, d)),
        );
    // Render everything before writing anything.
    let mut rendered = Vec::new();
    for (path, source) in template.files {
        let text = if path.ends_with(".j2") || source.is_empty() {
            // The script template is copied as is: it is rendered per revision.
            (*source).to_owned()
        } else {
            templates::render(path, source, &vars).map_err(|e| {
                CliError::usage(
                    format!("template {} cannot be rendered: {e}", template.name),
                    None,
                )
            })?
        };
        rendered.push((dir.join(path), text));
    }
    let mut files = Vec::new();
    for (path, text) in rendered {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CliError::io("create", parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| CliError::io("write", &path, e))?;
        p.line(&format!(
            "Generating {} ... {}",
            path.display(),
            p.paint(Style::Green, "done")
        ));
        files.push(path);
    }
    let mut workspace = None;
    if let Some(ws) = &project.workspace {
        let root = ws.parent().unwrap_or(&cwd);
        let member = relative(root, &dir);
        if add_workspace_member(ws, &member)? {
            p.line(&format!(
                "Adding {member} to the workspace members of {} ... {}",
                ws.display(),
                p.paint(Style::Green, "done")
            ));
        }
        workspace = Some(ws.clone());
    }
    let run = if workspace.is_some() {
        format!("cargo run -p {package} --")
    } else {
        format!(
            "cargo run --manifest-path {}/Cargo.toml --",
            relative(&cwd, &dir)
        )
    };
    p.line(&format!(
        "\nPlease edit {} to name your model (and {} to set the database), then:\n\n  {run} revision -m \"create tables\"\n  {run} upgrade head\n\n(`retort <command>` from the project root does the same.)",
        dir.join("src/main.rs").display(),
        dir.join("retort.toml").display(),
    ));
    Ok(Scaffold {
        directory: dir,
        package,
        files,
        workspace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_walk_up_and_down() {
        assert_eq!(relative(Path::new("/a/b/m"), Path::new("/a/b")), "..");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/m")), "m");
        assert_eq!(relative(Path::new("/a/x"), Path::new("/a/b/c")), "../b/c");
    }

    #[test]
    fn members_are_added_in_either_layout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cargo.toml");
        std::fs::write(&path, "[workspace]\nmembers = [\n    \"app\",\n]\n").unwrap();
        assert!(add_workspace_member(&path, "migrations").unwrap());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[workspace]\nmembers = [\n    \"app\",\n    \"migrations\",\n]\n"
        );
        assert!(!add_workspace_member(&path, "migrations").unwrap());
        std::fs::write(&path, "[workspace]\nresolver = \"2\"\n").unwrap();
        assert!(add_workspace_member(&path, "m").unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let table: toml::Table = text.parse().unwrap();
        assert_eq!(table["workspace"]["members"].as_array().unwrap().len(), 1);
        std::fs::write(&path, "[workspace]\nmembers = []\n").unwrap();
        assert!(add_workspace_member(&path, "m").unwrap());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[workspace]\nmembers = [\"m\"]\n"
        );
    }
}

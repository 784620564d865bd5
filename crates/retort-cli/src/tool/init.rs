//! `retort init <dir> [--template NAME]`: scaffolds a migrations crate (Cargo.toml,
//! build.rs, `src/main.rs` as the environment, `versions/`, `script.rs.j2`,
//! `retort.toml`) and says what to do next. Everything is rendered and checked before
//! anything is written, so a refused `init` leaves no half-made folder behind.
//!
//! The crate always lands in one Cargo workspace with the application, so that both
//! share one `target/` (a crate of its own would compile sqlx, tokio and SQLite a second
//! time) and `cargo run -p <crate>` works from anywhere in the project:
//!
//! * inside a workspace (the nearest `Cargo.toml` above with `[workspace]`), it joins it:
//!   it is added to `members`, unless a member glob such as `crates/*` covers it already;
//! * in a package that belongs to no workspace, that package's manifest becomes the
//!   workspace root (`[workspace] members = ["migrations"]`; the package stays its root
//!   member);
//! * in neither, a workspace manifest is written in the current directory when the crate
//!   is made below it (`cargo new` there later adds the application to it); a crate made
//!   in the current directory itself, or outside it, stands alone.
//!
//! Names: `--package`, else `<package>-migrations` after the nearest package above, else
//! `<folder>-migrations` after the workspace root's (or the current) folder.
//!
//! The `retort` and `retort-build` dependencies are paths relative to the new crate when
//! the tool runs from a source checkout of Retort that still exists (`cargo install
//! --path crates/retort-cli` keeps pointing at it), or `--retort-path` names one; else
//! they are the tool's own version from crates.io (`--retort-version` overrides it).

use std::path::{Component, Path, PathBuf};

use crate::printer::Style;
use crate::templates::{self, serde_like::Vars};
use crate::{CliError, Printer};

/// What `init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder the migrations crate is created in (relative to the current directory).
    pub directory: PathBuf,
    /// The template: `generic` or `embedded` (`retort list_templates` describes them).
    pub template: String,
    /// The package name (default: `<project>-migrations`).
    pub package: Option<String>,
    /// Where `retort` comes from in the new crate's dependencies.
    pub retort: RetortSource,
}

/// Where the new crate takes `retort` (and `retort-build`) from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetortSource {
    /// The `crates/retort` folder of a source checkout: depended on by a relative path
    /// (`retort-build` beside it).
    Checkout(PathBuf),
    /// A version requirement on crates.io.
    Version(String),
}

/// What `init` did.
#[derive(Debug, Clone)]
pub struct Scaffold {
    /// The folder the crate was written in.
    pub directory: PathBuf,
    /// The crate's package name (what `cargo run -p` takes).
    pub package: String,
    /// Every file written, relative to the current directory.
    pub files: Vec<PathBuf>,
    /// The workspace manifest the crate belongs to (joined, extended or created), if any.
    pub workspace: Option<PathBuf>,
}

/// The nearest package above a folder, and the nearest workspace manifest.
struct Project {
    /// (name, folder, has a library target)
    package: Option<(String, PathBuf, bool)>,
    workspace: Option<PathBuf>,
}

fn read_manifest(path: &Path) -> Result<toml::Table, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, e))?;
    parse_manifest(path, &text)
}

fn parse_manifest(path: &Path, text: &str) -> Result<toml::Table, CliError> {
    text.parse().map_err(|e: toml::de::Error| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(":{line}")
            })
            .unwrap_or_default();
        CliError::usage(
            format!("{}{at}: {}", path.display(), e.message()),
            Some(
                "fix the manifest (`cargo metadata` reads it the same way), then run init again"
                    .to_owned(),
            ),
        )
    })
}

fn find_project(start: &Path) -> Result<Project, CliError> {
    let mut project = Project {
        package: None,
        workspace: None,
    };
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        // A manifest that does not parse would be skipped, and the crate put in the
        // wrong workspace (or a new manifest written over it): refuse instead.
        let table = read_manifest(&manifest)?;
        if project.package.is_none() {
            if let Some(name) = table
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
            {
                let lib = table.contains_key("lib") || dir.join("src/lib.rs").is_file();
                project.package = Some((name.to_owned(), dir.to_path_buf(), lib));
            }
        }
        if table.contains_key("workspace") {
            project.workspace = Some(manifest);
            break;
        }
    }
    Ok(project)
}

/// `path` made absolute against `cwd`, `.` and `..` resolved by their text, and the part
/// that exists resolved through symbolic links (so relative paths between two such paths
/// are right).
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    let mut existing = out.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return out,
        }
    }
    let mut real = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    real.extend(rest.iter().rev());
    real
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

/// Does the workspace member pattern `pattern` (Cargo's globs: `*` within one path
/// segment) name `member`?
fn member_matches(pattern: &str, member: &str) -> bool {
    fn segment(p: &str, s: &str) -> bool {
        match p.split_once('*') {
            None => p == s,
            Some((head, tail)) => {
                let Some(rest) = s.strip_prefix(head) else {
                    return false;
                };
                (0..=rest.len())
                    .filter(|&i| rest.is_char_boundary(i))
                    .any(|i| segment(tail, &rest[i..]))
            }
        }
    }
    let clean = |s: &str| {
        s.trim_start_matches("./")
            .trim_end_matches('/')
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (p, m) = (clean(pattern), clean(member));
    p.len() == m.len() && p.iter().zip(&m).all(|(p, m)| segment(p, m))
}

/// The workspace manifest `text` (at `path`, for errors) with `member` added to
/// `[workspace] members`, keeping the file's formatting: a text edit rather than a TOML
/// round trip. `None` when a member entry already names it. A manifest without
/// `[workspace]` gets one at its end (a package becoming the workspace root).
fn with_workspace_member(
    path: &Path,
    text: &str,
    member: &str,
) -> Result<Option<String>, CliError> {
    let table = parse_manifest(path, text)?;
    let unchanged = || {
        CliError::usage(
            format!(
                "{}: cannot add {member} to [workspace] members (its layout is not one this tool edits)",
                path.display()
            ),
            Some(format!(
                "add \"{member}\" to [workspace] members by hand, then run `cargo metadata` to check"
            )),
        )
    };
    let Some(workspace) = table.get("workspace") else {
        let sep = if text.is_empty() || text.ends_with("\n\n") {
            ""
        } else if text.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        return Ok(Some(format!(
            "{text}{sep}# The migrations crate shares this package's target/ (added by `retort init`).\n[workspace]\nmembers = [\"{member}\"]\n"
        )));
    };
    let members = workspace.get("members").and_then(|m| m.as_array());
    if members.is_some_and(|m| {
        m.iter()
            .any(|v| v.as_str().is_some_and(|p| member_matches(p, member)))
    }) {
        return Ok(None);
    }
    let new_text = if members.is_some() {
        // `members` as a key of the [workspace] table, not a word in a comment before it.
        let ws = text.find("[workspace]").ok_or_else(unchanged)?;
        let start = text[ws..]
            .match_indices("members")
            .map(|(i, _)| ws + i)
            .find(|&i| text[i + "members".len()..].trim_start().starts_with('='))
            .ok_or_else(unchanged)?;
        let open = text[start..]
            .find('[')
            .map(|i| start + i)
            .ok_or_else(unchanged)?;
        let close = text[open..]
            .find(']')
            .map(|i| open + i)
            .ok_or_else(unchanged)?;
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
        let at = text.find("[workspace]").ok_or_else(unchanged)?;
        let end = at + "[workspace]".len();
        format!("{}\nmembers = [\"{member}\"]{}", &text[..end], &text[end..])
    };
    // What was written must say what was meant: the member is there, nothing else moved.
    let check: toml::Table = new_text.parse().map_err(|_| unchanged())?;
    let listed = check
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .is_some_and(|m| m.iter().any(|v| v.as_str() == Some(member)));
    if !listed {
        return Err(unchanged());
    }
    Ok(Some(new_text))
}

/// How the new crate gets into a workspace.
#[derive(Debug, PartialEq, Eq)]
enum Joining {
    /// An existing workspace: added to its members (or covered by them already).
    Join,
    /// A package of no workspace: its manifest becomes the workspace root.
    PackageRoot,
    /// No project: a workspace manifest created in the current directory.
    Create,
}

/// The workspace edit `init` makes, computed before anything is written.
struct WorkspacePlan {
    manifest: PathBuf,
    member: String,
    /// The manifest's new text; `None` when it already lists the crate.
    text: Option<String>,
    joining: Joining,
}

fn plan_workspace(
    cwd: &Path,
    dir: &Path,
    project: &Project,
) -> Result<Option<WorkspacePlan>, CliError> {
    let (manifest, joining) = match (&project.workspace, &project.package) {
        (Some(ws), _) => (ws.clone(), Joining::Join),
        (None, Some((_, pkg, _))) => (pkg.join("Cargo.toml"), Joining::PackageRoot),
        (None, None) if dir != cwd && dir.starts_with(cwd) => {
            let manifest = cwd.join("Cargo.toml");
            if manifest.exists() {
                // find_project read it and found neither table: not a manifest to extend.
                return Err(CliError::usage(
                    format!(
                        "{} exists but names neither a package nor a workspace",
                        manifest.display()
                    ),
                    Some(
                        "add a [package] or [workspace] table to it, then run init again"
                            .to_owned(),
                    ),
                ));
            }
            (manifest, Joining::Create)
        }
        (None, None) => return Ok(None),
    };
    let root = manifest.parent().unwrap_or(cwd);
    let member = relative(root, dir);
    let text = match joining {
        Joining::Create => Some(format!(
            "# The project's workspace (made by `retort init`): the migrations crate and the\n# application share one target/. `cargo new <app>` here adds the application.\n[workspace]\nresolver = \"2\"\nmembers = [\"{member}\"]\n{}",
            templates::WORKSPACE_PROFILE
        )),
        _ => {
            let text = std::fs::read_to_string(&manifest)
                .map_err(|e| CliError::io("read", &manifest, e))?;
            with_workspace_member(&manifest, &text, &member)?
        }
    };
    Ok(Some(WorkspacePlan {
        manifest,
        member,
        text,
        joining,
    }))
}

/// The `path = ".."` (or `version = ".."`) of the `retort` and `retort-build` dependencies.
fn dependency_specs(dir: &Path, cwd: &Path, source: &RetortSource) -> (String, String) {
    match source {
        RetortSource::Checkout(path) => {
            let retort = absolute(cwd, path);
            let build = absolute(cwd, &retort.join("../retort-build"));
            (
                format!("path = {:?}", relative(dir, &retort)),
                format!("path = {:?}", relative(dir, &build)),
            )
        }
        RetortSource::Version(v) => (format!("version = {v:?}"), format!("version = {v:?}")),
    }
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
    let cwd = absolute(&cwd, Path::new("."));
    let dir = absolute(&cwd, &options.directory);
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
    if let RetortSource::Checkout(path) = &options.retort {
        if !path.join("Cargo.toml").is_file() {
            return Err(CliError::usage(
                format!("--retort-path {}: no Cargo.toml there", path.display()),
                Some("name the crates/retort folder of a Retort checkout".to_owned()),
            ));
        }
    }
    let parent = dir.parent().unwrap_or(&cwd);
    let project = find_project(parent)?;
    let plan = plan_workspace(&cwd, &dir, &project)?;
    let root_name = plan
        .as_ref()
        .and_then(|w| w.manifest.parent())
        .unwrap_or(&cwd)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let project_name = match (&project.package, &root_name) {
        (Some((app, _, _)), _) => app.clone(),
        (None, Some(root)) if plan.is_some() => root.clone(),
        _ => dir.file_name().map_or_else(
            || "migrations".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        ),
    };
    let package = match &options.package {
        Some(name) => package_name(name),
        None if project.package.is_some() || plan.is_some() => {
            package_name(&format!("{project_name}-migrations"))
        }
        None => package_name(&project_name),
    };
    let (retort_dep, build_dep) = dependency_specs(&dir, &cwd, &options.retort);
    // The application's library, when there is one, is a dependency already (its model
    // is what the environment names); a package with no library cannot be one.
    let (app_package, app_path, app_lib) = project
        .package
        .as_ref()
        .map_or((String::new(), String::new(), false), |(n, d, lib)| {
            (n.clone(), relative(&dir, d), *lib)
        });
    let vars = Vars::new()
        .set("package", package.as_str())
        .set("project", project_name.as_str())
        .set("template", template.name)
        .set("retort_dep", retort_dep)
        .set("retort_build_dep", build_dep)
        .set("crate_ident", package.replace('-', "_"))
        .set("app_package", app_package.as_str())
        .set("app_ident", app_package.replace('-', "_"))
        .set("app_path", app_path)
        .set("app_lib", app_lib);
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
    if let Some(plan) = &plan {
        if let Some(text) = &plan.text {
            std::fs::write(&plan.manifest, text)
                .map_err(|e| CliError::io("write", &plan.manifest, e))?;
            let what = match plan.joining {
                Joining::Join => "Adding {member} to the workspace members of",
                Joining::PackageRoot => "Making a workspace of {member} and the package of",
                Joining::Create => "Creating a workspace of {member} in",
            };
            p.line(&format!(
                "{} {} ... {}",
                what.replace("{member}", &plan.member),
                plan.manifest.display(),
                p.paint(Style::Green, "done")
            ));
        }
    }
    match &options.retort {
        RetortSource::Checkout(path) => p.line(&format!(
            "Depending on the Retort checkout at {} (by relative paths)",
            absolute(&cwd, path).display()
        )),
        RetortSource::Version(v) => p.line(&format!("Depending on retort {v} from crates.io")),
    }
    p.line(&next_steps(&cwd, &dir, &package, &project, plan.as_ref()));
    Ok(Scaffold {
        directory: dir,
        package,
        files,
        workspace: plan.map(|w| w.manifest),
    })
}

/// What to do next, with commands that work from the current directory.
fn next_steps(
    cwd: &Path,
    dir: &Path,
    package: &str,
    project: &Project,
    plan: Option<&WorkspacePlan>,
) -> String {
    let in_workspace = plan.map_or(dir == cwd, |w| {
        w.manifest
            .parent()
            .is_some_and(|root| cwd.starts_with(root))
    });
    let run = if in_workspace {
        format!("cargo run -p {package} --")
    } else {
        format!(
            "cargo run --manifest-path {}/Cargo.toml --",
            relative(cwd, dir)
        )
    };
    let shown = |path: &Path| {
        let rel = relative(cwd, path);
        if rel.starts_with("..") {
            path.display().to_string()
        } else {
            rel
        }
    };
    let main_rs = shown(&dir.join("src/main.rs"));
    let model = match &project.package {
        Some((app, _, true)) => format!(
            "Name the model in {main_rs}: a `pub fn metadata() -> retort::MetaData` of {app}\n(with `retort` among its dependencies), then `{}::metadata()` there.",
            app.replace('-', "_")
        ),
        Some((app, _, false)) => format!(
            "Name the model in {main_rs}. {app} has no library target, so the environment cannot\ndepend on it: put the models in a library crate and add it to {}.",
            shown(&dir.join("Cargo.toml"))
        ),
        None => format!(
            "Name the model in {main_rs}: the `metadata()` of the crate holding your\n#[derive(Model)] structs, added to {}'s dependencies.",
            shown(&dir.join("Cargo.toml"))
        ),
    };
    let forward = if dir == cwd || cwd.join("migrations") == dir {
        "retort".to_owned()
    } else {
        format!("retort -c {}", shown(&dir.join("retort.toml")))
    };
    format!(
        "\n{model}\nThe database: --url, else DATABASE_URL, else `url` in {}, else the SQLite file {}.\nThen:\n\n  {run} revision --autogenerate -m \"create tables\"\n  {run} upgrade head\n\n(`{forward} <command>` here does the same.)",
        shown(&dir.join("retort.toml")),
        shown(&dir.join(retort_migrate::config::DEFAULT_SQLITE_FILE)),
    )
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
    fn absolute_paths_resolve_dots_without_the_folder_existing() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(
            absolute(&real, Path::new("./a/../b/c")),
            real.join("b").join("c")
        );
        assert_eq!(absolute(&real.join("x"), Path::new("..")), real);
    }

    #[test]
    fn member_globs_cover_a_member() {
        assert!(member_matches("crates/*", "crates/migrations"));
        assert!(member_matches("./migrations/", "migrations"));
        assert!(member_matches("crates/db-*", "crates/db-migrations"));
        assert!(!member_matches("crates/*", "crates/app/migrations"));
        assert!(!member_matches("app", "migrations"));
    }

    fn add(text: &str, member: &str) -> Option<String> {
        with_workspace_member(Path::new("Cargo.toml"), text, member).unwrap()
    }

    #[test]
    fn members_are_added_in_either_layout() {
        assert_eq!(
            add("[workspace]\nmembers = [\n    \"app\",\n]\n", "migrations").as_deref(),
            Some("[workspace]\nmembers = [\n    \"app\",\n    \"migrations\",\n]\n")
        );
        assert_eq!(
            add("[workspace]\nmembers = [\"migrations\"]\n", "migrations"),
            None
        );
        assert_eq!(
            add("[workspace]\nmembers = [\"crates/*\"]\n", "crates/m"),
            None
        );
        let text = add("[workspace]\nresolver = \"2\"\n", "m").unwrap();
        let table: toml::Table = text.parse().unwrap();
        assert_eq!(table["workspace"]["members"].as_array().unwrap().len(), 1);
        assert_eq!(
            add("[workspace]\nmembers = []\n", "m").as_deref(),
            Some("[workspace]\nmembers = [\"m\"]\n")
        );
        // A comment naming `members` before the key is not the key.
        assert_eq!(
            add("# members [below]\n[workspace]\nmembers = [\"a\"]\n", "m").as_deref(),
            Some("# members [below]\n[workspace]\nmembers = [\"a\", \"m\"]\n")
        );
    }

    #[test]
    fn a_package_of_no_workspace_becomes_its_root() {
        let text = add("[package]\nname = \"shop\"\n", "migrations").unwrap();
        assert!(
            text.starts_with("[package]\nname = \"shop\"\n\n# "),
            "{text}"
        );
        let table: toml::Table = text.parse().unwrap();
        assert_eq!(table["package"]["name"].as_str(), Some("shop"));
        assert_eq!(
            table["workspace"]["members"].as_array().unwrap()[0].as_str(),
            Some("migrations")
        );
    }

    #[test]
    fn a_manifest_that_does_not_parse_is_refused_naming_it() {
        let err = with_workspace_member(Path::new("/p/Cargo.toml"), "[workspace\n", "m")
            .unwrap_err()
            .to_string();
        assert!(err.contains("/p/Cargo.toml"), "{err}");
    }
}

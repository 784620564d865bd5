//! `DATABASE_URL` from a `.env` file in the current directory, the convention of sqlx's
//! and Diesel's command lines, read with `dotenvy`. Only that one variable is taken, and
//! only when neither `--url` nor a real `DATABASE_URL` is set (the caller checks): the
//! process environment is never changed.

use std::path::Path;

use crate::CliError;

/// The `DATABASE_URL` of the `.env` file at `path`, if the file exists and sets it. A line
/// that is not `KEY=VALUE` is an error naming the file and line (not its text, which may
/// hold a password).
pub(crate) fn database_url(path: &Path) -> Result<Option<String>, CliError> {
    let iter = match dotenvy::from_path_iter(path) {
        Ok(iter) => iter,
        Err(e) if e.not_found() => return Ok(None),
        Err(dotenvy::Error::Io(source)) => return Err(CliError::io("read", path, source)),
        Err(e) => return Err(bad_file(path, &e)),
    };
    let mut found = None;
    for item in iter {
        match item {
            Ok((key, value)) if key == "DATABASE_URL" => found = Some(value),
            Ok(_) => {}
            Err(e) => return Err(bad_file(path, &e)),
        }
    }
    Ok(found.filter(|v| !v.trim().is_empty()))
}

fn bad_file(path: &Path, e: &dotenvy::Error) -> CliError {
    let line = match e {
        dotenvy::Error::LineParse(text, _) => std::fs::read_to_string(path).ok().and_then(|all| {
            all.find(text.as_str())
                .map(|at| all[..at].lines().count() + 1)
        }),
        _ => None,
    };
    let at = line.map(|n| format!(":{n}")).unwrap_or_default();
    CliError::usage(
        format!("{}{at}: not a KEY=VALUE line", path.display()),
        Some(
            "fix or remove that line: Retort reads DATABASE_URL from .env in the current directory"
                .to_owned(),
        ),
    )
}

//! [`DatabaseUrl`]: a connection URL whose password never leaves it by accident.
//!
//! The raw text is private; [`fmt::Display`] and [`fmt::Debug`] both show the redacted form
//! (`postgres://app:***@db/prod?sslmode=require`), and so does every error built from a URL.
//! Only [`DatabaseUrl::expose_secret`] gives the raw text, for the driver that connects.
//!
//! Redaction works on the text itself rather than on a parsed URL, so that a URL too
//! broken to parse (the very case that ends up in an error message) is still redacted.
//! The userinfo is everything before the *last* `@` of the authority, which is how a
//! password holding an unescaped `@` is read by libpq and by the WHATWG parser; the
//! password is everything after the userinfo's first `:` (user names cannot hold one).
//! Query parameters whose name contains `password` (`password`, `sslpassword`, also
//! percent-encoded) are redacted too, and so is a non-numeric "port" of a URL without `@`
//! (`postgres://user:secret/db`, a password whose `@host` was left out).

use std::fmt;
use std::path::Path;

/// The database family a URL names, from its scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// `postgres://` or `postgresql://`.
    Postgres,
    /// `sqlite:` (`sqlite://path`, `sqlite:path`, `sqlite::memory:`).
    Sqlite,
    /// `mysql://` or `mariadb://`: MySQL 8 or MariaDB.
    Mysql,
}

impl Backend {
    /// The lowercase name used in messages and in `retort.toml` (`postgres`, `sqlite`, `mysql`).
    pub fn name(self) -> &'static str {
        crate::backends::support(self).name()
    }
    /// Which per-dialect variants of types and defaults this database takes.
    pub fn dialect_kind(self) -> retort_core::DialectKind {
        crate::backends::support(self).dialect_kind()
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a URL was refused. Every message shows the URL redacted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    #[error("database URL `{url}` has no scheme; write it as `postgres://user@host/db` or `sqlite://path/to.db`")]
    /// The URL has no `scheme://`.
    NoScheme {
        /// The URL, redacted.
        url: String,
    },
    #[error("database URL `{url}` uses the `{scheme}` scheme, which Retort does not support yet; use `postgres://`, `sqlite://` or `mysql://`")]
    /// The scheme names no backend this build has.
    UnsupportedScheme {
        /// The URL, redacted.
        url: String,
        /// The scheme it uses.
        scheme: String,
    },
    #[error("database URL `{url}` is not valid: {reason}")]
    /// The URL does not parse (a bad port, bad percent-encoding).
    Invalid {
        /// The URL, redacted.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// A database URL with its password redacted wherever it is shown.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    backend: Backend,
}

impl DatabaseUrl {
    /// Parses the scheme and checks the URL names a host or a file. Errors redact the
    /// password.
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        let raw = raw.trim();
        let Some(colon) = raw.find(':') else {
            return Err(UrlError::NoScheme { url: redact(raw) });
        };
        let scheme = &raw[..colon];
        let valid_scheme = !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid_scheme {
            return Err(UrlError::NoScheme { url: redact(raw) });
        }
        let Some(backend) = crate::backends::by_scheme(scheme) else {
            return Err(UrlError::UnsupportedScheme {
                url: redact(raw),
                scheme: scheme.to_ascii_lowercase(),
            });
        };
        if let Some(reason) = crate::backends::support(backend).url_problem(&raw[colon + 1..]) {
            return Err(UrlError::Invalid {
                url: redact(raw),
                reason: reason.into(),
            });
        }
        Ok(DatabaseUrl {
            raw: raw.to_owned(),
            backend,
        })
    }

    /// The SQLite file URL for `path`, created on first use (`?mode=rwc`).
    pub fn sqlite_file(path: &Path) -> Self {
        DatabaseUrl {
            raw: format!("sqlite://{}?mode=rwc", path.display()),
            backend: crate::backends::SQLITE,
        }
    }

    /// The database the URL names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The raw URL, password included: only for handing to a driver, never for showing.
    pub fn expose_secret(&self) -> &str {
        &self.raw
    }

    /// The URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("url", &self.redacted())
            .field("backend", &self.backend)
            .finish()
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = UrlError;
    fn from_str(s: &str) -> Result<Self, UrlError> {
        DatabaseUrl::parse(s)
    }
}

const MASK: &str = "***";

/// Redacts the password of any URL-like text, valid or not. Safe to call on anything that
/// may hold a URL before it goes into a message.
///
/// Two readings of the text are redacted together, because a password may hold the very
/// characters that tell them apart: as userinfo (everything to the authority's last `@`,
/// so `p@ss` and `pa?ss` are covered), and as a query (`?password=p@ss`, found after the
/// first `?` and after the last `@`). Every span either reading calls a password is
/// masked, so an odd URL may be over-redacted, never leaked.
pub fn redact(raw: &str) -> String {
    let spans = password_spans(raw);
    let mut out = String::with_capacity(raw.len());
    let mut pos = 0;
    for (a, b) in spans {
        if b <= pos {
            continue;
        }
        if a > pos {
            out.push_str(&raw[pos..a]);
        } else if pos > a && out.ends_with(MASK) {
            // Overlaps the previous span: extend it.
            pos = b;
            continue;
        }
        out.push_str(MASK);
        pos = b;
    }
    out.push_str(&raw[pos..]);
    out
}

/// Every text of `raw` that [`redact`] masks as a password (empty ones left out), for a
/// caller that must also mask them elsewhere (the command line's printer masks these in
/// everything it prints).
pub fn passwords(raw: &str) -> Vec<&str> {
    password_spans(raw)
        .into_iter()
        .map(|(a, b)| &raw[a..b])
        .filter(|p| !p.is_empty())
        .collect()
}

/// The byte spans of every password in `raw`, sorted: both readings (see [`redact`]).
fn password_spans(raw: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    spans.extend(userinfo_password(raw));
    let (start, end) = authority_range(raw);
    let after_at = raw[start..end].rfind('@').map_or(start, |at| start + at);
    for from in [start, after_at] {
        if let Some(q) = raw[from..].find('?') {
            spans.extend(query_passwords(raw, from + q + 1));
        }
    }
    spans.sort_unstable();
    // Both readings find the same span when the query comes after the userinfo.
    spans.dedup();
    spans
}

/// The byte span of the userinfo's password (after its first `:`, to the authority's
/// last `@`).
///
/// Without an `@`, `postgres://user:secret/db` reads as host `user` and port `secret`: a
/// "port" that is not a number is taken for a password typed without its `@host`, so it is
/// masked too (a SQLite URL has no authority, so `sqlite:app.db` is left alone).
fn userinfo_password(raw: &str) -> Option<(usize, usize)> {
    let (start, end) = authority_range(raw);
    let authority = &raw[start..end];
    let Some(at) = authority.rfind('@') else {
        if raw
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("sqlite:"))
        {
            return None;
        }
        return non_numeric_port(authority).map(|(a, b)| (start + a, start + b));
    };
    let colon = raw[start..start + at].find(':')?;
    Some((start + colon + 1, start + at))
}

/// The span (in `authority`) from after the first `:` of a `host:port` list entry whose
/// port is not a number, to the end of the authority: the password of a URL missing its
/// `@`. A bracketed IPv6 host's own colons are not ports.
fn non_numeric_port(authority: &str) -> Option<(usize, usize)> {
    let mut pos = 0;
    for entry in authority.split(',') {
        let host_end = entry.rfind(']').map_or(0, |i| i + 1);
        if let Some(colon) = entry[host_end..].find(':') {
            let port = &entry[host_end + colon + 1..];
            if !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()) {
                return Some((pos + host_end + colon + 1, authority.len()));
            }
        }
        pos += entry.len() + 1;
    }
    None
}

/// The byte spans of the values of query parameters whose name contains `password`, in
/// the query starting at byte `from`.
fn query_passwords(raw: &str, from: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut pos = from;
    for pair in raw[from..].split('&') {
        if let Some(eq) = pair.find('=') {
            // `pass%77ord` is `password` to libpq and to sqlx.
            if percent_decode(&pair[..eq])
                .to_ascii_lowercase()
                .contains("password")
            {
                spans.push((pos + eq + 1, pos + pair.len()));
            }
        }
        pos += pair.len() + 1;
    }
    spans
}

/// `%XX` escapes decoded (bytes, so a non-ASCII character after a `%` cannot split a
/// UTF-8 sequence); anything else is kept as it is.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The byte range of the authority (`user:pass@host:port`) after `scheme://`.
///
///
/// The authority normally ends at the first `/`, `?` or `#`; but when an `@` appears later
/// in the text before any `/` that follows a `@`, we take the last such `@` as the end of
/// the userinfo, so a password holding `?` or `#` is still covered. Over-redacting a rare
/// URL is acceptable; leaking a password is not.
fn authority_range(raw: &str) -> (usize, usize) {
    // Without `//` (a malformed URL such as `postgres:user:pw@host`) the whole text is
    // searched, so the password is still found.
    let start = raw.find("://").map_or(0, |i| i + 3);
    let rest = &raw[start..];
    // The last `@` before the path: the path starts at the first `/` after that `@`.
    let last_at = rest.rfind('@');
    let end = match last_at {
        Some(at) => {
            let after = &rest[at..];
            at + after.find(['/', '?', '#']).unwrap_or(after.len())
        }
        None => rest.find(['/', '?', '#']).unwrap_or(rest.len()),
    };
    (start, start + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_password_is_masked() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.example:5432/prod").unwrap();
        assert_eq!(url.to_string(), "postgres://app:***@db.example:5432/prod");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert_eq!(
            url.expose_secret(),
            "postgres://app:s3cret@db.example:5432/prod"
        );
        assert_eq!(url.backend(), Backend::Postgres);
    }

    #[test]
    fn passwords_with_at_colon_percent_question_are_masked() {
        for pw in ["p@ss", "p:a:ss", "p%40ss", "a@b:c%d", "pa?ss", "x#y@z"] {
            let raw = format!("postgresql://app:{pw}@host/db?sslmode=require");
            let shown = redact(&raw);
            assert_eq!(
                shown, "postgresql://app:***@host/db?sslmode=require",
                "{pw}"
            );
        }
    }

    #[test]
    fn query_password_is_masked() {
        let shown = redact("postgres://host/db?user=app&password=hunter2&sslpassword=x");
        assert_eq!(
            shown,
            "postgres://host/db?user=app&password=***&sslpassword=***"
        );
    }

    #[test]
    fn passwords_lists_what_redact_masks() {
        assert_eq!(passwords("postgres://u:p@w@h/db"), vec!["p@w"]);
        assert_eq!(
            passwords("postgres://h/db?user=u&password=hunter2"),
            vec!["hunter2"]
        );
        assert_eq!(passwords("postgres://u@h/db"), Vec::<&str>::new());
        assert_eq!(passwords("postgres://u:@h/db"), Vec::<&str>::new());
    }

    /// Odd spellings found by a hostile probe: every one must lose its password.
    #[test]
    fn odd_urls_are_masked() {
        let cases = [
            // No `@`: `user:secret` reads as host and port, and the "port" is the password.
            ("postgres://user:secret/db", "postgres://user:***/db"),
            ("postgres://user:secret", "postgres://user:***"),
            (
                "postgresql://user:secret?sslmode=require",
                "postgresql://user:***?sslmode=require",
            ),
            ("postgres://:secret@host/db", "postgres://:***@host/db"),
            (
                "postgresql:///db?password=secret",
                "postgresql:///db?password=***",
            ),
            (
                "postgresql:///db?user=app&password=secret",
                "postgresql:///db?user=app&password=***",
            ),
            (
                "postgres://h/db?PassWord=secret",
                "postgres://h/db?PassWord=***",
            ),
            // A percent-encoded parameter name is still the password (libpq decodes it).
            (
                "postgres://h/db?pass%77ord=secret",
                "postgres://h/db?pass%77ord=***",
            ),
            (
                "postgres://h/db?%70assword=secret&x=1",
                "postgres://h/db?%70assword=***&x=1",
            ),
            ("postgres://u:s%65cret@h/db", "postgres://u:***@h/db"),
            (
                "postgres://h/db?sslmode=require&password=secret#frag",
                "postgres://h/db?sslmode=require&password=***",
            ),
        ];
        for (raw, want) in cases {
            let shown = redact(raw);
            assert!(
                !shown.contains("secret") && !shown.contains("s%65cret"),
                "{raw} -> {shown}"
            );
            assert_eq!(shown, want, "{raw}");
        }
        // Error messages built from such a URL are redacted the same way.
        for raw in ["postgres:user:secret/db", "oracle://user:secret/db"] {
            let err = DatabaseUrl::parse(raw).unwrap_err().to_string();
            assert!(!err.contains("secret"), "{raw}: {err}");
        }
        // A numeric port and IPv6 hosts are not passwords.
        assert_eq!(redact("postgres://h:5432/db"), "postgres://h:5432/db");
        assert_eq!(
            redact("postgres://[::1]:5432/db"),
            "postgres://[::1]:5432/db"
        );
        assert_eq!(redact("postgres://[::1]/db"), "postgres://[::1]/db");
        assert_eq!(
            redact("postgres://h1:5432,h2:5433/db"),
            "postgres://h1:5432,h2:5433/db"
        );
        assert_eq!(passwords("postgres://user:secret/db"), vec!["secret"]);
    }

    #[test]
    fn user_without_password_is_kept() {
        assert_eq!(redact("postgres://app@host/db"), "postgres://app@host/db");
        assert_eq!(redact("sqlite://./app.db"), "sqlite://./app.db");
    }

    #[test]
    fn parse_errors_are_redacted() {
        let err = DatabaseUrl::parse("oracle://root:topsecret@host/db").unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains("topsecret"), "{msg}");
        assert!(msg.contains("oracle"), "{msg}");
        let err = DatabaseUrl::parse("postgres:root:topsecret@host").unwrap_err();
        assert!(!err.to_string().contains("topsecret"), "{err}");
        let err = DatabaseUrl::parse("://root:topsecret@host").unwrap_err();
        assert!(!err.to_string().contains("topsecret"), "{err}");
    }

    #[test]
    fn backend_comes_from_the_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:").unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            DatabaseUrl::parse("POSTGRES://h/d").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("mariadb://h/d").unwrap().backend(),
            Backend::Mysql
        );
        assert!(matches!(
            DatabaseUrl::parse("oracle://h/d"),
            Err(UrlError::UnsupportedScheme { .. })
        ));
    }
}

//! Passwords never reach test output: every URL in a message goes through [`redact_url`].

/// The URL with its password (user-info part and any `password=` query parameter)
/// replaced by `***`. Text that is not a URL is returned with nothing after `:` in a
/// user-info part, so a malformed URL cannot leak a secret either.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Cannot fail for URLs that already carry a password.
                let _ = parsed.set_password(Some("***"));
            }
            let has_secret_query = parsed
                .query_pairs()
                .any(|(key, _)| key.eq_ignore_ascii_case("password"));
            if has_secret_query {
                let pairs: Vec<(String, String)> = parsed
                    .query_pairs()
                    .map(|(key, value)| {
                        if key.eq_ignore_ascii_case("password") {
                            (key.into_owned(), "***".to_owned())
                        } else {
                            (key.into_owned(), value.into_owned())
                        }
                    })
                    .collect();
                parsed.query_pairs_mut().clear().extend_pairs(pairs);
            }
            parsed.to_string()
        }
        Err(_) => redact_unparsed(url),
    }
}

/// Fallback for strings `url` cannot parse: blank out `user:secret@`.
fn redact_unparsed(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_owned();
    };
    let rest = &text[scheme_end + 3..];
    let Some(at) = rest.rfind('@') else {
        return text.to_owned();
    };
    let user_info = &rest[..at];
    match user_info.find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &text[..scheme_end + 3],
            &user_info[..colon],
            &rest[at..]
        ),
        None => text.to_owned(),
    }
}

/// `text` with the server address of `server_url` (`host:port`, or `host` when the URL
/// names no port) replaced by `<server>`: CLI snapshots print target URLs, and the test
/// server's port is 5432 on one machine and a random one under a throwaway cluster.
pub fn normalize_server(text: &str, server_url: &str) -> String {
    let Ok(parsed) = url::Url::parse(server_url) else {
        return text.to_owned();
    };
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return text.to_owned();
    };
    let address = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    text.replace(&address, "<server>")
}

/// `message` with every occurrence of the URL's password replaced by `***`: for error
/// texts from drivers and tools that might echo a connection string.
pub(crate) fn scrub(message: &str, url: &str) -> String {
    match url::Url::parse(url)
        .ok()
        .and_then(|u| u.password().map(str::to_owned))
    {
        Some(password) if !password.is_empty() => message.replace(&password, "***"),
        _ => message.to_owned(),
    }
}

//! Passwords never appear in what the testkit prints.

use retort_testkit::redact_url;

#[test]
fn password_in_user_info_is_replaced() {
    assert_eq!(
        redact_url("postgres://app:hunter2@db.example:5432/app"),
        "postgres://app:***@db.example:5432/app"
    );
}

#[test]
fn password_query_parameter_is_replaced() {
    let redacted = redact_url("postgres://app@localhost/app?sslmode=disable&password=hunter2");
    assert!(!redacted.contains("hunter2"), "{redacted}");
    assert!(redacted.contains("sslmode=disable"), "{redacted}");
}

#[test]
fn urls_without_secrets_are_unchanged() {
    let url = "postgres://postgres@127.0.0.1:5432/postgres";
    assert_eq!(redact_url(url), url);
}

#[test]
fn unparsable_urls_are_redacted_too() {
    let redacted = redact_url("postgres://app:hunter2@[bad host/app");
    assert!(!redacted.contains("hunter2"), "{redacted}");
}

#[test]
fn the_server_address_is_normalised_whatever_its_port() {
    use retort_testkit::normalize_server;
    let text = "Current revision(s) for postgres://postgres:***@127.0.0.1:21016/db:";
    assert_eq!(
        normalize_server(text, "postgres://postgres@127.0.0.1:21016/postgres"),
        "Current revision(s) for postgres://postgres:***@<server>/db:"
    );
    // Another server's address is left alone.
    assert_eq!(
        normalize_server(text, "postgres://postgres@127.0.0.1:5432/postgres"),
        text
    );
}

//! Reading raw SQL just enough to end it safely: where its code ends, and whether its last
//! line is a `--` comment.
//!
//! Raw SQL (`op.execute`) is passed through as written, so a script that appends `;` after
//! it must not append it inside a trailing `-- comment`, where it would vanish and join the
//! statement to the next one. The scanner knows what can hide `;` and `--`: strings
//! (`'..'`, with `''`), quoted identifiers (`".."`, SQLite's `` `..` ``), PostgreSQL's
//! dollar quotes (`$tag$..$tag$`), line comments and block comments (nested, as PostgreSQL
//! and the SQL standard have them). It does not parse statements.

/// The raw SQL `sql` without its final `;` (when only comments and whitespace follow it)
/// and without trailing whitespace; comments after the removed `;` are kept.
pub fn without_terminator(sql: &str) -> String {
    let scan = scan(sql);
    match scan.last_code {
        Some(i) if sql.as_bytes()[i] == b';' => {
            let mut out = sql[..i].trim_end().to_owned();
            let rest = sql[i + 1..].trim_end();
            if !rest.is_empty() {
                out.push_str(if rest.starts_with(char::is_whitespace) {
                    ""
                } else {
                    " "
                });
                out.push_str(rest);
            }
            out
        }
        _ => sql.trim_end().to_owned(),
    }
}

/// Whether `sql` ends inside a `--` comment, so a `;` appended on the same line would be
/// part of the comment: the terminator must go on a line of its own.
pub fn ends_in_line_comment(sql: &str) -> bool {
    scan(sql).end == State::LineComment
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Code,
    Quoted(u8),
    Dollar(String),
    LineComment,
    BlockComment(usize),
}

struct Scan {
    /// Byte index of the last character of code (outside comments, not whitespace).
    last_code: Option<usize>,
    /// Where the text ends.
    end: State,
}

fn scan(sql: &str) -> Scan {
    let b = sql.as_bytes();
    let mut state = State::Code;
    let mut last_code = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        match &mut state {
            State::Code => match c {
                b'-' if next == Some(b'-') => {
                    state = State::LineComment;
                    i += 1;
                }
                b'/' if next == Some(b'*') => {
                    state = State::BlockComment(1);
                    i += 1;
                }
                b'\'' | b'"' | b'`' => {
                    state = State::Quoted(c);
                    last_code = Some(i);
                }
                b'$' => {
                    last_code = Some(i);
                    if let Some(tag) = dollar_tag(&sql[i..]) {
                        i += tag.len() - 1;
                        last_code = Some(i);
                        state = State::Dollar(tag);
                    }
                }
                c if c.is_ascii_whitespace() => {}
                _ => last_code = Some(i),
            },
            State::Quoted(q) => {
                last_code = Some(i);
                if c == *q {
                    if next == Some(*q) {
                        i += 1; // a doubled quote stays inside
                        last_code = Some(i);
                    } else {
                        state = State::Code;
                    }
                }
            }
            State::Dollar(tag) => {
                if sql[i..].starts_with(tag.as_str()) {
                    i += tag.len() - 1;
                    state = State::Code;
                }
                last_code = Some(i);
            }
            State::LineComment => {
                if c == b'\n' {
                    state = State::Code;
                }
            }
            State::BlockComment(depth) => {
                if c == b'*' && next == Some(b'/') {
                    *depth -= 1;
                    i += 1;
                    if *depth == 0 {
                        state = State::Code;
                    }
                } else if c == b'/' && next == Some(b'*') {
                    *depth += 1;
                    i += 1;
                }
            }
        }
        i += 1;
    }
    Scan {
        last_code,
        end: state,
    }
}

/// The dollar-quote opener at the start of `text` (`$$`, `$body$`), if it is one: a tag is
/// empty or an identifier that does not start with a digit (`$1` is a parameter).
fn dollar_tag(text: &str) -> Option<String> {
    let rest = &text[1..];
    let end = rest.find('$')?;
    let tag = &rest[..end];
    let ok = tag
        .chars()
        .enumerate()
        .all(|(n, ch)| ch == '_' || ch.is_alphabetic() || (n > 0 && ch.is_ascii_digit()));
    ok.then(|| format!("${tag}$"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_final_terminator_goes_and_comments_after_it_stay() {
        assert_eq!(
            without_terminator("UPDATE t SET a = 1;"),
            "UPDATE t SET a = 1"
        );
        assert_eq!(
            without_terminator("UPDATE t SET a = 1; -- fix\n"),
            "UPDATE t SET a = 1 -- fix"
        );
        assert_eq!(
            without_terminator("UPDATE t SET a = 1;/* why */ "),
            "UPDATE t SET a = 1 /* why */"
        );
        assert_eq!(
            without_terminator("UPDATE t SET a = 1 -- fix;"),
            "UPDATE t SET a = 1 -- fix;"
        );
        assert_eq!(without_terminator("SELECT ';'"), "SELECT ';'");
        assert_eq!(without_terminator("a; b;\n\n"), "a; b");
    }

    #[test]
    fn line_comments_are_found_outside_strings_only() {
        assert!(ends_in_line_comment("UPDATE t SET a = 1 -- fix"));
        assert!(ends_in_line_comment("UPDATE t SET a = 1 -- fix;"));
        assert!(!ends_in_line_comment("UPDATE t SET a = 1 -- fix\n"));
        assert!(!ends_in_line_comment("UPDATE t SET a = '--x'"));
        assert!(!ends_in_line_comment("UPDATE t SET \"a--\" = 1"));
        assert!(!ends_in_line_comment("SELECT 1 /* -- */"));
        assert!(!ends_in_line_comment("SELECT $$ -- $$"));
        assert!(!ends_in_line_comment("SELECT $f$ it''s -- $f$"));
        assert!(ends_in_line_comment("SELECT $1 -- p"));
        assert!(!ends_in_line_comment("SELECT 'it''s -- not'"));
        assert!(!ends_in_line_comment("SELECT 1 /* a /* nested */ -- */"));
    }
}

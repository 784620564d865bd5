//! A tokenizer for the SQL text SQLite keeps in `sqlite_schema.sql`.
//!
//! It knows only what is needed to find the boundaries of things: string literals (`'..'`,
//! with `''` inside), the four identifier quotings SQLite accepts (`".."`, `` `..` ``,
//! `[..]`, and bare words), comments (`-- ..` to the end of the line, `/* .. */`), and
//! parentheses and commas. Everything else is a one-character `Punct`. Each token keeps its
//! byte span, so an expression is cut from the source exactly as written (comments and
//! spacing between its first and last token included), which is what the model's text is compared with.

/// What a token is. Identifier-like tokens carry their value (unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A bare word: keyword, identifier or number (`12`, `1.5e3`, `x'00'` is a word + string).
    Word(String),
    /// A quoted identifier, unquoted (`"a""b"` is `a"b`).
    Quoted(String),
    /// A string literal, unescaped.
    Str(String),
    Open,
    Close,
    Comma,
    Punct(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    /// Byte offsets into the source: `source[start..end]` is the token as written.
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// Whether this is the bare word `kw` (ASCII case-insensitive). Quoted names never are.
    pub fn is(&self, kw: &str) -> bool {
        matches!(&self.kind, Kind::Word(w) if w.eq_ignore_ascii_case(kw))
    }
    /// The name this token stands for, if it can be a name (a bare word or a quoted name; a
    /// string literal too, as SQLite accepts `'name'` where a name is expected).
    pub fn name(&self) -> Option<&str> {
        match &self.kind {
            Kind::Word(w) | Kind::Quoted(w) | Kind::Str(w) => Some(w),
            _ => None,
        }
    }
}

/// Why a text could not be tokenized: an unterminated quote or comment, at this byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub at: usize,
    pub what: &'static str,
}

pub(crate) fn tokenize(sql: &str) -> Result<Vec<Token>, LexError> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // SQLite lets a block comment run to the end of the input.
                i = sql[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                continue;
            }
            b'\'' => {
                let (value, end) = quoted(sql, i, '\'', '\'', "string literal")?;
                i = end;
                Kind::Str(value)
            }
            b'"' => {
                let (value, end) = quoted(sql, i, '"', '"', "quoted name")?;
                i = end;
                Kind::Quoted(value)
            }
            b'`' => {
                let (value, end) = quoted(sql, i, '`', '`', "quoted name")?;
                i = end;
                Kind::Quoted(value)
            }
            b'[' => {
                // No escape inside brackets: the name ends at the first `]`.
                let n = sql[i + 1..].find(']').ok_or(LexError {
                    at: i,
                    what: "unterminated [name]",
                })?;
                let value = sql[i + 1..i + 1 + n].to_string();
                i = i + 1 + n + 1;
                Kind::Quoted(value)
            }
            b'(' => {
                i += 1;
                Kind::Open
            }
            b')' => {
                i += 1;
                Kind::Close
            }
            b',' => {
                i += 1;
                Kind::Comma
            }
            c if is_word_byte(c) => {
                while i < bytes.len() && is_word_byte(bytes[i]) {
                    // A number's exponent sign belongs to it (`1e-5`).
                    i += 1;
                    if i + 1 < bytes.len()
                        && matches!(bytes[i], b'+' | b'-')
                        && matches!(bytes[i - 1], b'e' | b'E')
                        && bytes[start].is_ascii_digit()
                    {
                        i += 1;
                    }
                }
                Kind::Word(sql[start..i].to_string())
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or('?');
                i += ch.len_utf8();
                Kind::Punct(ch)
            }
        };
        out.push(Token {
            kind,
            start,
            end: i,
        });
    }
    Ok(out)
}

/// Letters, digits, `_`, `$`, `.` inside numbers is handled as punctuation by SQLite, but
/// keeping `1.5` whole matters only for literals, which are read from the pragma anyway.
/// Any non-ASCII byte is part of a word, as in SQLite.
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// A quoted run starting at `start` (the opening quote); a doubled closing quote stands for
/// one. Returns the unescaped value and the byte after the closing quote.
fn quoted(
    sql: &str,
    start: usize,
    _open: char,
    close: char,
    what: &'static str,
) -> Result<(String, usize), LexError> {
    let mut value = String::new();
    let mut chars = sql[start + 1..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if c == close {
            if chars.peek().map(|&(_, n)| n) == Some(close) {
                chars.next();
                value.push(close);
                continue;
            }
            return Ok((value, start + 1 + offset + c.len_utf8()));
        }
        value.push(c);
    }
    Err(LexError {
        at: start,
        what: match what {
            "string literal" => "unterminated string literal",
            _ => "unterminated quoted name",
        },
    })
}

/// The index of the `Close` matching the `Open` at `open`, if any.
pub(crate) fn matching_close(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `tokens` at commas outside parentheses.
pub(crate) fn split_top_level(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut from = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Comma if depth == 0 => {
                parts.push(&tokens[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[from..]);
    parts
}

/// The source text that `tokens` span, as written (inner comments and spacing kept).
pub(crate) fn text_of<'s>(sql: &'s str, tokens: &[Token]) -> &'s str {
    match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) => &sql[a.start..b.end],
        _ => "",
    }
}

/// `tokens` without the parentheses that enclose all of them (`((a) + 1)` -> `(a) + 1`).
pub(crate) fn strip_enclosing(mut tokens: &[Token]) -> &[Token] {
    while tokens.len() >= 2
        && tokens[0].kind == Kind::Open
        && matching_close(tokens, 0) == Some(tokens.len() - 1)
    {
        tokens = &tokens[1..tokens.len() - 1];
    }
    tokens
}

/// SQL text without the parentheses that enclose all of it, trimmed; the text itself when
/// it cannot be tokenized.
pub fn strip_outer_parens(sql: &str) -> &str {
    match tokenize(sql) {
        Ok(tokens) => text_of(sql, strip_enclosing(&tokens)),
        Err(_) => sql.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<Kind> {
        tokenize(sql).unwrap().into_iter().map(|t| t.kind).collect()
    }
    fn w(s: &str) -> Kind {
        Kind::Word(s.into())
    }

    #[test]
    fn quotes_of_every_kind_unescape() {
        assert_eq!(
            kinds(r#""a""b" `c``d` [e "f] 'g''h' "#),
            vec![
                Kind::Quoted("a\"b".into()),
                Kind::Quoted("c`d".into()),
                Kind::Quoted("e \"f".into()),
                Kind::Str("g'h".into()),
            ]
        );
    }

    #[test]
    fn comments_are_skipped_but_not_inside_strings() {
        assert_eq!(
            kinds("a -- no ( here\n b /* nor ) ' here */ c '-- kept /* too */'"),
            vec![
                w("a"),
                w("b"),
                w("c"),
                Kind::Str("-- kept /* too */".into())
            ]
        );
        assert_eq!(kinds("a /* runs to the end"), vec![w("a")]);
    }

    #[test]
    fn punctuation_parentheses_and_numbers() {
        assert_eq!(
            kinds("f(x,1e-5)>=-2"),
            vec![
                w("f"),
                Kind::Open,
                w("x"),
                Kind::Comma,
                w("1e-5"),
                Kind::Close,
                Kind::Punct('>'),
                Kind::Punct('='),
                Kind::Punct('-'),
                w("2"),
            ]
        );
        // `name-1` is a subtraction, not a word with an exponent.
        assert_eq!(kinds("e-1")[1], Kind::Punct('-'));
        assert_eq!(kinds("café ✓").len(), 2);
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        for bad in ["'abc", "\"abc", "`abc", "[abc", "x 'it''s"] {
            assert!(tokenize(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spans_cut_the_source_as_written() {
        let sql = "CHECK ( a  IN ('x', /* c */ 'y') )";
        let tokens = tokenize(sql).unwrap();
        let close = matching_close(&tokens, 1).unwrap();
        assert_eq!(text_of(sql, &tokens[2..close]), "a  IN ('x', /* c */ 'y')");
        assert_eq!(split_top_level(&tokens[5..close - 1]).len(), 2);
        assert_eq!(strip_outer_parens(" ((a) + (b)) "), "(a) + (b)");
        assert_eq!(strip_outer_parens("(a) + (b)"), "(a) + (b)");
        assert_eq!(strip_outer_parens("((lower(x)))"), "lower(x)");
    }
}

//! Tokens and expressions of the Rust subset a written revision file uses: literals,
//! paths, calls, method chains, arrays (`[..]`, `&[..]`, `vec![..]`, each kept apart, since
//! what compiles where differs), `Vec::<String>::new()`, `Some(..)`, one-parameter closures
//! and struct literals. Anything else is refused with its line, and the file is compiled
//! instead.

use super::ReadError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Str(String),
    Int(i64),
    Punct(&'static str),
}

pub(super) fn lex(text: &str) -> Result<Vec<(Tok, u32)>, ReadError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0usize, 1u32);
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                return Err(ReadError::new(line, "a block comment"));
            }
            b'"' => {
                let start = line;
                let (s, end, lines) = string(text, i + 1).ok_or_else(|| {
                    ReadError::new(start, "a string literal this reader does not know")
                })?;
                out.push((Tok::Str(s), start));
                line += lines;
                i = end;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"') | Some(b'#')) => {
                let start = line;
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    return Err(ReadError::new(line, "a raw identifier"));
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let body_start = j + 1;
                let end = text[body_start..]
                    .find(&close)
                    .ok_or_else(|| ReadError::new(line, "an unterminated raw string"))?;
                let s = &text[body_start..body_start + end];
                line += s.matches('\n').count() as u32;
                out.push((Tok::Str(s.to_owned()), start));
                i = body_start + end + close.len();
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let s = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push((Tok::Ident(text[s..i].to_owned()), line));
            }
            c if c.is_ascii_digit() => {
                let s = i;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
                    i += 1;
                }
                if i < b.len()
                    && (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                        || b[i].is_ascii_alphabetic())
                {
                    return Err(ReadError::new(line, "a number with a suffix or a fraction"));
                }
                let n = text[s..i]
                    .replace('_', "")
                    .parse()
                    .map_err(|_| ReadError::new(line, "a number out of range"))?;
                out.push((Tok::Int(n), line));
            }
            _ => {
                const PUNCT: [&str; 19] = [
                    "::", "&", "(", ")", "[", "]", "{", "}", ",", ";", ".", ":", "|", "=", "!",
                    "*", "-", "<", ">",
                ];
                let rest = &text[i..];
                let p = PUNCT
                    .iter()
                    .find(|p| rest.starts_with(**p))
                    .ok_or_else(|| {
                        ReadError::new(line, format!("`{}`", rest.chars().next().unwrap_or(' ')))
                    })?;
                out.push((Tok::Punct(p), line));
                i += p.len();
            }
        }
    }
    Ok(out)
}

/// A `"..."` literal from `start` (after the quote): its value, the index after the closing
/// quote and the newlines it spans. `None` for an escape the writer never writes.
fn string(text: &str, start: usize) -> Option<(String, usize, u32)> {
    let mut s = String::new();
    let mut lines = 0;
    let mut chars = text[start..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return Some((s, start + k + 1, lines)),
            '\\' => match chars.next()?.1 {
                'n' => s.push('\n'),
                'r' => s.push('\r'),
                't' => s.push('\t'),
                '0' => s.push('\0'),
                '\\' => s.push('\\'),
                '"' => s.push('"'),
                '\'' => s.push('\''),
                'u' => {
                    if chars.next()?.1 != '{' {
                        return None;
                    }
                    let mut hex = String::new();
                    loop {
                        match chars.next()?.1 {
                            '}' => break,
                            h => hex.push(h),
                        }
                    }
                    s.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                '\n' => {
                    lines += 1;
                    // A line continuation: the next line's leading whitespace is skipped.
                    let rest = &text[start + k + 2..];
                    let skip = rest.len() - rest.trim_start().len();
                    lines += rest[..skip].matches('\n').count() as u32;
                    for _ in 0..rest[..skip].chars().count() {
                        chars.next();
                    }
                }
                _ => return None,
            },
            '\n' => {
                lines += 1;
                s.push('\n');
            }
            c => s.push(c),
        }
    }
    None
}

/// An expression and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Expr {
    pub line: u32,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Str(String),
    Int(i64),
    /// `a::b::C` (also a single identifier, `true`, `None`).
    Path(Vec<String>),
    /// `path(args)`.
    Call(Vec<String>, Vec<Expr>),
    /// `receiver.name(args)`.
    Method(Box<Expr>, String, Vec<Expr>),
    /// `[..]`, `&[..]`, `vec![..]` or `Vec::<String>::new()`.
    Array(Form, Vec<Expr>),
    /// `|param| { statements }`.
    Closure(String, Vec<Expr>),
    /// `Path { field: value, .. }`.
    Struct(Vec<String>, Vec<(String, Expr)>),
    /// `let _ = expr;` (the writer's body of a revision without ops: `let _ = op;`).
    Discard(Box<Expr>),
}

/// How an array was written: what compiles where is not the same for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// `[..]`: an array, for the `IntoIterator` parameters (not empty: its item type would
    /// be unknown).
    Array,
    /// `&[..]`: a slice, as `Revision::down_revisions(&[..])` takes it.
    Slice,
    /// `vec![..]`: a `Vec`, as `Vec<IndexElement>` parameters take it.
    Vec,
    /// `Vec::<String>::new()`: the writer's empty list of names.
    EmptyStrings,
}

pub(super) struct Parser {
    toks: Vec<(Tok, u32)>,
    pos: usize,
}

impl Parser {
    pub fn new(toks: Vec<(Tok, u32)>) -> Self {
        Parser { toks, pos: 0 }
    }

    pub fn line(&self) -> u32 {
        self.toks
            .get(self.pos)
            .or(self.toks.last())
            .map_or(1, |t| t.1)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    pub fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, p: &str) -> Result<(), ReadError> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(ReadError::new(self.line(), format!("expected `{p}`")))
        }
    }

    pub fn eat_ident(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(w)) if w == word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn expect_ident(&mut self, word: &str) -> Result<(), ReadError> {
        if self.eat_ident(word) {
            Ok(())
        } else {
            Err(ReadError::new(self.line(), format!("expected `{word}`")))
        }
    }

    fn ident(&mut self) -> Result<String, ReadError> {
        match self.peek() {
            Some(Tok::Ident(w)) => {
                let w = w.clone();
                self.pos += 1;
                Ok(w)
            }
            _ => Err(ReadError::new(self.line(), "expected a name")),
        }
    }

    /// Statements up to the closing `}` (consumed): expressions ending in `;` (the last
    /// one's `;` may be left out).
    pub fn block(&mut self) -> Result<Vec<Expr>, ReadError> {
        let mut stmts = Vec::new();
        while !self.eat("}") {
            if self.at_end() {
                return Err(ReadError::new(self.line(), "an unclosed `{`"));
            }
            let line = self.line();
            if self.eat_ident("let") {
                self.expect_ident("_")?;
                self.expect("=")?;
                let kind = Kind::Discard(Box::new(self.expr()?));
                stmts.push(Expr { line, kind });
            } else {
                stmts.push(self.expr()?);
            }
            if !self.eat(";") {
                self.expect("}")?;
                break;
            }
        }
        Ok(stmts)
    }

    fn list(&mut self, close: &str) -> Result<Vec<Expr>, ReadError> {
        let mut items = Vec::new();
        while !self.eat(close) {
            items.push(self.expr()?);
            if !self.eat(",") {
                self.expect(close)?;
                break;
            }
        }
        Ok(items)
    }

    pub fn expr(&mut self) -> Result<Expr, ReadError> {
        let mut e = self.primary()?;
        while self.eat(".") {
            let line = self.line();
            let name = self.ident()?;
            self.expect("(")?;
            let args = self.list(")")?;
            e = Expr {
                line,
                kind: Kind::Method(Box::new(e), name, args),
            };
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, ReadError> {
        let line = self.line();
        let kind = match self.toks.get(self.pos).map(|t| t.0.clone()) {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Kind::Str(s)
            }
            Some(Tok::Int(n)) => {
                self.pos += 1;
                Kind::Int(n)
            }
            Some(Tok::Punct("-")) => {
                self.pos += 1;
                match self.toks.get(self.pos).map(|t| t.0.clone()) {
                    Some(Tok::Int(n)) => {
                        self.pos += 1;
                        Kind::Int(-n)
                    }
                    _ => return Err(ReadError::new(line, "a `-` before something not a number")),
                }
            }
            Some(Tok::Punct("[")) => {
                self.pos += 1;
                Kind::Array(Form::Array, self.list("]")?)
            }
            // `&[..]`, as `Revision::down_revisions(&[..])` takes it.
            Some(Tok::Punct("&"))
                if self.toks.get(self.pos + 1).map(|t| &t.0) == Some(&Tok::Punct("[")) =>
            {
                self.pos += 2;
                Kind::Array(Form::Slice, self.list("]")?)
            }
            Some(Tok::Punct("|")) => {
                self.pos += 1;
                let param = self.ident()?;
                self.expect("|")?;
                self.expect("{")?;
                Kind::Closure(param, self.block()?)
            }
            Some(Tok::Ident(w))
                if w == "Vec"
                    && self.toks.get(self.pos + 1).map(|t| &t.0) == Some(&Tok::Punct("::"))
                    && self.toks.get(self.pos + 2).map(|t| &t.0) == Some(&Tok::Punct("<")) =>
            {
                self.pos += 3;
                for (i, t) in ["String", ">", "::", "new", "(", ")"].iter().enumerate() {
                    if i == 0 || i == 3 {
                        self.expect_ident(t)?;
                    } else {
                        self.expect(t)?;
                    }
                }
                Kind::Array(Form::EmptyStrings, Vec::new())
            }
            Some(Tok::Ident(_)) => {
                let mut path = vec![self.ident()?];
                while self.eat("::") {
                    path.push(self.ident()?);
                }
                // A struct literal: `Type::Timestamp { .. }`, or one named by a single
                // capitalised word (`EnumRef { .. }`); never a block.
                let is_struct_name =
                    path.len() > 1 || path[0].starts_with(|c: char| c.is_ascii_uppercase());
                if path.len() == 1 && path[0] == "vec" && self.eat("!") {
                    self.expect("[")?;
                    Kind::Array(Form::Vec, self.list("]")?)
                } else if self.eat("(") {
                    Kind::Call(path, self.list(")")?)
                } else if is_struct_name && self.eat("{") {
                    let mut fields = Vec::new();
                    while !self.eat("}") {
                        let name = self.ident()?;
                        self.expect(":")?;
                        fields.push((name, self.expr()?));
                        if !self.eat(",") {
                            self.expect("}")?;
                            break;
                        }
                    }
                    Kind::Struct(path, fields)
                } else {
                    Kind::Path(path)
                }
            }
            _ => {
                return Err(ReadError::new(
                    line,
                    "an expression this reader does not know",
                ))
            }
        };
        Ok(Expr { line, kind })
    }
}

//! Server defaults as comparison keys.
//!
//! PostgreSQL stores a default as a parsed expression and prints it back its own way:
//! `DEFAULT 'abc'` on a `varchar` column reads back as `'abc'::character varying`, `DEFAULT 5`
//! on a `smallint` as `'5'::smallint`, `DEFAULT 0` on a `numeric` as `0` but `DEFAULT -1` as
//! `'-1'::numeric`, and an expression may come back wrapped in parentheses. Introspection keeps
//! that text as it is ([`ServerDefault::Expr`]); the comparison instead compares the keys
//! produced here, so a model's `now()` or literal `'x'` equals what the database stored.
//!
//! What is not undone: PostgreSQL stores a constant in its own output format, so a literal it
//! re-prints differently (`interval '1 hour'` comes back as `'01:00:00'::interval`, a
//! timestamp gains its seconds) compares as changed by these keys alone. Live autogenerate
//! asks the server to spell such a default and compares its spelling instead (see
//! [`PgCompare`](super::PgCompare)); only a comparison that asks no server needs such
//! defaults written as PostgreSQL prints them.
//!
//! A key is not SQL to run: casts on literals are dropped, a literal cast to a number or
//! boolean type becomes that number or boolean, outer parentheses go, words outside quotes
//! are lower-cased and spacing is canonical (a space only between two word-like tokens).

use retort_core::{Literal, ServerDefault, Type};

use super::canonical_pg_type;

/// The comparison key of a model's (or a database's) server default.
pub fn server_default_key(default: &ServerDefault) -> String {
    match default {
        ServerDefault::Expr(sql) => normalize_default_sql(sql),
        ServerDefault::Literal(lit) => match lit {
            Literal::Null => "null".to_string(),
            Literal::Bool(b) => b.to_string(),
            Literal::Int(i) => i.to_string(),
            Literal::Number(n) => n.trim().to_string(),
            Literal::Text(s) => quote(s),
        },
        // Resolved before any comparison (`MetaData::for_dialect`).
        ServerDefault::Variant { .. } => format!("{default:?}"),
    }
}

/// The comparison key of a server default of a column of type `ty`: [`server_default_key`],
/// and a lone string literal read as the column's type reads it when that type is a boolean
/// or a number. `DEFAULT 'true'` on a `boolean` is stored as `true`, `DEFAULT '0'` on a
/// `bigint` as `'0'::bigint`: the same default as `true` and `0`, which the text alone cannot
/// tell (on a `text` column `'0'` stays text). A literal the type would refuse keeps its key.
pub fn server_default_key_for(default: &ServerDefault, ty: &Type) -> String {
    let key = server_default_key(default);
    let Some(text) = lone_string(&key) else {
        return key;
    };
    let read = match canonical_pg_type(ty) {
        Type::Boolean => boolean_input(&text).map(|b| b.to_string()),
        Type::SmallInt | Type::Integer | Type::BigInt => {
            text.trim().parse::<i128>().ok().map(|i| i.to_string())
        }
        Type::Numeric { .. } | Type::Real | Type::Double => {
            let t = text.trim();
            is_number(t).then(|| t.to_string())
        }
        _ => None,
    };
    read.unwrap_or(key)
}

/// The content of a key that is one string literal and nothing else.
fn lone_string(key: &str) -> Option<String> {
    match lex(key)?.as_slice() {
        [Tok::Str(s)] => Some(s.clone()),
        _ => None,
    }
}

/// PostgreSQL's `boolin`: case-insensitive, surrounding spaces ignored, any unambiguous
/// prefix of `true`, `false`, `yes`, `no`; `on`, `off`, `1`, `0`.
fn boolean_input(text: &str) -> Option<bool> {
    let v = text.trim().to_ascii_lowercase();
    let prefix_of = |word: &str| !v.is_empty() && word.starts_with(v.as_str());
    match v.as_str() {
        "1" | "on" => Some(true),
        "0" | "off" | "of" => Some(false),
        "o" => None,
        _ if prefix_of("true") || prefix_of("yes") => Some(true),
        _ if prefix_of("false") || prefix_of("no") => Some(false),
        _ => None,
    }
}

/// The comparison key of a default expression as written or as PostgreSQL prints it.
pub fn normalize_default_sql(sql: &str) -> String {
    let Some(tokens) = lex(sql) else {
        // An unterminated quote: nothing to normalise safely, compare the trimmed text.
        return sql.trim().to_string();
    };
    let mut tokens = strip_literal_casts(typed_literals_as_casts(tokens));
    while let (Some(Tok::Open), Some(Tok::Close)) = (tokens.first(), tokens.last()) {
        if matching_close(&tokens, 0) != Some(tokens.len() - 1) {
            break;
        }
        tokens = tokens[1..tokens.len() - 1].to_vec();
    }
    print(&tokens)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A string literal's content, unescaped.
    Str(String),
    /// A double-quoted identifier, with its quotes.
    Quoted(String),
    /// An identifier, keyword or number, lower-cased.
    Word(String),
    Cast,
    Open,
    Close,
    Other(char),
}

impl Tok {
    fn is_wordlike(&self) -> bool {
        matches!(self, Tok::Str(_) | Tok::Quoted(_) | Tok::Word(_))
    }
    fn is_number(&self) -> bool {
        matches!(self, Tok::Word(w) if is_number(w))
    }
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty()
        && s.parse::<f64>().is_ok()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

fn lex(sql: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '\'' => {
                let mut s = String::new();
                loop {
                    match chars.next()? {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            s.push('\'');
                        }
                        '\'' => break,
                        c => s.push(c),
                    }
                }
                out.push(Tok::Str(s));
            }
            '"' => {
                let mut s = String::from('"');
                loop {
                    let c = chars.next()?;
                    s.push(c);
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            s.push(chars.next()?);
                        } else {
                            break;
                        }
                    }
                }
                out.push(Tok::Quoted(s));
            }
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                out.push(Tok::Cast);
            }
            '(' => out.push(Tok::Open),
            ')' => out.push(Tok::Close),
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut w = String::from(c);
                while let Some(&n) = chars.peek() {
                    // A number's exponent sign belongs to it (`1e-5`).
                    let exp_sign = matches!(n, '+' | '-')
                        && w.ends_with(['e', 'E'])
                        && w.starts_with(|c: char| c.is_ascii_digit());
                    if n.is_alphanumeric() || n == '_' || n == '.' || n == '$' || exp_sign {
                        w.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Word(w.to_lowercase()));
            }
            c => out.push(Tok::Other(c)),
        }
    }
    Some(out)
}

/// Type names that may prefix a string literal (`interval '1 day'`, SQL's typed literal).
const LITERAL_TYPES: &[&str] = &[
    "bigint",
    "bool",
    "boolean",
    "bpchar",
    "bytea",
    "char",
    "date",
    "decimal",
    "float4",
    "float8",
    "inet",
    "int",
    "int2",
    "int4",
    "int8",
    "integer",
    "interval",
    "json",
    "jsonb",
    "numeric",
    "real",
    "smallint",
    "text",
    "time",
    "timestamp",
    "timestamptz",
    "timetz",
    "uuid",
    "varchar",
];

/// How many tokens at the end of `out` spell a type that prefixes a string literal.
fn typed_prefix_len(out: &[Tok]) -> usize {
    let word =
        |t: &Tok, options: &[&str]| matches!(t, Tok::Word(w) if options.contains(&w.as_str()));
    let n = match out {
        [.., a, b, c, d]
            if word(a, &["time", "timestamp"])
                && word(b, &["with", "without"])
                && word(c, &["time"])
                && word(d, &["zone"]) =>
        {
            4
        }
        [.., a, b]
            if (word(a, &["double"]) && word(b, &["precision"]))
                || (word(a, &["character"]) && word(b, &["varying"])) =>
        {
            2
        }
        [.., a] if word(a, LITERAL_TYPES) => 1,
        _ => 0,
    };
    // After `::` the words are a cast's type, not a prefix.
    match out.len().checked_sub(n + 1).map(|i| &out[i]) {
        Some(Tok::Cast) => 0,
        _ => n,
    }
}

/// `interval '1 day'` -> `'1 day'::interval`, so that both spellings normalise alike.
fn typed_literals_as_casts(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len() + 2);
    for t in tokens {
        let n = if matches!(t, Tok::Str(_)) {
            typed_prefix_len(&out)
        } else {
            0
        };
        if n == 0 {
            out.push(t);
            continue;
        }
        let ty = out.split_off(out.len() - n);
        out.push(t);
        out.push(Tok::Cast);
        out.extend(ty);
    }
    out
}

fn matching_close(tokens: &[Tok], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// What a cast applies to, when it is a literal PostgreSQL may have added the cast to.
enum Casted {
    /// `'text'`: the last output token.
    Str,
    /// `5`, `null`, `true`: the last output token.
    Word,
    /// `(5)` or `(-5)`: the last 3 or 4 output tokens.
    ParenNumber(usize),
    /// `('text')`: the last 3 output tokens.
    ParenStr,
    /// `ARRAY[..]` or `(ARRAY[..])` of literals only, starting at this output index: a cast
    /// to an array type types each element, as PostgreSQL prints it when it runs the text
    /// again (`ARRAY[('a'::varchar)::text, ..]`), and casts on literals are dropped.
    LiteralArray(usize),
}

fn casted_literal(out: &[Tok]) -> Option<Casted> {
    if let Some(start) = literal_array_start(out) {
        return Some(Casted::LiteralArray(start));
    }
    match out {
        [.., Tok::Open, Tok::Str(_), Tok::Close] => Some(Casted::ParenStr),
        [.., Tok::Str(_)] => Some(Casted::Str),
        [.., Tok::Word(w)] if is_number(w) || matches!(w.as_str(), "null" | "true" | "false") => {
            // A word right after `::` is a type name, not a value (`x::text::varchar`).
            (!matches!(out, [.., Tok::Cast, _])).then_some(Casted::Word)
        }
        [.., Tok::Open, Tok::Other('-' | '+'), n, Tok::Close] if n.is_number() => {
            Some(Casted::ParenNumber(4))
        }
        [.., Tok::Open, n, Tok::Close] if n.is_number() => Some(Casted::ParenNumber(3)),
        _ => None,
    }
}

/// `(name)` -> `name` before a cast: PostgreSQL prints a cast column as `(name)::text`, a
/// user writes `name::text`. Not after a word (`lower(name)` is a call).
fn unwrap_lone_name(out: &mut Vec<Tok>) {
    let n = out.len();
    if n < 3
        || !matches!(
            &out[n - 3..],
            [Tok::Open, Tok::Word(_) | Tok::Quoted(_), Tok::Close]
        )
    {
        return;
    }
    if n > 3 && (out[n - 4].is_wordlike() || matches!(out[n - 4], Tok::Close | Tok::Other(']'))) {
        return;
    }
    out.pop();
    out.remove(n - 3);
}

/// Where `out` ends with `ARRAY[l, ..]` or `(ARRAY[l, ..])` whose elements are literals
/// (strings, numbers, `null`, `true`, `false`, a sign before a number): the index of its
/// first token.
fn literal_array_start(out: &[Tok]) -> Option<usize> {
    let (end, parens) = match out {
        [.., Tok::Other(']'), Tok::Close] => (out.len() - 2, true),
        [.., Tok::Other(']')] => (out.len() - 1, false),
        _ => return None,
    };
    let open = out[..end].iter().rposition(|t| *t == Tok::Other('['))?;
    let literal = |t: &Tok| match t {
        Tok::Str(_) => true,
        Tok::Word(w) => is_number(w) || matches!(w.as_str(), "null" | "true" | "false"),
        Tok::Other(',' | '-' | '+') => true,
        _ => false,
    };
    if !out[open + 1..end].iter().all(literal) {
        return None;
    }
    let array = open.checked_sub(1)?;
    if out[array] != Tok::Word("array".into()) {
        return None;
    }
    if !parens {
        return Some(array);
    }
    let paren = array.checked_sub(1)?;
    (out[paren] == Tok::Open).then_some(paren)
}

/// Reads the type name after `::` starting at `i`; returns its lower-cased spelling and the
/// index after it.
fn type_name(tokens: &[Tok], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    let word = |t: Option<&Tok>| match t {
        Some(Tok::Word(w)) => Some(w.clone()),
        Some(Tok::Quoted(q)) => Some(q.clone()),
        _ => None,
    };
    if let Some(w) = word(tokens.get(i)) {
        name.push_str(&w);
        i += 1;
    }
    // Multi-word type names, and `time(3) with time zone`.
    loop {
        match (name.as_str(), tokens.get(i)) {
            (_, Some(Tok::Open)) => {
                let Some(close) = matching_close(tokens, i) else {
                    break;
                };
                name.push('(');
                name.push_str(&print(&tokens[i + 1..close]));
                name.push(')');
                i = close + 1;
            }
            ("character" | "bit" | "double" | "char", Some(Tok::Word(w)))
                if w == "varying" || w == "precision" =>
            {
                name.push(' ');
                name.push_str(w);
                i += 1;
            }
            (n, Some(Tok::Word(w)))
                if (n.starts_with("time") && (w == "with" || w == "without"))
                    || (w == "time" && (n.ends_with(" with") || n.ends_with(" without")))
                    || (w == "zone" && n.ends_with(" time")) =>
            {
                name.push(' ');
                name.push_str(w);
                i += 1;
            }
            (_, Some(Tok::Other('['))) if matches!(tokens.get(i + 1), Some(Tok::Other(']'))) => {
                name.push_str("[]");
                i += 2;
            }
            _ => break,
        }
    }
    (name, i)
}

fn is_numeric_type(name: &str) -> bool {
    let base = name.split('(').next().unwrap_or(name);
    matches!(
        base,
        "smallint"
            | "integer"
            | "bigint"
            | "int"
            | "int2"
            | "int4"
            | "int8"
            | "numeric"
            | "decimal"
            | "real"
            | "double precision"
            | "float4"
            | "float8"
    )
}

fn strip_literal_casts(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] != Tok::Cast {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        let Some(casted) = casted_literal(&out) else {
            unwrap_lone_name(&mut out);
            out.push(Tok::Cast);
            i += 1;
            continue;
        };
        let (ty, next) = type_name(&tokens, i + 1);
        if let Casted::LiteralArray(start) = casted {
            if ty.ends_with("[]") {
                // `(ARRAY['a', 'b'])::text[]` -> `ARRAY['a', 'b']`.
                if out[start] == Tok::Open {
                    out.remove(start);
                    out.pop();
                }
                i = next;
            } else {
                out.push(Tok::Cast);
                i += 1;
            }
            continue;
        }
        i = next;
        let casted = match casted {
            Casted::ParenStr => {
                // `('a')::text` -> `'a'`, then as a cast string literal.
                out.pop();
                let s = out.pop().expect("matched ( 'a' )");
                *out.last_mut().expect("matched (") = s;
                Casted::Str
            }
            other => other,
        };
        match casted {
            Casted::Str => {
                let Some(Tok::Str(s)) = out.last().cloned() else {
                    continue;
                };
                let lower = s.trim().to_ascii_lowercase();
                if is_numeric_type(&ty) && is_number(s.trim()) {
                    *out.last_mut().expect("checked above") = Tok::Word(s.trim().to_string());
                } else if matches!(ty.as_str(), "boolean" | "bool") {
                    let b = match lower.as_str() {
                        "t" | "true" | "y" | "yes" | "on" | "1" => Some("true"),
                        "f" | "false" | "n" | "no" | "off" | "0" => Some("false"),
                        _ => None,
                    };
                    if let Some(b) = b {
                        *out.last_mut().expect("checked above") = Tok::Word(b.to_string());
                    }
                }
            }
            Casted::Word => {}
            Casted::ParenStr | Casted::LiteralArray(_) => unreachable!("handled above"),
            Casted::ParenNumber(n) => {
                // `(-1)::numeric` -> `-1`: drop the parentheses around the number.
                let start = out.len() - n;
                let inner: Vec<Tok> = out[start + 1..out.len() - 1].to_vec();
                out.truncate(start);
                out.extend(inner);
            }
        }
    }
    out
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn print(tokens: &[Tok]) -> String {
    let mut s = String::new();
    let mut prev: Option<&Tok> = None;
    for t in tokens {
        if prev.is_some_and(|p| p.is_wordlike() && t.is_wordlike()) {
            s.push(' ');
        }
        match t {
            Tok::Str(v) => s.push_str(&quote(v)),
            Tok::Quoted(v) | Tok::Word(v) => s.push_str(v),
            Tok::Cast => s.push_str("::"),
            Tok::Open => s.push('('),
            Tok::Close => s.push(')'),
            Tok::Other(c) => s.push(*c),
        }
        prev = Some(t);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{normalize_default_sql as n, server_default_key as key};
    use retort_core::ServerDefault;

    #[test]
    fn strips_the_casts_postgresql_adds_to_literals() {
        assert_eq!(n("'abc'::character varying"), "'abc'");
        assert_eq!(n("'abc'::character varying(20)"), "'abc'");
        assert_eq!(n("'ok'::mood"), "'ok'");
        assert_eq!(n("'lead'::sales.stage"), "'lead'");
        assert_eq!(n("'{}'::jsonb"), "'{}'");
        assert_eq!(n("'{}'::text[]"), "'{}'");
        assert_eq!(
            n("'2020-01-01 00:00:00'::timestamp without time zone"),
            "'2020-01-01 00:00:00'"
        );
        assert_eq!(n("NULL::character varying"), "null");
    }

    #[test]
    fn number_and_boolean_literals_lose_their_quotes() {
        assert_eq!(n("'5'::integer"), "5");
        assert_eq!(n("'5'::smallint"), "5");
        assert_eq!(n("'-1'::numeric"), "-1");
        assert_eq!(n("(0)::numeric"), "0");
        assert_eq!(n("(-1.5)::double precision"), "-1.5");
        assert_eq!(n("'t'::boolean"), "true");
        // A quoted number cast to a text type stays text.
        assert_eq!(n("'5'::character varying"), "'5'");
    }

    #[test]
    fn removes_outer_parentheses_and_canonicalises_spacing_and_case() {
        assert_eq!(n("(now())"), "now()");
        assert_eq!(n("((now()))"), "now()");
        assert_eq!(n("(a) + (b)"), "(a)+(b)");
        assert_eq!(n("CURRENT_TIMESTAMP"), n("current_timestamp"));
        assert_eq!(n("now( ) + '1 day'::interval"), n("(now() + '1 day')"));
        assert_eq!(n("'It''s'::text"), "'It''s'");
        assert_eq!(n("'A B'"), "'A B'");
    }

    #[test]
    fn keeps_casts_that_are_not_on_literals() {
        assert_eq!(n("(name)::text"), "name::text");
        assert_eq!(n("(name)::text"), n("name::text"));
        assert_eq!(n("lower(name)::text"), "lower(name)::text");
        assert_eq!(n("nextval('t_id_seq'::regclass)"), "nextval('t_id_seq')");
        assert_eq!(n("x::text::varchar"), "x::text::varchar");
    }

    #[test]
    fn model_defaults_compare_equal_to_stored_ones() {
        let same = |model: ServerDefault, stored: &str| {
            assert_eq!(
                key(&model),
                key(&ServerDefault::expr(stored)),
                "{model:?} vs {stored}"
            );
        };
        same(ServerDefault::expr("now()"), "now()");
        same(ServerDefault::text("anon"), "'anon'::character varying");
        same(ServerDefault::text("it's"), "'it''s'::text");
        same(ServerDefault::int(5), "'5'::smallint");
        same(ServerDefault::int(0), "0");
        same(ServerDefault::int(-1), "'-1'::integer");
        same(ServerDefault::bool(true), "true");
        same(
            ServerDefault::Literal(retort_core::Literal::Number("1.50".into())),
            "1.50",
        );
        same(ServerDefault::expr("'{}'::jsonb"), "'{}'::jsonb");
        assert_ne!(
            key(&ServerDefault::text("5")),
            key(&ServerDefault::expr("'5'::integer"))
        );
        assert_ne!(
            key(&ServerDefault::text("a")),
            key(&ServerDefault::expr("'b'::text"))
        );
    }

    #[test]
    fn typed_literals_read_as_casts() {
        assert_eq!(n("interval '1 day'"), n("'1 day'::interval"));
        assert_eq!(n("DATE '2020-01-01'"), n("'2020-01-01'::date"));
        assert_eq!(n("integer '5'"), "5");
        assert_eq!(
            n("timestamp with time zone '2020-01-01 00:00:00+00'"),
            n("'2020-01-01 00:00:00+00'::timestamp with time zone")
        );
        assert_eq!(n("double precision '1.5'"), "1.5");
        assert_eq!(
            n("now() + interval '1 day'"),
            n("(now() + '1 day'::interval)")
        );
        // Not a prefix: a function's argument, or the type of a cast.
        assert_eq!(n("lower('A')"), "lower('A')");
        assert_eq!(n("x::text"), "x::text");
    }

    #[test]
    fn an_array_of_literals_cast_as_a_whole_equals_its_elements_cast_one_by_one() {
        // What SQLAlchemy's `IN (..)` on a varchar column is stored as, and what PostgreSQL
        // stores when that text is run again (a downgrade re-creating the check, a restore
        // of pg_dump's output): the array cast is pushed down to the elements.
        let first = "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))";
        let again =
            "((status)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))";
        assert_eq!(n(first), n(again));
        assert_eq!(n(first), "status::text=any(array['a','b'])");
        // Written by hand, with or without the parentheses PostgreSQL prints.
        assert_eq!(n("status::text = ANY (ARRAY['a', 'b']::text[])"), n(first));
        assert_eq!(n("x = ANY ((ARRAY[1, 2])::integer[])"), "x=any(array[1,2])");
        assert_eq!(n("('a')::text"), "'a'");
        assert_eq!(n("('5')::integer"), "5");
        // Still different: other elements, another operator, a cast of a column array.
        assert_ne!(
            n(first),
            n("(status)::text = ANY (ARRAY['a'::text, 'c'::text])")
        );
        assert_ne!(
            n(first),
            n("(status)::text <> ALL (ARRAY['a'::text, 'b'::text])")
        );
        assert_eq!(n("(tags)::text[]"), "tags::text[]");
        assert_eq!(n("(ARRAY[a, b])::text[]"), "(array[a,b])::text[]");
    }

    #[test]
    fn unterminated_quotes_fall_back_to_the_trimmed_text() {
        assert_eq!(n(" 'abc "), "'abc");
    }
}

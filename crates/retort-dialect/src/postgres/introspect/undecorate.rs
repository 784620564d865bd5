//! Spellings of an expression PostgreSQL printed, without the decorations it adds: the
//! candidates live autogenerate offers the server in place of the catalog's text
//! (issue 11, item 14: portable histories).
//!
//! PostgreSQL prints an expression back from its parse tree, casting literals to the type
//! it resolved them to (`status = 'open'::text`, `price > 0::numeric`), wrapping it in
//! parentheses (`(qty * 2)`) and parenthesising each step of a left-associative chain
//! (`(first_name || ' '::text) || last_name`). An op that records such text as an old value
//! (a dropped check, an index whose predicate changes, a dropped generated column) cannot
//! run on SQLite, which has no `::` and keeps text as written.
//!
//! [`undecorated`] only proposes: whether a candidate means exactly what the catalog's text
//! means is for the server to say. Live autogenerate has PostgreSQL store each candidate in
//! a rolled-back scratch table and keeps one only where PostgreSQL prints it back exactly
//! as the catalog's text, i.e. where both parse to the same expression
//! (`retort-migrate`'s `autogenerate::respell`). So a cast that carries meaning
//! (`x / 2::numeric` on an integer `x`) is never dropped: its candidate prints otherwise.

/// Candidates for `printed` (an expression as PostgreSQL printed it), most undecorated
/// first, none equal to `printed`: the `IN` lists PostgreSQL rewrote rebuilt
/// (`x = ANY (ARRAY[a, b])` -> `x IN (a, b)`, `x <> ALL (ARRAY[a, b])` -> `x NOT IN (a, b)`;
/// `in_lists`), casts on literals dropped (`'open'::text` -> `'open'`,
/// `50::numeric` -> `50`, `(-1)::numeric` -> `(-1)`), outer parentheses dropped, and
/// parentheses around the left step of a chain of one left-associative operator dropped
/// (`(a || b) || c` -> `a || b || c`); then the same without that last step. Empty when
/// nothing is to be undone or the text cannot be read (an unterminated quote).
pub fn undecorated(printed: &str) -> Vec<String> {
    let Some(tokens) = lex(printed) else {
        return Vec::new();
    };
    let basic = strip_outer_parens(strip_literal_casts(in_lists(tokens)));
    let full = flatten_left_chains(basic.clone());
    let mut out: Vec<String> = Vec::new();
    for c in [print(&full), print(&basic)] {
        if c != printed.trim() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string literal, with its quotes.
    Str,
    /// A double-quoted identifier, with its quotes.
    Quoted,
    /// An identifier, keyword or number.
    Word,
    Cast,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Comma,
    /// A run of operator characters (`||`, `>=`, `-`).
    Op,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Tok {
    kind: Kind,
    text: String,
    /// Whitespace before it in the text read.
    space: bool,
}

impl Tok {
    fn is(&self, kind: Kind) -> bool {
        self.kind == kind
    }

    fn is_number(&self) -> bool {
        self.kind == Kind::Word && is_number(&self.text)
    }

    fn word(&self) -> Option<String> {
        (self.kind == Kind::Word).then(|| self.text.to_ascii_lowercase())
    }
}

fn is_number(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && s.parse::<f64>().is_ok()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

const OPERATOR_CHARS: &str = "+-*/<>=~!@#%^&|`?:";

fn lex(sql: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        let mut text = String::from(c);
        let kind = match c {
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            '\'' | '"' => {
                loop {
                    let n = chars.next()?;
                    text.push(n);
                    if n == c {
                        if chars.peek() == Some(&c) {
                            text.push(chars.next()?);
                        } else {
                            break;
                        }
                    }
                }
                if c == '\'' {
                    Kind::Str
                } else {
                    Kind::Quoted
                }
            }
            ':' if chars.peek() == Some(&':') => {
                text.push(chars.next()?);
                Kind::Cast
            }
            '(' => Kind::Open,
            ')' => Kind::Close,
            '[' => Kind::OpenBracket,
            ']' => Kind::CloseBracket,
            ',' => Kind::Comma,
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                while let Some(&n) = chars.peek() {
                    // A number's exponent sign belongs to it (`1e-5`).
                    let exp_sign = matches!(n, '+' | '-')
                        && text.ends_with(['e', 'E'])
                        && text.starts_with(|c: char| c.is_ascii_digit());
                    if n.is_alphanumeric() || n == '_' || n == '.' || n == '$' || exp_sign {
                        text.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                Kind::Word
            }
            c if OPERATOR_CHARS.contains(c) => {
                while let Some(&n) = chars.peek() {
                    // `x::text` after an operator is a cast, not part of it.
                    if n == ':' || !OPERATOR_CHARS.contains(n) {
                        break;
                    }
                    text.push(n);
                    chars.next();
                }
                Kind::Op
            }
            // Anything else (`;`, `$1`...) is not an expression PostgreSQL prints.
            _ => return None,
        };
        out.push(Tok { kind, text, space });
        space = false;
    }
    Some(out)
}

fn print(tokens: &[Tok]) -> String {
    let mut s = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && t.space {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    s
}

fn matching_close(tokens: &[Tok], open: usize) -> Option<usize> {
    let (up, down) = match tokens[open].kind {
        Kind::Open => (Kind::Open, Kind::Close),
        Kind::OpenBracket => (Kind::OpenBracket, Kind::CloseBracket),
        _ => return None,
    };
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if t.kind == up {
            depth += 1;
        } else if t.kind == down {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// The index after the type name that starts at `i` (after `::`): a word or quoted name
/// (schema-qualified names are one word), the words of a multi-word name (`character
/// varying`, `double precision`, `timestamp with time zone`), a modifier in parentheses and
/// any `[]`. `None` when no type name starts there.
fn type_name_end(tokens: &[Tok], mut i: usize) -> Option<usize> {
    if !matches!(tokens.get(i)?.kind, Kind::Word | Kind::Quoted) {
        return None;
    }
    let mut last = tokens[i].word().unwrap_or_default();
    i += 1;
    while let Some(t) = tokens.get(i) {
        let next = t.word().unwrap_or_default();
        let continues = matches!(
            (last.as_str(), next.as_str()),
            ("character" | "bit", "varying")
                | ("double", "precision")
                | ("time" | "timestamp", "with" | "without")
                | ("with" | "without", "time")
                | ("time", "zone")
        );
        if continues {
            last = next;
            i += 1;
        } else if t.is(Kind::Open) {
            i = matching_close(tokens, i)? + 1;
        } else if t.is(Kind::OpenBracket)
            && tokens.get(i + 1).is_some_and(|t| t.is(Kind::CloseBracket))
        {
            i += 2;
        } else {
            break;
        }
    }
    Some(i)
}

/// The length of the literal `out` ends with, if it ends with one a cast may follow: a
/// string, a number, or a number (signed or not) in parentheses.
fn trailing_literal(out: &[Tok]) -> Option<usize> {
    let n = out.len();
    let value = |t: &Tok| t.is(Kind::Str) || t.is_number();
    match out {
        // A number right after `::` is not a value (it cannot be: a type name comes first).
        [.., before, last] if value(last) && !before.is(Kind::Cast) => Some(1),
        [last] if value(last) => Some(1),
        [.., open, sign, num, close]
            if open.is(Kind::Open)
                && sign.is(Kind::Op)
                && matches!(sign.text.as_str(), "-" | "+")
                && num.is_number()
                && close.is(Kind::Close)
                && !is_call(out, n - 4) =>
        {
            Some(4)
        }
        [.., open, num, close]
            if open.is(Kind::Open)
                && num.is_number()
                && close.is(Kind::Close)
                && !is_call(out, n - 3) =>
        {
            Some(3)
        }
        _ => None,
    }
}

/// Whether the parenthesis at `open` is a call's (a word, or a closing bracket, before it).
fn is_call(tokens: &[Tok], open: usize) -> bool {
    open > 0
        && matches!(
            tokens[open - 1].kind,
            Kind::Word | Kind::Quoted | Kind::Close | Kind::CloseBracket
        )
}

/// Where `=` (or `<>`) at `at` starts `= ANY (ARRAY[..])` (or `<> ALL (ARRAY[..])`), as
/// PostgreSQL prints an `IN` (`NOT IN`) list: the index after it, the list's elements,
/// whether it said `NOT IN`, and whether the array was cast as a whole
/// (`= ANY ((ARRAY[..])::text[])`, PostgreSQL's form for a `varchar` column).
struct ScalarArray {
    end: usize,
    elements: Vec<Tok>,
    negated: bool,
    cast: bool,
}

fn scalar_array(tokens: &[Tok], at: usize) -> Option<ScalarArray> {
    let op = tokens.get(at).filter(|t| t.is(Kind::Op))?;
    let quantifier = tokens.get(at + 1)?.word()?;
    let negated = match (op.text.as_str(), quantifier.as_str()) {
        ("=", "any") => false,
        ("<>", "all") => true,
        _ => return None,
    };
    let open = at + 2;
    if !tokens.get(open)?.is(Kind::Open) {
        return None;
    }
    let close = matching_close(tokens, open)?;
    let inner = &tokens[open + 1..close];
    // `ARRAY[..]` alone, or cast as a whole: `(ARRAY[..])::type[]` as the catalog prints
    // it, `ARRAY[..]::type[]` as introspection reads it back.
    let (array, cast) = match inner.first()?.kind {
        Kind::Open => {
            let c = matching_close(inner, 0)?;
            inner.get(c + 1).filter(|t| t.is(Kind::Cast))?;
            if type_name_end(inner, c + 2)? != inner.len() {
                return None;
            }
            (&inner[1..c], true)
        }
        _ => {
            if !inner.get(1)?.is(Kind::OpenBracket) {
                return None;
            }
            let c = matching_close(inner, 1)?;
            match inner.get(c + 1) {
                None => (inner, false),
                Some(t) if t.is(Kind::Cast) && type_name_end(inner, c + 2)? == inner.len() => {
                    (&inner[..=c], true)
                }
                Some(_) => return None,
            }
        }
    };
    if array.first()?.word()? != "array" || !array.get(1)?.is(Kind::OpenBracket) {
        return None;
    }
    let elements = array[2..array.len() - 1].to_vec();
    // `IN ()` is no list; a nested array is no `IN` list either.
    if elements.is_empty()
        || elements
            .iter()
            .any(|t| t.is(Kind::OpenBracket) || t.word().as_deref() == Some("array"))
    {
        return None;
    }
    Some(ScalarArray {
        end: close + 1,
        elements,
        negated,
        cast,
    })
}

/// `x = ANY (ARRAY[a, b])` -> `x IN (a, b)`, `x <> ALL (ARRAY[a, b])` -> `x NOT IN (a, b)`:
/// PostgreSQL stores an `IN` list as the first, which only PostgreSQL parses. Where the array
/// is cast as a whole (`(code)::text = ANY ((ARRAY['a'::character varying])::text[])`, an
/// `IN` list on a `varchar` column), the cast on a plain column before it goes too
/// (`code IN ('a')`). Only a proposal, as everything here: the server confirms or not.
fn in_lists(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].is(Kind::Cast) {
            if let Some(end) = type_name_end(&tokens, i + 1) {
                if scalar_array(&tokens, end).is_some_and(|s| s.cast) && uncast_column(&mut out) {
                    i = end;
                    continue;
                }
            }
        }
        if let Some(s) = scalar_array(&tokens, i) {
            let space = tokens[i].space;
            if s.negated {
                out.push(word("NOT", space));
                out.push(word("IN", true));
            } else {
                out.push(word("IN", space));
            }
            out.push(Tok {
                kind: Kind::Open,
                text: "(".into(),
                space: true,
            });
            let mut elements = in_lists(s.elements);
            if let Some(first) = elements.first_mut() {
                first.space = false;
            }
            out.extend(elements);
            out.push(Tok {
                kind: Kind::Close,
                text: ")".into(),
                space: false,
            });
            i = s.end;
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

fn word(text: &str, space: bool) -> Tok {
    Tok {
        kind: Kind::Word,
        text: text.into(),
        space,
    }
}

/// Where `out` ends with a plain column (`code`, `"Code"`, or `(code)` as PostgreSQL prints
/// the operand of a cast), leaves it as the bare column and says so.
fn uncast_column(out: &mut Vec<Tok>) -> bool {
    let column = |t: &Tok| (t.is(Kind::Word) && !t.is_number()) || t.is(Kind::Quoted);
    let n = out.len();
    match out.as_slice() {
        [.., open, name, close]
            if open.is(Kind::Open)
                && column(name)
                && close.is(Kind::Close)
                && !is_call(out, n - 3) =>
        {
            let space = open.space;
            out.pop();
            let mut name = out.pop().expect("matched above");
            out.pop();
            name.space = space;
            out.push(name);
            true
        }
        [.., before, name] if column(name) && !before.is(Kind::Cast) => true,
        [name] if column(name) => true,
        _ => false,
    }
}

/// `'open'::text` -> `'open'`, `50::numeric` -> `50`, `(-1)::numeric` -> `(-1)`. A cast
/// followed by another (`'a'::text::varchar`) is kept, as are casts of anything else.
fn strip_literal_casts(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.is(Kind::Cast) && trailing_literal(&out).is_some() {
            if let Some(end) = type_name_end(&tokens, i + 1) {
                if !tokens.get(end).is_some_and(|t| t.is(Kind::Cast)) {
                    i = end;
                    continue;
                }
            }
        }
        out.push(t.clone());
        i += 1;
    }
    out
}

fn strip_outer_parens(mut tokens: Vec<Tok>) -> Vec<Tok> {
    while tokens.len() > 2
        && tokens[0].is(Kind::Open)
        && matching_close(&tokens, 0) == Some(tokens.len() - 1)
    {
        tokens.pop();
        tokens.remove(0);
        if let Some(first) = tokens.first_mut() {
            first.space = false;
        }
    }
    tokens
}

/// Operators whose chains group to the left, so `(a op b) op c` is `a op b op c`.
const LEFT_ASSOCIATIVE: &[&str] = &["||", "+", "*", "and", "or"];

/// Words that, at the top of a group, make its grouping depend on more than one operator.
const GROUPING_WORDS: &[&str] = &[
    "and", "or", "not", "is", "isnull", "notnull", "like", "ilike", "similar", "between", "in",
    "collate", "at", "case", "escape", "overlaps",
];

/// The one operator a group's top level chains, if it chains one only.
fn chained_operator(inner: &[Tok]) -> Option<String> {
    let mut op: Option<String> = None;
    let mut i = 0;
    let mut after_operand = false;
    while i < inner.len() {
        let t = &inner[i];
        let this = match t.kind {
            Kind::Open | Kind::OpenBracket => {
                i = matching_close(inner, i)? + 1;
                after_operand = true;
                continue;
            }
            Kind::Cast => {
                i = type_name_end(inner, i + 1)?;
                continue;
            }
            Kind::Op if after_operand => t.text.clone(),
            Kind::Op => return None, // a prefix operator
            Kind::Word => match t.word() {
                Some(w) if w == "and" || w == "or" => w,
                Some(w) if GROUPING_WORDS.contains(&w.as_str()) => return None,
                _ => {
                    after_operand = true;
                    i += 1;
                    continue;
                }
            },
            Kind::Comma | Kind::Close | Kind::CloseBracket => return None,
            Kind::Str | Kind::Quoted => {
                after_operand = true;
                i += 1;
                continue;
            }
        };
        if !LEFT_ASSOCIATIVE.contains(&this.as_str()) || op.as_ref().is_some_and(|o| *o != this) {
            return None;
        }
        op = Some(this);
        after_operand = false;
        i += 1;
    }
    op
}

/// `(a || b) || c` -> `a || b || c`, where the group starts the expression (or an argument)
/// and its top level chains the very operator that follows it.
fn flatten_left_chains(mut tokens: Vec<Tok>) -> Vec<Tok> {
    let mut p = 0;
    while p < tokens.len() {
        let starts = p == 0 || matches!(tokens[p - 1].kind, Kind::Open | Kind::Comma);
        if !(starts && tokens[p].is(Kind::Open)) {
            p += 1;
            continue;
        }
        let Some(c) = matching_close(&tokens, p) else {
            return tokens;
        };
        let follows = tokens.get(c + 1).and_then(|t| match t.kind {
            Kind::Op => Some(t.text.clone()),
            Kind::Word => t.word(),
            _ => None,
        });
        match (chained_operator(&tokens[p + 1..c]), follows) {
            (Some(op), Some(next)) if op == next => {
                tokens.remove(c);
                let space = tokens[p].space;
                tokens.remove(p);
                tokens[p].space = space;
                // The group may now start a longer chain: look at `p` again.
            }
            _ => p += 1,
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::undecorated;

    #[test]
    fn casts_on_literals_and_outer_parentheses_go() {
        assert_eq!(undecorated("status = 'open'::text"), ["status = 'open'"]);
        assert_eq!(undecorated("price > 0::numeric"), ["price > 0"]);
        assert_eq!(undecorated("(qty * 2)"), ["qty * 2"]);
        assert_eq!(undecorated("x > (-1)::numeric"), ["x > (-1)"]);
        assert_eq!(
            undecorated("d < '2020-01-01'::timestamp without time zone"),
            ["d < '2020-01-01'"]
        );
        assert_eq!(
            undecorated("name::text = 'it''s'::character varying(20)"),
            ["name::text = 'it''s'"]
        );
        assert_eq!(undecorated("tags = '{a}'::text[]"), ["tags = '{a}'"]);
        assert_eq!(undecorated("s = 'x'::sales.stage"), ["s = 'x'"]);
        assert_eq!(undecorated("s = 'x'::\"Mood\""), ["s = 'x'"]);
    }

    #[test]
    fn left_chains_lose_their_inner_parentheses() {
        assert_eq!(
            undecorated("(first_name || ' '::text) || last_name"),
            [
                "first_name || ' ' || last_name",
                "(first_name || ' ') || last_name"
            ]
        );
        assert_eq!(undecorated("((a + b) + c) + d"), ["a + b + c + d"]);
        assert_eq!(undecorated("lower((a || b) || c)"), ["lower(a || b || c)"]);
        // Another operator, or a right-hand group: kept.
        assert!(undecorated("(a + b) * c").is_empty());
        assert!(undecorated("a || (b || c)").is_empty());
        assert!(undecorated("x * (a + b) + c").is_empty());
        assert!(undecorated("(a - b) - c").is_empty());
        assert!(undecorated("(a IS NULL) OR b").is_empty());
    }

    #[test]
    fn in_lists_postgresql_rewrote_are_rebuilt() {
        // An enum column (case 98 of the evolution suite), a text column.
        assert_eq!(
            undecorated("status = ANY (ARRAY['new'::order_status, 'shipped'::order_status])"),
            ["status IN ('new', 'shipped')"]
        );
        assert_eq!(
            undecorated("(status = ANY (ARRAY['a'::text, 'b'::text]))"),
            ["status IN ('a', 'b')"]
        );
        assert_eq!(
            undecorated("status <> ALL (ARRAY['x'::text, 'y'::text])"),
            ["status NOT IN ('x', 'y')"]
        );
        assert_eq!(undecorated("n = ANY (ARRAY[1, 2, 3])"), ["n IN (1, 2, 3)"]);
        // A varchar column: the column and the array are cast to text; both casts go.
        assert_eq!(
            undecorated(
                "(code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])"
            ),
            ["code IN ('a', 'b')"]
        );
        assert_eq!(
            undecorated(
                "code::text <> ALL (ARRAY['x'::character varying, 'y'::character varying]::text[])"
            ),
            ["code NOT IN ('x', 'y')"]
        );
        // Inside a larger expression, and more than once.
        assert_eq!(
            undecorated(
                "((status = ANY (ARRAY['new'::text, 'paid'::text])) AND (kind <> ALL (ARRAY[1, 2])))"
            ),
            ["(status IN ('new', 'paid')) AND (kind NOT IN (1, 2))"]
        );
        assert_eq!(
            undecorated("lower(name) = ANY (ARRAY['a'::text])"),
            ["lower(name) IN ('a')"]
        );
    }

    #[test]
    fn other_array_comparisons_stay() {
        // Not a list: an array column, a function's array, an empty array.
        assert!(undecorated("status = ANY (allowed)").is_empty());
        assert!(undecorated("status = ANY (string_to_array(s, ','))").is_empty());
        assert_eq!(
            undecorated("status = ANY (ARRAY[]::text[])"),
            Vec::<String>::new()
        );
        // `= ALL`, `<> ANY`, `< ANY` are no IN list.
        assert_eq!(undecorated("n = ALL (ARRAY[1, 2])"), Vec::<String>::new());
        assert_eq!(undecorated("n <> ANY (ARRAY[1, 2])"), Vec::<String>::new());
        assert_eq!(undecorated("n < ANY (ARRAY[1, 2])"), Vec::<String>::new());
        // A cast on something other than a plain column stays (the server says whether the
        // list without the array's cast is the same).
        assert_eq!(
            undecorated("(a || b)::text = ANY ((ARRAY['x'::character varying])::text[])"),
            ["(a || b)::text IN ('x')"]
        );
    }

    #[test]
    fn what_is_not_a_decorated_literal_stays() {
        assert!(undecorated("lower((name)::text)").is_empty());
        assert!(undecorated("x::text = y").is_empty());
        assert!(undecorated("now()").is_empty());
        assert!(undecorated("(a) + (b)").is_empty());
        assert!(undecorated("f(2)::numeric > 0").is_empty());
        // A cast on a cast changes the type twice: kept.
        assert!(undecorated("'a'::text::varchar = b").is_empty());
        // Unterminated quote: nothing offered.
        assert!(undecorated("x = 'open").is_empty());
    }
}

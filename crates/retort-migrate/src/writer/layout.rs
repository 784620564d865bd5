//! A small pretty-printer that lays out the expressions the writer emits the way rustfmt
//! (default configuration, edition 2021) would, so a written revision passes
//! `rustfmt --check` without rustfmt having to be installed where `revision` runs.
//!
//! It models only what the writer produces: literals and paths, calls, arrays (`[..]`,
//! `&[..]`, `vec![..]`), struct literals, method chains and a closure with a block body as
//! the last argument. The rules are rustfmt's (`chains.rs`, `overflow.rs`, `lists.rs`):
//!
//! * width 100, indent 4; an argument list goes on one line when it fits and is at most
//!   60 columns (`fn_call_width`, `array_width`), a struct literal's fields at most 18;
//! * the last argument may "overflow" (stay on the call's line and spread below it) when
//!   it is a closure, or the only argument and a call, chain, array or struct;
//! * a chain stays on one line when it fits in 60 columns (`chain_width`, or the whole
//!   width for a single call), otherwise each `.call()` goes on its own line; a short
//!   receiver (`op`, `t`) keeps its first call;
//! * a vertical list of short simple items (at most 10 columns) is packed several a line.
//!
//! `rewrite` returns `None` when an expression cannot fit, as rustfmt's rewrites do; the
//! callers then try the next layout. When nothing fits (a very long string), rustfmt keeps
//! the statement as written, so [`format_stmt`] then falls back to a vertical layout.

pub(super) const MAX_WIDTH: usize = 100;
const TAB: usize = 4;
const FN_CALL_WIDTH: usize = 60;
const ARRAY_WIDTH: usize = 60;
const CHAIN_WIDTH: usize = 60;
const STRUCT_LIT_WIDTH: usize = 18;
const SHORT_ITEM_WIDTH: usize = 10;

/// An expression of a revision script.
#[derive(Debug, Clone)]
pub(super) enum Expr {
    /// A literal or a path, written as is (`"name"`, `Type::Text`, `None`, `42`).
    Atom(String),
    /// `callee(args)`.
    Call(String, Vec<Expr>),
    /// `[items]` with a prefix: `""`, `"&"` or `"vec!"`.
    Array(&'static str, Vec<Expr>),
    /// `Path { field: value, .. }`.
    Struct(String, Vec<(String, Expr)>),
    /// `root.a(..).b(..)`, each call's name kept with its dot (`.a`): the layout tries
    /// each call several times, and would otherwise build `.a` each time.
    Chain(Box<Expr>, Vec<(String, Vec<Expr>)>),
    /// `|param| { statements }`, with its body's layouts kept per indent.
    Closure(String, Vec<Stmt>, BodyCache),
}

/// A closure's body laid out, per block indent: the layout of a call whose last argument is
/// a closure tries several shapes, and each would lay out the whole body again (four to six
/// times for `op.create_table(.., |t| { .. })`), though the body's layout depends only on
/// its indent (issue 16: 80% of autogenerate's CPU at 10,000 tables was the writer's layout).
#[derive(Debug, Clone, Default)]
pub(super) struct BodyCache(std::cell::RefCell<Vec<(usize, std::rc::Rc<str>)>>);

impl BodyCache {
    fn get_or_insert_with(&self, indent: usize, f: impl FnOnce() -> String) -> std::rc::Rc<str> {
        if let Some((_, s)) = self.0.borrow().iter().find(|(i, _)| *i == indent) {
            return s.clone();
        }
        let s: std::rc::Rc<str> = f().into();
        self.0.borrow_mut().push((indent, s.clone()));
        s
    }
}

/// A statement of a function or closure body.
#[derive(Debug, Clone)]
pub(super) enum Stmt {
    /// `expr;`
    Expr(Expr),
    /// `// text` (one line each).
    Comment(String),
}

impl Expr {
    /// `|param| { body }`.
    pub(super) fn closure(param: impl Into<String>, body: Vec<Stmt>) -> Expr {
        Expr::Closure(param.into(), body, BodyCache::default())
    }
    pub(super) fn atom(s: impl Into<String>) -> Expr {
        Expr::Atom(s.into())
    }
    pub(super) fn call(callee: impl Into<String>, args: Vec<Expr>) -> Expr {
        Expr::Call(callee.into(), args)
    }
    /// `self.method(args)`, extending a chain.
    pub(super) fn method(self, name: &str, args: Vec<Expr>) -> Expr {
        match self {
            Expr::Chain(root, mut calls) => {
                calls.push((format!(".{name}"), args));
                Expr::Chain(root, calls)
            }
            other => Expr::Chain(Box::new(other), vec![(format!(".{name}"), args)]),
        }
    }
    fn is_simple(&self) -> bool {
        matches!(self, Expr::Atom(_))
    }
    /// rustfmt's `is_nested_call`: a function call or a macro call (`vec![..]`), not a
    /// method call.
    fn is_nested_call(&self) -> bool {
        matches!(self, Expr::Call(..) | Expr::Array("vec!", _))
    }
}

/// What the enclosing layout imposes on a rewrite.
#[derive(Debug, Clone, Copy, Default)]
struct Cx {
    /// A chain must stay on one line (rustfmt's `force_one_line_chain`, set while a chain
    /// is tried as an overflowing last argument).
    force_one_line: bool,
    /// Literals fit whatever their width: the layout of a statement rustfmt cannot fit in
    /// 100 columns, which it then leaves as written.
    lenient: bool,
}

/// Where an expression starts and how much room it has: `indent` is the block indent of
/// its line, `col` the column it starts at, `width` the columns left before the limit
/// (less what must follow it, such as `;` or `)`).
#[derive(Debug, Clone, Copy)]
struct Shape {
    indent: usize,
    col: usize,
    width: usize,
}

impl Shape {
    fn block(indent: usize, reserve: usize) -> Shape {
        Shape {
            indent,
            col: indent,
            width: MAX_WIDTH.saturating_sub(indent + reserve),
        }
    }
    fn offset_left(self, n: usize) -> Option<Shape> {
        Some(Shape {
            indent: self.indent,
            col: self.col + n,
            width: self.width.checked_sub(n)?,
        })
    }
    fn sub_width(self, n: usize) -> Option<Shape> {
        Some(Shape {
            width: self.width.checked_sub(n)?,
            ..self
        })
    }
    /// What the shape keeps free at the right (`;`, `)`...).
    fn rhs_overhead(self) -> usize {
        MAX_WIDTH.saturating_sub(self.col + self.width)
    }
}

/// Display width (wide East Asian characters and emoji count two, as in rustfmt).
pub(super) fn width(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars()
        .map(|c| {
            let c = c as u32;
            let wide = matches!(c,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0xA4CF | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
                | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn first_line(s: &str) -> &str {
    s.split('\n').next().unwrap_or("")
}

fn last_line(s: &str) -> &str {
    s.rsplit('\n').next().unwrap_or("")
}

/// rustfmt's `last_line_extendable`: the last line is only closing brackets.
fn last_line_extendable(s: &str) -> bool {
    for c in s.chars().rev() {
        match c {
            '(' | ')' | ']' | '}' | '?' | '>' => continue,
            '\n' => break,
            c if c.is_whitespace() => continue,
            _ => return false,
        }
    }
    true
}

/// `n` spaces; borrowed for any indent a script reaches (the layout asks for one at every
/// line it tries).
fn spaces(n: usize) -> std::borrow::Cow<'static, str> {
    const SPACES: &str = "                                                                ";
    match SPACES.get(..n) {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(" ".repeat(n)),
    }
}

/// Lays out `stmt` at block indent `indent`; the result has no leading indent on its first
/// line and no trailing newline.
pub(super) fn format_stmt(stmt: &Stmt, indent: usize) -> String {
    match stmt {
        Stmt::Comment(text) if text.is_empty() => "//".to_owned(),
        Stmt::Comment(text) => format!("// {text}"),
        Stmt::Expr(e) => {
            let shape = Shape::block(indent, 1);
            let lenient = Cx {
                lenient: true,
                ..Cx::default()
            };
            let mut body = rewrite(e, shape, Cx::default())
                .or_else(|| rewrite(e, shape, lenient))
                .unwrap_or_else(|| fallback(e, indent));
            body.push(';');
            body
        }
    }
}

/// Lays out statements as a block body at `indent`, one per line, each line indented.
pub(super) fn format_block(stmts: &[Stmt], indent: usize) -> String {
    let pad = spaces(indent);
    let mut out = String::new();
    for s in stmts {
        out.push_str(&pad);
        out.push_str(&format_stmt(s, indent));
        out.push('\n');
    }
    out
}

/// `lhs = rhs;` as rustfmt places a right-hand side: on the same line when it fits there
/// or reads as well, else on the next line, indented.
pub(super) fn format_assign(lhs: &str, rhs: &Expr, indent: usize) -> String {
    let lenient = Cx {
        lenient: true,
        ..Cx::default()
    };
    assign(lhs, rhs, indent, Cx::default())
        .or_else(|| assign(lhs, rhs, indent, lenient))
        .unwrap_or_else(|| format!("{lhs} {};", fallback(rhs, indent)))
}

/// rustfmt's `rewrite_assign_rhs` / `choose_rhs`.
fn assign(lhs: &str, rhs: &Expr, indent: usize, cx: Cx) -> Option<String> {
    let orig_shape = Shape::block(indent, 1).offset_left(width(lhs) + 1);
    let orig = orig_shape.and_then(|s| rewrite(rhs, s, cx));
    if let (Some(o), Some(s)) = (&orig, orig_shape) {
        if !o.contains('\n') && (cx.lenient || width(o) <= s.width) {
            return Some(format!("{lhs} {o};"));
        }
    }
    let new_shape = Shape::block(indent + TAB, 1);
    let new = rewrite(rhs, new_shape, cx);
    let next_line = |n: &str| format!("{lhs}\n{}{n};", spaces(indent + TAB));
    match (orig, new) {
        (Some(o), Some(n)) => {
            let newlines = |s: &str| s.matches('\n').count();
            let ends = |s: &str, c: char| first_line(s).ends_with(c);
            let prefer_next = !n.contains('\n')
                || newlines(&o) > newlines(&n) + 1
                || (ends(&o, '(') && !ends(&n, '('))
                || (ends(&o, '{') && !ends(&n, '{'))
                || (ends(&o, '[') && !ends(&n, '['));
            Some(if prefer_next {
                next_line(&n)
            } else {
                format!("{lhs} {o};")
            })
        }
        (None, Some(n)) => Some(next_line(&n)),
        (Some(o), None) => Some(format!("{lhs} {o};")),
        (None, None) => None,
    }
}

/// A layout for an expression that fits nowhere even with long literals allowed (rustfmt
/// then leaves it as written): chains one call a line, argument lists vertical.
fn fallback(e: &Expr, indent: usize) -> String {
    let wide = Shape {
        indent,
        col: indent,
        width: usize::MAX / 4,
    };
    match e {
        Expr::Chain(root, calls) => {
            let mut out = fallback(root, indent);
            let mut rest = calls.as_slice();
            if width(&out) <= TAB && !out.contains('\n') {
                if let Some((name, args)) = rest.first() {
                    out.push_str(&fallback_call(name, args, indent));
                    rest = &rest[1..];
                }
            }
            for (name, args) in rest {
                out.push('\n');
                out.push_str(&spaces(indent + TAB));
                out.push_str(&fallback_call(name, args, indent + TAB));
            }
            out
        }
        Expr::Call(callee, args) => fallback_call(callee, args, indent),
        _ => rewrite(e, wide, Cx::default()).unwrap_or_default(),
    }
}

/// The expression on one line, whatever its width (for comments).
pub(super) fn flat(e: &Expr) -> String {
    let list = |items: Vec<String>| items.join(", ");
    match e {
        Expr::Atom(s) => s.clone(),
        Expr::Call(callee, args) => format!("{callee}({})", list(args.iter().map(flat).collect())),
        Expr::Array(prefix, items) => {
            format!("{prefix}[{}]", list(items.iter().map(flat).collect()))
        }
        Expr::Struct(path, fields) => format!(
            "{path} {{ {} }}",
            list(
                fields
                    .iter()
                    .map(|(n, v)| format!("{n}: {}", flat(v)))
                    .collect()
            )
        ),
        Expr::Chain(root, calls) => {
            let mut out = flat(root);
            for (name, args) in calls {
                out.push_str(&format!(
                    "{name}({})",
                    list(args.iter().map(flat).collect())
                ));
            }
            out
        }
        Expr::Closure(param, _, _) => format!("|{param}| {{ .. }}"),
    }
}

fn fallback_call(callee: &str, args: &[Expr], indent: usize) -> String {
    if args.is_empty() {
        return format!("{callee}()");
    }
    let mut out = format!("{callee}(\n");
    for a in args {
        out.push_str(&spaces(indent + TAB));
        out.push_str(&fallback(a, indent + TAB));
        out.push_str(",\n");
    }
    out.push_str(&spaces(indent));
    out.push(')');
    out
}

fn rewrite(e: &Expr, shape: Shape, cx: Cx) -> Option<String> {
    match e {
        Expr::Atom(s) => (cx.lenient || width(s) <= shape.width).then(|| s.clone()),
        Expr::Call(callee, args) => rewrite_list(callee, "(", ")", args, shape, FN_CALL_WIDTH, cx),
        Expr::Array(prefix, items) => {
            if *prefix == "&" {
                let inner =
                    rewrite_list("", "[", "]", items, shape.offset_left(1)?, ARRAY_WIDTH, cx)?;
                Some(format!("&{inner}"))
            } else {
                rewrite_list(prefix, "[", "]", items, shape, ARRAY_WIDTH, cx)
            }
        }
        Expr::Struct(path, fields) => rewrite_struct(path, fields, shape, cx),
        Expr::Chain(root, calls) => rewrite_chain(root, calls, shape, cx),
        Expr::Closure(param, body, cache) => rewrite_closure(param, body, cache, shape),
    }
}

fn rewrite_closure(param: &str, body: &[Stmt], cache: &BodyCache, shape: Shape) -> Option<String> {
    if body.is_empty() {
        let s = format!("|{param}| {{}}");
        return (width(&s) <= shape.width).then_some(s);
    }
    let inner = shape.indent + TAB;
    let block = cache.get_or_insert_with(inner, || format_block(body, inner));
    let mut out = String::with_capacity(param.len() + block.len() + shape.indent + 8);
    out.push('|');
    out.push_str(param);
    out.push_str("| {\n");
    out.push_str(&block);
    out.push_str(&spaces(shape.indent));
    out.push('}');
    Some(out)
}

fn rewrite_struct(path: &str, fields: &[(String, Expr)], shape: Shape, cx: Cx) -> Option<String> {
    // One line: `Path { a: x, b: y }`.
    let one_line: Option<Vec<String>> = fields
        .iter()
        .map(|(name, value)| {
            rewrite(value, Shape::block(0, 0), cx)
                .filter(|v| !v.contains('\n'))
                .map(|v| format!("{name}: {v}"))
        })
        .collect();
    if let Some(items) = one_line {
        let joined = items.join(", ");
        let budget = shape.width.saturating_sub(width(path) + 5);
        if width(&joined) <= STRUCT_LIT_WIDTH.min(budget) {
            return Some(format!("{path} {{ {joined} }}"));
        }
    }
    if width(path) + 2 > shape.width {
        return None;
    }
    let inner = shape.indent + TAB;
    let mut out = format!("{path} {{\n");
    for (name, value) in fields {
        let s = Shape::block(inner, 1).offset_left(width(name) + 2)?;
        let v = rewrite(value, s, cx)?;
        out.push_str(&format!("{}{name}: {v},\n", spaces(inner)));
    }
    out.push_str(&spaces(shape.indent));
    out.push('}');
    Some(out)
}

/// rustfmt's `can_be_overflowed_expr` for the last of `count` arguments.
fn can_overflow(e: &Expr, count: usize) -> bool {
    match e {
        Expr::Closure(..) => true,
        Expr::Call(..) | Expr::Chain(..) | Expr::Array(..) | Expr::Struct(..) => count == 1,
        Expr::Atom(_) => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tactic {
    Horizontal,
    Vertical,
    Mixed,
}

fn is_multiline(s: &Option<String>) -> bool {
    s.as_ref().is_some_and(|s| s.contains('\n'))
}

/// `ident(items)` / `ident[items]`: rustfmt's `overflow::rewrite_with_parens`.
fn rewrite_list(
    ident: &str,
    open: &str,
    close: &str,
    items: &[Expr],
    shape: Shape,
    max_width: usize,
    cx: Cx,
) -> Option<String> {
    let used = width(ident);
    if items.is_empty() {
        let s = format!("{ident}{open}{close}");
        return (width(&s) <= shape.width).then_some(s);
    }
    let one_line_width = shape.width.saturating_sub(used + 2);
    let one_line_shape = shape
        .offset_left(used + 1)
        .and_then(|s| s.sub_width(1))
        .unwrap_or(Shape { width: 0, ..shape });
    let nested = Shape::block(shape.indent + TAB, 1);

    let n = items.len();
    let last = &items[n - 1];
    // The last item is rewritten in `nested` only when that rewrite is used: when it does
    // not overflow, or when the overflowed layout is not kept. An overflowing closure would
    // otherwise lay its whole body out once more at the deeper indent, for nothing.
    let mut list: Vec<Option<String>> = items[..n - 1]
        .iter()
        .map(|i| rewrite(i, nested, cx))
        .collect();
    list.push(None);

    let combine = n == 1 && used < TAB;
    let overflow_last = combine || can_overflow(last, n);
    let mut placeholder = None;
    if overflow_last {
        let force = if !combine && matches!(last, Expr::Chain(..)) {
            Cx {
                force_one_line: true,
                ..cx
            }
        } else {
            cx
        };
        let arg_shape = if n == 1 && !last.is_nested_call() {
            Some(one_line_shape)
        } else {
            let offset: usize = list[..n - 1]
                .iter()
                .map(|s| 2 + s.as_deref().map_or(0, str::len))
                .sum();
            Shape {
                width: max_width.min(one_line_shape.width),
                ..one_line_shape
            }
            .offset_left(offset)
        };
        if let Some(arg_shape) = arg_shape {
            let rw = match last {
                Expr::Closure(param, body, cache) => rewrite_closure(param, body, cache, arg_shape),
                other => rewrite(other, arg_shape, force),
            };
            if let Some(rw) = rw {
                list[n - 1] = Some(first_line(&rw).to_owned());
                placeholder = Some(rw);
            }
        }
    }
    // Whether `list`'s last item is the overflow's first line (else its `nested` rewrite).
    let overflowed_in_list = placeholder.is_some();
    if !overflowed_in_list {
        list[n - 1] = rewrite(last, nested, cx);
    }

    let fits = |list: &[Option<String>], limit: usize| {
        list.iter().all(|s| s.is_some() && !is_multiline(s)) && {
            let total: usize = list
                .iter()
                .map(|s| s.as_deref().map_or(0, width))
                .sum::<usize>()
                + 2 * (list.len() - 1);
            total <= limit
        }
    };
    let mut tactic = if fits(&list, max_width.min(one_line_width)) {
        Tactic::Horizontal
    } else {
        Tactic::Vertical
    };

    match (overflow_last, tactic, placeholder) {
        (true, Tactic::Horizontal, Some(overflowed)) => {
            if n == 1 && overflowed.matches('\n').count() == 1 {
                match rewrite(last, nested, cx) {
                    Some(rw) if !rw.contains('\n') => list[n - 1] = Some(rw),
                    _ => list[n - 1] = Some(overflowed),
                }
            } else {
                list[n - 1] = Some(overflowed);
            }
        }
        _ => {
            if overflowed_in_list {
                list[n - 1] = rewrite(last, nested, cx);
            }
            let single = &list[0];
            if n == 1
                && one_line_width != 0
                && single.is_some()
                && !is_multiline(single)
                && single.as_deref().map_or(0, width) <= one_line_width
            {
                tactic = Tactic::Horizontal;
            } else {
                tactic = if fits(&list, max_width.min(one_line_width)) {
                    Tactic::Horizontal
                } else {
                    Tactic::Vertical
                };
                if tactic == Tactic::Vertical
                    && items.iter().all(Expr::is_simple)
                    && list
                        .iter()
                        .all(|s| s.as_deref().is_some_and(|s| width(s) <= SHORT_ITEM_WIDTH))
                {
                    tactic = Tactic::Mixed;
                }
            }
        }
    }

    let list: Vec<String> = list.into_iter().collect::<Option<_>>()?;
    let pad = spaces(nested.indent);
    Some(match tactic {
        Tactic::Horizontal => {
            let len = list.iter().map(|s| s.len() + 2).sum::<usize>();
            let mut out = String::with_capacity(ident.len() + open.len() + len + close.len());
            out.push_str(ident);
            out.push_str(open);
            for (i, item) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(item);
            }
            out.push_str(close);
            out
        }
        Tactic::Vertical => {
            let mut out = format!("{ident}{open}\n");
            for item in &list {
                out.push_str(&format!("{pad}{item},\n"));
            }
            out.push_str(&spaces(shape.indent));
            out.push_str(close);
            out
        }
        Tactic::Mixed => {
            let mut out = format!("{ident}{open}\n{pad}");
            let mut line = 0;
            for item in &list {
                let w = width(item) + 1;
                if line > 0 && line + 1 + w > nested.width {
                    out.push_str(&format!("\n{pad}"));
                    line = 0;
                }
                if line > 0 {
                    out.push(' ');
                    line += 1;
                }
                out.push_str(item);
                out.push(',');
                line += w;
            }
            out.push('\n');
            out.push_str(&spaces(shape.indent));
            out.push_str(close);
            out
        }
    })
}

/// `root.a(..).b(..)`: rustfmt's block-indented chain.
fn rewrite_chain(
    root: &Expr,
    calls: &[(String, Vec<Expr>)],
    shape: Shape,
    cx: Cx,
) -> Option<String> {
    let child_count = calls.len();
    let call = |(name, args): &(String, Vec<Expr>), s: Shape| {
        rewrite_list(name, "(", ")", args, s, FN_CALL_WIDTH, cx)
    };
    let mut root_rw = rewrite(root, shape, cx)?;
    let mut root_ends_with_block = root_rw.contains('\n') && last_line_extendable(&root_rw);
    let tab_width = TAB.saturating_sub(shape.col - shape.indent);
    let mut rest = calls;
    while root_rw.len() <= tab_width && !root_rw.contains('\n') {
        let Some(first) = rest.first() else { break };
        let Some(rw) = call(first, shape.offset_left(root_rw.len())?) else {
            break;
        };
        root_rw.push_str(&rw);
        root_ends_with_block = last_line_extendable(&root_rw);
        rest = &rest[1..];
        if rest.is_empty() {
            break;
        }
    }
    if rest.is_empty() {
        return Some(root_rw);
    }
    let child_indent = if root_ends_with_block {
        shape.indent
    } else {
        shape.indent + TAB
    };
    let child_shape = Shape::block(child_indent, 0);

    let mut rewrites = vec![root_rw];
    for c in &rest[..rest.len() - 1] {
        rewrites.push(call(c, child_shape)?);
    }
    let last = &rest[rest.len() - 1];
    let extendable = last_line_extendable(&rewrites[0]);
    let almost_total: usize = if extendable {
        width(last_line(&rewrites[0]))
    } else {
        rewrites.iter().map(|r| width(r)).sum()
    };
    let limit = if child_count == 1 {
        shape.width
    } else {
        shape.width.min(CHAIN_WIDTH)
    };
    let one_line_budget = limit.saturating_sub(almost_total);
    let all_in_one_line = rewrites.iter().all(|r| !r.contains('\n')) && one_line_budget > 0;
    let own_line_shape = child_shape.sub_width(shape.rhs_overhead())?;
    let last_shape = if all_in_one_line {
        shape
    } else if extendable {
        child_shape
    } else {
        own_line_shape
    };

    let mut fits_single_line = false;
    let mut last_rw = None;
    if all_in_one_line || extendable {
        if let Some(one_line_shape) = last_shape.offset_left(almost_total) {
            if let Some(rw) = call(last, one_line_shape) {
                let line_count = rw.lines().count();
                let could_fit = width(first_line(&rw)) <= one_line_budget;
                // On one line it is kept whatever the layout on its own line gives (that
                // has at least one line too), so that layout is not built.
                if could_fit && (line_count >= 5 || line_count <= 1) {
                    last_rw = Some(rw);
                    fits_single_line = all_in_one_line;
                } else {
                    match call(last, own_line_shape) {
                        Some(new_rw) if !could_fit => last_rw = Some(new_rw),
                        Some(new_rw) if new_rw.lines().count() >= line_count => {
                            last_rw = Some(rw);
                            fits_single_line = could_fit && all_in_one_line;
                        }
                        Some(new_rw) => last_rw = Some(new_rw),
                        None => {
                            last_rw = Some(rw);
                            fits_single_line = could_fit && all_in_one_line;
                        }
                    }
                }
            }
        }
    }
    let last_rw = match last_rw {
        Some(rw) => rw,
        None => call(last, last_shape)?,
    };
    rewrites.push(last_rw);

    let connector = if fits_single_line {
        String::new()
    } else {
        if cx.force_one_line {
            return None;
        }
        format!("\n{}", spaces(child_indent))
    };
    let result = rewrites.join(&connector);
    // rustfmt's `wrap_str`: the first line must fit the shape, the others the width.
    let fits = cx.lenient
        || width(first_line(&result)) <= shape.width
            && result.lines().skip(1).all(|l| width(l) <= MAX_WIDTH)
            && (!result.contains('\n')
                || width(last_line(&result)) + shape.rhs_overhead() <= MAX_WIDTH);
    fits.then_some(result)
}

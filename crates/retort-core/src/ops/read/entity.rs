//! The entities `op.create_entity`, `op.replace_entity` and `op.drop_entity` take, as the
//! writer writes them: `View::new(..)`, `Function::procedure(..)`, `Grant::on_table(..)`..
//! with their builder methods, each applied to the real builder.

use super::eval::{arity, chain, err, unknown, R};
use super::syntax::{Expr, Kind};
use super::values::{dialect, string};
use crate::{
    Aggregate, Domain, Entity, Extension, Function, Grant, MaterializedView, Policy,
    RowLevelSecurity, Rule, SchemaComment, Trigger, View,
};

pub(super) fn entity(e: &Expr) -> R<Entity> {
    let (root, calls) = chain(e);
    let Kind::Call(path, args) = &root.kind else {
        return err(root.line, "an entity this reader does not know");
    };
    let s = |i: usize| string(&args[i]);
    // A grant's privilege is a `&str`: only a literal compiles there.
    let lit = |i: usize| match &args[i].kind {
        Kind::Str(s) => Ok(s.clone()),
        _ => err(args[i].line, "expected a string literal"),
    };
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let want = match path.as_slice() {
        ["View" | "MaterializedView" | "SchemaComment" | "Domain", "new"] => 2,
        ["Function" | "Trigger" | "Policy" | "Aggregate" | "Rule", "new"]
        | ["Function", "procedure"] => 3,
        ["Extension" | "RowLevelSecurity", "new"] => 1,
        ["Grant", "on_table" | "on_sequence" | "on_function"] => 3,
        ["Grant", "on_column"] => 4,
        _ => return err(root.line, "an entity this reader does not know"),
    };
    arity(args, want, root.line, &path.join("::"))?;
    let mut x: Entity = match path.as_slice() {
        ["View", _] => View::new(s(0)?, s(1)?).into(),
        ["MaterializedView", _] => MaterializedView::new(s(0)?, s(1)?).into(),
        ["SchemaComment", _] => SchemaComment::new(s(0)?, s(1)?).into(),
        ["Function", "new"] => Function::new(s(0)?, s(1)?, s(2)?).into(),
        ["Function", _] => Function::procedure(s(0)?, s(1)?, s(2)?).into(),
        ["Trigger", _] => Trigger::new(s(0)?, s(1)?, s(2)?).into(),
        ["Policy", _] => Policy::new(s(0)?, s(1)?, s(2)?).into(),
        ["Domain", _] => Domain::new(s(0)?, s(1)?).into(),
        ["Aggregate", _] => Aggregate::new(s(0)?, s(1)?, s(2)?).into(),
        ["Rule", _] => Rule::new(s(0)?, s(1)?, s(2)?).into(),
        ["Extension", _] => Extension::new(s(0)?).into(),
        ["RowLevelSecurity", _] => RowLevelSecurity::new(s(0)?).into(),
        ["Grant", "on_table"] => Grant::on_table(s(0)?, &lit(1)?, s(2)?).into(),
        ["Grant", "on_sequence"] => Grant::on_sequence(s(0)?, &lit(1)?, s(2)?).into(),
        ["Grant", "on_function"] => Grant::on_function(s(0)?, s(1)?, s(2)?).into(),
        _ => Grant::on_column(s(0)?, s(1)?, &lit(2)?, s(3)?).into(),
    };
    for (m, a, l) in calls {
        x = method(x, m, a, l)?;
    }
    Ok(x)
}

/// Applies a builder method every kind has to whichever kind `x` is.
macro_rules! each_kind {
    ($x:expr, $v:ident => $body:expr, [$($k:ident),*], $else:expr) => {
        match $x {
            $(Entity::$k($v) => Entity::$k($body),)*
            #[allow(unreachable_patterns)]
            _ => $else,
        }
    };
}

fn method(x: Entity, m: &str, a: &[Expr], l: u32) -> R<Entity> {
    let no = || unknown(l, m);
    let x = match (m, a.len()) {
        ("only_on", 1) => {
            let d = dialect(&a[0])?;
            each_kind!(x, v => v.only_on(d), [View, MaterializedView, Function, Trigger,
                Extension, SchemaComment, Policy, RowLevelSecurity, Grant, Domain, Aggregate, Rule],
                return no())
        }
        ("in_schema", 1) => {
            let s = string(&a[0])?;
            each_kind!(x, v => v.in_schema(s), [View, MaterializedView, Function, Trigger,
                Extension, Policy, RowLevelSecurity, Grant, Domain, Aggregate, Rule],
                return no())
        }
        ("after", 1) => {
            let s = string(&a[0])?;
            each_kind!(x, v => v.after(s), [View, MaterializedView, Function, Trigger,
                Extension, Policy, RowLevelSecurity, Grant, Domain, Aggregate, Rule],
                return no())
        }
        ("with_no_data", 0) => {
            each_kind!(x, v => v.with_no_data(), [MaterializedView], return no())
        }
        ("index", 2) => {
            let (n, d) = (string(&a[0])?, string(&a[1])?);
            each_kind!(x, v => v.index(n, d), [MaterializedView], return no())
        }
        ("unique_index", 2) => {
            let (n, d) = (string(&a[0])?, string(&a[1])?);
            each_kind!(x, v => v.unique_index(n, d), [MaterializedView], return no())
        }
        ("version", 1) => {
            let s = string(&a[0])?;
            each_kind!(x, v => v.version(s), [Extension], return no())
        }
        ("forced", 0) => each_kind!(x, v => v.forced(), [RowLevelSecurity], return no()),
        ("with_grant_option", 0) => {
            each_kind!(x, v => v.with_grant_option(), [Grant], return no())
        }
        _ => return no(),
    };
    Ok(x)
}

//! [`MysqlCompare`]: the diff's MySQL/MariaDB equality, and [`as_stored`], a model as MySQL
//! keeps it. Between them a database made by `create_all` compares equal to its model
//! (the "no false positives" test in `tests/it/mysql_introspect.rs`), through the classic
//! traps:
//!
//! * types through [`canonical_type`](super::canonical_type) of what the dialect renders:
//!   display widths (`int(11)`), `tinyint(1)` as the boolean, `DECIMAL(p)` as `DECIMAL(p,0)`,
//!   a `Uuid` as the `CHAR(36)` it is stored as, both timestamp kinds as `DATETIME(6)`;
//! * defaults: every spelling of the current time (`now()`, `CURRENT_TIMESTAMP`, MariaDB's
//!   `current_timestamp()`, with a precision) is one default; `TRUE` is `1`; numbers equal
//!   whatever trailing zeros the column's scale adds (`9.9` is `9.90`); a number given as
//!   text on a numeric column is that number; `DEFAULT NULL` is no default;
//! * expressions (checks, generated columns, defaults) without the backticks and the case
//!   MySQL adds, and the spaces it removes;
//! * `RESTRICT`, `NO ACTION` and no action are one referential action (InnoDB checks at
//!   once either way; MariaDB reports `RESTRICT`, MySQL 8 `NO ACTION`);
//! * an `AUTO_INCREMENT` column equals any identity (MySQL has one kind, and its start is a
//!   table option the catalog does not keep).
//!
//! And one thing MySQL cannot do: change a column's type under a foreign key that uses it,
//! so the diff drops such a key around the change (`foreign_keys_block_type_changes`).
//!
//! Charset and collation defaults need nothing here: introspection reports a column's
//! collation only when it differs from its table's.

use retort_core::diff::{sql_text_equal, CompareDialect, ExactCompare};
use retort_core::{
    Check, Column, Computed, FkAction, ForeignKey, IndexTarget, Literal, MetaData, ServerDefault,
    Type, Unique,
};

use crate::Dialect;

use super::ddl::text_bool;
use super::{canonical_type, is_current_timestamp, types, Mysql};

/// See the module notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MysqlCompare;

impl CompareDialect for MysqlCompare {
    fn types_equal(&self, model: &Type, db: &Type) -> bool {
        match (Mysql.column_type(model), Mysql.column_type(db)) {
            (Ok(a), Ok(b)) => canonical_type(&a) == canonical_type(&b),
            _ => model == db,
        }
    }

    fn defaults_equal(&self, model: &ServerDefault, db: &ServerDefault, ty: &Type) -> bool {
        default_key(model, ty) == default_key(db, ty)
    }

    /// MySQL and MariaDB refuse to change a column a foreign key uses ("Cannot change column
    /// 'id': used in a foreign key constraint"), with `foreign_key_checks` off too.
    fn foreign_keys_block_type_changes(&self) -> bool {
        true
    }

    fn identities_equal(&self, model: &Column, db: &Column) -> bool {
        model.identity.is_some() == db.identity.is_some()
    }

    fn computed_equal(&self, model: &Computed, db: &Computed) -> bool {
        model.stored == db.stored && expr_key(&model.expr) == expr_key(&db.expr)
    }

    fn checks_equal(&self, model: &Check, db: &Check) -> bool {
        expr_key(&model.expr) == expr_key(&db.expr)
    }

    fn uniques_equal(&self, model: &Unique, db: &Unique) -> bool {
        ExactCompare.uniques_equal(model, db)
    }

    fn foreign_keys_equal(&self, model: &ForeignKey, db: &ForeignKey) -> bool {
        let action = |a: Option<FkAction>| match a {
            None | Some(FkAction::NoAction) | Some(FkAction::Restrict) => None,
            other => other,
        };
        let plain = |fk: &ForeignKey| {
            let mut fk = fk.clone();
            fk.on_delete = action(fk.on_delete);
            fk.on_update = action(fk.on_update);
            fk
        };
        ExactCompare.foreign_keys_equal(&plain(model), &plain(db))
    }
}

/// A default as a comparable text (see the module notes).
fn default_key(d: &ServerDefault, ty: &Type) -> String {
    let numeric = matches!(
        ty,
        Type::SmallInt
            | Type::Integer
            | Type::BigInt
            | Type::Real
            | Type::Double
            | Type::Numeric { .. }
            | Type::Boolean
    );
    match d {
        ServerDefault::Expr(e) if is_current_timestamp(e) => "current_timestamp".into(),
        ServerDefault::Expr(e) => {
            let k = expr_key(e);
            // MariaDB prints a literal given as an expression as the literal.
            match k.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                Some(text) if numeric && number_key(text).is_some() => {
                    number_key(text).unwrap_or_default()
                }
                _ => number_key(&k).unwrap_or(k),
            }
        }
        ServerDefault::Literal(Literal::Bool(b)) => if *b { "1" } else { "0" }.into(),
        ServerDefault::Literal(Literal::Int(i)) => i.to_string(),
        ServerDefault::Literal(Literal::Number(n)) => number_key(n).unwrap_or_else(|| n.clone()),
        ServerDefault::Literal(Literal::Text(t))
            if *ty == Type::Boolean && text_bool(t).is_some() =>
        {
            if text_bool(t) == Some(true) { "1" } else { "0" }.into()
        }
        ServerDefault::Literal(Literal::Text(t)) if numeric => {
            number_key(t).unwrap_or_else(|| format!("'{t}'"))
        }
        ServerDefault::Literal(Literal::Text(t)) => format!("'{}'", t.replace('\'', "''")),
        ServerDefault::Literal(Literal::Null) => "null".into(),
        ServerDefault::Variant { .. } => format!("{d:?}"),
    }
}

/// A plain decimal number without a sign on zero, leading zeros or trailing fraction zeros.
fn number_key(s: &str) -> Option<String> {
    let s = s.trim();
    if !crate::ansi::quote::is_number(s) || s.contains(['e', 'E']) {
        return None;
    }
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let body = if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    };
    Some(if neg && body != "0" {
        format!("-{body}")
    } else {
        body
    })
}

/// An expression as a comparable text: backticks around names gone, lower case and no
/// spaces outside quotes (except between two words), outer parentheses gone.
pub(crate) fn expr_key(e: &str) -> String {
    let mut out = String::with_capacity(e.len());
    let mut chars = e.trim().chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                if pending_space && out.chars().last().is_some_and(|l| l.is_alphanumeric()) {
                    out.push(' ');
                }
                pending_space = false;
                out.push('\'');
                loop {
                    match chars.next() {
                        None => break,
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            out.push_str("''");
                        }
                        Some('\'') => break,
                        Some('\\') => match chars.next() {
                            Some('\'') => out.push_str("''"),
                            Some(n) => {
                                out.push('\\');
                                out.push(n);
                            }
                            None => out.push('\\'),
                        },
                        Some(q) => out.push(q),
                    }
                }
                out.push('\'');
            }
            '`' => {
                let mut name = String::new();
                while let Some(q) = chars.next() {
                    if q == '`' {
                        if chars.peek() == Some(&'`') {
                            chars.next();
                            name.push('`');
                            continue;
                        }
                        break;
                    }
                    name.push(q);
                }
                if pending_space
                    && out
                        .chars()
                        .last()
                        .is_some_and(|l| l.is_alphanumeric() || l == '_')
                {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(&name.to_lowercase());
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                let word = c.is_alphanumeric() || c == '_';
                if pending_space
                    && word
                    && out
                        .chars()
                        .last()
                        .is_some_and(|l| l.is_alphanumeric() || l == '_' || l == '\'')
                {
                    out.push(' ');
                }
                pending_space = false;
                out.extend(c.to_lowercase());
            }
        }
    }
    let out = synonyms(&out);
    let mut s = out.as_str();
    while s.starts_with('(') && s.ends_with(')') && sql_text_equal(s, &s[1..s.len() - 1]) {
        s = &s[1..s.len() - 1];
    }
    s.to_owned()
}

/// Function names MariaDB stores under another name (`upper` as `ucase`, `CURRENT_DATE` as
/// `curdate()`), each with the one spelling both read as; and `!=` as `<>`. `key` is
/// [`expr_key`]'s lower-case text: quoted text is left alone.
fn synonyms(key: &str) -> String {
    // (written, stored): a bare keyword becomes the call.
    const NAMES: [(&str, &str); 9] = [
        ("ucase", "upper"),
        ("lcase", "lower"),
        ("substr", "substring"),
        ("character_length", "char_length"),
        ("pow", "power"),
        ("length", "octet_length"),
        ("curdate", "current_date"),
        ("curtime", "current_time"),
        ("now", "current_timestamp"),
    ];
    let mut out = String::with_capacity(key.len());
    let mut rest = key;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            let end = rest[1..].find('\'').map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if c.is_alphanumeric() || c == '_' {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            let after = &rest[end..];
            let word = NAMES
                .iter()
                .find(|(w, _)| *w == word)
                .map_or(word, |(_, s)| *s);
            out.push_str(word);
            rest = after;
            // `current_date` and `current_date()` alike (the call's empty parentheses).
            if matches!(word, "current_date" | "current_time" | "current_timestamp") {
                rest = rest.strip_prefix("()").unwrap_or(rest);
            }
        } else if let Some(after) = rest.strip_prefix("!=") {
            out.push_str("<>");
            rest = after;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The model as MySQL keeps it, for autogenerate to compare with (see
/// [`crate::BackendSupport::as_stored`]): the MySQL variants chosen, enum columns as their
/// inline `ENUM(..)` and no enum types, no `DEFAULT NULL`, no primary-key names (MySQL's is
/// always `PRIMARY`), and a unique index on plain columns as the unique constraint MySQL
/// reports it as.
pub fn as_stored(md: &MetaData) -> MetaData {
    let mut out = md.for_dialect(Mysql.kind()).into_owned();
    let source = out.clone();
    for table in out.tables_mut() {
        for column in &mut table.columns {
            let _ = types::inline_enum(
                &Mysql,
                &source,
                table.schema.as_deref(),
                &table.name,
                &mut column.ty,
            );
            if column.server_default == Some(ServerDefault::Literal(Literal::Null)) {
                column.server_default = None;
            }
        }
        if let Some(pk) = &mut table.primary_key {
            pk.name = None;
        }
        let mut kept = Vec::new();
        for index in std::mem::take(&mut table.indexes) {
            let plain = index.unique
                && index.predicate.is_none()
                && index.method.is_none()
                && index.include.is_empty()
                && index.elements.iter().all(|e| {
                    matches!(e.target, IndexTarget::Column(_))
                        && e.order.is_none()
                        && e.collation.is_none()
                        && e.opclass.is_none()
                        && e.nulls.is_none()
                });
            if plain {
                let mut u =
                    Unique::new(index.column_names().map(str::to_owned).collect::<Vec<_>>());
                u.name = index.name.clone();
                table.uniques.push(u);
            } else {
                kept.push(index);
            }
        }
        table.indexes = kept;
    }
    out.enums_mut().clear();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_compare_without_backticks_case_and_spaces() {
        assert_eq!(expr_key("`price` > 0"), expr_key("price > 0"));
        assert_eq!(expr_key("(`price` > 0)"), expr_key("price>0"));
        assert_eq!(
            expr_key("`status` in ('a','b')"),
            expr_key("status IN ('a', 'b')")
        );
        assert_ne!(expr_key("status IN ('A')"), expr_key("status IN ('a')"));
        assert_eq!(expr_key("`a b` = 1"), "a b=1");
    }

    /// MariaDB stores some functions under another name (evolution cases 21 and 49: a
    /// `CURRENT_DATE` default read back as `curdate()`, `upper(last_name)` as
    /// `ucase(`last_name`)`): the same expression, not a change.
    #[test]
    fn expressions_compare_through_the_names_mariadb_stores() {
        for (model, stored) in [
            ("upper(last_name)", "ucase(`last_name`)"),
            ("lower('ABC')", "lcase('ABC')"),
            ("CURRENT_DATE", "curdate()"),
            ("current_date()", "curdate()"),
            ("CURRENT_TIME", "curtime()"),
            ("substring(code, 1, 2)", "substr(`code`,1,2)"),
            ("character_length(a)", "char_length(`a`)"),
            ("power(n, 2)", "pow(`n`,2)"),
            ("length(a)", "octet_length(`a`)"),
            ("n != 1", "`n` <> 1"),
        ] {
            assert_eq!(expr_key(model), expr_key(stored), "{model} / {stored}");
        }
        assert_ne!(expr_key("'ucase'"), expr_key("'upper'"));
        assert_ne!(expr_key("upper(a)"), expr_key("lower(a)"));
        let date = Type::Date;
        assert!(MysqlCompare.defaults_equal(
            &ServerDefault::Expr("CURRENT_DATE".into()),
            &ServerDefault::Expr("curdate()".into()),
            &date
        ));
    }

    #[test]
    fn defaults_compare_as_mysql_stores_them() {
        let c = MysqlCompare;
        let ts = Type::Timestamp { tz: true };
        assert!(c.defaults_equal(
            &ServerDefault::Expr("now()".into()),
            &ServerDefault::Expr("current_timestamp(6)".into()),
            &ts
        ));
        assert!(c.defaults_equal(
            &ServerDefault::Literal(Literal::Bool(true)),
            &ServerDefault::Literal(Literal::Int(1)),
            &Type::Boolean
        ));
        let dec = Type::Numeric {
            precision: Some(10),
            scale: Some(2),
        };
        assert!(c.defaults_equal(
            &ServerDefault::Literal(Literal::Number("9.9".into())),
            &ServerDefault::Literal(Literal::Number("9.90".into())),
            &dec
        ));
        assert!(!c.defaults_equal(
            &ServerDefault::Literal(Literal::Text("a".into())),
            &ServerDefault::Literal(Literal::Text("b".into())),
            &Type::Text
        ));
    }

    /// SQLAlchemy's `server_default="true"` on a boolean (evolution case 91): written as
    /// `TRUE` (TINYINT(1) refused the text), read back as `1`, equal to the model's text.
    #[test]
    fn a_boolean_given_as_text_is_written_and_compared_as_the_boolean() {
        let text = |t: &str| ServerDefault::Literal(Literal::Text(t.into()));
        let col = Column::new("active", Type::Boolean).server_default(text("true"));
        assert_eq!(
            Mysql.column_definition(&col).unwrap(),
            "active TINYINT(1) DEFAULT TRUE"
        );
        let c = MysqlCompare;
        let one = ServerDefault::Literal(Literal::Int(1));
        assert!(c.defaults_equal(&text("true"), &one, &Type::Boolean));
        assert!(c.defaults_equal(
            &text("off"),
            &ServerDefault::Literal(Literal::Int(0)),
            &Type::Boolean
        ));
        assert!(!c.defaults_equal(&text("false"), &one, &Type::Boolean));
        assert!(!c.defaults_equal(&text("true"), &one, &Type::Text));
    }

    #[test]
    fn types_compare_as_mysql_stores_them() {
        let c = MysqlCompare;
        assert!(c.types_equal(&Type::Uuid, &Type::Char(Some(36))));
        assert!(c.types_equal(&Type::Boolean, &Type::Custom("tinyint(1)".into())));
        assert!(c.types_equal(&Type::Integer, &Type::Custom("int(11)".into())));
        assert!(c.types_equal(
            &Type::Timestamp { tz: true },
            &Type::Timestamp { tz: false }
        ));
        assert!(!c.types_equal(&Type::Integer, &Type::BigInt));
        assert!(!c.types_equal(&Type::Varchar(Some(10)), &Type::Varchar(Some(20))));
    }
}

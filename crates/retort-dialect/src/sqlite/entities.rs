//! SQLite's entities: views and triggers, read from `sqlite_schema` (the rows of
//! `queries/sqlite/schema_objects.sql`, which the table rebuild reads too). SQLite keeps the
//! `CREATE` statement as it was written, so the definition is that text after the name
//! (after `AS` for a view), compared as written: no server spelling is needed.

use retort_core::{Entity, Trigger, View};

use crate::table_dependents::TextRow;

/// The text after `CREATE [TEMP|TEMPORARY] <word> [IF NOT EXISTS] <name>`, or `None` if
/// `sql` does not start so.
fn after_name<'a>(sql: &'a str, word: &str) -> Option<&'a str> {
    let mut rest = sql.trim_start();
    let take = |kw: &str, rest: &mut &'a str| -> bool {
        let r = rest.trim_start();
        if r.len() >= kw.len()
            && r[..kw.len()].eq_ignore_ascii_case(kw)
            && r[kw.len()..]
                .starts_with(|c: char| c.is_whitespace() || c == '"' || c == '`' || c == '[')
        {
            *rest = &r[kw.len()..];
            true
        } else {
            false
        }
    };
    if !take("CREATE", &mut rest) {
        return None;
    }
    let _ = take("TEMPORARY", &mut rest) || take("TEMP", &mut rest);
    if !take(word, &mut rest) {
        return None;
    }
    if take("IF", &mut rest) {
        let _ = take("NOT", &mut rest) && take("EXISTS", &mut rest);
    }
    // The name: quoted ("..", `..`, [..]) or bare, possibly `schema.name`.
    let mut r = rest.trim_start();
    loop {
        let end = match r.chars().next()? {
            '"' => closing(r, '"')?,
            '`' => closing(r, '`')?,
            '[' => r.find(']')? + 1,
            _ => r
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(r.len()),
        };
        r = &r[end..];
        match r.strip_prefix('.') {
            Some(next) => r = next,
            None => return Some(r),
        }
    }
}

/// The end (exclusive) of a quoted name starting at 0, doubled quotes inside.
fn closing(s: &str, q: char) -> Option<usize> {
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == q {
            if chars.peek().map(|(_, n)| *n) == Some(q) {
                chars.next();
            } else {
                return Some(i + 1);
            }
        }
    }
    None
}

/// The views and triggers among `rows` (type, name, table, CREATE text).
pub fn build_sqlite_entities(rows: &[TextRow], excluded_tables: &[String]) -> Vec<Entity> {
    let mut out = Vec::new();
    for row in rows {
        let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let (kind, name, table, sql) = (field(0), field(1), field(2), field(3));
        match kind.as_str() {
            "view" => {
                let Some(rest) = after_name(&sql, "VIEW") else {
                    continue;
                };
                let r = rest.trim_start();
                let definition = if r.len() > 2 && r[..2].eq_ignore_ascii_case("AS") {
                    r[2..].trim()
                } else {
                    r
                };
                out.push(View::new(name, definition).into());
            }
            "trigger" if !excluded_tables.contains(&table) => {
                let Some(rest) = after_name(&sql, "TRIGGER") else {
                    continue;
                };
                out.push(Trigger::new(table, name, rest.trim()).into());
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[&str]) -> TextRow {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    #[test]
    fn the_create_text_after_the_name_is_the_definition() {
        let rows = vec![
            row(&["view", "totals", "totals", "CREATE VIEW \"totals\" AS SELECT 1 AS n"]),
            row(&["view", "b", "b", "create temp view if not exists main.[b] as\n  SELECT 2"]),
            row(&[
                "trigger",
                "touch",
                "orders",
                "CREATE TRIGGER \"touch\" AFTER UPDATE ON \"orders\" BEGIN UPDATE orders SET n = 1; END",
            ]),
            row(&["index", "ix", "orders", "CREATE INDEX ix ON orders (n)"]),
            row(&["trigger", "t", "retort_log", "CREATE TRIGGER t AFTER INSERT ON retort_log BEGIN SELECT 1; END"]),
        ];
        let got = build_sqlite_entities(&rows, &["retort_log".to_owned()]);
        assert_eq!(
            got,
            vec![
                Entity::from(View::new("totals", "SELECT 1 AS n")),
                View::new("b", "SELECT 2").into(),
                Trigger::new(
                    "orders",
                    "touch",
                    "AFTER UPDATE ON \"orders\" BEGIN UPDATE orders SET n = 1; END"
                )
                .into(),
            ]
        );
    }
}

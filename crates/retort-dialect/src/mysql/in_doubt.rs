//! Whether a statement a killed run left in doubt took effect.
//!
//! MySQL and MariaDB commit every DDL statement on its own, before and after it. The engine
//! writes an intent row (`upgrade:N?`) in the open transaction just before each statement
//! (the statement's implicit commit makes it durable) and the progress row (`upgrade:N+1`)
//! after it, so a run killed in between leaves the statement *in doubt*: it may have run.
//! Running it again blindly would fail (`CREATE TABLE`: it exists) or, for a statement that
//! is not idempotent, change the schema twice. On `--resume` the engine therefore asks the
//! catalog whether the statement's effect is there, for the statements this module can
//! read: the first clause of each is enough, since DDL is atomic on MySQL 8 and MariaDB
//! 10.6+ (all of the statement took effect, or none of it). Everything else is refused by
//! the engine, naming the statement and what to record once the user has looked.
//!
//! Pure: statement text in, catalog query out (`queries/mysql/object_exists.sql`).

use crate::backend::StatementEffect;

/// One object the catalog is asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Object {
    Table(Name),
    View(Name),
    Column(Name, String),
    Index(Name, String),
    Constraint(Name, String),
    PrimaryKey(Name),
    Trigger(Option<String>, String),
}

/// A table name, perhaps qualified by its database.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Name {
    schema: Option<String>,
    name: String,
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl Object {
    fn describe(&self) -> String {
        match self {
            Object::Table(t) => format!("table {t}"),
            Object::View(v) => format!("view {v}"),
            Object::Column(t, c) => format!("column {t}.{c}"),
            Object::Index(t, i) => format!("index {i} on {t}"),
            Object::Constraint(t, c) => format!("constraint {c} on {t}"),
            Object::PrimaryKey(t) => format!("the primary key of {t}"),
            Object::Trigger(_, n) => format!("trigger {n}"),
        }
    }

    /// `(SELECT COUNT(*) ..)`: how many of this object the catalog has.
    fn count_sql(&self) -> String {
        let (kind, table, name) = match self {
            Object::Table(t) => ("table", t, None),
            Object::View(t) => ("view", t, None),
            Object::Column(t, c) => ("column", t, Some(c.as_str())),
            Object::Index(t, i) => ("index", t, Some(i.as_str())),
            Object::Constraint(t, c) => ("constraint", t, Some(c.as_str())),
            Object::PrimaryKey(t) => ("index", t, Some("PRIMARY")),
            Object::Trigger(schema, n) => {
                return fill(
                    "trigger",
                    &Name {
                        schema: schema.clone(),
                        name: String::new(),
                    },
                    Some(n),
                )
            }
        };
        fill(kind, table, name)
    }
}

fn fill(kind: &str, table: &Name, name: Option<&str>) -> String {
    let sql = include_str!("../../queries/mysql/object_exists.sql");
    let body: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let schema = table
        .schema
        .as_deref()
        .map_or_else(|| "DATABASE()".to_owned(), super::text_literal);
    let values = [
        ("{kind}", super::text_literal(kind)),
        ("{schema}", schema),
        ("{table}", super::text_literal(&table.name)),
        ("{name}", super::text_literal(name.unwrap_or(""))),
    ];
    // One pass over the template: a value is never searched for placeholders again (a
    // table may be called `{name}`).
    let mut out = String::from("(");
    let mut rest = body.trim();
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match values.iter().find(|(key, _)| rest.starts_with(key)) {
            Some((key, value)) => {
                out.push_str(value);
                rest = &rest[key.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.push(')');
    out
}

/// Whether `sql`, a statement a killed run may or may not have run, took effect: the query
/// that tells, or that running it again gives the same schema; `None` when this cannot be
/// read from the statement (the engine then refuses and says what to check).
pub fn statement_effect(sql: &str) -> Option<StatementEffect> {
    let tokens = tokens(sql)?;
    let mut t = Cursor {
        tokens: &tokens,
        at: 0,
    };
    // (object that exists once the statement ran, object that is gone once it ran)
    let (made, gone): (Vec<Object>, Vec<Object>) = if t.word("CREATE") {
        if t.word("OR") {
            // `CREATE OR REPLACE ..` gives the same result however often it runs.
            return t.word("REPLACE").then_some(StatementEffect::Repeatable);
        }
        if t.word("TABLE") {
            if t.words(&["IF", "NOT", "EXISTS"]) {
                return Some(StatementEffect::Repeatable);
            }
            (vec![Object::Table(t.name()?)], vec![])
        } else if t.word("VIEW") {
            (vec![Object::View(t.name()?)], vec![])
        } else if t.word("TRIGGER") {
            let n = t.name()?;
            (vec![Object::Trigger(n.schema, n.name)], vec![])
        } else {
            let _ = t.word("UNIQUE") || t.word("FULLTEXT") || t.word("SPATIAL");
            if !t.word("INDEX") {
                return None;
            }
            if t.words(&["IF", "NOT", "EXISTS"]) {
                return Some(StatementEffect::Repeatable);
            }
            let index = t.ident()?;
            if !t.word("ON") {
                return None;
            }
            (vec![Object::Index(t.name()?, index)], vec![])
        }
    } else if t.word("DROP") {
        if t.word("TABLE") || t.word("VIEW") {
            let view = t.previous_is("VIEW");
            if t.words(&["IF", "EXISTS"]) {
                return Some(StatementEffect::Repeatable);
            }
            let n = t.name()?;
            if !t.at_end() {
                return None; // several tables, or CASCADE: not read
            }
            (
                vec![],
                vec![if view {
                    Object::View(n)
                } else {
                    Object::Table(n)
                }],
            )
        } else if t.word("INDEX") {
            if t.words(&["IF", "EXISTS"]) {
                return Some(StatementEffect::Repeatable);
            }
            let index = t.ident()?;
            if !t.word("ON") {
                return None;
            }
            (vec![], vec![Object::Index(t.name()?, index)])
        } else if t.word("TRIGGER") {
            if t.words(&["IF", "EXISTS"]) {
                return Some(StatementEffect::Repeatable);
            }
            let n = t.name()?;
            (vec![], vec![Object::Trigger(n.schema, n.name)])
        } else {
            return None;
        }
    } else if t.words(&["RENAME", "TABLE"]) {
        let from = t.name()?;
        if !t.word("TO") {
            return None;
        }
        let to = t.name()?;
        if !t.at_end() {
            return None;
        }
        (vec![Object::Table(to)], vec![Object::Table(from)])
    } else if t.words(&["ALTER", "TABLE"]) {
        let table = t.name()?;
        alter_clause(&mut t, table)?
    } else {
        return None;
    };
    if made.is_empty() && gone.is_empty() {
        return Some(StatementEffect::Repeatable);
    }
    let what = made
        .iter()
        .map(|o| format!("{} exists", o.describe()))
        .chain(gone.iter().map(|o| format!("{} is gone", o.describe())))
        .collect::<Vec<_>>()
        .join(" and ");
    let checks: Vec<String> = made
        .iter()
        .map(|o| format!("{} > 0", o.count_sql()))
        .chain(gone.iter().map(|o| format!("{} = 0", o.count_sql())))
        .collect();
    Some(StatementEffect::Ask {
        what,
        sql: format!("SELECT CAST({} AS CHAR)", checks.join(" AND ")),
    })
}

type Effect = (Vec<Object>, Vec<Object>);

/// The first clause of an `ALTER TABLE` (the statement is atomic: the first clause's
/// effect is there exactly when all of them are).
fn alter_clause(t: &mut Cursor<'_>, table: Name) -> Option<Effect> {
    if t.word("ADD") {
        if t.word("CONSTRAINT") {
            let name = t.ident()?;
            return Some((vec![Object::Constraint(table, name)], vec![]));
        }
        if t.words(&["PRIMARY", "KEY"]) {
            return Some((vec![Object::PrimaryKey(table)], vec![]));
        }
        if t.word("UNIQUE") || t.word("INDEX") || t.word("KEY") {
            let _ = t.word("INDEX") || t.word("KEY");
            if t.words(&["IF", "NOT", "EXISTS"]) {
                return Some((vec![], vec![]));
            }
            let name = t.ident()?;
            return Some((vec![Object::Index(table, name)], vec![]));
        }
        if t.word("FOREIGN") || t.word("CHECK") || t.word("FULLTEXT") || t.word("SPATIAL") {
            return None; // unnamed: nothing to look for
        }
        let _ = t.word("COLUMN");
        if t.words(&["IF", "NOT", "EXISTS"]) {
            return Some((vec![], vec![]));
        }
        if t.peek_is("(") {
            return None; // several columns at once: not read
        }
        let column = t.ident()?;
        return Some((vec![Object::Column(table, column)], vec![]));
    }
    if t.word("DROP") {
        if t.words(&["PRIMARY", "KEY"]) {
            return Some((vec![], vec![Object::PrimaryKey(table)]));
        }
        if t.word("CONSTRAINT") || t.word("CHECK") || t.words(&["FOREIGN", "KEY"]) {
            let name = t.ident()?;
            return Some((vec![], vec![Object::Constraint(table, name)]));
        }
        if t.word("INDEX") || t.word("KEY") {
            let name = t.ident()?;
            return Some((vec![], vec![Object::Index(table, name)]));
        }
        let _ = t.word("COLUMN");
        if t.words(&["IF", "EXISTS"]) {
            return Some((vec![], vec![]));
        }
        let column = t.ident()?;
        return Some((vec![], vec![Object::Column(table, column)]));
    }
    if t.word("RENAME") {
        if t.word("COLUMN") {
            let from = t.ident()?;
            if !t.word("TO") {
                return None;
            }
            let to = t.ident()?;
            return Some((
                vec![Object::Column(table.clone(), to)],
                vec![Object::Column(table, from)],
            ));
        }
        if t.word("INDEX") || t.word("KEY") {
            let from = t.ident()?;
            if !t.word("TO") {
                return None;
            }
            let to = t.ident()?;
            return Some((
                vec![Object::Index(table.clone(), to)],
                vec![Object::Index(table, from)],
            ));
        }
        let _ = t.word("TO") || t.word("AS");
        let to = t.name()?;
        return Some((vec![Object::Table(to)], vec![Object::Table(table)]));
    }
    if t.word("CHANGE") {
        let _ = t.word("COLUMN");
        let from = t.ident()?;
        let to = t.ident()?;
        if from.eq_ignore_ascii_case(&to) {
            return Some((vec![], vec![]));
        }
        return Some((
            vec![Object::Column(table.clone(), to)],
            vec![Object::Column(table, from)],
        ));
    }
    // Restating a column or a table option gives the same schema a second time.
    if t.word("MODIFY") || t.word("ALTER") || t.word("COMMENT") || t.word("AUTO_INCREMENT") {
        return Some((vec![], vec![]));
    }
    None
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A bare word, as written.
    Word(String),
    /// A backquoted identifier, unquoted.
    Quoted(String),
    Punct(char),
    /// A string literal or number: something that is not a name.
    Other,
}

/// The statement's tokens, without comments; `None` for text this reader cannot follow.
fn tokens(sql: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                loop {
                    let c = chars.next()?;
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '`' => {
                let mut name = String::new();
                loop {
                    match chars.next()? {
                        '`' if chars.peek() == Some(&'`') => {
                            chars.next();
                            name.push('`');
                        }
                        '`' => break,
                        c => name.push(c),
                    }
                }
                out.push(Token::Quoted(name));
            }
            '\'' | '"' => {
                let quote = c;
                loop {
                    match chars.next()? {
                        '\\' => {
                            chars.next()?;
                        }
                        c if c == quote && chars.peek() == Some(&quote) => {
                            chars.next();
                        }
                        c if c == quote => break,
                        _ => {}
                    }
                }
                out.push(Token::Other);
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut word = c.to_string();
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '$' {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if word.chars().all(|c| c.is_ascii_digit()) {
                    out.push(Token::Other);
                } else {
                    out.push(Token::Word(word));
                }
            }
            c => out.push(Token::Punct(c)),
        }
    }
    while out.last() == Some(&Token::Punct(';')) {
        out.pop();
    }
    Some(out)
}

struct Cursor<'a> {
    tokens: &'a [Token],
    at: usize,
}

impl Cursor<'_> {
    /// Consumes the keyword `kw` when it comes next.
    fn word(&mut self, kw: &str) -> bool {
        match self.tokens.get(self.at) {
            Some(Token::Word(w)) if w.eq_ignore_ascii_case(kw) => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }
    /// Consumes the keywords `kws` when they all come next, else nothing.
    fn words(&mut self, kws: &[&str]) -> bool {
        let start = self.at;
        if kws.iter().all(|k| self.word(k)) {
            true
        } else {
            self.at = start;
            false
        }
    }
    fn previous_is(&self, kw: &str) -> bool {
        matches!(self.at.checked_sub(1).and_then(|i| self.tokens.get(i)), Some(Token::Word(w)) if w.eq_ignore_ascii_case(kw))
    }
    fn peek_is(&self, punct: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Punct(c)) if punct.starts_with(*c))
    }
    fn at_end(&self) -> bool {
        self.at >= self.tokens.len()
    }
    /// An identifier, bare or backquoted.
    fn ident(&mut self) -> Option<String> {
        let name = match self.tokens.get(self.at)? {
            Token::Word(w) => w.clone(),
            Token::Quoted(q) => q.clone(),
            _ => return None,
        };
        self.at += 1;
        Some(name)
    }
    /// A table name, perhaps `db.name`.
    fn name(&mut self) -> Option<Name> {
        let first = self.ident()?;
        if self.tokens.get(self.at) == Some(&Token::Punct('.')) {
            self.at += 1;
            let second = self.ident()?;
            return Some(Name {
                schema: Some(first),
                name: second,
            });
        }
        Some(Name {
            schema: None,
            name: first,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asks(sql: &str) -> String {
        match statement_effect(sql) {
            Some(StatementEffect::Ask { what, .. }) => what,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn statements_that_make_or_drop_an_object_ask_for_it() {
        assert_eq!(
            asks("CREATE TABLE f_one (id INTEGER PRIMARY KEY)"),
            "table f_one exists"
        );
        assert_eq!(
            asks("create table `we``ird` (\n  id int\n)"),
            "table we`ird exists"
        );
        assert_eq!(
            asks("CREATE UNIQUE INDEX `ix_a` ON `db`.`t` (`a`)"),
            "index ix_a on db.t exists"
        );
        assert_eq!(asks("DROP TABLE f_two;"), "table f_two is gone");
        assert_eq!(asks("DROP INDEX ix ON t"), "index ix on t is gone");
        assert_eq!(
            asks("RENAME TABLE a TO b"),
            "table b exists and table a is gone"
        );
        assert_eq!(
            asks("ALTER TABLE `t` ADD COLUMN `c` INT NOT NULL"),
            "column t.c exists"
        );
        assert_eq!(asks("ALTER TABLE t ADD c INT"), "column t.c exists");
        assert_eq!(
            asks("ALTER TABLE t ADD CONSTRAINT `t_a_fkey` FOREIGN KEY (a) REFERENCES p (id)"),
            "constraint t_a_fkey on t exists"
        );
        assert_eq!(asks("ALTER TABLE t DROP COLUMN c"), "column t.c is gone");
        assert_eq!(
            asks("ALTER TABLE t DROP FOREIGN KEY t_a_fkey"),
            "constraint t_a_fkey on t is gone"
        );
        assert_eq!(
            asks("ALTER TABLE t DROP PRIMARY KEY"),
            "the primary key of t is gone"
        );
        assert_eq!(
            asks("ALTER TABLE t RENAME COLUMN a TO b"),
            "column t.b exists and column t.a is gone"
        );
        assert_eq!(
            asks("/* note */ CREATE VIEW v AS SELECT 1"),
            "view v exists"
        );
    }

    #[test]
    fn restating_statements_can_run_again() {
        for sql in [
            "ALTER TABLE t MODIFY COLUMN c BIGINT NOT NULL",
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT 1",
            "ALTER TABLE t COMMENT = 'x'",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS c INT",
            "ALTER TABLE t CHANGE c c BIGINT",
            "CREATE TABLE IF NOT EXISTS t (id INT)",
            "DROP TABLE IF EXISTS t",
            "CREATE OR REPLACE VIEW v AS SELECT 1",
        ] {
            assert_eq!(
                statement_effect(sql),
                Some(StatementEffect::Repeatable),
                "{sql}"
            );
        }
    }

    #[test]
    fn what_cannot_be_read_is_left_to_the_user() {
        for sql in [
            "INSERT INTO t VALUES (1)",
            "UPDATE t SET a = 1",
            "DROP TABLE a, b",
            "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES p (id)",
            "CALL do_things()",
            "CREATE TABLE 'unterminated",
        ] {
            assert_eq!(statement_effect(sql), None, "{sql}");
        }
    }

    #[test]
    fn the_query_quotes_every_name() {
        let Some(StatementEffect::Ask { sql, .. }) =
            statement_effect("CREATE TABLE `it's` (id INT)")
        else {
            panic!("asks");
        };
        assert!(sql.starts_with("SELECT CAST(("), "{sql}");
        assert!(sql.contains("'it''s'"), "{sql}");
        assert!(sql.contains("DATABASE()"), "{sql}");
    }
    /// A name that spells a placeholder (a table called `{name}`) is a name, not a place to
    /// fill: filling one placeholder after another put a literal inside a literal.
    #[test]
    fn a_name_spelling_a_placeholder_is_not_filled_again() {
        let Some(StatementEffect::Ask { sql, .. }) =
            statement_effect("ALTER TABLE `{name}` ADD COLUMN `x\\` INT")
        else {
            panic!("asks");
        };
        assert!(sql.contains("CAST('{name}' AS BINARY)"), "{sql}");
        assert!(sql.contains("COLUMN_NAME = 'x\\\\'"), "{sql}");
    }
}

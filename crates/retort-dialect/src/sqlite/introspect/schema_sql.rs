//! What only the `CREATE TABLE` / `CREATE INDEX` text in `sqlite_schema.sql` tells: constraint
//! names, CHECK expressions, generated-column expressions, `AUTOINCREMENT`, `DEFERRABLE`,
//! index expressions and partial-index predicates. The pragmas tell everything else, and
//! more reliably, so this parser is lenient: it picks out the clauses it knows and steps over
//! the rest (conflict clauses, `COLLATE`, defaults, table options) without judging them.
//! Only text that cannot be tokenized (an unterminated quote) is an error.

use retort_core::{Deferrable, FkMatch};

use super::lexer::{
    matching_close, split_top_level, strip_enclosing, text_of, tokenize, Kind, LexError, Token,
};

/// A `CREATE TABLE` statement, as far as introspection needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TableSql {
    pub columns: Vec<ColumnSql>,
    /// The primary key's constraint name, whether declared on a column or the table.
    pub pk_name: Option<String>,
    pub uniques: Vec<NamedColumns>,
    pub checks: Vec<CheckSql>,
    pub foreign_keys: Vec<ForeignKeySql>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ColumnSql {
    pub name: String,
    pub autoincrement: bool,
    /// The expression of `[GENERATED ALWAYS] AS (expr)`, as written.
    pub generated: Option<String>,
    /// `COLLATE name`, unquoted.
    pub collation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamedColumns {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckSql {
    pub name: Option<String>,
    pub expr: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ForeignKeySql {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub deferrable: Option<Deferrable>,
    /// `MATCH FULL` / `MATCH PARTIAL` as written (`MATCH SIMPLE`, the default, is `None`):
    /// SQLite checks every key as MATCH SIMPLE and its pragma says `NONE`, but keeps the text.
    pub match_type: Option<FkMatch>,
}

/// A `CREATE INDEX` statement: each element's text (`None` for a plain column) and the
/// `WHERE` predicate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IndexSql {
    pub elements: Vec<Option<String>>,
    /// Each element's `COLLATE name`, as written (`None` where the element has none).
    pub collations: Vec<Option<String>>,
    pub predicate: Option<String>,
}

/// Words that end a column's type and start a column constraint.
const COLUMN_CONSTRAINT_WORDS: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
];

/// Words that start a table constraint.
const TABLE_CONSTRAINT_WORDS: &[&str] = &["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

fn is_one_of(t: &Token, words: &[&str]) -> bool {
    words.iter().any(|w| t.is(w))
}

/// Parses a `CREATE TABLE` text. A `CREATE TABLE .. AS SELECT` has no definitions and gives
/// an empty result.
pub(crate) fn parse_create_table(sql: &str) -> Result<TableSql, LexError> {
    let tokens = tokenize(sql)?;
    let mut out = TableSql::default();
    let Some(open) = tokens.iter().position(|t| t.kind == Kind::Open) else {
        return Ok(out);
    };
    // `CREATE TABLE t AS SELECT (..)`: the first parenthesis is not the definition list.
    if tokens[..open].iter().any(|t| t.is("AS")) {
        return Ok(out);
    }
    let close = matching_close(&tokens, open).unwrap_or(tokens.len());
    let body = &tokens[open + 1..close.min(tokens.len())];
    for item in split_top_level(body) {
        let Some(first) = item.first() else { continue };
        if is_one_of(first, TABLE_CONSTRAINT_WORDS) {
            table_constraint(sql, item, &mut out);
        } else {
            column_definition(sql, item, &mut out);
        }
    }
    Ok(out)
}

/// The names in a parenthesised list of indexed columns (`a COLLATE x DESC, "b"`): the first
/// token of each element.
fn name_list(tokens: &[Token]) -> Vec<String> {
    split_top_level(tokens)
        .into_iter()
        .filter_map(|el| el.first().and_then(Token::name).map(str::to_string))
        .collect()
}

/// The tokens inside the parentheses opening at `at`, and the index after the close.
fn group(tokens: &[Token], at: usize) -> Option<(&[Token], usize)> {
    if tokens.get(at)?.kind != Kind::Open {
        return None;
    }
    let close = matching_close(tokens, at)?;
    Some((&tokens[at + 1..close], close + 1))
}

fn table_constraint(sql: &str, item: &[Token], out: &mut TableSql) {
    let mut i = 0;
    let mut name = None;
    if item[0].is("CONSTRAINT") {
        name = item.get(1).and_then(Token::name).map(str::to_string);
        i = 2;
    }
    let Some(head) = item.get(i) else { return };
    let after_key = |i: usize| {
        if item.get(i + 1).is_some_and(|t| t.is("KEY")) {
            i + 2
        } else {
            i + 1
        }
    };
    if head.is("PRIMARY") {
        out.pk_name = name;
    } else if head.is("UNIQUE") {
        if let Some((cols, _)) = group(item, i + 1) {
            out.uniques.push(NamedColumns {
                name,
                columns: name_list(cols),
            });
        }
    } else if head.is("CHECK") {
        if let Some((expr, _)) = group(item, i + 1) {
            out.checks.push(CheckSql {
                name,
                expr: text_of(sql, expr).to_string(),
            });
        }
    } else if head.is("FOREIGN") {
        let at = after_key(i);
        if let Some((cols, next)) = group(item, at) {
            if let Some(fk) = references(&item[next..], name, name_list(cols)) {
                out.foreign_keys.push(fk);
            }
        }
    }
}

/// `REFERENCES t [(..)] [ON ..] [MATCH ..] [[NOT] DEFERRABLE [INITIALLY ..]]`, from the
/// `REFERENCES` word on.
fn references(
    tokens: &[Token],
    name: Option<String>,
    columns: Vec<String>,
) -> Option<ForeignKeySql> {
    if !tokens.first()?.is("REFERENCES") {
        return None;
    }
    let ref_table = tokens.get(1)?.name()?.to_string();
    Some(ForeignKeySql {
        name,
        columns,
        ref_table,
        deferrable: deferrable(&tokens[2..]),
        match_type: match_type(&tokens[2..]),
    })
}

/// `MATCH FULL` or `MATCH PARTIAL` of a foreign-key clause; `MATCH SIMPLE` and none are `None`.
fn match_type(tokens: &[Token]) -> Option<FkMatch> {
    let at = tokens.iter().position(|t| t.is("MATCH"))?;
    let word = tokens.get(at + 1)?;
    if word.is("FULL") {
        Some(FkMatch::Full)
    } else if word.is("PARTIAL") {
        Some(FkMatch::Partial)
    } else {
        None
    }
}

/// The deferral of a foreign-key clause: `NOT DEFERRABLE` and none are `None`; `DEFERRABLE`
/// alone is initially immediate, as in PostgreSQL (and SQLite: only `INITIALLY DEFERRED`
/// defers).
fn deferrable(tokens: &[Token]) -> Option<Deferrable> {
    let at = tokens.iter().position(|t| t.is("DEFERRABLE"))?;
    if at > 0 && tokens[at - 1].is("NOT") {
        return None;
    }
    let deferred = tokens.get(at + 1).is_some_and(|t| t.is("INITIALLY"))
        && tokens.get(at + 2).is_some_and(|t| t.is("DEFERRED"));
    Some(if deferred {
        Deferrable::InitiallyDeferred
    } else {
        Deferrable::InitiallyImmediate
    })
}

fn column_definition(sql: &str, item: &[Token], out: &mut TableSql) {
    let Some(name) = item[0].name() else { return };
    let mut column = ColumnSql {
        name: name.to_string(),
        ..ColumnSql::default()
    };
    // Skip the type (words and a parenthesised size) up to the first constraint word.
    let mut i = 1;
    while i < item.len() && !is_one_of(&item[i], COLUMN_CONSTRAINT_WORDS) {
        i = match group(item, i) {
            Some((_, next)) => next,
            None => i + 1,
        };
    }
    let mut pending_name: Option<String> = None;
    while i < item.len() {
        let t = &item[i];
        if t.is("CONSTRAINT") {
            pending_name = item.get(i + 1).and_then(Token::name).map(str::to_string);
            i += 2;
            continue;
        }
        if t.is("PRIMARY") {
            out.pk_name = pending_name.take();
            i += 1;
        } else if t.is("AUTOINCREMENT") {
            column.autoincrement = true;
            i += 1;
        } else if t.is("UNIQUE") {
            out.uniques.push(NamedColumns {
                name: pending_name.take(),
                columns: vec![column.name.clone()],
            });
            i += 1;
        } else if t.is("CHECK") {
            match group(item, i + 1) {
                Some((expr, next)) => {
                    out.checks.push(CheckSql {
                        name: pending_name.take(),
                        expr: text_of(sql, expr).to_string(),
                    });
                    i = next;
                }
                None => i += 1,
            }
        } else if t.is("DEFAULT") {
            // A default is read from the pragma; step over it (a group, a signed number or
            // one literal) so that nothing in it is taken for a constraint.
            i += 1;
            if matches!(item.get(i).map(|t| &t.kind), Some(Kind::Punct('-' | '+'))) {
                i += 1;
            }
            i = match group(item, i) {
                Some((_, next)) => next,
                None => i + 1,
            };
        } else if t.is("COLLATE") {
            column.collation = item.get(i + 1).and_then(Token::name).map(str::to_string);
            i += 2;
        } else if t.is("REFERENCES") {
            // The clause runs to the next constraint word that cannot belong to it.
            let end = item[i + 1..]
                .iter()
                .position(|t| {
                    is_one_of(
                        t,
                        &[
                            "CONSTRAINT",
                            "PRIMARY",
                            "UNIQUE",
                            "CHECK",
                            "DEFAULT",
                            "COLLATE",
                            "GENERATED",
                            "AS",
                        ],
                    )
                })
                .map_or(item.len(), |n| i + 1 + n);
            if let Some(fk) = references(
                &item[i..end],
                pending_name.take(),
                vec![column.name.clone()],
            ) {
                out.foreign_keys.push(fk);
            }
            i = end;
        } else if t.is("AS") {
            match group(item, i + 1) {
                Some((expr, next)) => {
                    column.generated = Some(text_of(sql, expr).to_string());
                    i = next;
                }
                None => i += 1,
            }
        } else {
            // NOT NULL, NULL, GENERATED ALWAYS, ASC/DESC, ON CONFLICT .., STORED/VIRTUAL.
            i = match group(item, i) {
                Some((_, next)) => next,
                None => i + 1,
            };
        }
    }
    out.columns.push(column);
}

/// Parses a `CREATE [UNIQUE] INDEX name ON t (..) [WHERE ..]` text.
pub(crate) fn parse_create_index(sql: &str) -> Result<IndexSql, LexError> {
    let tokens = tokenize(sql)?;
    let mut out = IndexSql::default();
    let Some(on) = tokens.iter().position(|t| t.is("ON")) else {
        return Ok(out);
    };
    let Some(open) = tokens[on..]
        .iter()
        .position(|t| t.kind == Kind::Open)
        .map(|n| on + n)
    else {
        return Ok(out);
    };
    let Some((body, next)) = group(&tokens, open) else {
        return Ok(out);
    };
    for element in split_top_level(body) {
        let (target, collation) = index_element(sql, element);
        out.elements.push(target);
        out.collations.push(collation);
    }
    if tokens.get(next).is_some_and(|t| t.is("WHERE")) && next + 1 < tokens.len() {
        let mut rest = &tokens[next + 1..];
        if rest.last().is_some_and(|t| t.kind == Kind::Punct(';')) {
            rest = &rest[..rest.len() - 1];
        }
        out.predicate = Some(text_of(sql, rest).to_string());
    }
    Ok(out)
}

/// An index element without its `COLLATE x` and `ASC`/`DESC`: `None` when it is a plain
/// column name, else the expression without enclosing parentheses; and the collation it
/// names, if any (a column's own collation, which SQLite also reports for the index, is not
/// the element's).
fn index_element(sql: &str, mut tokens: &[Token]) -> (Option<String>, Option<String>) {
    if tokens.last().is_some_and(|t| t.is("ASC") || t.is("DESC")) {
        tokens = &tokens[..tokens.len() - 1];
    }
    let mut collation = None;
    if tokens.len() >= 2 && tokens[tokens.len() - 2].is("COLLATE") {
        collation = match &tokens[tokens.len() - 1].kind {
            Kind::Word(w) | Kind::Quoted(w) | Kind::Str(w) => Some(w.clone()),
            _ => None,
        };
        tokens = &tokens[..tokens.len() - 2];
    }
    if tokens.len() == 1 && matches!(tokens[0].kind, Kind::Word(_) | Kind::Quoted(_)) {
        return (None, collation);
    }
    (
        Some(text_of(sql, strip_enclosing(tokens)).to_string()),
        collation,
    )
}

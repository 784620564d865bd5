//! Schema dumps made comparable. Two databases with the same schema must dump the same
//! text; what legitimately differs is left out:
//!
//! * pg_dump's random keys and version lines ([`retort_testkit::normalize_pg_dump`]);
//! * the order of the items inside a `CREATE TABLE (..)`: a column added by a migration
//!   goes last (PostgreSQL and SQLite both append), while `create_all` of the new model
//!   writes it where the model has it, and a downgrade re-adds a dropped column at the
//!   end. Column order is not part of the schema (issue 7, item 13), so items are sorted;
//!   that new columns do go last is checked separately, on the introspected order;
//! * on SQLite, how the stored `CREATE` text is spelled: a rebuilt table's name comes back
//!   quoted from `ALTER TABLE .. RENAME TO`, and `ADD COLUMN` splices its text in with its
//!   own spacing, so items are trimmed and runs of white space made one space. Statements
//!   are sorted, since `sqlite_master` lists them in creation order;
//! * on MariaDB/MySQL (`SHOW CREATE TABLE` of every table, the `AUTO_INCREMENT=n` counter
//!   already left out by the testkit), the same sorting of the table's items: keys,
//!   indexes and constraints are listed in the order they were added, which a migration
//!   and `create_all` need not share.

/// `pg_dump -s` text, normalised (see the module notes).
pub fn normalise_pg(dump: &str) -> String {
    sort_table_bodies(&retort_testkit::normalize_pg_dump(dump, &[]))
}

/// `sqlite_master.sql` statements, normalised (see the module notes).
pub fn normalise_sqlite(statements: &[String]) -> String {
    let mut out: Vec<String> = statements
        .iter()
        .map(|s| {
            let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let unquoted = unquote_created_name(&one_line);
            sort_table_bodies(&unquoted)
        })
        .collect();
    out.sort();
    out.join(";\n") + ";\n"
}

/// `SHOW CREATE TABLE` texts (one a table, by name), normalised (see the module notes).
pub fn normalise_mysql(tables: &[String]) -> String {
    let out: Vec<String> = tables.iter().map(|t| sort_table_bodies(t)).collect();
    out.join(";\n") + ";\n"
}

/// `CREATE TABLE "t" (` -> `CREATE TABLE t (` when `t` needs no quotes.
fn unquote_created_name(sql: &str) -> String {
    const HEAD: &str = "CREATE TABLE \"";
    let Some(rest) = sql.strip_prefix(HEAD) else {
        return sql.to_string();
    };
    match rest.find('"') {
        Some(end)
            if rest[..end]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') =>
        {
            format!("CREATE TABLE {}{}", &rest[..end], &rest[end + 1..])
        }
        _ => sql.to_string(),
    }
}

/// Every `CREATE TABLE name (..)` in `text` with its top-level items trimmed, sorted and
/// written one a line; the rest of the text as it was.
pub fn sort_table_bodies(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("CREATE TABLE ") {
        let Some(open) = rest[at..].find('(').map(|i| at + i) else {
            break;
        };
        let Some(close) = matching_paren(rest, open) else {
            break;
        };
        out.push_str(&rest[..=open]);
        let mut items = split_top_level(&rest[open + 1..close]);
        items.sort();
        out.push('\n');
        for item in items {
            out.push_str("    ");
            out.push_str(&item);
            out.push_str(",\n");
        }
        out.push(')');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The index of the `)` closing the `(` at `open`, skipping quoted text (`'..'`, `"..",`
/// and MySQL's `` `..` ``).
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text[open..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The comma-separated items of `body` at parenthesis depth 0, outside quotes (as in
/// [`matching_paren`]), trimmed and
/// with white space runs made one space.
fn split_top_level(body: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in body.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .map(|i| i.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|i| !i.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_items_are_sorted_and_quotes_respected() {
        let text = "CREATE TABLE public.t (\n    b text DEFAULT 'x, (y',\n    a integer\n);\nCREATE INDEX i ON t (a, b);";
        assert_eq!(
            sort_table_bodies(text),
            "CREATE TABLE public.t (\n    a integer,\n    b text DEFAULT 'x, (y',\n);\nCREATE INDEX i ON t (a, b);"
        );
    }

    #[test]
    fn sqlite_spellings_of_one_table_agree() {
        let created = vec![
            "CREATE TABLE t (id INTEGER NOT NULL, b TEXT, a TEXT, PRIMARY KEY (id))".to_string(),
        ];
        let rebuilt = vec![
            "CREATE TABLE \"t\" (\n  id INTEGER NOT NULL,\n  a TEXT,\n  PRIMARY KEY (id), b TEXT)"
                .to_string(),
        ];
        assert_eq!(normalise_sqlite(&created), normalise_sqlite(&rebuilt));
    }

    #[test]
    fn mysql_items_in_another_order_agree() {
        let created = vec!["CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a,(b` varchar(5) DEFAULT ')',\n  PRIMARY KEY (`id`),\n  KEY `ix_t_a` (`a,(b`)\n) ENGINE=InnoDB".to_string()];
        let migrated = vec!["CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`),\n  KEY `ix_t_a` (`a,(b`),\n  `a,(b` varchar(5) DEFAULT ')'\n) ENGINE=InnoDB".to_string()];
        assert_eq!(normalise_mysql(&created), normalise_mysql(&migrated));
        assert!(normalise_mysql(&created).contains("    `a,(b` varchar(5) DEFAULT ')',\n"));
    }
}

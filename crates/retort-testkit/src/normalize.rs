//! Making two `pg_dump --schema-only` outputs comparable.
//!
//! A dump carries noise that says nothing about the schema: `\restrict`/`\unrestrict`
//! lines with a random key (pg_dump 15.14 and later), the server and pg_dump versions,
//! and, when comparing against Alembic, the version table Alembic keeps. A dump is a
//! sequence of blocks, each opened by a `--` / `-- Name: ...; Type: ...` comment header,
//! so a table is left out by dropping every block whose object is that table or belongs
//! to it (its constraints, indexes, sequences, triggers).

/// Rules for normalising pg_dump output; build with [`DumpNormalizer::new`].
#[derive(Debug, Clone, Default)]
pub struct DumpNormalizer {
    ignored_tables: Vec<String>,
    ignore_owners: bool,
}

impl DumpNormalizer {
    /// Drops the random-key and version lines and collapses runs of blank lines.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also leave out table `name` (unqualified, or `schema.name`) and its dependents.
    pub fn ignore_table(mut self, name: &str) -> Self {
        self.ignored_tables.push(name.to_owned());
        self
    }

    /// Also drop `OWNER TO` statements and `Owner:` header fields, for comparing dumps
    /// made by different roles.
    pub fn ignore_owners(mut self) -> Self {
        self.ignore_owners = true;
        self
    }

    /// The normalised text of `dump`.
    pub fn normalize(&self, dump: &str) -> String {
        let lines: Vec<&str> = dump
            .lines()
            .map(|line| line.trim_end())
            .filter(|line| !is_noise(line))
            .collect();
        let mut out: Vec<String> = Vec::with_capacity(lines.len());
        for block in split_blocks(&lines) {
            if self.is_ignored(block) {
                continue;
            }
            for line in block {
                if self.ignore_owners && is_owner_statement(line) {
                    continue;
                }
                let line = if self.ignore_owners {
                    strip_owner_field(line)
                } else {
                    (*line).to_owned()
                };
                // One blank line wherever there were several: layout is not schema.
                if line.is_empty() && out.last().map_or(true, |last| last.is_empty()) {
                    continue;
                }
                out.push(line);
            }
        }
        while out.last().is_some_and(|last| last.is_empty()) {
            out.pop();
        }
        let mut text = out.join("\n");
        text.push('\n');
        text
    }

    fn is_ignored(&self, block: &[&str]) -> bool {
        if self.ignored_tables.is_empty() {
            return false;
        }
        let Some(header) = block.iter().find_map(|l| l.strip_prefix("-- Name: ")) else {
            return false;
        };
        // "-- Name: orders orders_pkey; Type: CONSTRAINT; ..." names the table first.
        let mut fields = header.split("; ");
        let object = fields.next().unwrap_or("");
        let schema = fields
            .find_map(|field| field.strip_prefix("Schema: "))
            .filter(|schema| *schema != "-");
        let first_word = object.split_whitespace().next().unwrap_or("");
        if self.matches(first_word, schema) {
            return true;
        }
        block
            .iter()
            .filter(|line| !line.starts_with("--"))
            .any(|line| self.statement_targets_ignored(line))
    }

    /// Whether a statement line acts on an ignored table: `TABLE [ONLY] t`, `ON t`
    /// (indexes, triggers) or `OWNED BY t.col` (serial sequences).
    fn statement_targets_ignored(&self, line: &str) -> bool {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        tokens.windows(2).any(|pair| {
            let target = pair[1].trim_end_matches(';');
            match pair[0] {
                "TABLE" | "ONLY" | "ON" => self.matches(table_of(target), schema_of(target)),
                "BY" => {
                    // OWNED BY schema.table.column
                    let parts: Vec<&str> = target.split('.').collect();
                    parts.len() >= 2 && self.matches(parts[parts.len() - 2], None)
                }
                _ => false,
            }
        })
    }

    fn matches(&self, table: &str, schema: Option<&str>) -> bool {
        let table = unquote(table);
        self.ignored_tables
            .iter()
            .any(|ignored| match ignored.split_once('.') {
                Some((want_schema, want_table)) => {
                    want_table == table && schema.map_or(true, |s| unquote(s) == want_schema)
                }
                None => ignored == table,
            })
    }
}

/// Normalise `dump` with the default rules plus `ignored_tables` left out.
pub fn normalize_pg_dump(dump: &str, ignored_tables: &[&str]) -> String {
    ignored_tables
        .iter()
        .fold(DumpNormalizer::new(), |n, t| n.ignore_table(t))
        .normalize(dump)
}

fn is_noise(line: &str) -> bool {
    line.starts_with("\\restrict ")
        || line.starts_with("\\unrestrict ")
        || line.starts_with("-- Dumped from database version")
        || line.starts_with("-- Dumped by pg_dump version")
}

/// Split at every `--` line that opens a comment header (followed by `-- text`).
fn split_blocks<'a>(lines: &'a [&'a str]) -> Vec<&'a [&'a str]> {
    let mut blocks = Vec::new();
    let mut start = 0;
    for i in 1..lines.len() {
        let opens_header = lines[i] == "--"
            && lines.get(i + 1).is_some_and(|next| next.starts_with("-- "))
            && lines[i - 1] != "--"
            && !lines[i - 1].starts_with("-- ");
        if opens_header {
            blocks.push(&lines[start..i]);
            start = i;
        }
    }
    blocks.push(&lines[start..]);
    blocks
}

fn is_owner_statement(line: &str) -> bool {
    line.starts_with("ALTER ") && line.contains(" OWNER TO ")
}

fn strip_owner_field(line: &str) -> String {
    match (line.starts_with("-- Name: "), line.find("; Owner: ")) {
        (true, Some(at)) => line[..at].to_owned(),
        _ => line.to_owned(),
    }
}

/// `public.orders(customer_id)` -> `orders`.
fn table_of(target: &str) -> &str {
    let target = target.split('(').next().unwrap_or(target);
    target.rsplit('.').next().unwrap_or(target)
}

fn schema_of(target: &str) -> Option<&str> {
    let target = target.split('(').next().unwrap_or(target);
    target.rsplit_once('.').map(|(schema, _)| schema)
}

fn unquote(name: &str) -> &str {
    name.trim_matches('"')
}

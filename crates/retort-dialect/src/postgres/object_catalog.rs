//! Reading domains, aggregates and rules back from PostgreSQL's catalog: three more
//! queries for all of them at once (`queries/postgres/{domains,aggregates,rules}.sql`) and
//! the pure builder `postgres::entity_catalog` calls. A domain's definition and an
//! aggregate's options are put together by the query from `pg_type`/`pg_constraint` and
//! `pg_aggregate`, as `pg_dump` does (the server has no `pg_get_*` for either); a rule's is
//! `pg_get_ruledef`'s after the name.

use retort_core::{Aggregate, Domain, Entity, Rule};

use crate::table_dependents::TextRow;

/// The three queries, each with the file it comes from.
pub(crate) const QUERIES: [(&str, &str); 3] = [
    (
        "queries/postgres/domains.sql",
        include_str!("../../queries/postgres/domains.sql"),
    ),
    (
        "queries/postgres/aggregates.sql",
        include_str!("../../queries/postgres/aggregates.sql"),
    ),
    (
        "queries/postgres/rules.sql",
        include_str!("../../queries/postgres/rules.sql"),
    ),
];

/// The rows of the three queries, in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectRows {
    /// Domains, one row each.
    pub domains: Vec<TextRow>,
    /// Aggregates, one row each.
    pub aggregates: Vec<TextRow>,
    /// Rules (not views' `_RETURN`), one row each.
    pub rules: Vec<TextRow>,
}

fn field(row: &TextRow, i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

/// `pg_get_ruledef`'s text after `CREATE RULE name`, without the final `;`: what
/// [`Rule::definition`] holds.
fn rule_text(def: &str, spelled_name: &str) -> String {
    let t = def.trim();
    let t = t
        .strip_prefix(&format!("CREATE RULE {spelled_name} "))
        .unwrap_or(t);
    t.strip_suffix(';').unwrap_or(t).trim().to_owned()
}

/// The rows as entities with their object ids; objects of `default_schema` carry no schema,
/// as tables there do.
pub fn build_objects(rows: &ObjectRows, default_schema: &str) -> Vec<(u32, Entity)> {
    let schema = |s: String| (s != default_schema).then_some(s);
    let mut out: Vec<(u32, Entity)> = Vec::new();
    for row in &rows.domains {
        let d = Domain {
            schema: schema(field(row, 0)),
            name: field(row, 1),
            definition: field(row, 2),
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((field(row, 3).parse().unwrap_or(0), d.into()));
    }
    for row in &rows.aggregates {
        let a = Aggregate {
            schema: schema(field(row, 0)),
            name: field(row, 1),
            arguments: field(row, 2),
            definition: field(row, 3),
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((field(row, 4).parse().unwrap_or(0), a.into()));
    }
    for row in &rows.rules {
        let r = Rule {
            schema: schema(field(row, 0)),
            table: field(row, 1),
            name: field(row, 2),
            definition: rule_text(&field(row, 4), &field(row, 3)),
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((field(row, 5).parse().unwrap_or(0), r.into()));
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
    fn rows_become_domains_aggregates_and_rules() {
        let rows = ObjectRows {
            domains: vec![row(&[
                "public",
                "year",
                "AS integer CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))",
                "21",
            ])],
            aggregates: vec![row(&[
                "app",
                "group_concat",
                "text",
                "(SFUNC = app._group_concat, STYPE = text)",
                "22",
            ])],
            rules: vec![row(&[
                "public",
                "payment",
                "Insert Here",
                "\"Insert Here\"",
                "CREATE RULE \"Insert Here\" AS\n    ON INSERT TO public.payment DO INSTEAD NOTHING;",
                "23",
            ])],
        };
        let got = build_objects(&rows, "public");
        let keys: Vec<String> = got.iter().map(|(_, e)| e.key().to_string()).collect();
        assert_eq!(
            keys,
            [
                "domain year",
                "aggregate app.group_concat(text)",
                "rule Insert Here on payment"
            ]
        );
        assert_eq!(
            got[2].1.definition(),
            "AS\n    ON INSERT TO public.payment DO INSTEAD NOTHING"
        );
        assert_eq!(
            got.iter().map(|(o, _)| *o).collect::<Vec<_>>(),
            [21, 22, 23]
        );
    }
}

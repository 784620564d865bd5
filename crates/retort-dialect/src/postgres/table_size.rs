//! The size of a table as the catalog has it (`queries/postgres/table_size.sql`), for the
//! lint's rules that only matter on large tables.

use crate::Dialect as _;

/// The query for the size in bytes of `schema.table` (`schema` `None`: the current
/// schema), the names written in as escaped literals for a driver that runs text without
/// parameters. One row (the size as text), or none when there is no such table.
pub fn table_size_sql(schema: Option<&str>, table: &str) -> String {
    let lit = |s: &str| {
        super::Postgres
            .string_literal(s)
            .unwrap_or_else(|_| "NULL::text".to_owned())
    };
    let schema = schema.map_or_else(|| "NULL::text".to_owned(), lit);
    // One pass over the template: a name holding `$2` must not be filled in again.
    include_str!("../../queries/postgres/table_size.sql")
        .split("$2")
        .map(|piece| piece.replace("$1", &schema))
        .collect::<Vec<_>>()
        .join(&lit(table))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_escaped_literals() {
        let sql = super::table_size_sql(None, "o'brien");
        assert!(sql.contains("c.relname = 'o''brien'"), "{sql}");
        assert!(
            sql.contains("COALESCE(NULL::text, current_schema())"),
            "{sql}"
        );
        let sql = super::table_size_sql(Some("$2"), "t");
        assert!(sql.contains("COALESCE('$2', current_schema())"), "{sql}");
    }
}

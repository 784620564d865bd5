//! Sequence rows -> serial columns and standalone sequences (see the module notes of
//! `introspect`).

use retort_core::{Sequence, SequenceOptions, Serial, ServerDefault, Table};

use super::rows::RowReader;
use super::{parse_pg_type, CatalogQuery, IntrospectError, IntrospectOptions};

/// Reads the sequence rows: the sequences serial columns own go into their columns, the
/// others are returned, ordered by schema then name.
pub(super) fn attach_sequences(
    rows: &[super::rows::Row],
    options: &IntrospectOptions,
    tables: &mut [Table],
) -> Result<Vec<Sequence>, IntrospectError> {
    let mut standalone = Vec::new();
    for row in rows {
        let r = RowReader::new(CatalogQuery::Sequences, row)?;
        let schema = r.text(0, "schema")?.to_string();
        let ty = parse_pg_type(r.text(2, "data type")?);
        let options_read = SequenceOptions {
            start: Some(r.int(3, "start")?),
            increment: Some(r.int(4, "increment")?),
            minvalue: Some(r.int(5, "minvalue")?),
            maxvalue: Some(r.int(6, "maxvalue")?),
            cycle: r.flag(7, "cycle")?,
            cache: Some(r.int(8, "cache")?),
        };
        let mut seq = Sequence::new(r.text(1, "sequence name")?)
            .data_type(ty.clone())
            .options(options_read.minimal(&ty));
        seq.schema = options.local_schema(&schema);
        seq.last_value = r.opt_int(12, "last value")?;
        let owner = match (r.opt(9), r.opt(10), r.opt(11)) {
            (Some(s), Some(t), Some(c)) => Some((s, t, c)),
            _ => None,
        };
        if let Some((owner_schema, table, column)) = owner {
            let local = options.local_schema(owner_schema);
            let t = tables
                .iter_mut()
                .find(|t| t.name == table && t.schema == local);
            if let Some(t) = t {
                let tname = t.name.clone();
                if let Some(c) = t.columns.iter_mut().find(|c| c.name == column) {
                    let uses_it = c
                        .server_default
                        .as_ref()
                        .is_some_and(|d| nextval_of(d).is_some_and(|n| n == seq.name));
                    if uses_it && c.ty == seq.ty && c.identity.is_none() {
                        c.serial = Some(Box::new(Serial::from_sequence(&seq, &tname, column)));
                        c.server_default = None;
                        continue;
                    }
                }
            }
            if local == seq.schema {
                seq = seq.owned_by(table, column);
            }
        }
        standalone.push((schema, seq));
    }
    standalone.sort_by(|(s1, a), (s2, b)| (s1, &a.name).cmp(&(s2, &b.name)));
    Ok(standalone.into_iter().map(|(_, s)| s).collect())
}

/// The sequence name of a `nextval('[schema.]name'::regclass)` default, unquoted.
pub(crate) fn nextval_of(default: &ServerDefault) -> Option<String> {
    let ServerDefault::Expr(sql) = default else {
        return None;
    };
    let inner = sql
        .trim()
        .strip_prefix("nextval('")?
        .strip_suffix("'::regclass)")?
        .replace("''", "'");
    let last = split_last_identifier(&inner);
    Some(
        match last.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            Some(q) => q.replace("\"\"", "\""),
            None => last.to_string(),
        },
    )
}

/// The last dot-separated part of a qualified name, dots inside quotes kept.
fn split_last_identifier(s: &str) -> &str {
    let mut quoted = false;
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '.' if !quoted => start = i + 1,
            _ => {}
        }
    }
    &s[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_of_a_nextval_default() {
        let n = |s: &str| nextval_of(&ServerDefault::expr(s));
        assert_eq!(
            n("nextval('t_id_seq'::regclass)").as_deref(),
            Some("t_id_seq")
        );
        assert_eq!(
            n("nextval('app.t_id_seq'::regclass)").as_deref(),
            Some("t_id_seq")
        );
        assert_eq!(
            n("nextval('\"a.b\".\"X\"\"y\"'::regclass)").as_deref(),
            Some("X\"y")
        );
        assert_eq!(n("nextval('it''s'::regclass)").as_deref(), Some("it's"));
        assert_eq!(n("now()"), None);
    }
}

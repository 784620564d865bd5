//! Where an op is in its revision file: revisions are Rust, so the op's line is found by
//! the recorder call that records it (`op.drop_column(`), in order, inside the script's
//! `fn upgrade` or `fn downgrade`. An op recorded through a helper or a loop may not be
//! found; its line is then the function's own, and the finding says so.

use retort_core::ops::Op;

/// The 1-based line of each of `ops` in `source`'s function `function` (`upgrade`,
/// `downgrade`), and whether it was found exactly (else the function's line, or `None`
/// when the function itself is not found).
pub fn op_lines(source: &str, function: &str, ops: &[Op]) -> Vec<(Option<usize>, bool)> {
    let Some(start) = find_fn(source, function) else {
        return vec![(None, false); ops.len()];
    };
    let fn_line = line_of(source, start);
    // The function ends where the next top-level item starts.
    let end = source[start..]
        .match_indices("\nfn ")
        .chain(source[start..].match_indices("\npub fn "))
        .map(|(i, _)| start + i)
        .filter(|&i| i > start)
        .min()
        .unwrap_or(source.len());
    let body = &source[start..end];
    let mut cursor = 0;
    // Lines are counted from the last match on, not from the top of the file for each op
    // (quadratic: most of autogenerate's time at 10,000 tables).
    let (mut counted_to, mut line) = (start, fn_line);
    ops.iter()
        .map(|op| {
            let call = op.call();
            let method = call.split('(').next().unwrap_or_default();
            let needle = format!(".{method}(");
            match body[cursor..].find(&needle) {
                Some(i) => {
                    let at = cursor + i;
                    cursor = at + needle.len();
                    line += source[counted_to..start + at].matches('\n').count();
                    counted_to = start + at;
                    (Some(line), true)
                }
                None => (Some(fn_line), false),
            }
        })
        .collect()
}

fn find_fn(source: &str, function: &str) -> Option<usize> {
    let needle = format!("fn {function}(");
    source.match_indices(&needle).map(|(i, _)| i).next()
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use retort_core::ops::Operations;

    use super::*;

    #[test]
    fn ops_are_found_in_order_in_their_function() {
        let source = "//! x\nuse a;\n\npub fn upgrade(op: &mut Operations) {\n    op.create_table(\"t\", |t| {\n        t.column(\"id\", Type::Integer);\n    });\n    op.drop_column(\"t\", \"a\");\n    op.drop_column(\"t\", \"b\");\n}\n\npub fn downgrade(op: &mut Operations) {\n    op.drop_table(\"t\");\n}\n";
        let mut op = Operations::new();
        op.create_table("t", |t| {
            t.column("id", retort_core::Type::Integer);
        });
        op.drop_column("t", "a");
        op.drop_column("t", "b");
        op.drop_table("x");
        let ops = op.into_ops();
        let lines = op_lines(source, "upgrade", &ops);
        assert_eq!(
            lines,
            vec![
                (Some(5), true),
                (Some(8), true),
                (Some(9), true),
                (Some(4), false)
            ]
        );
        let down = op_lines(source, "downgrade", &ops[3..]);
        assert_eq!(down, vec![(Some(13), true)]);
    }
}

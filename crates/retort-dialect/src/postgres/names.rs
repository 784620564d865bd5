//! The names PostgreSQL gives unnamed constraints, so a foreign key that Retort must add and
//! drop by name (one that closes a cycle) gets exactly the name the server would give it.
//!
//! This follows `ChooseConstraintName` and `makeObjectName` in PostgreSQL's
//! `src/backend/commands/indexcmds.c`: `table_col1_col2_fkey`, the column part stopping once
//! it reaches `NAMEDATALEN`, and the table and column parts shortened, longer one first,
//! until the whole fits in 63 bytes, never splitting a UTF-8 character. (The server adds a
//! number when the name is taken; Retort states the name, so a clash is an error instead.)

/// PostgreSQL's `NAMEDATALEN - 1`: the longest name it keeps.
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// The name PostgreSQL gives an unnamed foreign key on `table` over `columns`.
pub fn foreign_key_name(table: &str, columns: &[String]) -> String {
    let mut cols = String::new();
    for c in columns {
        if !cols.is_empty() {
            cols.push('_');
        }
        cols.push_str(c);
        if cols.len() > MAX_IDENTIFIER_LEN {
            break;
        }
    }
    make_object_name(table, &cols, "fkey")
}

/// `name1_name2_label`, with `name1` and `name2` shortened to fit (see the module notes).
pub fn make_object_name(name1: &str, name2: &str, label: &str) -> String {
    let overhead = label.len() + 1 + if name2.is_empty() { 0 } else { 1 };
    let avail = MAX_IDENTIFIER_LEN.saturating_sub(overhead);
    let (mut n1, mut n2) = (name1.len(), name2.len());
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = String::from(clip(name1, n1));
    if !name2.is_empty() {
        out.push('_');
        out.push_str(clip(name2, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// The longest prefix of `s` of at most `len` bytes that ends on a character boundary.
fn clip(s: &str, mut len: usize) -> &str {
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    &s[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_joined() {
        assert_eq!(
            foreign_key_name("orders", &["customer_id".into()]),
            "orders_customer_id_fkey"
        );
        assert_eq!(
            foreign_key_name("t", &["a".into(), "b".into()]),
            "t_a_b_fkey"
        );
    }

    #[test]
    fn long_names_are_cut_longer_part_first_to_63_bytes() {
        let table = "t".repeat(50);
        let name = foreign_key_name(&table, &["c".repeat(30)]);
        assert_eq!(name.len(), 63);
        // 63 - "_fkey" - "_" = 57 bytes shared: 29 + 28, the table keeps the odd byte.
        assert_eq!(name, format!("{}_{}_fkey", "t".repeat(29), "c".repeat(28)));
    }

    #[test]
    fn cuts_never_split_a_character() {
        let name = make_object_name(&"é".repeat(40), "x", "fkey");
        assert!(name.len() <= 63);
        assert!(name.ends_with("_x_fkey"));
    }
}

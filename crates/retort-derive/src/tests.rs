//! Expansion snapshots (reviewed by hand: they are the contract of what the derives emit).

use quote::quote;

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("derive output is a valid file");
    prettyplease::unparse(&file)
}

fn model(input: proc_macro2::TokenStream) -> String {
    pretty(crate::derive_model_inner(input).expect("the model derives"))
}

fn model_error(input: proc_macro2::TokenStream) -> Vec<String> {
    match crate::derive_model_inner(input) {
        Ok(_) => panic!("expected the derive to fail"),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn seed_customer_expansion() {
    insta::assert_snapshot!(model(quote! {
        #[retort(table = "customers")]
        pub struct Customer {
            #[retort(primary_key, identity = "always")]
            pub customer_id: i32,
            pub first_name: String,
            pub email_address: Option<String>,
            #[retort(back_populates = "customer", cascade = "all, delete-orphan")]
            pub orders: HasMany<Order>,
        }
    }));
}

#[test]
fn seed_order_expansion() {
    insta::assert_snapshot!(model(quote! {
        #[retort(table = "orders")]
        pub struct Order {
            #[retort(primary_key, identity = "always")]
            pub order_id: i32,
            #[retort(foreign_key = "customers.customer_id", on_delete = "cascade")]
            pub customer_id: i32,
            #[retort(server_default = "now()")]
            pub order_date: chrono::DateTime<chrono::Utc>,
            #[retort(back_populates = "orders")]
            pub customer: BelongsTo<Customer>,
        }
    }));
}

#[test]
fn every_attribute_expansion() {
    insta::assert_snapshot!(model(quote! {
        #[retort(
            schema = "shop",
            comment = "Line items",
            primary_key(columns("order_id", "line_no"), name = "pk_line"),
            unique(columns("order_id", "sku")),
            index(columns("sku"), expr = "lower(note)", name = "ix_line_sku", unique,
                  method = "btree", include("qty"), where = "qty > 0"),
            check(expr = "qty > 0", name = "ck_qty"),
            foreign_key(columns("order_id", "tenant"), references = "shop.orders(order_id, tenant)",
                        on_delete = "set null", on_update = "restrict", name = "fk_line_order",
                        initially_deferred)
        )]
        pub struct OrderLine {
            pub order_id: i64,
            pub line_no: i16,
            pub tenant: i32,
            #[retort(identity = "by_default", identity_start = 100, identity_increment = 5, column = "seq")]
            pub sequence: i64,
            #[retort(varchar(32), unique, index)]
            pub sku: String,
            #[retort(default_value = 1)]
            pub qty: i32,
            #[retort(numeric(10, 2), default_value = 9.99)]
            pub price: rust_decimal::Decimal,
            #[retort(default_value = "n/a", text, comment = "free text")]
            pub note: Option<String>,
            #[retort(default_value = false)]
            pub gift: bool,
            #[retort(computed = "price * qty")]
            pub total: Option<f64>,
            #[retort(sql_type = "tsvector", nullable)]
            pub search: Search,
            #[retort(foreign_key = "catalog.products.product_id", on_update = "cascade",
                     deferrable, fk_name = "fk_line_product")]
            pub product_id: Option<i32>,
            #[retort(secondary = "line_tags", through = LineTag, back_populates = "lines")]
            pub tags: ManyToMany<Tag>,
            pub gift_card: retort::HasOne<GiftCard>,
        }
    }));
}

/// Identity sequence options, `length` through arrays, and index elements with options.
#[test]
fn identity_options_arrays_and_index_elements_expansion() {
    insta::assert_snapshot!(model(quote! {
        #[retort(
            index(columns(created_at(desc, nulls_last), "title"(collate = "C", opclass = "text_pattern_ops")),
                  expr("lower(title)", asc, nulls_first)),
        )]
        pub struct Event {
            #[retort(primary_key, identity = "always", identity_minvalue = -5, identity_maxvalue = 500,
                     identity_cycle, identity_cache = 10)]
            pub id: i32,
            pub created_at: i64,
            pub title: String,
            #[retort(length = 20)]
            pub grid: Vec<Vec<String>>,
        }
    }));
}

#[test]
fn db_enum_expansion() {
    let out = crate::derive_db_enum_inner(quote! {
        #[retort(name = "order_status", schema = "shop")]
        pub enum OrderStatus {
            Pending,
            #[retort(rename = "on-hold")]
            OnHold,
            ShippedToCustomer,
        }
    })
    .expect("the enum derives");
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn default_table_name_is_snake_case_not_plural() {
    let out = model(quote! {
        struct OrderItem { id: i32 }
    });
    assert!(
        out.contains("const TABLE_NAME: &'static str = \"order_item\";"),
        "{out}"
    );
}

#[test]
fn independent_problems_are_reported_together() {
    let errors = model_error(quote! {
        #[retort(tabel = "x")]
        struct T {
            #[retort(identity = "sometimes")]
            id: i32,
            #[retort(on_delete = "cascade")]
            other: i32,
        }
    });
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].contains("unknown attribute `tabel`")
            && errors[0].contains("did you mean `table`")
    );
    assert!(errors[1].contains("unknown identity kind \"sometimes\""));
    assert!(errors[2].contains("`on_delete` belongs to a foreign key"));
}

#[test]
fn keywords_are_accepted_as_keys() {
    // `where` is a Rust keyword; syn::Meta would reject it.
    let out = model(quote! {
        #[retort(index(columns("a"), where = "a > 0"))]
        struct T { a: i32 }
    });
    assert!(out.contains("String::from(\"a > 0\")"), "{out}");
}

#[test]
fn nullable_column_of_a_struct_level_primary_key_is_an_error() {
    let errors = model_error(quote! {
        #[retort(primary_key(columns("a", "b")))]
        struct T {
            a: i32,
            #[retort(nullable)]
            b: i32,
        }
    });
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("`nullable` on field `b` contradicts the primary key"),
        "{errors:#?}"
    );
}

/// The attribute reference: the README's "Every attribute" block is the crate docs' (which
/// rustdoc compiles and runs), and it uses every key each derive accepts, so a key added to
/// the parser without an example fails here.
mod attribute_reference {
    use std::collections::BTreeSet;

    use proc_macro2::{TokenStream, TokenTree};

    fn fenced_after(text: &str, heading: &str) -> String {
        let at = text
            .find(heading)
            .unwrap_or_else(|| panic!("no `{heading}` section"));
        let rest = &text[at..];
        let open = rest.find("```").expect("a fenced block after the heading");
        let body = &rest[open..];
        let body = &body[body.find('\n').expect("the fence line ends") + 1..];
        body[..body.find("```").expect("the block is closed")].to_string()
    }

    fn readme_block() -> String {
        let readme = include_str!("../../../README.md");
        fenced_after(readme, "### Every attribute")
    }

    fn docs_block() -> String {
        let docs: String = include_str!("lib.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        fenced_after(&docs, "# Every attribute, in one example")
    }

    /// Every identifier written inside a `#[retort(..)]` of the block, at any depth.
    fn keys_used(block: &str) -> BTreeSet<String> {
        fn idents(tokens: TokenStream, out: &mut BTreeSet<String>) {
            for t in tokens {
                match t {
                    TokenTree::Ident(i) => {
                        out.insert(i.to_string());
                    }
                    TokenTree::Group(g) => idents(g.stream(), out),
                    _ => {}
                }
            }
        }
        // The block is a doc test: items, then statements. Wrap it to parse it.
        let file: syn::File = syn::parse_str(&format!("fn main() {{ {block} }}"))
            .expect("the reference block parses as Rust");
        let mut out = BTreeSet::new();
        let mut attrs = Vec::new();
        fn collect(item: &syn::Item, attrs: &mut Vec<syn::Attribute>) {
            match item {
                syn::Item::Struct(s) => {
                    attrs.extend(s.attrs.iter().cloned());
                    for f in &s.fields {
                        attrs.extend(f.attrs.iter().cloned());
                    }
                }
                syn::Item::Enum(e) => {
                    attrs.extend(e.attrs.iter().cloned());
                    for v in &e.variants {
                        attrs.extend(v.attrs.iter().cloned());
                    }
                }
                syn::Item::Fn(f) => {
                    for s in &f.block.stmts {
                        if let syn::Stmt::Item(i) = s {
                            collect(i, attrs);
                        }
                    }
                }
                _ => {}
            }
        }
        for item in &file.items {
            collect(item, &mut attrs);
        }
        for a in attrs.iter().filter(|a| a.path().is_ident("retort")) {
            if let syn::Meta::List(list) = &a.meta {
                idents(list.tokens.clone(), &mut out);
            }
        }
        out
    }

    #[test]
    fn readme_block_is_the_documented_one() {
        let (readme, docs) = (readme_block(), docs_block());
        let differ = readme
            .lines()
            .zip(docs.lines())
            .enumerate()
            .find(|(_, (r, d))| r != d)
            .map(|(n, (r, d))| {
                format!("line {} of the block:\n  README: {r}\n  docs:   {d}", n + 1)
            })
            .unwrap_or_else(|| "one block is longer than the other".into());
        assert!(
            readme == docs,
            "README.md's `### Every attribute` block and the crate docs' `# Every attribute, in one \
             example` block differ (make them the same; the docs' one is compiled): {differ}"
        );
    }

    #[test]
    fn the_reference_uses_every_key() {
        let used = keys_used(&docs_block());
        let lists: &[(&str, &[&str])] = &[
            ("struct", crate::model::STRUCT_KEYS),
            ("column", crate::field::COLUMN_KEYS),
            ("relationship", crate::field::RELATIONSHIP_KEYS),
            ("unique(..)", crate::constraint::UNIQUE_KEYS),
            ("primary_key(..)", crate::constraint::PRIMARY_KEY_KEYS),
            ("index(..)", crate::constraint::INDEX_KEYS),
            ("check(..)", crate::constraint::CHECK_KEYS),
            ("foreign_key(..)", crate::constraint::FOREIGN_KEY_KEYS),
            ("exclude(..)", crate::exclude::KEYS),
            ("sequence(..)", crate::constraint::SEQUENCE_KEYS),
            ("exclude element", crate::exclude::ELEMENT_KEYS),
            ("index element", crate::index_element::OPTION_KEYS),
            ("variant default", crate::variant::KEYS),
            ("DbEnum", crate::db_enum::ENUM_KEYS),
            ("DbEnum variant", crate::db_enum::ENUM_VALUE_KEYS),
        ];
        let type_keys = crate::field::type_keys();
        let variant_keys: Vec<&str> = crate::variant::VARIANT_KEYS
            .iter()
            .map(|(k, _)| *k)
            .collect();
        let mut missing = Vec::new();
        for (what, keys) in lists.iter().copied().chain([
            ("column type", &type_keys[..]),
            ("dialect variant", &variant_keys[..]),
        ]) {
            for k in keys {
                if !used.contains(*k) {
                    missing.push(format!("{what}: `{k}`"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "the attribute reference (README.md `### Every attribute`, crate docs) has no example of:\n  {}",
            missing.join("\n  ")
        );
    }

    /// The parser's own dispatch, read from its source: every `match` on a key whose
    /// fallback arm reports an unknown key (`unknown_key..`), in each parsing module.
    /// Returns each such match's literal keys, and the identifiers its guard arms test a key
    /// with (`k if is_variant_key(k)`), per file.
    fn dispatched_keys() -> Vec<(&'static str, BTreeSet<String>, BTreeSet<String>)> {
        use proc_macro2::{Delimiter, Spacing};

        fn is_punct(t: &TokenTree, c: char) -> bool {
            matches!(t, TokenTree::Punct(p) if p.as_char() == c)
        }
        /// The arms of a match body: (pattern tokens, body tokens) at its top level.
        fn arms(body: TokenStream) -> Vec<(Vec<TokenTree>, Vec<TokenTree>)> {
            let tokens: Vec<TokenTree> = body.into_iter().collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < tokens.len() {
                let mut pattern = Vec::new();
                // The pattern runs to `=>`.
                while i < tokens.len() {
                    if let (TokenTree::Punct(p), Some(next)) = (&tokens[i], tokens.get(i + 1)) {
                        if p.as_char() == '='
                            && p.spacing() == Spacing::Joint
                            && is_punct(next, '>')
                        {
                            i += 2;
                            break;
                        }
                    }
                    pattern.push(tokens[i].clone());
                    i += 1;
                }
                // The body: a block, or everything to the next comma at this level.
                let mut body = Vec::new();
                if let Some(TokenTree::Group(g)) = tokens.get(i) {
                    if g.delimiter() == Delimiter::Brace {
                        body.push(tokens[i].clone());
                        i += 1;
                        if tokens.get(i).is_some_and(|t| is_punct(t, ',')) {
                            i += 1;
                        }
                        out.push((pattern, body));
                        continue;
                    }
                }
                while i < tokens.len() && !is_punct(&tokens[i], ',') {
                    body.push(tokens[i].clone());
                    i += 1;
                }
                i += 1;
                out.push((pattern, body));
            }
            out
        }
        fn mentions_unknown(tokens: &[TokenTree]) -> bool {
            tokens.iter().any(|t| match t {
                TokenTree::Ident(i) => i.to_string().starts_with("unknown_"),
                TokenTree::Group(g) => {
                    mentions_unknown(&g.stream().into_iter().collect::<Vec<_>>())
                }
                _ => false,
            })
        }
        fn walk(
            tokens: TokenStream,
            keys: &mut BTreeSet<String>,
            guards: &mut BTreeSet<String>,
            found: &mut usize,
        ) {
            let tokens: Vec<TokenTree> = tokens.into_iter().collect();
            for (n, t) in tokens.iter().enumerate() {
                let TokenTree::Group(g) = t else {
                    continue;
                };
                walk(g.stream(), keys, guards, found);
                // `match <scrutinee> { arms }`: this group is the arms of the nearest
                // `match` before it with no brace group between.
                let is_match_body = g.delimiter() == Delimiter::Brace
                    && tokens[..n]
                        .iter()
                        .rev()
                        .take_while(|t| {
                            !matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
                                && !is_punct(t, ';')
                        })
                        .any(|t| matches!(t, TokenTree::Ident(i) if i == "match"));
                if !is_match_body {
                    continue;
                }
                let arms = arms(g.stream());
                let fallback = arms.iter().any(|(p, b)| {
                    matches!(&p[..], [TokenTree::Ident(i)] if i == "_") && mentions_unknown(b)
                });
                if !fallback {
                    continue;
                }
                *found += 1;
                for (pattern, _) in &arms {
                    let guard_at = pattern
                        .iter()
                        .position(|t| matches!(t, TokenTree::Ident(i) if i == "if"));
                    let (pat, guard) = pattern.split_at(guard_at.unwrap_or(pattern.len()));
                    for t in pat {
                        if let TokenTree::Literal(l) = t {
                            keys.insert(l.to_string().trim_matches('"').to_string());
                        }
                    }
                    // A key bound by name and tested by a guard: the guard's test.
                    if matches!(pat, [TokenTree::Ident(i)] if i != "_") {
                        if let Some(TokenTree::Ident(test)) = guard.get(1) {
                            guards.insert(test.to_string());
                        }
                    }
                }
            }
        }
        let files: [(&'static str, &'static str); 7] = [
            ("model.rs", include_str!("model.rs")),
            ("field.rs", include_str!("field.rs")),
            ("constraint.rs", include_str!("constraint.rs")),
            ("exclude.rs", include_str!("exclude.rs")),
            ("index_element.rs", include_str!("index_element.rs")),
            ("variant.rs", include_str!("variant.rs")),
            ("db_enum.rs", include_str!("db_enum.rs")),
        ];
        files
            .into_iter()
            .map(|(name, text)| {
                let tokens: TokenStream = text.parse().expect("the parser's source tokenizes");
                let (mut keys, mut guards, mut found) = (BTreeSet::new(), BTreeSet::new(), 0);
                walk(tokens, &mut keys, &mut guards, &mut found);
                assert!(
                    found > 0,
                    "{name}: no key dispatch (a `match` falling back to `unknown_key..`) found"
                );
                (name, keys, guards)
            })
            .collect()
    }

    /// A key the parser accepts (read from its dispatch, not from the key lists above, which
    /// could fall behind it) that the reference does not show fails here, as does a key the
    /// crate docs' tables do not name.
    #[test]
    fn every_key_the_parser_dispatches_on_is_documented() {
        let used = keys_used(&docs_block());
        let docs: String = include_str!("lib.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        let tables = &docs[..docs
            .find("# Every attribute, in one example")
            .expect("the reference block")];
        let named = |k: &str| {
            tables
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|w| w == k)
        };
        // Keys tested by a guard come from lists `the_reference_uses_every_key` checks one by
        // one (type keys, dialect variants; and column and relationship keys, refused on a
        // field of the other kind).
        let known_guards = [
            "is_variant_key",
            "TYPE_KEYS",
            "is_type_key",
            "RELATIONSHIP_KEYS",
            "COLUMN_KEYS",
        ];
        let mut missing = Vec::new();
        for (file, keys, guards) in dispatched_keys() {
            for k in &keys {
                if !used.contains(k) {
                    missing.push(format!(
                        "{file}: `{k}` has no example in the reference block"
                    ));
                }
                if !named(k) {
                    missing.push(format!(
                        "{file}: `{k}` is not named in the crate docs' tables"
                    ));
                }
            }
            for g in guards {
                if !known_guards.contains(&g.as_str()) {
                    missing.push(format!(
                        "{file}: keys accepted through `{g}`, which no test checks against the docs: \
                         add its list to `the_reference_uses_every_key`"
                    ));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "the parser accepts keys the docs do not show:\n  {}",
            missing.join("\n  ")
        );
    }

    /// The source walk above finds the keys it must: a sample from each parsing module.
    #[test]
    fn the_dispatch_walk_finds_the_keys() {
        let all: BTreeSet<String> = dispatched_keys()
            .into_iter()
            .flat_map(|(_, k, _)| k)
            .collect();
        for k in [
            "table",
            "identity_cache",
            "use_alter",
            "nulls_not_distinct",
            "cycle",
            "op",
            "opclass",
            "no_server_default",
            "rename",
            "back_populates",
        ] {
            assert!(all.contains(k), "`{k}` not found among {all:?}");
        }
    }
}

/// SQLAlchemy's `postgresql.ExcludeConstraint`, spelled as the other struct-level constraints.
#[test]
fn exclusion_constraint_expansion() {
    insta::assert_snapshot!(model(quote! {
        #[retort(
            table = "bookings",
            exclude(
                name = "no_overlap",
                element(column = "room_id", op = "="),
                element(expr = "tstzrange(starts_at, ends_at)", op = "&&"),
                where = "NOT cancelled",
                initially_deferred,
            ),
            exclude(
                name = "one_code", using = "btree",
                element(column = "code", op = "=", desc, nulls_last, opclass = "text_pattern_ops"),
                include("room_id"),
            ),
        )]
        pub struct Booking {
            #[retort(primary_key)]
            pub id: i32,
            pub room_id: i32,
            pub code: String,
            pub starts_at: chrono::DateTime<chrono::Utc>,
            pub ends_at: chrono::DateTime<chrono::Utc>,
            pub cancelled: bool,
        }
    }));
}

#[test]
fn an_exclusion_constraint_needs_a_name_elements_and_operators() {
    let errors = model_error(quote! {
        #[retort(
            exclude(element(column = "a", op = "=")),
            exclude(name = "x_none"),
            exclude(name = "x_op", element(column = "a")),
            exclude(name = "x_both", element(column = "a", expr = "b", op = "=")),
            exclude(name = "x_col", element(column = "nope", op = "=")),
        )]
        struct T { a: i32 }
    });
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert!(
        errors[0].contains("`exclude` needs a `name`"),
        "{errors:#?}"
    );
    assert!(
        errors[1].contains("`exclude` needs at least one"),
        "{errors:#?}"
    );
    assert!(
        errors[2].contains("needs a `column` (or `expr`) and its `op`"),
        "{errors:#?}"
    );
    assert!(
        errors[3].contains("an element is one `column` or one `expr`"),
        "{errors:#?}"
    );
    assert!(
        errors[4].contains("`nope` is not a column of T"),
        "{errors:#?}"
    );
}

// Issue 13, item 5: SQLAlchemy's column keywords get advice that fits a column: `onupdate`
// is not the foreign key's `on_update` action, which the did-you-mean list offered.
#[test]
fn sqlalchemy_column_keywords_are_not_mistaken_for_foreign_key_actions() {
    for key in ["onupdate", "server_onupdate", "ondelete"] {
        let k = proc_macro2::Ident::new(key, proc_macro2::Span::call_site());
        let errors = model_error(quote! {
            struct T {
                #[retort(primary_key)]
                id: i32,
                #[retort(#k = "now()")]
                touched: i32,
            }
        });
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            !errors[0].contains("did you mean `on_update`")
                && !errors[0].contains("did you mean `on_delete`"),
            "{key}: {}",
            errors[0]
        );
        assert!(errors[0].contains(&format!("`{key}`")), "{}", errors[0]);
    }
    // `ondelete` on a field that has a foreign key is the foreign key's action, spelled so.
    let errors = model_error(quote! {
        struct T {
            #[retort(primary_key)]
            id: i32,
            #[retort(foreign_key = "u.id", ondelete = "CASCADE")]
            u_id: i32,
        }
    });
    assert!(
        errors[0].contains("did you mean `on_delete`"),
        "{}",
        errors[0]
    );
}

#[test]
fn inheritance_and_storage_parameters_expansion() {
    insta::assert_snapshot!(model(quote! {
        #[retort(
            table = "payment_p2007_01",
            inherits = "public.payment",
            with = "fillfactor=70, autovacuum_enabled=false",
            primary_key(columns("note"), name = "p_pkey", with = "fillfactor=100"),
            unique(columns("note"), name = "p_note_key", with = "fillfactor=90"),
            index(columns("note"), name = "ix_note", with = "fillfactor=80")
        )]
        pub struct PaymentP200701 {
            #[retort(inherited)]
            pub payment_id: i32,
            pub note: String,
        }
    }));
}

#[test]
fn a_storage_parameter_without_a_value_is_refused_at_its_span() {
    let errors = model_error(quote! {
        #[retort(with = "fillfactor")]
        pub struct T {
            pub id: i32,
        }
    });
    assert_eq!(
        errors,
        ["`fillfactor` is not a storage parameter: write each as `name=value`, separated by commas (`with = \"fillfactor=90, autovacuum_enabled=false\"`)"]
    );
}

#[test]
fn a_structured_parent_needs_its_table_and_only_its_keys() {
    let errors = model_error(quote! {
        #[retort(
            inherits(schema = "s.1"),
            inherits(table = "p", scheme = "s"),
            inherits(table = "")
        )]
        pub struct T {
            pub id: i32,
        }
    });
    assert_eq!(
        errors,
        [
            "`inherits(..)` needs `table`, as in `inherits(table = \"payment\", schema = \"sales\")`",
            "unknown attribute `scheme` on `inherits(..)` (did you mean `schema`?); expected one of: table, schema",
            "`table` must not be empty",
        ]
    );
}

#[test]
fn a_structured_foreign_key_target_needs_its_table_and_columns_and_only_its_keys() {
    let errors = model_error(quote! {
        #[retort(
            foreign_key(columns("a"), references(schema = "s.1", columns("x"))),
            foreign_key(columns("a"), references(table = "t", column = "x")),
            foreign_key(columns("a", "b"), references(table = "t.1", columns("x.y")))
        )]
        pub struct T {
            pub a: i32,
            pub b: i32,
            #[retort(foreign_key(table = "a.b"))]
            pub c: i32,
            #[retort(foreign_key(table = "", column = "id", on_delete = "cascade"))]
            pub d: i32,
        }
    });
    assert_eq!(
        errors,
        [
            "`references(..)` needs `table`, as in `references(table = \"orders\", schema = \"sales\", columns(\"id\", \"tenant\"))`",
            "unknown attribute `column` on `references(..)` (did you mean `columns`?); expected one of: table, schema, columns",
            "`references(..)` needs `columns`, as in `references(table = \"orders\", schema = \"sales\", columns(\"id\", \"tenant\"))`",
            "`foreign_key` has 2 column(s) but `references` names 1; they must pair up",
            "`foreign_key(..)` needs `column`, as in `foreign_key(table = \"customers\", schema = \"sales\", column = \"id\")`",
            "`table` must not be empty",
            "`on_delete` goes beside `foreign_key(..)` on the field, not inside it, as in `#[retort(foreign_key(table = \"customers\", schema = \"sales\", column = \"id\"), on_delete = \"cascade\")]`",
        ]
    );
}

#[test]
fn foreign_keys_is_refused_on_a_many_to_many_and_when_a_name_is_empty() {
    let errors = model_error(quote! {
        #[retort(many_to_many(tags = Tag, secondary = tag_links, foreign_keys = "tag_id"))]
        pub struct T {
            pub id: i32,
        }
    });
    assert_eq!(
        errors,
        ["`foreign_keys` picks one of several foreign keys between two tables; a `many_to_many` follows its association table's one key to each side and takes none"]
    );
    let errors = model_error(quote! {
        #[retort(belongs_to(a = P, foreign_keys = "a_id,"))]
        pub struct T {
            pub id: i32,
        }
    });
    assert_eq!(
        errors,
        ["`foreign_keys` names the foreign key's referencing columns, as in `foreign_keys = \"b_id\"` or `foreign_keys(\"x\", \"y\")`; a name is empty"]
    );
}

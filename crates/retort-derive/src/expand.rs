//! Code generation for `#[derive(Model)]`: an `impl ::retort::core::Model` whose `table()`
//! builds the `Table` step by step. Paths are absolute (`::retort::core::..`, `::std::..`) so
//! the output compiles whatever the user has in scope.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use retort_core::{Cascade, Deferrable, FkAction, FkMatch, IdentityGeneration};
use syn::spanned::Spanned;
use syn::{LitStr, Type};

use crate::attrs::LitValue;
use crate::constraint::{ForeignKeyDef, IndexElem};
use crate::feature_hint::resolve_through;
use crate::field::{ColumnDef, DefaultDef, RelKind, RelationshipDef, SqlType};
use crate::model::ModelDef;
use crate::variant::{default_with_variants, type_with_variants};

pub(crate) fn expand_model(def: &ModelDef) -> TokenStream {
    let ident = &def.ident;
    let model_name = ident.to_string();
    let table_name = &def.table;
    let mut table_head = quote!(::retort::core::Table::new(#table_name).model(#model_name));
    if let Some(schema) = &def.schema {
        table_head = quote!(#table_head.schema(#schema));
    }
    if let Some(comment) = &def.comment {
        table_head = quote!(#table_head.comment(#comment));
    }
    for parent in &def.inherits {
        // The text form where it reads back as this parent, as `models --from-db` writes.
        table_head = if parent.text_form_reads_back() {
            let text = parent.qualified_name();
            quote!(#table_head.inherits(#text))
        } else {
            let name = &parent.name;
            let schema = match &parent.schema {
                Some(s) => quote!(::std::option::Option::Some(#s)),
                None => quote!(::std::option::Option::None),
            };
            quote!(#table_head.inherits(::retort::core::TableRef::new(#schema, #name)))
        };
    }
    for (k, v) in &def.with {
        table_head = quote!(#table_head.with(#k, #v));
    }

    let mut body = Vec::new();
    // Primary-key columns are NOT NULL whatever their Rust type, as in SQL.
    let in_pk = |c: &ColumnDef| {
        c.primary_key
            || def
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.iter().any(|l| l.value() == c.name))
    };
    for c in &def.columns {
        body.push(column(c, in_pk(c)));
    }
    if let Some(pk) = &def.primary_key {
        let name = opt_string(pk.name.as_deref());
        let columns = string_vec(pk.columns.iter().map(LitStr::value));
        let with = pairs(&pk.with);
        body.push(quote! {
            table.primary_key = ::std::option::Option::Some(::retort::core::PrimaryKey {
                name: #name,
                conv: false,
                columns: #columns,
                with: #with,
            });
        });
    }
    for c in def.columns.iter().filter(|c| c.primary_key) {
        let name = &c.name;
        body.push(quote!(table.add_primary_key_column(#name);));
    }
    for c in &def.columns {
        if let Some(fk) = &c.foreign_key {
            body.push(foreign_key(fk, std::slice::from_ref(&c.name)));
        }
    }
    for fk in &def.foreign_keys {
        let cols: Vec<String> = fk.columns.iter().map(LitStr::value).collect();
        body.push(foreign_key(fk, &cols));
    }
    for c in def.columns.iter().filter(|c| c.unique) {
        body.push(unique(
            None,
            std::slice::from_ref(&c.name),
            None,
            false,
            &[],
        ));
    }
    for u in &def.uniques {
        let cols: Vec<String> = u.columns.iter().map(LitStr::value).collect();
        body.push(unique(
            u.name.as_deref(),
            &cols,
            u.deferrable,
            u.nulls_not_distinct,
            &u.with,
        ));
    }
    for ck in &def.checks {
        let name = opt_string(ck.name.as_deref());
        let expr = &ck.expr;
        body.push(quote! {
            table.checks.push(::retort::core::Check {
                name: #name,
                conv: false,
                expr: ::std::string::String::from(#expr),
            });
        });
    }
    for x in &def.excludes {
        body.push(crate::exclude::to_tokens(x));
    }
    for c in def.columns.iter().filter(|c| c.index) {
        let name = &c.name;
        body.push(quote!(table.indexes.push(::retort::core::Index::on_columns([#name]));));
    }
    for ix in &def.indexes {
        body.push(index(ix));
    }
    for r in &def.relationships {
        body.push(relationship(r));
    }

    // Each distinct field type once; `MetaData` drops duplicate definitions anyway.
    let mut enum_types_seen = Vec::new();
    let enum_sources: Vec<TokenStream> = def
        .columns
        .iter()
        .filter(|c| c.sql_type.is_none())
        .filter(|c| {
            let key = c.ty.to_token_stream().to_string();
            let new = !enum_types_seen.contains(&key);
            enum_types_seen.push(key);
            new
        })
        .map(|c| {
            let ty = &c.ty;
            let (named, tr, _) = resolve_through(ty);
            quote_spanned!(ty.span()=> types.extend(<#named as #tr>::enum_types());)
        })
        .collect();

    // Declared sequences: only when there are any, so models without keep the default.
    let sequences_fn = if def.sequences.is_empty() {
        quote!()
    } else {
        let schema = opt_string(def.schema.as_deref());
        let seqs = def.sequences.iter().map(|sq| {
            let name = &sq.name;
            let mut e = quote!(::retort::core::Sequence::new(#name));
            if let Some(t) = &sq.data_type {
                let t = quote::format_ident!("{}", t);
                e = quote!(#e.data_type(::retort::core::Type::#t));
            }
            for (method, value) in &sq.options {
                let method = quote::format_ident!("{}", method);
                e = match value {
                    Some(v) => quote!(#e.#method(#v)),
                    None => quote!(#e.#method()),
                };
            }
            quote! {{
                let mut s = #e;
                s.schema = #schema;
                s
            }}
        });
        quote! {
            fn sequences() -> ::std::vec::Vec<::retort::core::Sequence> {
                ::std::vec![#(#seqs),*]
            }
        }
    };

    quote! {
        #[automatically_derived]
        impl ::retort::core::Model for #ident {
            const MODEL_NAME: &'static str = #model_name;
            const TABLE_NAME: &'static str = #table_name;

            fn table() -> ::retort::core::Table {
                let mut table = #table_head;
                #(#body)*
                table
            }

            fn enum_types() -> ::std::vec::Vec<::retort::core::EnumType> {
                #[allow(unused_mut)]
                let mut types = ::std::vec::Vec::new();
                #(#enum_sources)*
                types
            }
            #sequences_fn
        }
    }
}

fn column(c: &ColumnDef, in_pk: bool) -> TokenStream {
    let ty = &c.ty;
    let name = &c.name;
    let column_type = match (&c.sql_type, c.length) {
        (Some(t), _) => sql_type(t),
        // Spanned at the field type, so a type that takes no length is reported there.
        (None, Some(n)) => quote_spanned!(ty.span()=>
            <#ty as ::retort::core::LengthColumnType>::column_type_with_length(#n)),
        // Spanned at the field type, so a type without a mapping is reported there.
        (None, None) => {
            let (named, tr, _) = resolve_through(ty);
            quote_spanned!(ty.span()=> <#named as #tr>::column_type())
        }
    };
    let nullable = match (c.nullable, &c.sql_type) {
        (Some(b), _) => quote!(#b),
        // An overridden type need not implement `ColumnType`, so read `Option<..>` from the
        // written type instead.
        (None, Some(_)) => {
            let b = is_option(ty);
            quote!(#b)
        }
        (None, None) => match resolve_through(ty) {
            // `Option<T>`, resolved through `T`.
            (_, _, true) => quote!(true),
            (named, tr, false) => quote_spanned!(ty.span()=> <#named as #tr>::NULLABLE),
        },
    };
    let column_type = type_with_variants(column_type, &c.variants, sql_type);
    let mut chain = quote!(::retort::core::Column::new(#name, #column_type));
    // Primary-key and identity columns are NOT NULL whatever the Rust type says (`.identity()`
    // sets it itself); `nullable` contradicting either is rejected while parsing.
    if in_pk {
        chain = quote!(#chain.not_null());
    } else if c.identity.is_none() && !c.serial {
        chain = quote!(#chain.nullable(#nullable));
    }
    if c.serial {
        chain = quote!(#chain.serial(::retort::core::Serial::new()));
    }
    if let Some(id) = &c.identity {
        let mut identity = match id.generation {
            IdentityGeneration::Always => quote!(::retort::core::Identity::always()),
            IdentityGeneration::ByDefault => quote!(::retort::core::Identity::by_default()),
        };
        for (method, value) in &id.options {
            let method = quote::format_ident!("{}", method);
            identity = match value {
                Some(v) => quote!(#identity.#method(#v)),
                None => quote!(#identity.#method()),
            };
        }
        chain = quote!(#chain.identity(#identity));
    }
    if let Some(d) = default_with_variants(c.default.as_ref().map(default), &c.variants, default) {
        chain = quote!(#chain.server_default(#d));
    }
    if let Some(expr) = &c.computed {
        chain = quote!(#chain.computed(::retort::core::Computed::stored(#expr)));
    }
    if let Some(comment) = &c.comment {
        chain = quote!(#chain.comment(#comment));
    }
    if let Some(collation) = &c.collation {
        chain = quote!(#chain.collation(#collation));
    }
    if c.inherited {
        chain = quote!(#chain.inherited());
    }
    quote!(table.columns.push(#chain);)
}

fn default(d: &DefaultDef) -> TokenStream {
    match d {
        DefaultDef::Expr(sql) => {
            quote!(::retort::core::ServerDefault::Expr(::std::string::String::from(#sql)))
        }
        DefaultDef::Literal(lit) => {
            let lit = literal(lit);
            quote!(::retort::core::ServerDefault::Literal(#lit))
        }
    }
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn sql_type(t: &SqlType) -> TokenStream {
    let opt_u32 = |n: &Option<u32>| match n {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    };
    match t {
        SqlType::Plain(variant) => {
            let v = syn::Ident::new(variant, proc_macro2::Span::call_site());
            quote!(::retort::core::Type::#v)
        }
        SqlType::Timestamp { tz } => quote!(::retort::core::Type::Timestamp { tz: #tz }),
        SqlType::Time { tz } => quote!(::retort::core::Type::Time { tz: #tz }),
        SqlType::Varchar(n) => {
            let n = opt_u32(n);
            quote!(::retort::core::Type::Varchar(#n))
        }
        SqlType::Char(n) => {
            let n = opt_u32(n);
            quote!(::retort::core::Type::Char(#n))
        }
        SqlType::Numeric(p, s) => {
            let (p, s) = (opt_u32(p), opt_u32(s));
            quote!(::retort::core::Type::Numeric { precision: #p, scale: #s })
        }
        SqlType::Custom(sql) => {
            quote!(::retort::core::Type::Custom(::std::string::String::from(#sql)))
        }
    }
}

fn literal(lit: &LitValue) -> TokenStream {
    match lit {
        LitValue::Str(s) => quote!(::retort::core::Literal::Text(::std::string::String::from(#s))),
        LitValue::Int(n) => quote!(::retort::core::Literal::Int(#n)),
        LitValue::Number(n) => {
            quote!(::retort::core::Literal::Number(::std::string::String::from(#n)))
        }
        LitValue::Bool(b) => quote!(::retort::core::Literal::Bool(#b)),
    }
}

fn foreign_key(fk: &ForeignKeyDef, columns: &[String]) -> TokenStream {
    let ref_table = &fk.ref_table;
    let ref_columns = &fk.ref_columns;
    let mut chain =
        quote!(::retort::core::ForeignKey::new([#(#columns),*], #ref_table, [#(#ref_columns),*]));
    if let Some(name) = &fk.name {
        chain = quote!(#chain.name(#name));
    }
    if let Some(a) = fk.on_delete {
        let a = fk_action(a);
        chain = quote!(#chain.on_delete(#a));
    }
    if let Some(a) = fk.on_update {
        let a = fk_action(a);
        chain = quote!(#chain.on_update(#a));
    }
    if let Some(d) = fk.deferrable {
        let d = match d {
            Deferrable::InitiallyImmediate => {
                quote!(::retort::core::Deferrable::InitiallyImmediate)
            }
            Deferrable::InitiallyDeferred => quote!(::retort::core::Deferrable::InitiallyDeferred),
        };
        chain = quote!(#chain.deferrable(#d));
    }
    if let Some(m) = fk.match_type {
        let m = match m {
            FkMatch::Full => quote!(::retort::core::FkMatch::Full),
            FkMatch::Partial => quote!(::retort::core::FkMatch::Partial),
        };
        chain = quote!(#chain.match_type(#m));
    }
    if let Some(schema) = &fk.ref_schema {
        chain = quote!(#chain.ref_schema(#schema));
    }
    quote!(table.foreign_keys.push(#chain);)
}

fn fk_action(a: FkAction) -> TokenStream {
    match a {
        FkAction::NoAction => quote!(::retort::core::FkAction::NoAction),
        FkAction::Restrict => quote!(::retort::core::FkAction::Restrict),
        FkAction::Cascade => quote!(::retort::core::FkAction::Cascade),
        FkAction::SetNull => quote!(::retort::core::FkAction::SetNull),
        FkAction::SetDefault => quote!(::retort::core::FkAction::SetDefault),
    }
}

fn unique(
    name: Option<&str>,
    columns: &[String],
    deferrable: Option<Deferrable>,
    nulls_not_distinct: bool,
    with: &[(String, String)],
) -> TokenStream {
    let name = opt_string(name);
    let with = pairs(with);
    let columns = string_vec(columns.iter().cloned());
    let deferrable = match deferrable {
        Some(d) => {
            let d = deferrable_tokens(d);
            quote!(::std::option::Option::Some(#d))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        table.uniques.push(::retort::core::Unique {
            name: #name,
            conv: false,
            columns: #columns,
            deferrable: #deferrable,
            nulls_not_distinct: #nulls_not_distinct,
            with: #with,
        });
    }
}

fn deferrable_tokens(d: Deferrable) -> TokenStream {
    match d {
        Deferrable::InitiallyImmediate => quote!(::retort::core::Deferrable::InitiallyImmediate),
        Deferrable::InitiallyDeferred => quote!(::retort::core::Deferrable::InitiallyDeferred),
    }
}

fn index(ix: &crate::constraint::IndexDef) -> TokenStream {
    let name = opt_string(ix.name.as_deref());
    let unique = ix.unique;
    let elements = ix.elements.iter().map(IndexElem::to_tokens);
    let method = opt_string(ix.method.as_deref());
    let include = string_vec(ix.include.iter().map(LitStr::value));
    let predicate = opt_string(ix.predicate.as_deref());
    let nulls_not_distinct = ix.nulls_not_distinct;
    let with = pairs(&ix.with);
    quote! {
        table.indexes.push(::retort::core::Index {
            name: #name,
            conv: false,
            unique: #unique,
            elements: ::std::vec![#(#elements),*],
            method: #method,
            include: #include,
            predicate: #predicate,
            nulls_not_distinct: #nulls_not_distinct,
            with: #with,
        });
    }
}

fn relationship(r: &RelationshipDef) -> TokenStream {
    let field = syn::ext::IdentExt::unraw(&r.ident).to_string();
    let target = &r.target;
    let kind = match (r.kind, &r.secondary) {
        (RelKind::HasMany, _) => quote!(::retort::core::RelationshipKind::OneToMany),
        (RelKind::HasOne, _) => quote!(::retort::core::RelationshipKind::OneToOne),
        (RelKind::BelongsTo, _) => quote!(::retort::core::RelationshipKind::ManyToOne),
        (RelKind::ManyToMany, _) if r.secondary_table.is_some() => {
            let table = r.secondary_table.as_ref().expect("checked");
            quote_spanned!(table.span()=> ::retort::core::RelationshipKind::ManyToMany {
                secondary: ::retort::core::Table::qualified_name(&#table()),
            })
        }
        (RelKind::ManyToMany, secondary) => {
            let secondary = secondary.as_deref().unwrap_or_default();
            quote!(::retort::core::RelationshipKind::ManyToMany {
                secondary: ::std::string::String::from(#secondary),
            })
        }
    };
    let back_populates = opt_string(r.back_populates.as_deref());
    let passive_deletes = r.passive_deletes;
    let foreign_keys = if r.foreign_keys.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        let names = &r.foreign_keys;
        quote!(::std::vec![#(::std::string::String::from(#names)),*])
    };
    let cascade = match &r.cascade {
        None => quote!(<::retort::core::Cascade as ::std::default::Default>::default()),
        Some(c) => cascade(c),
    };
    // Spanned at the target type, so a target that is not a model is reported there.
    let target_model =
        quote_spanned!(target.span()=> <#target as ::retort::core::Model>::MODEL_NAME);
    let target_table =
        quote_spanned!(target.span()=> <#target as ::retort::core::Model>::TABLE_NAME);
    quote! {
        table.relationships.push(::retort::core::Relationship {
            field: ::std::string::String::from(#field),
            kind: #kind,
            target_model: ::std::string::String::from(#target_model),
            target_table: ::std::string::String::from(#target_table),
            back_populates: #back_populates,
            cascade: #cascade,
            passive_deletes: #passive_deletes,
            foreign_keys: #foreign_keys,
        });
    }
}

fn cascade(c: &Cascade) -> TokenStream {
    let Cascade {
        save_update,
        merge,
        refresh_expire,
        expunge,
        delete,
        delete_orphan,
    } = *c;
    quote! {
        ::retort::core::Cascade {
            save_update: #save_update,
            merge: #merge,
            refresh_expire: #refresh_expire,
            expunge: #expunge,
            delete: #delete,
            delete_orphan: #delete_orphan,
        }
    }
}

fn opt_string(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::std::option::Option::Some(::std::string::String::from(#s))),
        None => quote!(::std::option::Option::None),
    }
}

fn string_vec(items: impl Iterator<Item = String>) -> TokenStream {
    quote!(::std::vec![#(::std::string::String::from(#items)),*])
}

/// `vec![(String::from("k"), String::from("v")), ..]`: storage parameters.
fn pairs(with: &[(String, String)]) -> TokenStream {
    let items = with
        .iter()
        .map(|(k, v)| quote!((::std::string::String::from(#k), ::std::string::String::from(#v))));
    quote!(::std::vec![#(#items),*])
}

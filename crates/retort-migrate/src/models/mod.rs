//! Model source from a schema (issue 18, item 2; the `models --from-db` command): a
//! [`MetaData`], usually the live database read back, in; the Rust source of
//! `#[derive(Model)]` structs out, laid out as rustfmt would. Pure: no database, no files.
//!
//! A table is a struct (`PascalCase`, singular, with `table = ".."` keeping the database's
//! name), a column a field (`snake_case`, `column = ".."` where that differs from the
//! database's name), an enum type a `#[derive(DbEnum)]` enum; every name the database gave a
//! key, index or check is written out, so the models create the same names. Relationships
//! come from the foreign keys (`relations`). Views, functions, triggers, materialized views,
//! extensions and schemas' comments are declared in the generated `metadata()` with
//! `MetaData::with_entity`, each `.only_on` the database they were read from (their SQL is
//! that database's), and so are row-level-security policies and switches. What is not
//! generated (grants, which name roles; a serial's own sequence name, a sequence's owner, ...)
//! is a `//` comment saying what.

mod names;
mod relations;
mod table;
mod types;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use retort_core::schema::{DialectKind, Entity, MetaData, Sequence};
use retort_dialect::Dialect;

use names::{field_name, singular, snake_case, type_name, Names};
use relations::RelField;
use types::EnumNames;

/// How [`render_models`] writes.
#[derive(Clone, Copy)]
pub struct ModelsOptions<'a> {
    /// The dialect the schema was read from: spells the types the derive has no key for
    /// (`sql_type = ".."`), and the database the entities are declared `.only_on`.
    pub dialect: &'a dyn Dialect,
    /// Where the schema came from, for the header (never a URL with a password).
    pub source: &'a str,
    /// What the database has that the schema read does not carry (each described with
    /// why, as [`crate::baseline::not_carried`] gives them): listed in the header, so that
    /// nothing is left out of the models without a word.
    pub not_carried: &'a [String],
}

/// One file of [`render_model_files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    /// The file's name (`mod.rs`, `enums.rs`, `<table>.rs`).
    pub name: String,
    /// Its source.
    pub source: String,
}

/// Names and inferences shared by every file.
pub(crate) struct Plan<'a> {
    pub md: &'a MetaData,
    pub dialect: &'a dyn Dialect,
    pub structs: Vec<String>,
    pub enums: Vec<String>,
    pub enum_names: EnumNames,
    pub fields: Vec<Vec<String>>,
    pub relations: Vec<Vec<RelField>>,
    pub features: BTreeSet<&'static str>,
}

/// Clippy takes two `where = ".."` (or `name`, `columns`) of two `index(..)` keys in one
/// `#[retort(..)]` for one attribute written twice (`duplicated_attributes`); they are not.
const ALLOW: &str = "\n// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.\n#![allow(clippy::duplicated_attributes)]\n";

/// Names the generated code must not take, as the prelude's and the standard prelude's glob
/// imports bring them in.
const TAKEN_TYPES: &[&str] = &[
    "Aggregate",
    "BelongsTo",
    "Box",
    "Check",
    "Column",
    "ColumnType",
    "Computed",
    "Conv",
    "DbEnum",
    "Default",
    "Deferrable",
    "DialectKind",
    "Domain",
    "Entity",
    "EnumType",
    "Err",
    "Exclude",
    "ExcludeElement",
    "Extension",
    "FkAction",
    "ForeignKey",
    "Function",
    "Grant",
    "HasMany",
    "HasOne",
    "Identity",
    "IdentityGeneration",
    "Index",
    "IndexElement",
    "Literal",
    "ManyToMany",
    "MaterializedView",
    "MetaData",
    "Model",
    "NamingConvention",
    "None",
    "Ok",
    "Option",
    "Persist",
    "Policy",
    "Result",
    "RowLevelSecurity",
    "Rule",
    "SchemaComment",
    "Sequence",
    "SequenceOptions",
    "Serial",
    "ServerDefault",
    "Some",
    "String",
    "Table",
    "Trigger",
    "Type",
    "Unique",
    "Vec",
    "View",
];

impl<'a> Plan<'a> {
    fn new(md: &'a MetaData, dialect: &'a dyn Dialect) -> Self {
        let mut types = Names::default();
        for t in TAKEN_TYPES {
            types.reserve(t);
        }
        let mut enum_names = EnumNames::new();
        let enums: Vec<String> = md
            .enums()
            .iter()
            .map(|e| {
                let name = types.claim_type(&type_name(&e.name));
                enum_names.insert((e.schema.clone(), e.name.clone()), name.clone());
                name
            })
            .collect();
        let structs = md
            .tables()
            .iter()
            .map(|t| types.claim_type(&type_name(&singular(&t.name))))
            .collect();
        let mut scopes: Vec<Names> = md.tables().iter().map(|_| Names::default()).collect();
        let fields = md
            .tables()
            .iter()
            .zip(&mut scopes)
            .map(|(t, scope)| {
                t.columns
                    .iter()
                    .map(|c| scope.claim(&field_name(&c.name)))
                    .collect()
            })
            .collect();
        let relations = relations::infer(md, &mut scopes);
        Plan {
            md,
            dialect,
            structs,
            enums,
            enum_names,
            fields,
            relations,
            features: BTreeSet::new(),
        }
    }

    /// The standalone sequences each table declares (`sequence(..)` sits on a struct of the
    /// sequence's schema), and those no table can hold.
    fn sequences(&self) -> (Vec<Vec<&'a Sequence>>, Vec<&'a Sequence>) {
        let mut on = vec![Vec::new(); self.md.tables().len()];
        let mut homeless = Vec::new();
        for s in self.md.sequences() {
            match self.md.tables().iter().position(|t| t.schema == s.schema) {
                Some(i) => on[i].push(s),
                None => homeless.push(s),
            }
        }
        (on, homeless)
    }
}

/// The models of `md` as one Rust file: enums, structs, and `metadata()` with every model
/// and entity.
pub fn render_models(md: &MetaData, options: &ModelsOptions<'_>) -> String {
    let mut plan = Plan::new(md, options.dialect);
    let (sequences, homeless) = plan.sequences();
    let mut body = String::new();
    for i in 0..md.enums().len() {
        body += "\n";
        body += &render_enum(&plan, i);
    }
    for (i, seqs) in sequences.iter().enumerate() {
        body += "\n";
        body += &table::render_table(&mut plan, i, seqs);
    }
    body += "\n";
    body += &render_metadata(&plan, &homeless);
    header(&plan, options, "") + ALLOW + "\nuse retort::prelude::*;\n" + &body
}

/// The models of `md` as a module folder: `mod.rs` (the header, a `mod` each table, and
/// `metadata()`), `enums.rs`, and one `<table>.rs` a table.
pub fn render_model_files(md: &MetaData, options: &ModelsOptions<'_>) -> Vec<ModelFile> {
    let mut plan = Plan::new(md, options.dialect);
    let (sequences, homeless) = plan.sequences();
    let mut files = Vec::new();
    let mut modules = Names::default();
    modules.reserve("mod");
    let mut mods = Vec::new();
    if !md.enums().is_empty() {
        modules.reserve("enums");
        mods.push("enums".to_owned());
        let mut src = String::from("use retort::prelude::*;\n");
        for i in 0..md.enums().len() {
            src += "\n";
            src += &render_enum(&plan, i);
        }
        files.push(ModelFile {
            name: "enums.rs".into(),
            source: src,
        });
    }
    for (i, seqs) in sequences.iter().enumerate() {
        let module = modules.claim(&field_name(&md.tables()[i].name));
        let code = table::render_table(&mut plan, i, seqs);
        let uses_siblings = !plan.relations[i].is_empty()
            || md.tables()[i].columns.iter().any(|c| mentions_enum(&c.ty));
        let mut src = format!("{ALLOW}\nuse retort::prelude::*;\n");
        if uses_siblings {
            src += "\n#[allow(unused_imports)]\nuse super::*;\n";
        }
        src += "\n";
        src += &code;
        files.push(ModelFile {
            name: format!("{module}.rs"),
            source: src,
        });
        mods.push(module);
    }
    let mut root = header(&plan, options, "");
    root += ALLOW;
    root += "\nuse retort::prelude::*;\n\n";
    for m in &mods {
        let _ = writeln!(root, "mod {m};");
    }
    root += "\n";
    for m in &mods {
        let _ = writeln!(root, "pub use {m}::*;");
    }
    root += "\n";
    root += &render_metadata(&plan, &homeless);
    files.insert(
        0,
        ModelFile {
            name: "mod.rs".into(),
            source: root,
        },
    );
    files
}

fn mentions_enum(ty: &retort_core::schema::Type) -> bool {
    match ty {
        retort_core::schema::Type::Enum(_) => true,
        retort_core::schema::Type::Array(inner) => mentions_enum(inner),
        _ => false,
    }
}

/// The `//!` header: what this is, from where, and the features of `retort` it needs (known
/// once every table is rendered: the plan's features are filled in by then).
fn header(plan: &Plan<'_>, options: &ModelsOptions<'_>, _indent: &str) -> String {
    let mut features: BTreeSet<&str> = plan.features.clone();
    // The features are found while rendering the tables, which a header written first has
    // not done yet: ask every column here.
    for t in plan.md.tables() {
        for c in &t.columns {
            let ft = types::field_type(c, t.schema.as_deref(), &plan.enum_names, plan.dialect);
            features.extend(ft.features);
        }
    }
    let mut h = format!(
        "//! Models generated by `models --from-db` from {} ({} tables, {} enum types, {} entities).\n//!\n//! Review them: names are guessed from the database's (which `table = ..` and `column = ..` keep),\n//! relationships inferred from the foreign keys, and `//` comments say what the derive cannot.\n",
        options.source,
        plan.md.tables().len(),
        plan.md.enums().len(),
        plan.md.entities().len()
    );
    if !options.not_carried.is_empty() {
        h += "//!\n//! Not in these models (the schema read does not carry them; make them by hand, e.g. with\n//! `op.execute` in a revision, if they must stay):\n";
        for o in options.not_carried {
            let _ = writeln!(h, "//! - {o}");
        }
    }
    if !features.is_empty() {
        let list: Vec<&str> = features.into_iter().collect();
        let _ = writeln!(
            h,
            "//!\n//! Needs `retort`'s features: {}.",
            list.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    h
}

fn render_enum(plan: &Plan<'_>, i: usize) -> String {
    let e = &plan.md.enums()[i];
    let mut keys = vec![format!("name = {}", lit(&e.name))];
    if let Some(s) = &e.schema {
        keys.push(format!("schema = {}", lit(s)));
    }
    let mut out = format!("/// Enum type `{}`.\n", e.name);
    out += "#[derive(DbEnum)]\n";
    out += &attribute("", &keys);
    let _ = writeln!(out, "pub enum {} {{", plan.enums[i]);
    let mut variants = Names::default();
    for v in &e.values {
        let name = variants.claim_type(&type_name(v));
        if snake_case(&name) != *v {
            out += &attribute("    ", &[format!("rename = {}", lit(v))]);
        }
        let _ = writeln!(out, "    {name},");
    }
    out += "}\n";
    out
}

/// `metadata()`: every model, the enum types no column uses, the entities.
fn render_metadata(plan: &Plan<'_>, homeless: &[&Sequence]) -> String {
    let md = plan.md;
    let mut out = String::from(
        "/// The whole schema: every model, and the entities read with it.\npub fn metadata() -> MetaData {\n",
    );
    let mut notes = Vec::new();
    for s in homeless {
        notes.push(format!(
            "sequence `{}` is in schema {:?}, where no table is to declare it on: not generated",
            s.name, s.schema
        ));
    }
    let mut calls = Vec::new();
    for s in &plan.structs {
        calls.push(format!(".with::<{s}>()"));
    }
    for (i, e) in md.enums().iter().enumerate() {
        let used = md
            .tables()
            .iter()
            .flat_map(|t| t.columns.iter())
            .any(|c| uses_enum(&c.ty, &e.name));
        if !used {
            let new = format!(
                "EnumType::new({}, [{}])",
                lit(&e.name),
                e.values
                    .iter()
                    .map(|v| lit(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            calls.push(match &e.schema {
                Some(s) => format!(
                    ".enum_type(EnumType {{ schema: Some({}.into()), ..{new} }})",
                    lit(s)
                ),
                None => format!(".enum_type({new})"),
            });
            // Its Rust enum is still generated, for code that reads the column as text.
            let _ = &plan.enums[i];
        }
    }
    let only_on = plan.dialect.kind().and_then(|k| match k {
        DialectKind::Postgres => Some("DialectKind::Postgres"),
        DialectKind::Sqlite => Some("DialectKind::Sqlite"),
        DialectKind::Mysql => Some("DialectKind::Mysql"),
        _ => None,
    });
    for e in md.entities() {
        match entity_expr(e) {
            Ok(mut expr) => {
                for a in e.after() {
                    let _ = write!(expr, ".after({})", lit(a));
                }
                if let Some(k) = only_on {
                    let _ = write!(expr, ".only_on({k})");
                }
                calls.push(format!(".with_entity({expr})"));
            }
            Err(why) => notes.push(why),
        }
    }
    for n in notes {
        out += &comment_lines(&n, "    ", "//");
    }
    out += "    MetaData::new()";
    if calls.len() <= 1 && calls.iter().all(|c| c.len() < 60) {
        out += &calls.concat();
        out += "\n";
    } else {
        out += "\n";
        for c in calls {
            let _ = writeln!(out, "        {c}");
        }
    }
    out += "}\n";
    out
}

fn uses_enum(ty: &retort_core::schema::Type, name: &str) -> bool {
    match ty {
        retort_core::schema::Type::Enum(r) => r.name == name,
        retort_core::schema::Type::Array(inner) => uses_enum(inner, name),
        _ => false,
    }
}

/// The constructor of an entity, or why the model API has none.
fn entity_expr(e: &Entity) -> Result<String, String> {
    let in_schema = |s: &Option<String>| {
        s.as_ref()
            .map(|s| format!(".in_schema({})", lit(s)))
            .unwrap_or_default()
    };
    Ok(match e {
        Entity::View(v) => format!(
            "View::new({}, {}){}",
            lit(&v.name),
            raw(&v.definition),
            in_schema(&v.schema)
        ),
        Entity::MaterializedView(m) => {
            let mut s = format!(
                "MaterializedView::new({}, {}){}",
                lit(&m.name),
                raw(&m.definition),
                in_schema(&m.schema)
            );
            if !m.with_data {
                s += ".with_no_data()";
            }
            for ix in &m.indexes {
                let f = if ix.unique { "unique_index" } else { "index" };
                let _ = write!(s, ".{f}({}, {})", lit(&ix.name), raw(&ix.definition));
            }
            s
        }
        Entity::Function(f) => format!(
            "Function::{}({}, {}, {}){}",
            if f.procedure { "procedure" } else { "new" },
            lit(&f.name),
            lit(&f.arguments),
            raw(&f.definition),
            in_schema(&f.schema)
        ),
        Entity::Trigger(t) => format!(
            "Trigger::new({}, {}, {}){}",
            lit(&t.table),
            lit(&t.name),
            raw(&t.definition),
            in_schema(&t.schema)
        ),
        Entity::Extension(x) => {
            let mut s = format!("Extension::new({})", lit(&x.name));
            if let Some(v) = &x.version {
                let _ = write!(s, ".version({})", lit(v));
            }
            s + &in_schema(&x.schema)
        }
        Entity::Policy(p) => format!(
            "Policy::new({}, {}, {}){}",
            lit(&p.table),
            lit(&p.name),
            raw(&p.definition),
            in_schema(&p.schema)
        ),
        Entity::Domain(x) => format!(
            "Domain::new({}, {}){}",
            lit(&x.name),
            raw(&x.definition),
            in_schema(&x.schema)
        ),
        Entity::Aggregate(a) => format!(
            "Aggregate::new({}, {}, {}){}",
            lit(&a.name),
            lit(&a.arguments),
            raw(&a.definition),
            in_schema(&a.schema)
        ),
        Entity::Rule(r) => format!(
            "Rule::new({}, {}, {}){}",
            lit(&r.table),
            lit(&r.name),
            raw(&r.definition),
            in_schema(&r.schema)
        ),
        Entity::RowLevelSecurity(r) => format!(
            "RowLevelSecurity::new({}){}{}",
            lit(&r.table),
            if r.force { ".forced()" } else { "" },
            in_schema(&r.schema)
        ),
        Entity::SchemaComment(c) => match &c.schema {
            Some(schema) => format!("SchemaComment::new({}, {})", lit(schema), lit(&c.comment)),
            None => {
                return Err(format!(
                    "the default schema's comment {:?}: not generated",
                    c.comment
                ))
            }
        },
        other => {
            return Err(format!(
                "{} `{}`: not generated (a grant names a role each database must have: write it with `Grant::on_..` of docs/entities.md): {}",
                other.kind().as_str(),
                other.qualified_name(),
                other.definition().lines().next().unwrap_or_default()
            ))
        }
    })
}

/// A Rust string literal for `s`.
pub(crate) fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// A raw string literal for SQL text that has quotes, backslashes or lines; else [`lit`].
fn raw(s: &str) -> String {
    if !s.contains(['"', '\\', '\n']) {
        return lit(s);
    }
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}")
}

/// `#[retort(keys)]` on one line when it fits rustfmt's 100 columns, else a key a line, and
/// a key too long for its line an argument a line, as rustfmt lays out attributes. Laid out
/// here because rustfmt leaves an attribute alone once a key's value is a path
/// (`has_many(orders = Order, ..)`).
pub(crate) fn attribute(indent: &str, keys: &[String]) -> String {
    let line = format!("{indent}#[retort({})]", keys.join(", "));
    if line.len() <= 100 {
        return line + "\n";
    }
    let mut out = format!("{indent}#[retort(\n");
    out += &key_lines(&format!("{indent}    "), keys);
    out + indent + ")]\n"
}

/// `keys` a line each at `indent`, commas between; one too long split at its arguments.
fn key_lines(indent: &str, keys: &[String]) -> String {
    let mut out = String::new();
    for (n, k) in keys.iter().enumerate() {
        let comma = if n + 1 < keys.len() { "," } else { "" };
        let line = format!("{indent}{k}{comma}");
        match call_arguments(k) {
            Some((head, args)) if line.len() > 100 && args.len() > 1 => {
                let _ = writeln!(out, "{indent}{head}(");
                out += &key_lines(&format!("{indent}    "), &args);
                let _ = writeln!(out, "{indent}){comma}");
            }
            _ => out += &(line + "\n"),
        }
    }
    out
}

/// `name(a, b(c, d), e = "f, g")` as `name` and its top-level arguments; `None` for anything
/// else (`key = ".."`).
fn call_arguments(key: &str) -> Option<(&str, Vec<String>)> {
    let (head, rest) = key.split_once('(')?;
    if head.is_empty() || !head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let body = rest.strip_suffix(')')?;
    let (mut args, mut depth, mut in_str, mut escaped) = (Vec::new(), 0usize, false, false);
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => depth = depth.checked_sub(1)?,
            ',' if !in_str && depth == 0 => {
                args.push(body[start..i].trim().to_owned());
                start = i + 1;
            }
            _ => {}
        }
    }
    if in_str || depth != 0 {
        return None;
    }
    args.push(body[start..].trim().to_owned());
    Some((head, args))
}

/// `text` as comment lines (`//` or `///`) at `indent`.
pub(crate) fn comment_lines(text: &str, indent: &str, marker: &str) -> String {
    text.lines()
        .map(|l| format!("{indent}{marker} {l}").trim_end().to_owned() + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::schema::{Column, ForeignKey, Grant, Policy, Table, Type, View};
    use retort_dialect::Postgres;

    fn render(md: &MetaData) -> String {
        render_models(
            md,
            &ModelsOptions {
                dialect: &Postgres,
                source: "a test",
                not_carried: &[],
            },
        )
    }

    /// The source on one line, an attribute laid out over several as written.
    fn flat(src: &str) -> String {
        src.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")")
    }

    fn id_table(name: &str) -> Table {
        Table::new(name)
            .column(Column::new("id", Type::Integer).not_null())
            .primary_key(["id"])
    }

    #[test]
    fn inheritance_and_storage_parameters_are_written_as_the_derive_reads_them() {
        use retort_core::schema::{Index, PrimaryKey, Unique};
        let mut parent = id_table("payment").with("fillfactor", "70");
        parent.primary_key = Some(PrimaryKey::new(["id"]).with("fillfactor", "100"));
        let mut child = Table::new("payment_p1")
            .column(Column::new("id", Type::Integer).not_null().inherited())
            .column(Column::new("note", Type::Text))
            .inherits("payment")
            .inherits("archive.tagged")
            .index(
                Index::on_columns(["note"])
                    .name("ix_note")
                    .with("fillfactor", "90"),
            );
        child.uniques = vec![Unique::new(["note"]).with("fillfactor", "80")];
        let md = MetaData::new().table(parent).table(child);
        let flat = render(&md).split_whitespace().collect::<Vec<_>>().join(" ");
        for key in [
            "table = \"payment\", with = \"fillfactor=70\", primary_key(columns(\"id\"), with = \"fillfactor=100\")",
            "inherits = \"payment\", inherits = \"archive.tagged\"",
            "unique(columns(\"note\"), with = \"fillfactor=80\")",
            "name = \"ix_note\", with = \"fillfactor=90\")",
            "#[retort(inherited)] pub id: i32",
        ] {
            assert!(flat.contains(key), "no {key:?} in:\n{flat}");
        }
    }

    /// A parent whose schema or name holds a `.` or a `,` is written in the derive's
    /// structured form, `inherits(table = .., schema = ..)`: the text form would be split
    /// there (`"s.1.pa\"r, x"` read as two parents, `s.1.pa"r` and `x`).
    #[test]
    fn a_parent_with_dots_or_commas_is_written_with_its_schema_apart() {
        use retort_core::TableRef;
        let mut child = Table::new("child")
            .column(Column::new("id", Type::Integer).not_null().inherited())
            .inherits("payment");
        child.inherits.push(TableRef::new(Some("s.1"), "pa\"r, x"));
        child.inherits.push(TableRef::new(None, "a.b"));
        child.inherits.push(TableRef::new(Some("s{1}"), "plain"));
        let md = MetaData::new().table(child);
        let flat = render(&md)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")");
        let key = "inherits = \"payment\", inherits(table = \"pa\\\"r, x\", schema = \"s.1\"), inherits(table = \"a.b\"), inherits = \"s{1}.plain\"";
        assert!(flat.contains(key), "no {key:?} in:\n{flat}");
    }

    /// A foreign key whose target's schema, table or columns hold a `.`, a `,` or a `(` is
    /// written in the derive's structured forms, `foreign_key(table = .., schema = ..,
    /// column = ..)` on the field and `references(table = .., schema = .., columns(..))` on
    /// the struct: the text forms would be split there (`"s.1.ta.ble, 1.i.d"` is no target at
    /// all, `"a.b.id"` is table `b` in schema `a`). Ordinary names keep the text forms. The
    /// derive's `a_foreign_key_target_with_dots_commas_or_parentheses_is_kept_apart` reads
    /// these very keys back to the same `ForeignKey`s; the hostile sample compiles them.
    #[test]
    fn a_foreign_key_target_with_dots_commas_or_parentheses_is_written_with_its_names_apart() {
        use retort_core::schema::FkAction;
        let target = Table::new("ta.ble, 1")
            .schema("s.1")
            .column(Column::new("i.d", Type::Integer).not_null())
            .column(Column::new("pa(rt, 2", Type::Integer).not_null())
            .primary_key(["i.d", "pa(rt, 2"]);
        let dotted = Table::new("a.b").column(Column::new("c, d", Type::Integer).not_null());
        let orders = Table::new("orders")
            .schema("shop")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("tenant", Type::Integer).not_null())
            .primary_key(["id", "tenant"]);
        let referrer = id_table("referrer")
            .column(Column::new("one", Type::Integer))
            .column(Column::new("two", Type::Integer))
            .column(Column::new("plain_id", Type::Integer))
            .column(Column::new("pair_a", Type::Integer))
            .column(Column::new("pair_b", Type::Integer))
            .foreign_key(
                ForeignKey::new(["one"], "ta.ble, 1", ["i.d"])
                    .ref_schema("s.1")
                    .on_delete(FkAction::SetNull)
                    .name("fk_one"),
            )
            .foreign_key(ForeignKey::new(["two"], "a.b", ["c, d"]))
            .foreign_key(ForeignKey::new(["plain_id"], "orders", ["id"]).ref_schema("shop"))
            .foreign_key(
                ForeignKey::new(["pair_a", "pair_b"], "ta.ble, 1", ["i.d", "pa(rt, 2"])
                    .ref_schema("s.1")
                    .on_delete(FkAction::Cascade)
                    .name("fk_pair"),
            )
            .foreign_key(ForeignKey::new(["pair_b", "pair_a"], "a(b)", ["x.y", "z"]))
            .foreign_key(
                ForeignKey::new(["plain_id", "pair_a"], "orders", ["id", "tenant"])
                    .ref_schema("shop"),
            );
        let md = MetaData::new()
            .table(target)
            .table(dotted)
            .table(orders)
            .table(referrer);
        let flat = render(&md)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")")
            .replace(",)", ")");
        for key in [
            "foreign_key(columns(\"pair_a\", \"pair_b\"), references(table = \"ta.ble, 1\", schema = \"s.1\", columns(\"i.d\", \"pa(rt, 2\")), on_delete = \"cascade\", name = \"fk_pair\")",
            "foreign_key(columns(\"pair_b\", \"pair_a\"), references(table = \"a(b)\", columns(\"x.y\", \"z\")))",
            "foreign_key(columns(\"plain_id\", \"pair_a\"), references = \"shop.orders(id, tenant)\")",
            "foreign_key(table = \"ta.ble, 1\", schema = \"s.1\", column = \"i.d\"), on_delete = \"set null\", fk_name = \"fk_one\")] pub one: Option<i32>",
            "#[retort(foreign_key(table = \"a.b\", column = \"c, d\"))] pub two: Option<i32>",
            "#[retort(foreign_key = \"shop.orders.id\")] pub plain_id: Option<i32>",
        ] {
            assert!(flat.contains(key), "no {key:?} in:\n{flat}");
        }
    }

    #[test]
    fn a_pure_link_table_is_a_many_to_many_on_both_sides() {
        let md = MetaData::new()
            .table(id_table("films"))
            .table(id_table("actors"))
            .table(
                Table::new("film_actor")
                    .column(Column::new("film_id", Type::Integer).not_null())
                    .column(Column::new("actor_id", Type::Integer).not_null())
                    .primary_key(["film_id", "actor_id"])
                    .foreign_key(ForeignKey::new(["film_id"], "films", ["id"]))
                    .foreign_key(ForeignKey::new(["actor_id"], "actors", ["id"])),
            );
        let src = render(&md);
        // The attribute laid out on one line, as written below.
        let flat = src
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")");
        // On the struct, with the link table's model to load through; no relationship field.
        for rel in [
            "many_to_many(actors = Actor, back_populates = \"films\", secondary = \"film_actor\", through = FilmActor)",
            "many_to_many(films = Film, back_populates = \"actors\", secondary = \"film_actor\", through = FilmActor)",
        ] {
            assert!(flat.contains(rel), "no {rel:?} in:\n{src}");
        }
        assert!(!src.contains("ManyToMany<"), "{src}");
        assert!(!src.contains("belongs_to"), "{src}");
    }

    #[test]
    fn two_keys_to_one_table_and_a_self_reference_get_distinct_fields() {
        let md = MetaData::new().table(id_table("people")).table(
            id_table("marriages")
                .column(Column::new("a_id", Type::Integer).not_null())
                .column(Column::new("b_id", Type::Integer).not_null())
                .column(Column::new("previous_id", Type::Integer))
                .foreign_key(ForeignKey::new(["a_id"], "people", ["id"]))
                .foreign_key(ForeignKey::new(["b_id"], "people", ["id"]))
                .foreign_key(ForeignKey::new(["previous_id"], "marriages", ["id"])),
        );
        let src = render(&md);
        // Two keys to `people`: each relationship over them names its key (SQLAlchemy's
        // foreign_keys=[..], which sqlacodegen writes too); the one key to itself needs none.
        for rel in [
            "belongs_to(a = People, back_populates = \"marriages\", foreign_keys = \"a_id\")",
            "belongs_to(b = People, back_populates = \"marriages_by_b_id\", foreign_keys = \"b_id\")",
            "belongs_to(previous = Marriage, back_populates = \"marriages_by_previous_id\")",
            "has_many(marriages = Marriage, back_populates = \"a\", foreign_keys = \"a_id\")",
            "has_many(marriages_by_b_id = Marriage, back_populates = \"b\", foreign_keys = \"b_id\")",
            "has_many(marriages_by_previous_id = Marriage, back_populates = \"previous\")",
        ] {
            assert!(flat(&src).contains(rel), "no {rel:?} in:\n{src}");
        }
        // The structs keep their columns only: building one fills no relationship.
        assert!(
            !src.contains("HasMany<") && !src.contains("BelongsTo<"),
            "{src}"
        );
    }

    #[test]
    fn two_keys_to_itself_name_theirs_and_a_name_with_a_comma_is_written_as_a_list() {
        let md = MetaData::new().table(
            id_table("nodes")
                .column(Column::new("parent_id", Type::Integer))
                .column(Column::new("twin, id", Type::Integer))
                .foreign_key(ForeignKey::new(["parent_id"], "nodes", ["id"]))
                .foreign_key(ForeignKey::new(["twin, id"], "nodes", ["id"])),
        );
        let src = flat(&render(&md));
        for rel in [
            "belongs_to(parent = Node, back_populates = \"nodes_by_parent_id\", foreign_keys = \"parent_id\")",
            "has_many(nodes_by_parent_id = Node, back_populates = \"parent\", foreign_keys = \"parent_id\")",
            "foreign_keys(\"twin, id\"))",
        ] {
            assert!(src.contains(rel), "no {rel:?} in:\n{src}");
        }
        assert_eq!(
            src.matches("foreign_keys(\"twin, id\")").count(),
            2,
            "{src}"
        );
    }

    #[test]
    fn a_long_attribute_is_laid_out_as_rustfmt_would() {
        let keys = [
            "table = \"chinook_playlisttrack\"".to_owned(),
            "unique(columns(\"playlist_id\", \"track_id\"), name = \"chinook_playlisttrack_playlist_id_track_id_key\")".to_owned(),
            "belongs_to(track = Track, back_populates = \"a, (b\")".to_owned(),
        ];
        assert_eq!(
            attribute("", &keys),
            "#[retort(\n    table = \"chinook_playlisttrack\",\n    unique(\n        columns(\"playlist_id\", \"track_id\"),\n        name = \"chinook_playlisttrack_playlist_id_track_id_key\"\n    ),\n    belongs_to(track = Track, back_populates = \"a, (b\")\n)]\n"
        );
    }

    #[test]
    fn a_key_the_database_deletes_by_makes_the_other_side_passive_deletes() {
        use retort_core::schema::FkAction;
        // SQLAlchemy's passive_deletes=True: where the foreign key's ON DELETE does the work
        // (CASCADE deletes the rows, SET NULL clears their key), the runtime leaves it to the
        // database; RESTRICT and no action keep the runtime's own cascade.
        let fk = |col: &str, on_delete: Option<FkAction>| {
            let mut fk = ForeignKey::new([col], "users", ["id"]);
            fk.on_delete = on_delete;
            fk
        };
        let child = |name: &str, on_delete: Option<FkAction>| {
            id_table(name)
                .column(Column::new("user_id", Type::Integer))
                .foreign_key(fk("user_id", on_delete))
        };
        let md = MetaData::new()
            .table(id_table("users"))
            .table(child("posts", Some(FkAction::Cascade)))
            .table(child("drafts", Some(FkAction::SetNull)))
            .table(child("loans", Some(FkAction::Restrict)))
            .table(child("notes", None))
            .table(
                Table::new("profiles")
                    .column(Column::new("user_id", Type::Integer).not_null())
                    .primary_key(["user_id"])
                    .foreign_key(fk("user_id", Some(FkAction::Cascade))),
            );
        let src = render(&md);
        for rel in [
            "has_many(posts = Post, back_populates = \"user\", passive_deletes)",
            "has_many(drafts = Draft, back_populates = \"user\", passive_deletes)",
            "has_many(loans = Loan, back_populates = \"user\")",
            "has_many(notes = Note, back_populates = \"user\")",
            "has_one(profile = Profile, back_populates = \"user\", passive_deletes)",
            // The referring side's belongs_to is not what a delete of the parent walks.
            "belongs_to(user = User, back_populates = \"posts\")",
        ] {
            assert!(src.contains(rel), "no {rel:?} in:\n{src}");
        }
    }

    #[test]
    fn a_link_key_the_database_deletes_by_makes_that_side_passive_deletes() {
        use retort_core::schema::FkAction;
        // SQLAlchemy's passive_deletes on a many-to-many: the association rows go with the
        // parent by the link table's ON DELETE CASCADE, so the runtime issues no DELETE of
        // its own. Only the side whose key cascades; a key without it keeps the runtime's.
        let mut to_films = ForeignKey::new(["film_id"], "films", ["id"]);
        to_films.on_delete = Some(FkAction::Cascade);
        let to_actors = ForeignKey::new(["actor_id"], "actors", ["id"]);
        let md = MetaData::new()
            .table(id_table("films"))
            .table(id_table("actors"))
            .table(
                Table::new("film_actor")
                    .column(Column::new("film_id", Type::Integer).not_null())
                    .column(Column::new("actor_id", Type::Integer).not_null())
                    .primary_key(["film_id", "actor_id"])
                    .foreign_key(to_films)
                    .foreign_key(to_actors),
            );
        let src = render(&md);
        let flat = src
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")");
        for rel in [
            "many_to_many(actors = Actor, back_populates = \"films\", secondary = \"film_actor\", through = FilmActor, passive_deletes)",
            "many_to_many(films = Film, back_populates = \"actors\", secondary = \"film_actor\", through = FilmActor)",
        ] {
            assert!(flat.contains(rel), "no {rel:?} in:\n{src}");
        }
    }

    #[test]
    fn a_relationship_named_after_a_keyword_column_is_valid_rust() {
        // DAViCal's `principal.type_id` refers to `principal_type`: `type` is a keyword.
        let md = MetaData::new().table(id_table("principal_type")).table(
            id_table("principal")
                .column(Column::new("type_id", Type::Integer))
                .foreign_key(ForeignKey::new(["type_id"], "principal_type", ["id"])),
        );
        let src = render(&md);
        assert!(
            src.contains("belongs_to(type_ = PrincipalType, back_populates = \"principals\")"),
            "{src}"
        );
    }

    #[test]
    fn a_key_of_another_integer_width_is_written_as_sql() {
        // DAViCal's `principal.user_no` is a bigint referring to `usr.user_no`, an integer:
        // PostgreSQL takes it, the model's validation wants one type.
        let md = MetaData::new().table(id_table("usr")).table(
            id_table("principal")
                .column(Column::new("user_no", Type::BigInt))
                .foreign_key(ForeignKey::new(["user_no"], "usr", ["id"])),
        );
        let src = render(&md);
        assert!(
            src.contains("sql_type = \"BIGINT\"")
                && src.contains("pub user_no: Option<i64>,")
                && src.contains("// `usr.id`, the key it refers to, is integer"),
            "{src}"
        );
    }

    #[test]
    fn a_key_that_is_also_unique_is_a_has_one() {
        let md = MetaData::new()
            .table(id_table("users"))
            .table(
                id_table("profiles")
                    .column(Column::new("user_id", Type::Integer).not_null())
                    .unique(["user_id"])
                    .foreign_key(ForeignKey::new(["user_id"], "users", ["id"])),
            )
            .table(
                Table::new("passports")
                    .column(Column::new("user_id", Type::Integer).not_null())
                    .primary_key(["user_id"])
                    .foreign_key(ForeignKey::new(["user_id"], "users", ["id"])),
            );
        let src = render(&md);
        for rel in [
            "has_one(profile = Profile, back_populates = \"user\")",
            "has_one(passport = Passport, back_populates = \"user\")",
            "belongs_to(user = User, back_populates = \"profile\")",
            "belongs_to(user = User, back_populates = \"passport\")",
        ] {
            assert!(src.contains(rel), "no {rel:?} in:\n{src}");
        }
        assert!(!src.contains("has_many"), "{src}");
    }

    #[test]
    fn names_rust_cannot_take_keep_the_databases_in_attributes() {
        let md = MetaData::new().table(
            Table::new("Index")
                .column(Column::new("type", Type::Text).not_null())
                .column(Column::new("ArtistId", Type::BigInt)),
        );
        let src = render(&md);
        assert!(
            src.contains("#[retort(table = \"Index\")]\npub struct Index2 {"),
            "{src}"
        );
        assert!(
            src.contains("#[retort(column = \"type\", text)]\n    pub type_: String,"),
            "{src}"
        );
        assert!(
            src.contains("#[retort(column = \"ArtistId\")]\n    pub artist_id: Option<i64>,"),
            "{src}"
        );
    }

    #[test]
    fn entities_are_declared_and_what_the_derive_cannot_say_is_a_comment() {
        let md = MetaData::new()
            .table(id_table("docs"))
            .with_entity(View::new(
                "doc_ids",
                "SELECT id FROM docs WHERE note = 'a \"b\"'",
            ))
            .with_entity(Policy::new("docs", "owner_only", "FOR SELECT USING (true)"))
            .with_entity(Grant::on_table("docs", "SELECT", "reader"));
        let src = render(&md);
        assert!(
            src.contains(r##".with_entity(View::new("doc_ids", r#"SELECT id FROM docs WHERE note = 'a "b"'"#).only_on(DialectKind::Postgres))"##),
            "{src}"
        );
        assert!(
            src.contains(
                ".with_entity(Policy::new(\"docs\", \"owner_only\", \"FOR SELECT USING (true)\")"
            ),
            "{src}"
        );
        assert!(src.contains("    // grant `"), "{src}");
        assert!(src.contains("not generated (a grant names a role"), "{src}");
    }
}

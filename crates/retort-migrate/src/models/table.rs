//! One table as a `#[derive(Model)]` struct: the struct's keys (name, schema, comment, named
//! or composite keys, indexes, checks, exclusions, relationships, standalone sequences), then
//! a field a column with its keys. Every name the database gave is written out, so the model
//! creates the same names; what the derive cannot say is a comment.

use retort_core::schema::{
    Deferrable, ExcludeElement, FkAction, FkMatch, ForeignKey, IdentityGeneration, IndexElement,
    IndexTarget, Literal, MetaData, NullsOrder, Sequence, ServerDefault, SortOrder,
};

use super::relations::referenced;
use super::types::field_type;
use super::{attribute, comment_lines, lit, Plan};

/// The struct of table `i`, with the sequences `sequences` declares on it.
pub(crate) fn render_table(plan: &mut Plan<'_>, i: usize, sequences: &[&Sequence]) -> String {
    let md: &MetaData = plan.md;
    let t = &md.tables()[i];
    let mut out = String::new();
    let mut keys = vec![format!("table = {}", lit(&t.name))];
    if let Some(s) = &t.schema {
        keys.push(format!("schema = {}", lit(s)));
    }
    if let Some(c) = &t.comment {
        keys.push(format!("comment = {}", lit(c)));
    }
    for p in &t.inherits {
        // The text form only where the derive reads it back as this table (no `.` or `,`
        // to split at), the names apart otherwise.
        keys.push(match &p.schema {
            _ if p.text_form_reads_back() => format!("inherits = {}", lit(&p.qualified_name())),
            Some(s) => format!("inherits(table = {}, schema = {})", lit(&p.name), lit(s)),
            None => format!("inherits(table = {})", lit(&p.name)),
        });
    }
    keys.extend(with_key(&t.with, ""));
    let field_pk = match &t.primary_key {
        Some(pk) if pk.name.is_none() && pk.columns.len() == 1 && pk.with.is_empty() => {
            Some(pk.columns[0].clone())
        }
        Some(pk) => {
            let mut k = format!("primary_key(columns({})", list(&pk.columns));
            if let Some(n) = &pk.name {
                k += &format!(", name = {}", lit(n));
            }
            k.extend(with_key(&pk.with, ", "));
            keys.push(k + ")");
            None
        }
        None => None,
    };
    // A single-column key goes on its field unless another key already does.
    let mut field_fks = vec![None; t.columns.len()];
    for (k, fk) in t.foreign_keys.iter().enumerate() {
        let pos = t
            .columns
            .iter()
            .position(|c| [c.name.clone()] == *fk.columns);
        match pos {
            Some(p) if field_fks[p].is_none() => field_fks[p] = Some(k),
            _ => keys.push(struct_fk(fk)),
        }
    }
    let mut field_unique = vec![false; t.columns.len()];
    for u in &t.uniques {
        let pos = t
            .columns
            .iter()
            .position(|c| [c.name.clone()] == *u.columns);
        match pos {
            Some(p)
                if u.name.is_none()
                    && u.deferrable.is_none()
                    && !u.nulls_not_distinct
                    && u.with.is_empty()
                    && !field_unique[p] =>
            {
                field_unique[p] = true;
            }
            _ => {
                let mut k = format!("unique(columns({})", list(&u.columns));
                if let Some(n) = &u.name {
                    k += &format!(", name = {}", lit(n));
                }
                k += &deferrable(u.deferrable);
                if u.nulls_not_distinct {
                    k += ", nulls_not_distinct";
                }
                k.extend(with_key(&u.with, ", "));
                keys.push(k + ")");
            }
        }
    }
    for ix in &t.indexes {
        let mut k = format!("index({}", elements(&ix.elements));
        if let Some(n) = &ix.name {
            k += &format!(", name = {}", lit(n));
        }
        if ix.unique {
            k += ", unique";
        }
        if ix.nulls_not_distinct {
            k += ", nulls_not_distinct";
        }
        if let Some(m) = &ix.method {
            k += &format!(", method = {}", lit(m));
        }
        if !ix.include.is_empty() {
            k += &format!(", include({})", list(&ix.include));
        }
        if let Some(p) = &ix.predicate {
            k += &format!(", where = {}", lit(p));
        }
        k.extend(with_key(&ix.with, ", "));
        keys.push(k + ")");
    }
    for c in &t.checks {
        let mut k = format!("check(expr = {}", lit(&c.expr));
        if let Some(n) = &c.name {
            k += &format!(", name = {}", lit(n));
        }
        keys.push(k + ")");
    }
    for x in &t.excludes {
        let mut k = String::from("exclude(");
        k += &format!("name = {}", lit(x.name.as_deref().unwrap_or("")));
        k += &format!(", using = {}", lit(&x.using));
        for e in &x.elements {
            k += &format!(", element({})", exclude_element(e));
        }
        if let Some(p) = &x.predicate {
            k += &format!(", where = {}", lit(p));
        }
        if !x.include.is_empty() {
            k += &format!(", include({})", list(&x.include));
        }
        k += &deferrable(x.deferrable);
        keys.push(k + ")");
    }
    // Relationships on the struct: the struct keeps its columns only, so building a model
    // fills no relationship (the derive makes a handle, `Customer::orders`, instead).
    for r in &plan.relations[i] {
        let mut k = format!(
            "{}({} = {}, back_populates = {}",
            r.kind,
            r.field,
            plan.structs[r.target],
            lit(&r.back_populates)
        );
        if let Some(s) = &r.secondary {
            k += &format!(", secondary = {}", lit(s));
        }
        if let Some(link) = r.through {
            k += &format!(", through = {}", plan.structs[link]);
        }
        if !r.foreign_keys.is_empty() {
            k += ", ";
            k += &retort_core::Relationship::foreign_keys_attribute(&r.foreign_keys);
        }
        if r.passive_deletes {
            k += ", passive_deletes";
        }
        keys.push(k + ")");
    }
    let mut notes = Vec::new();
    for s in sequences {
        keys.push(sequence_key(s));
        if let Some(owner) = &s.owned_by {
            notes.push(format!(
                "sequence `{}` is owned by {}.{} in the database; the derive cannot say OWNED BY",
                s.name, owner.table, owner.column
            ));
        }
    }
    if let Some(c) = &t.comment {
        out += &comment_lines(c, "", "///");
    } else {
        out += &format!("/// Table `{}`.\n", t.qualified_name());
    }
    for n in notes {
        out += &comment_lines(&n, "", "//");
    }
    out += "#[derive(Model)]\n";
    out += &attribute("", &keys);
    out += &format!("pub struct {} {{\n", plan.structs[i]);
    for (ci, col) in t.columns.iter().enumerate() {
        let mut ft = field_type(col, t.schema.as_deref(), &plan.enum_names, plan.dialect);
        if let Some(why) = other_integer_width(md, i, &col.name, plan.dialect) {
            ft.keys = vec![format!(
                "sql_type = {}",
                lit(&plan.dialect.column_type(&col.ty).unwrap_or_default())
            )];
            ft.note = Some(why);
        }
        plan.features.extend(ft.features.iter().copied());
        let name = &plan.fields[i][ci];
        let mut keys = Vec::new();
        let mut notes: Vec<String> = ft.note.into_iter().collect();
        if *name != col.name {
            keys.push(format!("column = {}", lit(&col.name)));
        }
        if field_pk.as_deref() == Some(col.name.as_str()) {
            keys.push("primary_key".to_owned());
        }
        keys.extend(ft.keys);
        if let Some(id) = &col.identity {
            keys.push(match id.generation {
                IdentityGeneration::Always => "identity = \"always\"".to_owned(),
                IdentityGeneration::ByDefault => "identity = \"by_default\"".to_owned(),
            });
            let opts = [
                ("start", id.start),
                ("increment", id.increment),
                ("minvalue", id.minvalue),
                ("maxvalue", id.maxvalue),
                ("cache", id.cache),
            ];
            for (k, v) in opts {
                if let Some(v) = v {
                    keys.push(format!("identity_{k} = {v}"));
                }
            }
            if id.cycle {
                keys.push("identity_cycle".to_owned());
            }
        }
        if let Some(serial) = &col.serial {
            keys.push("serial".to_owned());
            let default_name = format!("{}_{}_seq", t.name, col.name);
            if serial.name.as_deref().is_some_and(|n| n != default_name)
                || serial.options != Default::default()
            {
                notes.push(format!(
                    "its serial's sequence is {:?} with {:?} in the database; the derive's `serial` names it `{default_name}` with the default options",
                    serial.name, serial.options
                ));
            }
        }
        if let Some(d) = &col.server_default {
            default_key(d, &mut keys, &mut notes);
        }
        if let Some(c) = &col.computed {
            if c.stored {
                keys.push(format!("computed = {}", lit(&c.expr)));
            } else {
                notes.push(
                    "a virtual (not stored) generated column in the database; the derive makes stored ones only, so it is written as stored"
                        .to_owned(),
                );
                keys.push(format!("computed = {}", lit(&c.expr)));
            }
        }
        if let Some(c) = &col.collation {
            keys.push(format!("collation = {}", lit(c)));
        }
        if col.inherited {
            keys.push("inherited".to_owned());
        }
        if let Some(c) = &col.comment {
            keys.push(format!("comment = {}", lit(c)));
        }
        if field_unique[ci] {
            keys.push("unique".to_owned());
        }
        if let Some(k) = field_fks[ci] {
            let fk = &t.foreign_keys[k];
            keys.push(field_fk_target(fk));
            if let Some(a) = fk.on_delete {
                keys.push(format!("on_delete = \"{}\"", action(a)));
            }
            if let Some(a) = fk.on_update {
                keys.push(format!("on_update = \"{}\"", action(a)));
            }
            match fk.deferrable {
                Some(Deferrable::InitiallyImmediate) => keys.push("deferrable".to_owned()),
                Some(Deferrable::InitiallyDeferred) => {
                    keys.push("deferrable".to_owned());
                    keys.push("initially_deferred".to_owned());
                }
                None => {}
            }
            if let Some(m) = fk.match_type {
                keys.push(fk_match(m));
            }
            if let Some(n) = &fk.name {
                keys.push(format!("fk_name = {}", lit(n)));
            }
        }
        for n in notes {
            out += &comment_lines(&n, "    ", "//");
        }
        if !keys.is_empty() {
            out += &attribute("    ", &keys);
        }
        out += &format!("    pub {name}: {},\n", ft.rust);
    }
    out += "}\n";
    out
}

/// Why column `column` of table `i` is written as SQL: a foreign key's column of another
/// integer width than the key it refers to (`bigint` to `integer`), which the database
/// accepts and `MetaData::validate` refuses unless the type is written as SQL (`Custom`, the
/// database's to judge); `None` for any other column.
fn other_integer_width(
    md: &MetaData,
    i: usize,
    column: &str,
    dialect: &dyn retort_dialect::Dialect,
) -> Option<String> {
    use retort_core::schema::Type::{BigInt, Integer, SmallInt};
    let t = &md.tables()[i];
    let ty = &t.get_column(column)?.ty;
    for fk in &t.foreign_keys {
        let Some(k) = fk.columns.iter().position(|c| c == column) else {
            continue;
        };
        let target = &md.tables()[referenced(md, t, fk)?];
        let key = target.get_column(fk.ref_columns.get(k)?)?;
        let integer = |t: &retort_core::schema::Type| matches!(t, SmallInt | Integer | BigInt);
        if integer(ty) && integer(&key.ty) && *ty != key.ty {
            let spell = |t| dialect.column_type(t).unwrap_or_default();
            return Some(format!(
                "`{}.{}`, the key it refers to, is {}: the database takes\nanother integer width, `validate()` only a type written as SQL",
                target.name,
                key.name,
                spell(&key.ty).to_lowercase()
            ));
        }
    }
    None
}

fn list(names: &[String]) -> String {
    names.iter().map(|n| lit(n)).collect::<Vec<_>>().join(", ")
}

fn deferrable(d: Option<Deferrable>) -> String {
    match d {
        Some(Deferrable::InitiallyImmediate) => ", deferrable".to_owned(),
        Some(Deferrable::InitiallyDeferred) => ", deferrable, initially_deferred".to_owned(),
        None => String::new(),
    }
}

fn action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "no action",
        FkAction::Restrict => "restrict",
        FkAction::Cascade => "cascade",
        FkAction::SetNull => "set null",
        FkAction::SetDefault => "set default",
    }
}

/// A field's `foreign_key = "schema.table.column"`, the text form, where the derive reads
/// it back as this target (no `.` to split at); `foreign_key(table = .., schema = ..,
/// column = ..)` otherwise.
fn field_fk_target(fk: &ForeignKey) -> String {
    let column = &fk.ref_columns[0];
    match &fk.ref_schema {
        Some(s) if fk.text_form_reads_back() => {
            format!(
                "foreign_key = {}",
                lit(&format!("{s}.{}.{column}", fk.ref_table))
            )
        }
        None if fk.text_form_reads_back() => {
            format!(
                "foreign_key = {}",
                lit(&format!("{}.{column}", fk.ref_table))
            )
        }
        schema => format!(
            "foreign_key({}, column = {})",
            table_and_schema(&fk.ref_table, schema.as_deref()),
            lit(column)
        ),
    }
}

/// `table = "..", schema = ".."` (the schema only when there is one).
fn table_and_schema(table: &str, schema: Option<&str>) -> String {
    match schema {
        Some(s) => format!("table = {}, schema = {}", lit(table), lit(s)),
        None => format!("table = {}", lit(table)),
    }
}

/// The struct's composite `foreign_key(..)`: `references = "schema.table(a, b)"`, the text
/// form, where the derive reads it back as this target (no `.`, `,` or `(` to split at);
/// `references(table = .., schema = .., columns(..))` otherwise.
fn struct_fk(fk: &ForeignKey) -> String {
    let references = if fk.text_form_reads_back() {
        let table = match &fk.ref_schema {
            Some(s) => format!("{s}.{}", fk.ref_table),
            None => fk.ref_table.clone(),
        };
        format!(
            "references = {}",
            lit(&format!("{table}({})", fk.ref_columns.join(", ")))
        )
    } else {
        format!(
            "references({}, columns({}))",
            table_and_schema(&fk.ref_table, fk.ref_schema.as_deref()),
            list(&fk.ref_columns)
        )
    };
    let mut k = format!("foreign_key(columns({}), {references}", list(&fk.columns));
    if let Some(a) = fk.on_delete {
        k += &format!(", on_delete = \"{}\"", action(a));
    }
    if let Some(a) = fk.on_update {
        k += &format!(", on_update = \"{}\"", action(a));
    }
    if let Some(n) = &fk.name {
        k += &format!(", name = {}", lit(n));
    }
    k += &deferrable(fk.deferrable);
    if let Some(m) = fk.match_type {
        k += &format!(", {}", fk_match(m));
    }
    k + ")"
}

/// `match = "full"`, the derive's spelling of `MATCH FULL`.
fn fk_match(m: FkMatch) -> String {
    format!("match = \"{}\"", m.as_sql().to_ascii_lowercase())
}

/// An index's elements: plain columns in one `columns(..)`, anything with options or an
/// expression spelled out, in order.
fn elements(elements: &[IndexElement]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for e in elements {
        let opts = element_options(e);
        match &e.target {
            IndexTarget::Column(c) if opts.is_empty() => run.push(lit(c)),
            IndexTarget::Column(c) => run.push(format!("{}({})", lit(c), opts.join(", "))),
            IndexTarget::Expr(x) => {
                if !run.is_empty() {
                    parts.push(format!("columns({})", run.join(", ")));
                    run.clear();
                }
                let mut args = vec![lit(x)];
                args.extend(opts);
                parts.push(format!("expr({})", args.join(", ")));
            }
        }
    }
    if !run.is_empty() {
        parts.push(format!("columns({})", run.join(", ")));
    }
    parts.join(", ")
}

fn element_options(e: &IndexElement) -> Vec<String> {
    let mut o = Vec::new();
    match e.order {
        Some(SortOrder::Desc) => o.push("desc".to_owned()),
        Some(SortOrder::Asc) => o.push("asc".to_owned()),
        None => {}
    }
    match e.nulls {
        Some(NullsOrder::First) => o.push("nulls_first".to_owned()),
        Some(NullsOrder::Last) => o.push("nulls_last".to_owned()),
        None => {}
    }
    if let Some(c) = &e.collation {
        o.push(format!("collate = {}", lit(c)));
    }
    if let Some(c) = &e.opclass {
        o.push(format!("opclass = {}", lit(c)));
    }
    o
}

fn exclude_element(e: &ExcludeElement) -> String {
    let mut k = match &e.element.target {
        IndexTarget::Column(c) => format!("column = {}", lit(c)),
        IndexTarget::Expr(x) => format!("expr = {}", lit(x)),
    };
    k += &format!(", op = {}", lit(&e.operator));
    for o in element_options(&e.element) {
        k += &format!(", {o}");
    }
    k
}

fn sequence_key(s: &Sequence) -> String {
    let mut k = format!("sequence(name = {}", lit(&s.name));
    let ty = match s.ty {
        retort_core::schema::Type::SmallInt => Some("smallint"),
        retort_core::schema::Type::Integer => Some("integer"),
        _ => None,
    };
    if let Some(ty) = ty {
        k += &format!(", data_type = \"{ty}\"");
    }
    let o = &s.options;
    for (name, v) in [
        ("start", o.start),
        ("increment", o.increment),
        ("minvalue", o.minvalue),
        ("maxvalue", o.maxvalue),
        ("cache", o.cache),
    ] {
        if let Some(v) = v {
            k += &format!(", {name} = {v}");
        }
    }
    if o.cycle {
        k += ", cycle";
    }
    k + ")"
}

/// `server_default = ".."` or `default_value = ..` for a default.
fn default_key(d: &ServerDefault, keys: &mut Vec<String>, notes: &mut Vec<String>) {
    match d {
        ServerDefault::Expr(e) => keys.push(format!("server_default = {}", lit(e))),
        ServerDefault::Literal(l) => match l {
            Literal::Null => keys.push("server_default = \"NULL\"".to_owned()),
            Literal::Bool(b) => keys.push(format!("default_value = {b}")),
            Literal::Int(i) => keys.push(format!("default_value = {i}")),
            // A float token keeps its digits; a number without a point would read as an
            // integer, so it is written as the expression it is.
            Literal::Number(n)
                if n.contains('.')
                    && n.trim_start_matches('-')
                        .starts_with(|c: char| c.is_ascii_digit())
                    && n.trim_start_matches('-').parse::<f64>().is_ok() =>
            {
                keys.push(format!("default_value = {n}"))
            }
            Literal::Number(n) => keys.push(format!("server_default = {}", lit(n))),
            Literal::Text(s) => keys.push(format!("default_value = {}", lit(s))),
        },
        ServerDefault::Variant { base, .. } => {
            notes.push(
                "the default has per-dialect variants in the schema read; only its base is written"
                    .to_owned(),
            );
            if let Some(base) = base {
                default_key(base, keys, notes);
            }
        }
    }
}

/// `with = "fillfactor=90, .."` after `sep`, for storage parameters; nothing without any.
fn with_key(with: &[(String, String)], sep: &str) -> Option<String> {
    if with.is_empty() {
        return None;
    }
    let items: Vec<String> = with.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Some(format!("{sep}with = {}", lit(&items.join(", "))))
}

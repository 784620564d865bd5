//! Entity-relationship diagrams of a schema (issue 18, item 1): Mermaid `erDiagram` (renders
//! on code hosts) and Graphviz DOT, from any [`MetaData`]: the model, the live database read
//! back, or the history replayed to a revision. Pure: a schema in, text out.
//!
//! Every table with its columns (type as the dialect spells it, `PK`/`FK`/`UK`, nullability),
//! one edge per foreign key with its cardinality (the referring side is "zero or many", or
//! "zero or one" when its columns are unique; the referred side "exactly one", or "zero or
//! one" when a referring column is nullable), labelled with the model's relationship fields
//! where the model declares them (`orders / customer`), else the constraint's name or its
//! columns. Schemas are groups in DOT (`cluster_<schema>`) and prefixes in Mermaid, which has
//! no groups. [`ErdOptions`] keeps some tables or schemas only; an edge is drawn only when
//! both of its tables are kept.

use std::fmt::Write as _;

use retort_core::schema::{MetaData, RelationshipKind, Table};
use retort_dialect::Dialect;

/// The text format of a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErdFormat {
    /// Mermaid's `erDiagram`.
    Mermaid,
    /// Graphviz DOT, one HTML-like table a node, a cluster a schema.
    Dot,
    /// SVG, laid out and drawn here (`layout-rs`, no Graphviz needed): one record a table,
    /// its name first (`schema.name`), then a line a column; one edge a foreign key, from the
    /// referring column, labelled with its name and cardinality (`0..* : 1`).
    Svg,
}

impl ErdFormat {
    /// The format named `name` (`mermaid`, `dot`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "mermaid" => Some(ErdFormat::Mermaid),
            "dot" => Some(ErdFormat::Dot),
            "svg" => Some(ErdFormat::Svg),
            _ => None,
        }
    }
}

/// Which tables a diagram shows.
#[derive(Debug, Clone, Default)]
pub struct ErdOptions {
    /// Only these tables (`name` or `schema.name`); empty: every table.
    pub tables: Vec<String>,
    /// Only tables in these schemas (the default schema is `None`'s, named by the database's
    /// name for it or left out); empty: every schema.
    pub schemas: Vec<String>,
}

impl ErdOptions {
    /// Whether the diagram shows `t`.
    pub fn keeps(&self, t: &Table) -> bool {
        let qualified = t.qualified_name();
        (self.tables.is_empty() || self.tables.iter().any(|n| *n == t.name || *n == qualified))
            && (self.schemas.is_empty()
                || self
                    .schemas
                    .iter()
                    .any(|s| Some(s.as_str()) == t.schema.as_deref()))
    }
}

/// A column as the diagram shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ErdColumn {
    name: String,
    ty: String,
    keys: Vec<&'static str>,
    nullable: bool,
}

/// A table as the diagram shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ErdTable {
    schema: Option<String>,
    name: String,
    columns: Vec<ErdColumn>,
}

impl ErdTable {
    fn qualified(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One foreign key: `child` refers to `parent`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ErdEdge {
    child: String,
    parent: String,
    /// (referring column, referred column) pairs.
    columns: Vec<(String, String)>,
    label: String,
    /// The referring columns are unique: one child at most per parent.
    one_to_one: bool,
    /// A referring column is nullable: a child may have no parent.
    optional: bool,
}

/// The diagram's content, whatever the format.
struct Erd {
    tables: Vec<ErdTable>,
    edges: Vec<ErdEdge>,
}

/// The SVG layout failed (the layout crate gave up on the graph's shape).
#[derive(Debug, thiserror::Error)]
#[error("the SVG layout of the diagram failed ({0}); write it as DOT (`--format dot`) and draw it with Graphviz (`dot -Tsvg`), or keep fewer tables (`--tables`, `--schema`)")]
pub struct ErdError(String);

/// `md` as a diagram in `format`, types spelled by `dialect`.
pub fn render_erd(
    md: &MetaData,
    dialect: &dyn Dialect,
    format: ErdFormat,
    options: &ErdOptions,
) -> Result<String, ErdError> {
    let erd = collect(md, dialect, options);
    Ok(match format {
        ErdFormat::Mermaid => mermaid(&erd),
        ErdFormat::Dot => dot(&erd),
        ErdFormat::Svg => svg(&erd)?,
    })
}

fn collect(md: &MetaData, dialect: &dyn Dialect, options: &ErdOptions) -> Erd {
    let kept: Vec<&Table> = md.tables().iter().filter(|t| options.keeps(t)).collect();
    let mut tables = Vec::with_capacity(kept.len());
    let mut edges = Vec::new();
    for t in &kept {
        let pk: Vec<&str> = t
            .primary_key
            .as_ref()
            .map(|p| p.columns.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let columns = t
            .columns
            .iter()
            .map(|c| {
                let mut keys = Vec::new();
                if pk.contains(&c.name.as_str()) {
                    keys.push("PK");
                }
                if t.foreign_keys.iter().any(|f| f.columns.contains(&c.name)) {
                    keys.push("FK");
                }
                if unique_columns(t, &[c.name.as_str()]) && !(pk.len() == 1 && pk[0] == c.name) {
                    keys.push("UK");
                }
                ErdColumn {
                    name: c.name.clone(),
                    ty: dialect
                        .column_type(&c.ty)
                        .unwrap_or_else(|_| c.ty.to_string()),
                    keys,
                    nullable: c.nullable && !pk.contains(&c.name.as_str()),
                }
            })
            .collect();
        tables.push(ErdTable {
            schema: t.schema.clone(),
            name: t.name.clone(),
            columns,
        });
        for fk in &t.foreign_keys {
            let target = retort_core::schema::resolved_target_schema(md, fk);
            let Some(parent) = kept
                .iter()
                .find(|p| p.name == fk.ref_table && p.schema == target)
            else {
                continue;
            };
            let cols: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
            let optional = fk
                .columns
                .iter()
                .any(|c| t.get_column(c).is_some_and(|c| c.nullable));
            edges.push(ErdEdge {
                child: t.qualified_name(),
                parent: parent.qualified_name(),
                columns: fk
                    .columns
                    .iter()
                    .cloned()
                    .zip(fk.ref_columns.iter().cloned())
                    .collect(),
                label: edge_label(t, parent, fk),
                one_to_one: unique_columns(t, &cols),
                optional,
            });
        }
    }
    Erd { tables, edges }
}

/// Whether `columns` (as a set) are the table's primary key, a unique constraint's or a
/// unique index's columns.
fn unique_columns(t: &Table, columns: &[&str]) -> bool {
    let same = |other: &mut dyn Iterator<Item = &str>| {
        let mut o: Vec<&str> = other.collect();
        let mut c = columns.to_vec();
        o.sort_unstable();
        c.sort_unstable();
        o == c
    };
    t.primary_key
        .as_ref()
        .is_some_and(|p| same(&mut p.columns.iter().map(String::as_str)))
        || t.uniques
            .iter()
            .any(|u| same(&mut u.columns.iter().map(String::as_str)))
        || t.indexes.iter().any(|i| {
            i.unique
                && i.elements
                    .iter()
                    .all(|e| matches!(e.target, retort_core::schema::IndexTarget::Column(_)))
                && same(&mut i.elements.iter().filter_map(|e| match &e.target {
                    retort_core::schema::IndexTarget::Column(c) => Some(c.as_str()),
                    retort_core::schema::IndexTarget::Expr(_) => None,
                }))
        })
}

/// The relationship fields the models declare over this foreign key (`orders / customer`:
/// the parent's collection, then the child's reference), else the constraint's name, else
/// its columns.
fn edge_label(child: &Table, parent: &Table, fk: &retort_core::schema::ForeignKey) -> String {
    let parent_side = parent.relationships.iter().find(|r| {
        matches!(
            r.kind,
            RelationshipKind::OneToMany | RelationshipKind::OneToOne
        ) && r.target_table == child.name
    });
    let child_side = child
        .relationships
        .iter()
        .find(|r| matches!(r.kind, RelationshipKind::ManyToOne) && r.target_table == parent.name);
    match (parent_side, child_side) {
        (Some(p), Some(c)) => format!("{} / {}", p.field, c.field),
        (Some(p), None) => p.field.clone(),
        (None, Some(c)) => c.field.clone(),
        (None, None) => fk.name.clone().unwrap_or_else(|| fk.columns.join(", ")),
    }
}

// ---- Mermaid ---------------------------------------------------------------------------

/// A Mermaid entity name: as it is when it is a plain word, else in double quotes (a
/// schema's dot, a space), with any double quote of its own taken out.
fn mermaid_name(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '-')
    {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', ""))
    }
}

/// A word Mermaid takes as an attribute's type or name: letters, digits, `_`, `-`, and
/// brackets/parentheses in a type; anything else (a space, a comma: `NUMERIC(10_2)`) becomes
/// `_`.
fn mermaid_word(s: &str, brackets: bool) -> String {
    let mut out: String = s
        .replace(", ", ",")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric()
                || c == '_'
                || c == '-'
                || (brackets && matches!(c, '(' | ')' | '[' | ']'))
            {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn mermaid(erd: &Erd) -> String {
    let mut out = String::from("erDiagram\n");
    for t in &erd.tables {
        let _ = writeln!(out, "    {} {{", mermaid_name(&t.qualified()));
        for c in &t.columns {
            let _ = write!(
                out,
                "        {} {}",
                mermaid_word(&c.ty, true),
                mermaid_word(&c.name, false)
            );
            if !c.keys.is_empty() {
                let _ = write!(out, " {}", c.keys.join(", "));
            }
            // One comment an attribute (Mermaid's grammar takes no second).
            let mut notes = Vec::new();
            if c.nullable {
                notes.push("nullable".to_owned());
            }
            if mermaid_word(&c.name, false) != c.name {
                notes.push(format!("column {}", c.name.replace('"', "")));
            }
            if !notes.is_empty() {
                let _ = write!(out, " \"{}\"", notes.join(", "));
            }
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for e in &erd.edges {
        let parent = if e.optional { "|o" } else { "||" };
        let child = if e.one_to_one { "o|" } else { "o{" };
        let _ = writeln!(
            out,
            "    {} {parent}--{child} {} : \"{}\"",
            mermaid_name(&e.parent),
            mermaid_name(&e.child),
            e.label.replace('"', "'")
        );
    }
    out
}

// ---- DOT -------------------------------------------------------------------------------

fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn dot_node(out: &mut String, t: &ErdTable, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}{} [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\">",
        dot_id(&t.qualified())
    );
    let _ = writeln!(
        out,
        "{indent}  <TR><TD BGCOLOR=\"#dde4ee\" COLSPAN=\"3\"><B>{}</B></TD></TR>",
        html(&t.qualified())
    );
    for c in &t.columns {
        let name = if c.nullable {
            html(&c.name)
        } else {
            format!("<B>{}</B>", html(&c.name))
        };
        let _ = writeln!(
            out,
            "{indent}  <TR><TD ALIGN=\"LEFT\" PORT={}>{name}</TD><TD ALIGN=\"LEFT\">{}{}</TD><TD>{}</TD></TR>",
            dot_id(&html(&c.name)),
            html(&c.ty.to_lowercase()),
            if c.nullable { "" } else { " NOT NULL" },
            c.keys.join(" ")
        );
    }
    let _ = writeln!(out, "{indent}</TABLE>>];");
}

fn dot(erd: &Erd) -> String {
    let mut out = String::from(
        "digraph erd {\n  graph [rankdir=LR, fontname=\"Helvetica\"];\n  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9, dir=both];\n",
    );
    let mut schemas: Vec<Option<&str>> = Vec::new();
    for t in &erd.tables {
        if !schemas.contains(&t.schema.as_deref()) {
            schemas.push(t.schema.as_deref());
        }
    }
    for s in schemas {
        let tables = erd.tables.iter().filter(|t| t.schema.as_deref() == s);
        match s {
            None => tables.for_each(|t| dot_node(&mut out, t, "  ")),
            Some(s) => {
                let _ = writeln!(
                    out,
                    "  subgraph {} {{\n    label={};\n    style=rounded;",
                    dot_id(&format!("cluster_{s}")),
                    dot_id(s)
                );
                tables.for_each(|t| dot_node(&mut out, t, "    "));
                out.push_str("  }\n");
            }
        }
    }
    for e in &erd.edges {
        let (from, to) = e
            .columns
            .first()
            .map(|(c, p)| (format!(":{}", dot_id(c)), format!(":{}", dot_id(p))))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}{from} -> {}{to} [label={}, arrowtail={}, arrowhead={}];",
            dot_id(&e.child),
            dot_id(&e.parent),
            dot_id(&e.label),
            if e.one_to_one { "teeodot" } else { "crowodot" },
            if e.optional { "teeodot" } else { "teetee" },
        );
    }
    out.push_str("}\n");
    out
}

// ---- SVG -------------------------------------------------------------------------------

/// `0..*`, `0..1`, `1`: how many rows each end has, as the edge's label says it.
fn cardinality(e: &ErdEdge) -> String {
    format!(
        "{} : {}",
        if e.one_to_one { "0..1" } else { "0..*" },
        if e.optional { "0..1" } else { "1" }
    )
}

fn svg(erd: &Erd) -> Result<String, ErdError> {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::render::get_shape_size;
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, RecordDef, ShapeKind};
    use layout::topo::layout::VisualGraph;

    let orientation = Orientation::LeftToRight;
    let mut graph = VisualGraph::new(orientation);
    let mut nodes = std::collections::HashMap::new();
    for t in &erd.tables {
        let mut fields = vec![RecordDef::new_text(&t.qualified())];
        for c in &t.columns {
            let mut line = format!("{} {}", c.name, c.ty.to_lowercase());
            if !c.keys.is_empty() {
                let _ = write!(line, " {}", c.keys.join(" "));
            }
            if !c.nullable {
                line.push_str(" not null");
            }
            fields.push(RecordDef::new_text_with_port(&line, &c.name));
        }
        let shape = ShapeKind::Record(RecordDef::Array(fields));
        let look = StyleAttr::new(Color::fast("black"), 1, Some(Color::fast("white")), 0, 12);
        // A record's fields go across its orientation: top to bottom stacks the columns
        // under the table's name, in a graph laid out left to right.
        let size = get_shape_size(Orientation::TopToBottom, &shape, look.font_size, false);
        let node = graph.add_node(Element::create(shape, look, Orientation::TopToBottom, size));
        nodes.insert(t.qualified(), node);
    }
    for e in &erd.edges {
        let (Some(&from), Some(&to)) = (nodes.get(&e.child), nodes.get(&e.parent)) else {
            continue;
        };
        // No ports: layout-rs ends a line at a record field's port somewhere inside the
        // table's box, over its columns (seen in Chromium: tests/it/erd_browser.rs of the
        // ecommerce migrations); without one it ends on the box's border. The label names
        // the key's columns or relationship.
        let (from_port, to_port) = (None, None);
        let look = StyleAttr::new(Color::fast("black"), 1, None, 0, 10);
        let arrow = Arrow::new(
            LineEndKind::None,
            LineEndKind::Arrow,
            if e.optional {
                LineStyleKind::Dashed
            } else {
                LineStyleKind::Normal
            },
            &format!("{} ({})", e.label, cardinality(e)),
            &look,
            &from_port,
            &to_port,
        );
        graph.add_edge(arrow, from, to);
    }
    // The layout crate asserts on shapes it cannot place rather than returning an error: a
    // panic there is this command's error, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let mut writer = SVGWriter::new();
        graph.do_it(false, false, false, &mut writer);
        writer.finalize()
    }))
    .map_err(|panic| {
        ErdError(
            panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::schema::{Cascade, Column, ForeignKey, Relationship, Type};

    fn shop() -> MetaData {
        MetaData::new()
            .table(
                Table::new("customers")
                    .column(Column::new("id", Type::Integer).not_null())
                    .column(Column::new("email", Type::Varchar(Some(200))).not_null())
                    .column(Column::new("nick name", Type::Text))
                    .primary_key(["id"])
                    .unique(["email"]),
            )
            .table(
                Table::new("orders")
                    .schema("sales")
                    .column(Column::new("id", Type::Integer).not_null())
                    .column(Column::new("customer_id", Type::Integer).not_null())
                    .column(Column::new(
                        "total",
                        Type::Numeric {
                            precision: Some(10),
                            scale: Some(2),
                        },
                    ))
                    .primary_key(["id"])
                    .foreign_key(
                        ForeignKey::new(["customer_id"], "customers", ["id"])
                            .name("orders_customer_fk"),
                    ),
            )
            .table(
                Table::new("profiles")
                    .column(Column::new("customer_id", Type::Integer).not_null())
                    .column(Column::new("referrer_id", Type::Integer))
                    .primary_key(["customer_id"])
                    .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]))
                    .foreign_key(ForeignKey::new(["referrer_id"], "customers", ["id"])),
            )
    }

    fn pg() -> &'static dyn Dialect {
        &retort_dialect::postgres::Postgres
    }

    fn relationship(field: &str, kind: RelationshipKind, model: &str, table: &str) -> Relationship {
        Relationship {
            field: field.into(),
            kind,
            target_model: model.into(),
            target_table: table.into(),
            back_populates: None,
            cascade: Cascade::default(),
            passive_deletes: false,
            foreign_keys: Vec::new(),
        }
    }

    #[test]
    fn mermaid_marks_keys_nullability_and_cardinality() {
        let text = render_erd(&shop(), pg(), ErdFormat::Mermaid, &ErdOptions::default()).unwrap();
        assert!(text.starts_with("erDiagram\n"), "{text}");
        assert!(text.contains("    customers {\n        INTEGER id PK\n        VARCHAR(200) email UK\n        TEXT nick_name \"nullable, column nick name\"\n    }"), "{text}");
        assert!(text.contains("    \"sales.orders\" {"), "{text}");
        assert!(text.contains("NUMERIC(10_2) total \"nullable\""), "{text}");
        // A referring column that is the whole primary key: one profile at most.
        assert!(
            text.contains("    customers ||--o| profiles : \"customer_id\""),
            "{text}"
        );
        // A nullable referring column: a profile may have no referrer.
        assert!(
            text.contains("    customers |o--o{ profiles : \"referrer_id\""),
            "{text}"
        );
        assert!(
            text.contains("    customers ||--o{ \"sales.orders\" : \"orders_customer_fk\""),
            "{text}"
        );
    }

    #[test]
    fn relationships_name_their_edge() {
        let mut md = shop();
        md.get_table_mut(None, "customers")
            .unwrap()
            .relationships
            .push(relationship(
                "orders",
                RelationshipKind::OneToMany,
                "Order",
                "orders",
            ));
        let sales = md.get_table_mut(Some("sales"), "orders").unwrap();
        sales.relationships.push(relationship(
            "customer",
            RelationshipKind::ManyToOne,
            "Customer",
            "customers",
        ));
        let text = render_erd(&md, pg(), ErdFormat::Mermaid, &ErdOptions::default()).unwrap();
        assert!(text.contains(": \"orders / customer\""), "{text}");
    }

    #[test]
    fn dot_groups_schemas_and_draws_an_edge_per_foreign_key() {
        let text = render_erd(&shop(), pg(), ErdFormat::Dot, &ErdOptions::default()).unwrap();
        assert!(text.starts_with("digraph erd {"), "{text}");
        assert!(text.contains("subgraph \"cluster_sales\" {"), "{text}");
        assert_eq!(text.matches(" -> ").count(), 3, "{text}");
        assert!(text.contains("\"sales.orders\":\"customer_id\" -> \"customers\":\"id\" [label=\"orders_customer_fk\", arrowtail=crowodot, arrowhead=teetee];"), "{text}");
        assert!(
            text.contains(
                "<B>email</B></TD><TD ALIGN=\"LEFT\">varchar(200) NOT NULL</TD><TD>UK</TD>"
            ),
            "{text}"
        );
    }

    #[test]
    fn filters_keep_tables_and_the_edges_between_them() {
        let only = ErdOptions {
            tables: vec!["customers".into(), "sales.orders".into()],
            ..ErdOptions::default()
        };
        let text = render_erd(&shop(), pg(), ErdFormat::Mermaid, &only).unwrap();
        assert!(!text.contains("profiles"), "{text}");
        assert_eq!(text.matches("--").count(), 1, "{text}");
        let sales = ErdOptions {
            schemas: vec!["sales".into()],
            ..ErdOptions::default()
        };
        let text = render_erd(&shop(), pg(), ErdFormat::Mermaid, &sales).unwrap();
        assert!(
            text.contains("\"sales.orders\"") && !text.contains("customers {"),
            "{text}"
        );
        assert_eq!(text.matches("--").count(), 0, "{text}");
    }

    #[test]
    fn svg_draws_every_table_column_and_edge() {
        let mut md = shop();
        // A table referring to itself too.
        md.get_table_mut(None, "customers")
            .unwrap()
            .foreign_keys
            .push(ForeignKey::new(["id"], "customers", ["id"]).name("customers_self_fk"));
        let text = render_erd(&md, pg(), ErdFormat::Svg, &ErdOptions::default()).unwrap();
        assert!(text.contains("<svg"), "{text}");
        for shown in [
            "customers",
            "sales.orders",
            "profiles",
            "email varchar(200) UK not null",
            "customer_id integer PK FK not null",
            "orders_customer_fk (0..* : 1)",
            "referrer_id (0..* : 0..1)",
            "customer_id (0..1 : 1)",
            "customers_self_fk",
        ] {
            assert!(text.contains(shown), "{shown} missing from {text}");
        }
    }
}

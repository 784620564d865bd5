//! Model validation: every error names the model (or table) and the field at fault, and says
//! what to do.

use std::collections::HashSet;
use std::fmt;

use super::{DialectKind, IndexTarget, MetaData, RelationshipKind, Table, Type};

/// One problem found in a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// Two models map to the same table (same schema and name).
    #[error("table `{table}` is defined twice (models {first} and {second}); give one of them another `table = \"...\"`")]
    DuplicateTable {
        /// The table both models map to, as `schema.name` or `name`.
        table: String,
        /// The model that defined the table first (its table name when it has no model).
        first: String,
        /// The model that defined it again.
        second: String,
    },
    /// A PostgreSQL exclusion constraint has no name, so no migration could drop it.
    #[error("{model}: table `{table}` has an exclusion constraint without a name; give it one (`exclude(name = \"...\", ..)` in the derive, `Exclude::new(\"name\", ..)` in code): no naming convention names exclusion constraints, and a migration must know the name to drop it")]
    UnnamedExclude {
        /// The model (or, without one, the table name) that declares the constraint.
        model: String,
        /// The table, as `schema.name` or `name`.
        table: String,
    },
    /// An exclusion constraint lists no `element WITH operator` pairs.
    #[error("{model}: the exclusion constraint {name} on table `{table}` has no elements; give it at least one `element(column = \"..\", op = \"..\")`")]
    ExcludeWithoutElements {
        /// The model (or, without one, the table name) that declares the constraint.
        model: String,
        /// The table, as `schema.name` or `name`.
        table: String,
        /// The exclusion constraint's name.
        name: String,
    },
    /// A table inherits from a table that is not in the [`MetaData`] (PostgreSQL `INHERITS`).
    #[error("{model}: table `{table}` inherits from `{parent}`, which is not in the MetaData; add that model (or table), or fix `inherits`")]
    UnknownParent {
        /// The model (or, without one, the table name) that declares the parent.
        model: String,
        /// The child table, as `schema.name` or `name`.
        table: String,
        /// The parent as written.
        parent: String,
    },
    /// A column marked inherited is in none of the table's parents.
    #[error("{model}: column `{column}` of table `{table}` is marked inherited, but none of its parents ({parents}) has it; declare it in a parent, or drop `inherited`")]
    InheritedColumnWithoutParent {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The table, as `schema.name` or `name`.
        table: String,
        /// The column marked inherited.
        column: String,
        /// The table's parents, joined by `, ` (`none` when it has none).
        parents: String,
    },
    /// A child of `INHERITS` lacks a column of a parent, which PostgreSQL gives it anyway.
    #[error("{model}: table `{table}` inherits from `{parent}` but lacks its column `{column}`, which the database gives it anyway; add the column to `{table}`, marked `inherited` (or as its own)")]
    ChildLacksParentColumn {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The child table, as `schema.name` or `name`.
        table: String,
        /// The parent, as `schema.name` or `name`.
        parent: String,
        /// The parent's column the child lacks.
        column: String,
    },
    /// Two fields of one model map to the same column name.
    #[error("{model}: column `{column}` of table `{table}` is defined twice; rename one field or its `column = \"...\"`")]
    DuplicateColumn {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The table's name.
        table: String,
        /// The column name used twice.
        column: String,
    },
    /// Two constraints or indexes share a name where the database needs it unique: per schema for
    /// primary keys, unique and exclusion constraints and indexes, per table for foreign keys and
    /// checks.
    #[error("{model}: the name `{name}` is used by more than one constraint or index in schema {schema}; names must be unique")]
    DuplicateConstraintName {
        /// The model (or, without one, the table name) holding the second use of the name.
        model: String,
        /// The schema the name must be unique in; `(default)` for the default schema.
        schema: String,
        /// The constraint or index name used twice.
        name: String,
    },
    /// An unnamed constraint or index falls under a naming-convention template that needs its given
    /// name (`%(constraint_name)s`).
    #[error("{model}: table `{table}` has an unnamed {what}, but the naming convention's `{kind}` template uses %(constraint_name)s, which needs a name; give it one, or use a template without %(constraint_name)s")]
    UnnamedUnderConvention {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The table, as `schema.name` or `name`.
        table: String,
        /// The template's key: `pk`, `fk`, `uq`, `ck` or `ix`.
        kind: String,
        /// What is unnamed, in words (`check constraint`).
        what: String,
    },
    /// A constraint or index names a column its table does not have.
    #[error("{model}: {what} refers to column `{column}`, which table `{table}` does not have")]
    UnknownColumn {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The table's name.
        table: String,
        /// The constraint or index that names the column, in words (`index ix_users_email`).
        what: String,
        /// The column name that the table lacks.
        column: String,
    },
    /// A foreign key refers to a table or column that is not in the [`MetaData`].
    #[error("{model}.{field}: foreign key target `{target}` does not exist ({reason}); add that model to the MetaData or fix the target")]
    UnknownForeignKeyTarget {
        /// The model (or, without one, the table name) that declares the foreign key.
        model: String,
        /// The foreign key's local column(s), joined by `, `.
        field: String,
        /// The referenced `table.column[,column]`, as the model spells it.
        target: String,
        /// What is missing: the table, or which of its columns.
        reason: String,
    },
    /// A foreign key has a different number of local and referenced columns.
    #[error("{model}.{field}: foreign key has {columns} column(s) but refers to {ref_columns}")]
    ForeignKeyArity {
        /// The model (or, without one, the table name) that declares the foreign key.
        model: String,
        /// The foreign key's local column(s), joined by `, `.
        field: String,
        /// How many local columns the foreign key has.
        columns: usize,
        /// How many referenced columns it names.
        ref_columns: usize,
    },
    /// A foreign key column's type differs from the type of the key column it refers to.
    #[error("{model}.{field}: the foreign key column is {ty} but `{target}`, the key it refers to, is {ref_ty}; give the field the key's type (an `i32` key is referred to by an `i32` field)")]
    ForeignKeyTypeMismatch {
        /// The model (or, without one, the table name) that declares the foreign key.
        model: String,
        /// The local column whose type differs.
        field: String,
        /// The local column's type, as SQL.
        ty: String,
        /// The referenced column, as `table.column`.
        target: String,
        /// The referenced column's type, as SQL.
        ref_ty: String,
    },
    /// A column uses an enum type that the [`MetaData`] does not define.
    #[error("{model}.{field}: enum type `{name}` is not defined in the MetaData; derive it and use it in a model, or add it with `enum_type`")]
    UnknownEnum {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The column that uses the enum type.
        field: String,
        /// The enum type's name, as the column spells it.
        name: String,
    },
    /// A serial column has a type other than `smallint`, `integer` or `bigint`.
    #[error("{model}.{field}: a serial column needs smallint, integer or bigint, not {ty}")]
    SerialNotInteger {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The serial column.
        field: String,
        /// The column's type, as SQL.
        ty: String,
    },
    /// A serial column also has an identity, a server default or a generation expression.
    #[error("{model}.{field}: a serial column's value comes from its sequence; drop its {other}, or the serial")]
    SerialAndOther {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The serial column.
        field: String,
        /// What else the column has: `identity`, `server default` or `generation expression`.
        other: &'static str,
    },
    /// An identity column has a non-integer type.
    #[error("{model}.{field}: identity needs an integer column, not {ty}")]
    IdentityNotInteger {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The identity column.
        field: String,
        /// The column's type, as SQL.
        ty: String,
    },
    /// A column has both a server default and a generation expression.
    #[error(
        "{model}.{field}: a column cannot have both a server default and a computed expression"
    )]
    DefaultAndComputed {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The column that has both.
        field: String,
    },
    /// A relationship points at a model that is not in the [`MetaData`].
    #[error("{model}.{field}: relationship target model `{target}` (table `{table}`) is not in the MetaData; add it with `.with::<{target}>()`")]
    UnknownRelationshipTarget {
        /// The model that declares the relationship.
        model: String,
        /// The relationship's Rust field.
        field: String,
        /// The target model's name.
        target: String,
        /// The target model's table name.
        table: String,
    },
    /// `back_populates` names a field that the target model does not have.
    #[error("{model}.{field}: back_populates = \"{back_populates}\" but {target} has no relationship field `{back_populates}`{hint}")]
    BackPopulatesMissing {
        /// The model that declares the relationship.
        model: String,
        /// The relationship's Rust field.
        field: String,
        /// The target model (or, without one, its table name).
        target: String,
        /// The field name `back_populates` gives.
        back_populates: String,
        /// A ` (did you mean ..?)` suggestion, or empty when there is none.
        hint: String,
    },
    /// The relationship `back_populates` names does not point back at this one.
    #[error("{model}.{field}: back_populates = \"{back_populates}\" but {target}.{back_populates} {problem}")]
    BackPopulatesMismatch {
        /// The model that declares the relationship.
        model: String,
        /// The relationship's Rust field.
        field: String,
        /// The target model (or, without one, its table name).
        target: String,
        /// The field name `back_populates` gives.
        back_populates: String,
        /// How the other side disagrees, in words (`points to Post, not to User`).
        problem: String,
    },
    /// A relationship has no foreign key to join through.
    #[error("{model}.{field}: no foreign key path to {target}: {detail}")]
    NoForeignKeyPath {
        /// The model that declares the relationship.
        model: String,
        /// The relationship's Rust field.
        field: String,
        /// The target model's name.
        target: String,
        /// Which foreign key is missing and where to add it.
        detail: String,
    },
    /// A relationship between two tables with several foreign keys from one to the other
    /// names none of them (SQLAlchemy's `AmbiguousForeignKeysError`).
    #[error("{model}.{field}: {count} foreign keys from `{from}` to `{to}` ({keys}), and the relationship names none; say which it follows with `{example}` (SQLAlchemy's foreign_keys=[..])")]
    AmbiguousForeignKeys {
        /// The model that declares the relationship.
        model: String,
        /// The relationship's Rust field.
        field: String,
        /// How many foreign keys there are.
        count: usize,
        /// The referring table.
        from: String,
        /// The referred table.
        to: String,
        /// Each key's columns, `a_id; b_id`.
        keys: String,
        /// The first key's columns, as the derive's `foreign_keys` names them.
        example: String,
    },
    /// A relationship's `foreign_keys` names no foreign key between its two tables.
    #[error("{model}.{field}: {foreign_keys} names no foreign key from `{from}` to `{to}`; its keys there: ({keys})")]
    ForeignKeysNotFound {
        /// The model that declares the relationship.
        model: String,
        /// The relationship's Rust field.
        field: String,
        /// The `foreign_keys` key as the derive spells it.
        foreign_keys: String,
        /// The referring table.
        from: String,
        /// The referred table.
        to: String,
        /// Each key's columns, `a_id; b_id`.
        keys: String,
    },
    /// An index or exclusion expression carries an order, `NULLS` placement, collation or operator
    /// class in its SQL text.
    #[error("{model}: {index} has the expression `{expr}`, which holds {clause}: an expression element is the expression alone; say the rest on the element, as in `index(columns(created_at(desc, nulls_last), name(collate = \"C\", opclass = \"text_pattern_ops\")))` or `expr(\"lower(name)\", desc)` in the derive, `IndexElement::expr(\"..\").desc()` (`.nulls_last()`, `.collate(..)`, `.opclass(..)`) in code")]
    IndexExprWithElementOption {
        /// The model (or, without one, the table name) at fault.
        model: String,
        /// The index or exclusion constraint, in words (`index ix_users_lower_name`).
        index: String,
        /// The expression's SQL text, as written.
        expr: String,
        /// The clause found in it (`DESC`, `COLLATE`, ...).
        clause: String,
    },
    /// Two entities with one key and different definitions.
    #[error("{entity} is declared twice with different definitions; keep one (overloaded functions differ in their argument types)")]
    DuplicateEntity {
        /// The entity, in words (`view public.order_totals`).
        entity: String,
    },
    /// An entity with no SQL.
    #[error(
        "{entity} has an empty definition; give it its SQL (or `include_str!` of its `.sql` file)"
    )]
    EmptyEntityDefinition {
        /// The entity, in words.
        entity: String,
    },
    /// A grant of a privilege its kind of object does not have.
    #[error("{entity}: `{privilege}` is not a privilege of this kind of object (it has {known}); one `Grant` holds one privilege, list several with `MetaData::with_entities`")]
    UnknownPrivilege {
        /// The grant, in words.
        entity: String,
        /// The privilege written.
        privilege: String,
        /// The privileges there are.
        known: String,
    },
    /// A column privilege on a column the model's table does not have.
    #[error("{entity}: table {table} has no column `{column}` in the model (a column privilege goes with its column: drop the grant with it)")]
    UnknownGrantColumn {
        /// The grant, in words.
        entity: String,
        /// The table.
        table: String,
        /// The column named.
        column: String,
    },
    /// Entities whose declared order (`.after(..)`), with what their definitions read, goes
    /// round in a cycle: no order creates them.
    #[error("entities depend on each other in a cycle: {cycle}; no order creates them all. {entity} is declared `.after(..)` what leads back to it: remove that `.after`, or the reference that closes the cycle")]
    EntityCycle {
        /// The entities around the cycle, in words, `->` between them (each created after the next).
        cycle: String,
        /// The entity whose `.after(..)` closes it.
        entity: String,
    },
    /// A trigger (or policy, or row-level-security switch) on a table neither the model nor
    /// the database has.
    #[error("{entity} is on table `{table}`, which neither the model nor the database has; add the table to the model or correct the table it names")]
    UnknownTriggerTable {
        /// The trigger, in words.
        entity: String,
        /// The table it names.
        table: String,
    },
    /// A trigger executing a function neither the model nor the database has.
    #[error("{entity} executes function `{function}`, which neither the model nor the database has; declare the function with `with_entity(Function::new(..))` or fix the trigger's definition")]
    UnknownTriggerFunction {
        /// The trigger, in words.
        entity: String,
        /// The function it executes, as its definition names it.
        function: String,
    },
}

/// All problems found in a model, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaErrors(pub Vec<SchemaError>);

impl fmt::Display for SchemaErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "invalid model: {one}"),
            many => {
                write!(f, "invalid model ({} problems):", many.len())?;
                for e in many {
                    write!(f, "\n  - {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SchemaErrors {}

impl SchemaErrors {
    /// Every problem found, in the order validation met them.
    pub fn errors(&self) -> &[SchemaError] {
        &self.0
    }
}

pub(super) fn validate(md: &MetaData) -> Result<(), SchemaErrors> {
    let mut errs = Vec::new();
    let lookup = super::TableLookup::new(md);
    for t in md.tables() {
        // The first table of this name, if it is not `t` itself.
        let first = lookup
            .table(t.schema.as_deref(), &t.name)
            .map(|i| &md.tables()[i])
            .filter(|o| !std::ptr::eq(*o, t));
        if let Some(first) = first {
            errs.push(SchemaError::DuplicateTable {
                table: t.qualified_name(),
                first: first.display_model().into(),
                second: t.display_model().into(),
            });
        }
        table_checks(md, &lookup, t, &mut errs);
        inheritance_checks(&lookup, t, &mut errs);
        index_expressions(t, &mut errs);
    }
    constraint_names(md, &mut errs);
    entity_checks(md, &mut errs);
    for t in md.tables() {
        relationship_checks(md, &lookup, t, &mut errs);
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(SchemaErrors(errs))
    }
}

/// Every parent is in the model, and every column marked inherited is in one of them.
fn inheritance_checks(lookup: &super::TableLookup, t: &Table, errs: &mut Vec<SchemaError>) {
    let mut parents = Vec::new();
    for p in &t.inherits {
        match lookup.get(p.schema.as_deref(), &p.name) {
            Some(parent) => parents.push(parent),
            None => errs.push(SchemaError::UnknownParent {
                model: t.display_model().into(),
                table: t.qualified_name(),
                parent: p.qualified_name(),
            }),
        }
    }
    if parents.len() < t.inherits.len() {
        return;
    }
    for parent in &parents {
        for c in parent
            .columns
            .iter()
            .filter(|c| t.get_column(&c.name).is_none())
        {
            errs.push(SchemaError::ChildLacksParentColumn {
                model: t.display_model().into(),
                table: t.qualified_name(),
                parent: parent.qualified_name(),
                column: c.name.clone(),
            });
        }
    }
    for c in t.columns.iter().filter(|c| c.inherited) {
        if !parents.iter().any(|p| p.get_column(&c.name).is_some()) {
            errs.push(SchemaError::InheritedColumnWithoutParent {
                model: t.display_model().into(),
                table: t.qualified_name(),
                column: c.name.clone(),
                parents: if t.inherits.is_empty() {
                    "none".into()
                } else {
                    t.inherits
                        .iter()
                        .map(super::TableRef::qualified_name)
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            });
        }
    }
}

fn table_checks(
    md: &MetaData,
    lookup: &super::TableLookup,
    t: &Table,
    errs: &mut Vec<SchemaError>,
) {
    let model = t.display_model().to_string();
    for kind in md.naming().unnamed_needing_a_name(t) {
        errs.push(SchemaError::UnnamedUnderConvention {
            model: model.clone(),
            table: t.qualified_name(),
            kind: kind.into(),
            what: match kind {
                "pk" => "primary key",
                "fk" => "foreign key",
                "uq" => "unique constraint",
                "ck" => "check constraint",
                _ => "index",
            }
            .into(),
        });
    }
    for x in &t.excludes {
        match &x.name {
            None => errs.push(SchemaError::UnnamedExclude {
                model: model.clone(),
                table: t.qualified_name(),
            }),
            Some(name) if x.elements.is_empty() => errs.push(SchemaError::ExcludeWithoutElements {
                model: model.clone(),
                table: t.qualified_name(),
                name: name.clone(),
            }),
            Some(_) => {}
        }
    }
    let mut names = HashSet::new();
    for c in &t.columns {
        if !names.insert(c.name.as_str()) {
            errs.push(SchemaError::DuplicateColumn {
                model: model.clone(),
                table: t.name.clone(),
                column: c.name.clone(),
            });
        }
        if c.identity.is_some() && !c.ty.is_integer() {
            errs.push(SchemaError::IdentityNotInteger {
                model: model.clone(),
                field: c.name.clone(),
                ty: c.ty.to_string(),
            });
        }
        if c.serial.is_some() {
            if !matches!(c.ty, Type::SmallInt | Type::Integer | Type::BigInt) {
                errs.push(SchemaError::SerialNotInteger {
                    model: model.clone(),
                    field: c.name.clone(),
                    ty: c.ty.to_string(),
                });
            }
            let others = [
                (c.identity.is_some(), "identity"),
                (c.server_default.is_some(), "server default"),
                (c.computed.is_some(), "generation expression"),
            ];
            for (_, other) in others.into_iter().filter(|(has, _)| *has) {
                errs.push(SchemaError::SerialAndOther {
                    model: model.clone(),
                    field: c.name.clone(),
                    other,
                });
            }
        }
        if c.server_default.is_some() && c.computed.is_some() {
            errs.push(SchemaError::DefaultAndComputed {
                model: model.clone(),
                field: c.name.clone(),
            });
        }
        let mut ty = &c.ty;
        while let Type::Array(inner) = ty {
            ty = inner;
        }
        if let Type::Enum(r) = ty {
            if md
                .get_enum(r.schema.as_deref().or(t.schema.as_deref()), &r.name)
                .is_none()
                && md.get_enum(r.schema.as_deref(), &r.name).is_none()
            {
                errs.push(SchemaError::UnknownEnum {
                    model: model.clone(),
                    field: c.name.clone(),
                    name: r.name.clone(),
                });
            }
        }
    }
    let mut refer = |what: String, col: &str| {
        if t.get_column(col).is_none() {
            errs.push(SchemaError::UnknownColumn {
                model: model.clone(),
                table: t.name.clone(),
                what,
                column: col.to_string(),
            });
        }
    };
    if let Some(pk) = &t.primary_key {
        for c in &pk.columns {
            refer("the primary key".into(), c);
        }
    }
    for u in &t.uniques {
        for c in &u.columns {
            refer(format!("unique constraint ({})", u.columns.join(", ")), c);
        }
    }
    for x in &t.excludes {
        let label = format!(
            "exclusion constraint {}",
            x.name.as_deref().unwrap_or("(unnamed)")
        );
        for c in x.column_names() {
            refer(label.clone(), c);
        }
        for c in &x.include {
            refer(format!("{label} INCLUDE"), c);
        }
    }
    for ix in &t.indexes {
        let label = format!("index {}", ix.name.as_deref().unwrap_or("(unnamed)"));
        for e in &ix.elements {
            if let IndexTarget::Column(c) = &e.target {
                refer(label.clone(), c);
            }
        }
        for c in &ix.include {
            refer(format!("{label} INCLUDE"), c);
        }
    }
    for fk in &t.foreign_keys {
        for c in &fk.columns {
            refer(format!("foreign key to {}", fk.ref_table), c);
        }
    }
    for fk in &t.foreign_keys {
        let field = fk.columns.join(", ");
        if fk.columns.len() != fk.ref_columns.len() {
            errs.push(SchemaError::ForeignKeyArity {
                model: model.clone(),
                field: field.clone(),
                columns: fk.columns.len(),
                ref_columns: fk.ref_columns.len(),
            });
        }
        let target = format!("{}.{}", fk.ref_table, fk.ref_columns.join(","));
        match lookup.referenced_table(fk).map(|i| &md.tables()[i]) {
            None => errs.push(SchemaError::UnknownForeignKeyTarget {
                model: model.clone(),
                field,
                target,
                reason: format!("no table `{}` in the MetaData", fk.ref_table),
            }),
            Some(rt) => {
                if let Some(missing) = fk.ref_columns.iter().find(|c| rt.get_column(c).is_none()) {
                    errs.push(SchemaError::UnknownForeignKeyTarget {
                        model: model.clone(),
                        field,
                        target,
                        reason: format!("table `{}` has no column `{missing}`", rt.name),
                    });
                }
                key_types(&model, t, fk, rt, errs);
            }
        }
    }
}

/// An index expression that carries an order, NULLS placement, collation or operator class
/// in its text compiles, and then fails (or means something else) in the database.
fn index_expressions(t: &Table, errs: &mut Vec<SchemaError>) {
    let name = |n: &Option<String>| n.as_deref().unwrap_or("(unnamed)").to_string();
    let indexes = t.indexes.iter().flat_map(|ix| {
        ix.elements
            .iter()
            .map(move |e| (format!("index {}", name(&ix.name)), e))
    });
    let excludes = t.excludes.iter().flat_map(|x| {
        x.elements.iter().map(move |e| {
            (
                format!("exclusion constraint {}", name(&x.name)),
                &e.element,
            )
        })
    });
    for (index, e) in indexes.chain(excludes) {
        let IndexTarget::Expr(sql) = &e.target else {
            continue;
        };
        if let Some(clause) = super::constraint::index_expr_element_option(sql) {
            errs.push(SchemaError::IndexExprWithElementOption {
                model: t.display_model().to_string(),
                index,
                expr: sql.clone(),
                clause: clause.to_string(),
            });
        }
    }
}

/// Constraint and index names share one namespace per schema on PostgreSQL (indexes and the
/// indexes behind PK/unique/exclusion constraints are relations).
fn constraint_names(md: &MetaData, errs: &mut Vec<SchemaError>) {
    let mut seen: HashSet<(Option<&str>, &str)> = HashSet::new();
    for t in md.tables() {
        let schema = t.schema.as_deref();
        let names = t
            .primary_key
            .iter()
            .filter_map(|p| p.name.as_deref())
            .chain(t.uniques.iter().filter_map(|u| u.name.as_deref()))
            .chain(t.excludes.iter().filter_map(|x| x.name.as_deref()))
            .chain(t.indexes.iter().filter_map(|i| i.name.as_deref()));
        for n in names {
            if !seen.insert((schema, n)) {
                errs.push(SchemaError::DuplicateConstraintName {
                    model: t.display_model().into(),
                    schema: schema.unwrap_or("(default)").into(),
                    name: n.into(),
                });
            }
        }
        // FK and check names are unique per table.
        let mut per_table = HashSet::new();
        let table_scoped = t
            .foreign_keys
            .iter()
            .filter_map(|f| f.name.as_deref())
            .chain(t.checks.iter().filter_map(|c| c.name.as_deref()));
        for n in table_scoped {
            if !per_table.insert(n) {
                errs.push(SchemaError::DuplicateConstraintName {
                    model: t.display_model().into(),
                    schema: schema.unwrap_or("(default)").into(),
                    name: n.into(),
                });
            }
        }
    }
}

fn relationship_checks(
    md: &MetaData,
    lookup: &super::TableLookup,
    t: &Table,
    errs: &mut Vec<SchemaError>,
) {
    let model = t.display_model().to_string();
    fn keys_between<'t>(
        md: &MetaData,
        lookup: &super::TableLookup,
        from: &'t Table,
        to: &Table,
    ) -> Vec<&'t super::ForeignKey> {
        from.foreign_keys
            .iter()
            .filter(|fk| {
                lookup.referenced_table(fk).is_some_and(|i| {
                    let target = &md.tables()[i];
                    target.name == to.name && target.schema == to.schema
                })
            })
            .collect()
    }
    let refers = |from: &Table, to: &Table| !keys_between(md, lookup, from, to).is_empty();
    for rel in &t.relationships {
        let Some(target) = md.tables().iter().find(|o| {
            o.model.as_deref() == Some(rel.target_model.as_str())
                || (o.model.is_none() && o.name == rel.target_table)
        }) else {
            errs.push(SchemaError::UnknownRelationshipTarget {
                model: model.clone(),
                field: rel.field.clone(),
                target: rel.target_model.clone(),
                table: rel.target_table.clone(),
            });
            continue;
        };
        let path_problem = match &rel.kind {
            RelationshipKind::ManyToOne => (!refers(t, target)).then(|| {
                format!(
                    "table `{}` has no foreign key to `{}`; add `{}` to a field of {model}",
                    t.name,
                    target.name,
                    foreign_key_to(target)
                )
            }),
            RelationshipKind::OneToMany | RelationshipKind::OneToOne => {
                (!refers(target, t)).then(|| {
                    format!(
                        "table `{}` has no foreign key to `{}`; add `{}` to a field of {}",
                        target.name,
                        t.name,
                        foreign_key_to(t),
                        target.display_model()
                    )
                })
            }
            RelationshipKind::ManyToMany { secondary } => match association_table(md, secondary) {
                None => Some(format!(
                    "association table `{secondary}` is not in the MetaData"
                )),
                Some(assoc) if !(refers(assoc, t) && refers(assoc, target)) => Some(format!(
                    "association table `{secondary}` must have foreign keys to both `{}` and `{}`",
                    t.name, target.name
                )),
                Some(_) => None,
            },
        };
        if let Some(detail) = path_problem {
            errs.push(SchemaError::NoForeignKeyPath {
                model: model.clone(),
                field: rel.field.clone(),
                target: rel.target_model.clone(),
                detail,
            });
        } else {
            let between = match rel.kind {
                RelationshipKind::ManyToOne => Some((t, target)),
                RelationshipKind::OneToMany | RelationshipKind::OneToOne => Some((target, t)),
                // Its association table's keys: not what `foreign_keys` picks among.
                RelationshipKind::ManyToMany { .. } => None,
            };
            if let Some((from, to)) = between {
                let keys = keys_between(md, lookup, from, to);
                errs.extend(which_key(&model, rel, from, to, &keys));
            }
        }
        if let Some(bp) = &rel.back_populates {
            match target.relationships.iter().find(|r| &r.field == bp) {
                None => {
                    let candidates: Vec<&str> = target
                        .relationships
                        .iter()
                        .filter(|r| Some(r.target_model.as_str()) == t.model.as_deref())
                        .map(|r| r.field.as_str())
                        .collect();
                    let hint = if candidates.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean `{}`?)", candidates.join("` or `"))
                    };
                    errs.push(SchemaError::BackPopulatesMissing {
                        model: model.clone(),
                        field: rel.field.clone(),
                        target: target.display_model().into(),
                        back_populates: bp.clone(),
                        hint,
                    });
                }
                Some(other) => {
                    let problem = if Some(other.target_model.as_str()) != t.model.as_deref() {
                        Some(format!("points to {}, not to {model}", other.target_model))
                    } else if other
                        .back_populates
                        .as_deref()
                        .is_some_and(|b| b != rel.field)
                    {
                        Some(format!(
                            "has back_populates = \"{}\", not \"{}\"",
                            other.back_populates.as_deref().unwrap_or_default(),
                            rel.field
                        ))
                    } else {
                        None
                    };
                    if let Some(problem) = problem {
                        errs.push(SchemaError::BackPopulatesMismatch {
                            model: model.clone(),
                            field: rel.field.clone(),
                            target: target.display_model().into(),
                            back_populates: bp.clone(),
                            problem,
                        });
                    }
                }
            }
        }
    }
}

/// The one key of several from `from` to `to` that `rel` follows: an error when
/// `foreign_keys` names none of them, or names nothing and there are several.
fn which_key(
    model: &str,
    rel: &super::Relationship,
    from: &Table,
    to: &Table,
    keys: &[&super::ForeignKey],
) -> Option<SchemaError> {
    let listed = || {
        keys.iter()
            .map(|fk| {
                let cols: Vec<String> = fk.columns.iter().map(|c| format!("`{c}`")).collect();
                cols.join(", ")
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let followed = keys.iter().filter(|fk| rel.follows(fk)).count();
    if followed == 0 && !rel.foreign_keys.is_empty() {
        return Some(SchemaError::ForeignKeysNotFound {
            model: model.to_owned(),
            field: rel.field.clone(),
            foreign_keys: super::Relationship::foreign_keys_attribute(&rel.foreign_keys),
            from: from.name.clone(),
            to: to.name.clone(),
            keys: listed(),
        });
    }
    (followed > 1).then(|| SchemaError::AmbiguousForeignKeys {
        model: model.to_owned(),
        field: rel.field.clone(),
        count: followed,
        from: from.name.clone(),
        to: to.name.clone(),
        keys: listed(),
        example: super::Relationship::foreign_keys_attribute(&keys[0].columns),
    })
}

/// A foreign key column must have its key's type: PostgreSQL refuses `bigint` against
/// `integer` only at some pairs and SQLite never, so the model says it first. Text types
/// of any length, decimals of any precision, enums by name and types written as SQL
/// (`Custom`, whose meaning is the database's) count as the same.
fn key_types(
    model: &str,
    t: &Table,
    fk: &super::ForeignKey,
    rt: &Table,
    errs: &mut Vec<SchemaError>,
) {
    for (c, rc) in fk.columns.iter().zip(&fk.ref_columns) {
        let (Some(col), Some(key)) = (t.get_column(c), rt.get_column(rc)) else {
            continue;
        };
        if !same_key_type(&col.ty, &key.ty) {
            errs.push(SchemaError::ForeignKeyTypeMismatch {
                model: model.to_owned(),
                field: c.clone(),
                ty: col.ty.to_string(),
                target: format!("{}.{rc}", rt.name),
                ref_ty: key.ty.to_string(),
            });
        }
    }
}

/// Compared as each database resolves a per-dialect variant (its base where none names it),
/// so a variant that is its base on every database is no mismatch, and one that differs
/// where a database reads it is one.
fn same_key_type(a: &Type, b: &Type) -> bool {
    if !(a.has_variant() || b.has_variant()) {
        return same_resolved_key_type(a, b);
    }
    [None, Some(DialectKind::Postgres), Some(DialectKind::Sqlite)]
        .into_iter()
        .all(|d| same_resolved_key_type(&a.for_dialect(d), &b.for_dialect(d)))
}

fn same_resolved_key_type(a: &Type, b: &Type) -> bool {
    use Type::*;
    let text = |t: &Type| matches!(t, Varchar(_) | Text | Char(_));
    match (a, b) {
        _ if a == b => true,
        (Custom(_), _) | (_, Custom(_)) => true,
        (Numeric { .. }, Numeric { .. }) => true,
        (Enum(x), Enum(y)) => x.name == y.name,
        (Array(x), Array(y)) => same_resolved_key_type(x, y),
        _ => text(a) && text(b),
    }
}

/// The field attribute that gives a foreign key to `to`, for advice: `foreign_key =
/// "table.<column>"`, or where the derive would split the name there, `foreign_key(table =
/// "..", column = "<column>")`.
fn foreign_key_to(to: &Table) -> String {
    if super::ForeignKey::new(["x"], to.name.as_str(), ["c"]).text_form_reads_back() {
        format!("foreign_key = \"{}.<column>\"", to.name)
    } else {
        format!("foreign_key(table = {:?}, column = \"<column>\")", to.name)
    }
}

/// The association table `secondary` names: `schema.table` in that schema; a bare name is the
/// default schema's table of that name, else the one table of that name in any schema.
fn association_table<'m>(md: &'m MetaData, secondary: &str) -> Option<&'m Table> {
    md.tables()
        .iter()
        .find(|t| t.qualified_name() == secondary)
        .or_else(|| {
            (!secondary.contains('.'))
                .then(|| md.tables().iter().find(|t| t.name == secondary))
                .flatten()
        })
}

/// Entities alone: one definition a key, no empty definition.
fn entity_checks(md: &MetaData, errs: &mut Vec<SchemaError>) {
    let mut seen: Vec<(super::EntityKey, &super::Entity)> = Vec::new();
    for e in md.entities() {
        let key = e.key();
        // One key twice is one object declared twice, unless no database has both
        // (`.only_on(Postgres)` and `.only_on(Sqlite)`).
        if seen
            .iter()
            .any(|(k, other)| *k == key && other.shares_a_dialect_with(e))
        {
            errs.push(SchemaError::DuplicateEntity {
                entity: key.to_string(),
            });
        }
        // An extension has no SQL text of its own (its name is all it needs).
        let has_text = !matches!(e, super::Entity::Extension(_));
        if let super::Entity::Grant(g) = e {
            if !g.privileges().contains(&g.privilege.as_str()) {
                errs.push(SchemaError::UnknownPrivilege {
                    entity: key.to_string(),
                    privilege: g.privilege.clone(),
                    known: g.privileges().join(", "),
                });
            }
            if let Some(column) = &g.column {
                let table = md.get_table(g.schema.as_deref(), &g.object);
                if table.is_some_and(|t| t.get_column(column).is_none()) {
                    errs.push(SchemaError::UnknownGrantColumn {
                        entity: key.to_string(),
                        table: super::qualified(g.schema.as_deref(), &g.object),
                        column: column.clone(),
                    });
                }
            }
            if g.grantee.trim().is_empty() {
                errs.push(SchemaError::EmptyEntityDefinition {
                    entity: key.to_string(),
                });
            }
        } else if has_text && e.definition().trim().is_empty() {
            errs.push(SchemaError::EmptyEntityDefinition {
                entity: key.to_string(),
            });
        }
        if let super::Entity::MaterializedView(v) = e {
            let mut names: Vec<&str> = Vec::new();
            for i in &v.indexes {
                let what = format!("index {} of {key}", i.name);
                if names.contains(&i.name.as_str()) {
                    errs.push(SchemaError::DuplicateEntity { entity: what });
                } else if i.definition.trim().is_empty() {
                    errs.push(SchemaError::EmptyEntityDefinition { entity: what });
                }
                names.push(&i.name);
            }
        }
        seen.push((key, e));
    }
    for cycle in super::declared_cycles(md.entities()) {
        let words: Vec<String> = cycle.iter().map(ToString::to_string).collect();
        errs.push(SchemaError::EntityCycle {
            cycle: words.join(" -> "),
            entity: words.first().cloned().unwrap_or_default(),
        });
    }
}

/// PostgreSQL's own functions a trigger may execute (`pg_proc` of `pg_catalog` returning
/// `trigger`, less the internal `RI_FKey_*` and `unique_key_recheck`).
const PG_TRIGGER_FUNCTIONS: &[&str] = &[
    "suppress_redundant_updates_trigger",
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
];

/// What the model's entities refer to that must exist in the model or in `db` (the live
/// database, or the replayed history): a trigger's table, and the function it executes.
/// A function qualified with a schema that neither side has anything in (PostgreSQL's
/// `pg_catalog.suppress_redundant_updates_trigger`) is the database's own and not checked,
/// nor is one of PostgreSQL's own trigger functions named unqualified (pg_catalog is searched
/// first, and pg_dump leaves it off: `EXECUTE FUNCTION tsvector_update_trigger(..)`).
pub fn entity_reference_errors(model: &MetaData, db: &MetaData) -> Vec<SchemaError> {
    let mut errs = Vec::new();
    let schemas: Vec<Option<&str>> = [model, db]
        .iter()
        .flat_map(|m| {
            m.tables()
                .iter()
                .map(|t| t.schema.as_deref())
                .chain(m.entities().iter().map(|e| e.schema()))
        })
        .collect();
    for e in model.entities() {
        // A policy's or row-level-security switch's table, as a trigger's.
        if let (super::Entity::Policy(_) | super::Entity::RowLevelSecurity(_), Some(table)) =
            (e, e.table())
        {
            let has_table = [model, db]
                .iter()
                .any(|m| m.get_table(e.schema(), table).is_some());
            if !has_table {
                errs.push(SchemaError::UnknownTriggerTable {
                    entity: e.key().to_string(),
                    table: super::qualified(e.schema(), table),
                });
            }
            continue;
        }
        // A rule's table or view.
        if let super::Entity::Rule(r) = e {
            let has_relation = [model, db].iter().any(|m| {
                m.get_table(e.schema(), &r.table).is_some()
                    || m.entities().iter().any(|v| {
                        matches!(
                            v,
                            super::Entity::View(_) | super::Entity::MaterializedView(_)
                        ) && v.name() == r.table
                            && v.schema() == e.schema()
                    })
            });
            if !has_relation {
                errs.push(SchemaError::UnknownTriggerTable {
                    entity: e.key().to_string(),
                    table: super::qualified(e.schema(), &r.table),
                });
            }
            continue;
        }
        let super::Entity::Trigger(t) = e else {
            continue;
        };
        let has_table = [model, db]
            .iter()
            .any(|m| m.get_table(t.schema.as_deref(), &t.table).is_some());
        if !has_table {
            errs.push(SchemaError::UnknownTriggerTable {
                entity: e.key().to_string(),
                table: super::qualified(t.schema.as_deref(), &t.table),
            });
        }
        if let Some((schema, name)) = t.function() {
            let in_scope = match schema.as_deref() {
                None => !PG_TRIGGER_FUNCTIONS.contains(&name.as_str()),
                Some(s) => schemas.contains(&Some(s)),
            };
            let wanted = schema.as_deref().or(t.schema.as_deref());
            let found = [model, db].iter().any(|m| {
                m.entities().iter().any(|f| {
                    matches!(f, super::Entity::Function(_))
                        && f.name() == name
                        && (f.schema() == wanted
                            || f.schema() == schema.as_deref()
                            || (f.schema().is_none() && schema.is_none()))
                })
            });
            if in_scope && !found {
                errs.push(SchemaError::UnknownTriggerFunction {
                    entity: e.key().to_string(),
                    function: super::qualified(schema.as_deref(), &name),
                });
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::same_key_type;
    use crate::{DialectKind, Type};

    #[test]
    fn a_parent_must_be_in_the_model_and_give_the_inherited_columns() {
        use crate::{Column, MetaData, Table};
        let parent = Table::new("payment").column(Column::new("id", Type::Integer));
        let child = |parent: &str| {
            Table::new("p1")
                .column(Column::new("id", Type::Integer).inherited())
                .column(Column::new("note", Type::Text).inherited())
                .inherits(parent)
        };
        let words = |md: MetaData| -> Vec<String> {
            md.validate()
                .unwrap_err()
                .errors()
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        let missing = words(MetaData::new().table(parent.clone()).table(child("gone")));
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(
            missing[0].contains("table `p1` inherits from `gone`, which is not in the MetaData"),
            "{missing:?}"
        );
        let lacking = words(
            MetaData::new()
                .table(parent.clone().column(Column::new("amount", Type::Integer)))
                .table(
                    Table::new("p2")
                        .column(Column::new("id", Type::Integer).inherited())
                        .inherits("payment"),
                ),
        );
        assert_eq!(lacking.len(), 1, "{lacking:?}");
        assert!(
            lacking[0].contains("table `p2` inherits from `payment` but lacks its column `amount`"),
            "{lacking:?}"
        );
        let stray = words(MetaData::new().table(parent).table(child("payment")));
        assert_eq!(stray.len(), 1, "{stray:?}");
        assert!(
            stray[0].contains("column `note` of table `p1` is marked inherited, but none of its parents (payment) has it"),
            "{stray:?}"
        );
    }

    #[test]
    fn a_column_privilege_names_a_column_of_its_table_and_a_column_privilege() {
        use crate::{Column, Grant, MetaData, Table};
        let md = MetaData::new()
            .table(Table::new("t").column(Column::new("a", Type::Integer)))
            .with_entity(Grant::on_column("t", "a", "SELECT", "app"))
            .with_entity(Grant::on_column("t", "gone", "SELECT", "app"))
            .with_entity(Grant::on_column("t", "a", "DELETE", "app"));
        let errs = md.validate().unwrap_err();
        let words: Vec<String> = errs.errors().iter().map(ToString::to_string).collect();
        assert_eq!(words.len(), 2, "{words:?}");
        assert!(words[0].contains("has no column `gone`"), "{words:?}");
        assert!(
            words[1].contains("`DELETE` is not a privilege"),
            "{words:?}"
        );
    }

    #[test]
    fn a_key_type_with_variants_is_compared_as_each_database_resolves_it() {
        // A variant that is its base on PostgreSQL is the base: no mismatch.
        let key = Type::Integer.with_variant(DialectKind::Postgres, Type::Integer);
        assert!(same_key_type(&Type::Integer, &key));
        assert!(same_key_type(&key, &Type::Integer));
        // Both sides with the same variants resolve alike everywhere.
        let wide = Type::BigInt.with_variant(DialectKind::Sqlite, Type::Integer);
        assert!(same_key_type(&wide, &wide.clone()));
        // A variant that differs where a database reads it is a mismatch there.
        let pg_wide = Type::Integer.with_variant(DialectKind::Postgres, Type::BigInt);
        assert!(!same_key_type(&Type::Integer, &pg_wide));
        assert!(!same_key_type(&Type::BigInt, &wide));
    }

    #[test]
    fn a_serial_column_is_an_integer_with_nothing_else_giving_its_value() {
        use crate::{Column, Identity, MetaData, SchemaError, Serial, ServerDefault, Table};
        let md = MetaData::new().table(
            Table::new("t")
                .column(Column::new("ok", Type::BigInt).serial(Serial::new()))
                .column(Column::new("text", Type::Text).serial(Serial::new()))
                .column(
                    Column::new("both", Type::Integer)
                        .serial(Serial::new())
                        .identity(Identity::always())
                        .server_default(ServerDefault::int(1)),
                ),
        );
        let errors = md.validate().unwrap_err().0;
        let fields: Vec<String> = errors
            .iter()
            .map(|e| match e {
                SchemaError::SerialNotInteger { field, .. } => format!("{field}: type"),
                SchemaError::SerialAndOther { field, other, .. } => format!("{field}: {other}"),
                other => format!("unexpected: {other}"),
            })
            .collect();
        assert_eq!(
            fields,
            ["text: type", "both: identity", "both: server default"]
        );
    }

    #[test]
    fn a_policy_on_a_table_nobody_has_is_refused_naming_it() {
        use crate::{entity_reference_errors, MetaData};
        let model = MetaData::new()
            .with_entity(super::super::Policy::new("ghosts", "p", "USING (true)"))
            .with_entity(super::super::RowLevelSecurity::new("ghosts"));
        let errs = entity_reference_errors(&model, &MetaData::new());
        let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].starts_with("policy p on ghosts is on table `ghosts`"),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with("row level security on ghosts is on table `ghosts`"),
            "{shown:?}"
        );
    }

    #[test]
    fn a_rule_needs_its_table_or_view() {
        use crate::{entity_reference_errors, MetaData, Rule, View};
        let rule =
            |on: &str| Rule::new(on, "r", format!("AS ON DELETE TO {on} DO INSTEAD NOTHING"));
        let model = MetaData::new()
            .with_entity(View::new("totals", "SELECT 1 AS n"))
            .with_entity(rule("totals"))
            .with_entity(rule("ghosts"));
        let shown: Vec<String> = entity_reference_errors(&model, &MetaData::new())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(
            shown[0].starts_with("rule r on ghosts is on table `ghosts`"),
            "{shown:?}"
        );
    }
}

//! Indexes and constraints: create and drop an index, a unique, primary, foreign, check or
//! exclusion constraint.

use super::*;

/// The effect of an index or constraint op.
pub(super) fn classify(op: &Op, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) -> Effect {
    match op {
        Op::CreateIndex {
            schema,
            table,
            index,
            concurrently,
        } => {
            let t = tref(schema, table);
            let name = index.name.clone().unwrap_or_else(|| "(unnamed)".into());
            if !ctx.is_new(&t) {
                if ctx.pg() && !concurrently {
                    out.push(Candidate::new(
                        Rule::RequireConcurrentIndexCreation,
                        format!("index {name} on {}", show(&t)),
                        format!("creates index {name} without CONCURRENTLY"),
                        Check::TableLarge(t.clone()),
                    ));
                }
                if index.unique {
                    if let Some(columns) = plain_columns(index.elements.iter().map(|e| &e.target)) {
                        out.push(
                            Candidate::new(
                                Rule::UniqueViolation,
                                format!("unique index {name} on {}", show(&t)),
                                format!("creates unique index {name} ({})", columns.join(", ")),
                                Check::Duplicates {
                                    table: t.clone(),
                                    columns,
                                    nulls_distinct: !index.nulls_not_distinct,
                                    predicate: index.predicate.clone(),
                                },
                            )
                            .live_only(),
                        );
                    }
                }
            }
            Effect {
                lock: Some(if *concurrently {
                    "SHARE UPDATE EXCLUSIVE"
                } else {
                    "SHARE"
                }),
                scans: true,
                ..Effect::default()
            }
        }
        Op::DropIndex {
            schema,
            table,
            name,
            concurrently,
            ..
        } => {
            let t = tref(schema, table);
            if ctx.pg() && !concurrently && !ctx.is_new(&t) {
                out.push(Candidate::new(
                    Rule::RequireConcurrentIndexDeletion,
                    format!("index {name} on {}", show(&t)),
                    format!("drops index {name} without CONCURRENTLY"),
                    Check::TableLarge(t),
                ));
            }
            Effect {
                lock: Some(if *concurrently {
                    "SHARE UPDATE EXCLUSIVE"
                } else {
                    "ACCESS EXCLUSIVE"
                }),
                ..Effect::default()
            }
        }
        Op::CreateUniqueConstraint {
            schema,
            table,
            unique,
        } => {
            let t = tref(schema, table);
            let name = unique.name.clone().unwrap_or_else(|| "(unnamed)".into());
            if !ctx.is_new(&t) {
                if ctx.pg() {
                    out.push(Candidate::new(
                        Rule::AddingUniqueConstraint,
                        format!("{name} on {}", show(&t)),
                        format!(
                            "adds unique constraint {name} ({})",
                            unique.columns.join(", ")
                        ),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::UniqueViolation,
                        format!("{name} on {}", show(&t)),
                        format!(
                            "adds unique constraint {name} ({})",
                            unique.columns.join(", ")
                        ),
                        Check::Duplicates {
                            table: t,
                            columns: unique.columns.clone(),
                            nulls_distinct: !unique.nulls_not_distinct,
                            predicate: None,
                        },
                    )
                    .live_only(),
                );
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: true,
                ..Effect::default()
            }
        }
        Op::CreatePrimaryKey {
            schema,
            table,
            primary_key,
        } => {
            let t = tref(schema, table);
            let cols = primary_key.columns.join(", ");
            if !ctx.is_new(&t) {
                if ctx.pg() {
                    out.push(Candidate::new(
                        Rule::AddingPrimaryKeyConstraint,
                        show(&t),
                        format!("adds primary key ({cols})"),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::UniqueViolation,
                        format!("primary key of {}", show(&t)),
                        format!("adds primary key ({cols})"),
                        Check::Duplicates {
                            table: t.clone(),
                            columns: primary_key.columns.clone(),
                            nulls_distinct: true,
                            predicate: None,
                        },
                    )
                    .live_only(),
                );
                let d = crate::lint::probe::dialect(ctx.backend);
                let cond = primary_key
                    .columns
                    .iter()
                    .map(|c| format!("o.{} IS NULL", quote(d, c)))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                out.push(
                    Candidate::new(
                        Rule::NotNullViolation,
                        format!("primary key of {}", show(&t)),
                        format!("adds primary key ({cols})"),
                        Check::RowsMatch {
                            table: t,
                            condition: cond,
                            what: format!("rows with a NULL in ({cols})"),
                        },
                    )
                    .live_only(),
                );
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: true,
                ..Effect::default()
            }
        }
        Op::CreateForeignKey {
            schema,
            table,
            foreign_key,
            not_valid,
        } => {
            // NOT VALID exists on PostgreSQL only; elsewhere the flag is the plain form.
            let not_valid = *not_valid && ctx.pg();
            let t = tref(schema, table);
            let name = foreign_key
                .name
                .clone()
                .unwrap_or_else(|| "(unnamed)".into());
            let r = (
                foreign_key.ref_schema.clone().or_else(|| schema.clone()),
                foreign_key.ref_table.clone(),
            );
            if !ctx.is_new(&t) {
                if ctx.pg() && !not_valid {
                    out.push(Candidate::new(
                        Rule::ConstraintMissingNotValid,
                        format!("foreign key {name} on {}", show(&t)),
                        format!(
                            "adds foreign key {name} ({}) -> {} and validates every row",
                            foreign_key.columns.join(", "),
                            show(&r)
                        ),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::ForeignKeyViolation,
                        format!("foreign key {name} on {}", show(&t)),
                        format!(
                            "adds foreign key {name} ({}) -> {}",
                            foreign_key.columns.join(", "),
                            show(&r)
                        ),
                        Check::Orphans {
                            table: t,
                            foreign_key: foreign_key.clone(),
                            referenced_is_new: ctx.is_new(&r),
                        },
                    )
                    .live_only(),
                );
            }
            // NOT VALID: the lock for a moment, no rows read; the scan is the validate's.
            Effect {
                lock: Some("SHARE ROW EXCLUSIVE (both tables)"),
                scans: !not_valid,
                ..Effect::default()
            }
        }
        Op::CreateCheckConstraint {
            schema,
            table,
            check,
            not_valid,
        } => {
            let not_valid = *not_valid && ctx.pg();
            let t = tref(schema, table);
            let name = check.name.clone().unwrap_or_else(|| "(unnamed)".into());
            if !ctx.is_new(&t) {
                if ctx.pg() && !not_valid {
                    out.push(Candidate::new(
                        Rule::ConstraintMissingNotValid,
                        format!("check {name} on {}", show(&t)),
                        format!("adds check {name} ({}) and validates every row", check.expr),
                        Check::TableLarge(t.clone()),
                    ));
                }
                out.push(
                    Candidate::new(
                        Rule::CheckViolation,
                        format!("check {name} on {}", show(&t)),
                        format!("adds check {name} ({})", check.expr),
                        Check::RowsMatch {
                            table: t,
                            condition: format!("NOT ({})", check.expr),
                            what: format!("rows breaking ({})", check.expr),
                        },
                    )
                    .live_only(),
                );
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: !not_valid,
                ..Effect::default()
            }
        }
        // The safe form's second step: reads and writes go on while it scans (the referenced
        // table of a foreign key gets ROW SHARE). Nothing to validate elsewhere.
        Op::ValidateConstraint { kind, .. } => {
            if ctx.pg() {
                Effect {
                    lock: Some(if *kind == ConstraintKind::ForeignKey {
                        "SHARE UPDATE EXCLUSIVE (referenced table: ROW SHARE)"
                    } else {
                        "SHARE UPDATE EXCLUSIVE"
                    }),
                    scans: true,
                    ..Effect::default()
                }
            } else {
                Effect::default()
            }
        }
        Op::CreateExcludeConstraint {
            schema,
            table,
            exclude,
        } => {
            let t = tref(schema, table);
            if ctx.pg() && !ctx.is_new(&t) {
                let name = exclude.name.clone().unwrap_or_else(|| "(unnamed)".into());
                out.push(Candidate::new(
                    Rule::AddingExclusionConstraint,
                    format!("{name} on {}", show(&t)),
                    format!("adds exclusion constraint {name}"),
                    Check::TableLarge(t),
                ));
            }
            Effect {
                lock: Some("ACCESS EXCLUSIVE"),
                scans: true,
                ..Effect::default()
            }
        }
        Op::DropConstraint { .. } => access_exclusive(),
        // Other kinds are classified in their own modules (`super::classify` matches them all).
        _ => Effect::default(),
    }
}

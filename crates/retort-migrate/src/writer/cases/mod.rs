//! The writer's test cases, shared by the snapshot tests of this crate and by
//! `retort-script-check`, which compiles the written sources and checks that running them
//! records these same ops. Not part of the API: hidden from the docs.

use retort_core::diff::{RenameHint, RenameKind};
use retort_core::ops::{reverse_all, Op};
use retort_core::{Column, FkAction, ForeignKey, Identity, ServerDefault, Table, Type};

use super::RevisionHeader;

mod access;
mod constraint_options;
mod entities;
mod exclusion;
mod extensions;
mod inheritance;
mod model_options;
mod objects;
mod online;
mod ops;
mod sequences;
mod tables;
mod variants;

/// One revision the writer is tested on.
#[derive(Debug, Clone)]
pub struct Case {
    /// File stem of the snapshot and of the compiled copy.
    pub name: &'static str,
    pub header: RevisionHeader,
    pub upgrade: Vec<Op>,
    pub downgrade: Vec<Op>,
    pub hints: Vec<RenameHint>,
}

pub(super) fn header(id: &str, down: &[&str], message: &str) -> RevisionHeader {
    RevisionHeader {
        id: id.to_owned(),
        down_revisions: down.iter().map(|s| (*s).to_owned()).collect(),
        message: message.to_owned(),
        create_date: "2026-11-25 12:54:52".to_owned(),
        ..RevisionHeader::default()
    }
}

pub(super) fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

pub(super) fn reversed(ops: &[Op]) -> Vec<Op> {
    // The cases only hold reversible ops; an irreversible one would be a broken case.
    reverse_all(ops).unwrap_or_default()
}

/// Every case, in a fixed order.
pub fn cases() -> Vec<Case> {
    vec![
        seed_initial(),
        tables::tables(),
        ops::columns(),
        ops::constraints_and_indexes(),
        ops::convention_names(),
        ops::enums_schemas_comments(),
        ops::data(),
        rename_hints(),
        merge_without_changes(),
        tables::long_names(),
        odd_text(),
        bidi_text(),
        variants::variants(),
        constraint_options::constraint_options(),
        model_options::model_options(),
        exclusion::exclusion(),
        inheritance::inheritance(),
        sequences::sequences(),
        entities::entities(),
        extensions::extensions(),
        access::access(),
        objects::objects(),
        online::online(),
        squashed(),
    ]
}

/// The seed's initial revision, as Alembic autogenerates it in the oracle.
fn seed_initial() -> Case {
    let id = || Column::new("", Type::Integer).identity(Identity::always());
    let customers = Table::new("customers")
        .column(Column {
            name: "customer_id".into(),
            ..id()
        })
        .column(Column::new("first_name", Type::Varchar(None)).not_null())
        .column(Column::new("last_name", Type::Varchar(None)).not_null())
        .column(Column::new("email_address", Type::Varchar(None)).not_null())
        .primary_key(["customer_id"]);
    let products = Table::new("products")
        .column(Column {
            name: "product_id".into(),
            ..id()
        })
        .column(Column::new("product_name", Type::Varchar(None)).not_null())
        .column(Column::new("description", Type::Text))
        .column(Column::new("price", Type::Double).not_null())
        .primary_key(["product_id"]);
    let orders = Table::new("orders")
        .column(Column {
            name: "order_id".into(),
            ..id()
        })
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(
            Column::new("order_date", Type::Timestamp { tz: true })
                .not_null()
                .server_default(ServerDefault::expr("now()")),
        )
        .foreign_key(
            ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                .on_delete(FkAction::Cascade),
        )
        .primary_key(["order_id"]);
    let drop = |name: &str| Op::DropTable {
        schema: None,
        name: name.to_owned(),
        existing: None,
        data_loss_ok: false,
    };
    Case {
        name: "seed_initial",
        header: header(
            "5cc88b64dda9",
            &[],
            "Initial commit, created customers, orders and products",
        ),
        upgrade: vec![
            Op::CreateTable { table: customers },
            Op::CreateTable { table: products },
            Op::CreateTable { table: orders },
        ],
        downgrade: vec![drop("orders"), drop("products"), drop("customers")],
        hints: vec![],
    }
}

fn rename_hints() -> Case {
    let upgrade = vec![
        Op::AddColumn {
            schema: None,
            table: "customers".into(),
            column: Column::new("surname", Type::Varchar(None)).not_null(),
        },
        Op::DropColumn {
            schema: None,
            table: "customers".into(),
            column: "last_name".into(),
            existing: Some(Column::new("last_name", Type::Varchar(None)).not_null()),
            data_loss_ok: false,
        },
        Op::RenameTable {
            schema: s("shop"),
            old_name: "basket".into(),
            new_name: "cart".into(),
        },
    ];
    let hints = vec![
        RenameHint {
            kind: RenameKind::Column,
            schema: None,
            table: "customers".into(),
            old_name: "last_name".into(),
            new_name: "surname".into(),
        },
        RenameHint {
            kind: RenameKind::Table,
            schema: s("shop"),
            table: "wishlist".into(),
            old_name: "wishlist".into(),
            new_name: "saved_items".into(),
        },
    ];
    let downgrade = reversed(&upgrade);
    Case {
        name: "rename_hints",
        header: header(
            "6a7b8c9d0e1f",
            &["5e6f7a8b9c0d"],
            "Rename surname\n\nThe diff saw a drop and an add.",
        ),
        upgrade,
        downgrade,
        hints,
    }
}

fn merge_without_changes() -> Case {
    let mut h = header(
        "7b8c9d0e1f2a",
        &["6a7b8c9d0e1f", "1975ea83b712", "27c6a30d7c24"],
        "",
    );
    h.branch_labels = vec!["main".into()];
    h.depends_on = vec!["3cac04ae8714".into()];
    Case {
        name: "merge_without_changes",
        header: h,
        upgrade: vec![],
        downgrade: vec![],
        hints: vec![],
    }
}

/// A revision `squash` wrote: it keeps the last replaced id and lists the others.
fn squashed() -> Case {
    let mut h = header(
        "27c6a30d7c24",
        &["1975ea83b712"],
        "squash 3cac04ae8714..27c6a30d7c24",
    );
    h.replaces = vec!["3cac04ae8714".into(), "ae1027a6acf0".into()];
    let table = Table::new("notes")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"]);
    let upgrade = vec![Op::CreateTable { table }];
    Case {
        name: "squashed",
        header: h,
        downgrade: reversed(&upgrade),
        upgrade,
        hints: vec![],
    }
}

/// Text that must not escape its literal or comment: quotes, `"#` sequences, backslashes,
/// line breaks, a bare CR, other control characters, non-ASCII.
fn odd_text() -> Case {
    let name = "we\"ird \"#name\"## \\ ünï";
    let table = Table::new(name)
        .column(Column::new("line\nbreak", Type::Text).comment("bell\u{7} and tab\t"))
        .column(Column::new("é", Type::custom("\"quoted type\"")));
    let upgrade = vec![
        Op::CreateTable { table },
        Op::Execute {
            sql: "SELECT '\u{1b}[0m', E'\\x41' -- \r\n done".into(),
            reverse_sql: Some("SELECT 1 /* \"#\" */".into()),
            outside_transaction: false,
        },
    ];
    let hints = vec![RenameHint {
        kind: RenameKind::Column,
        schema: None,
        table: "a\nb".into(),
        old_name: "c\rd".into(),
        new_name: "e\u{0}f".into(),
    }];
    let downgrade = reversed(&upgrade[..1]);
    Case {
        name: "odd_text",
        header: header(
            "9d0e1f2a3b4c",
            &["8c9d0e1f2a3b"],
            "Odd text: \"quotes\", a bare\rCR, a bell\u{7}\n\nand a second paragraph  ",
        ),
        upgrade,
        downgrade,
        hints,
    }
}

/// Bidirectional overrides and isolates (which rustc refuses, unescaped, in comments and
/// literals: `text_direction_codepoint_in_*`) in the message, a hint, raw SQL and a
/// comment, next to quotes that would otherwise make a raw string.
fn bidi_text() -> Case {
    let upgrade = vec![Op::Execute {
        sql: "SELECT '\u{202e}txt.exe' AS \"q\"".into(),
        reverse_sql: Some("SELECT '\u{2066}x\u{2069}'".into()),
        outside_transaction: false,
    }];
    let hints = vec![RenameHint {
        kind: RenameKind::Table,
        schema: None,
        table: String::new(),
        old_name: "a\u{202b}b".into(),
        new_name: "c\u{200f}d".into(),
    }];
    Case {
        name: "bidi_text",
        header: header(
            "0e1f2a3b4c5d",
            &["9d0e1f2a3b4c"],
            "Bidi \"\u{202e}gnp.exe\" and \u{2067}isolate\u{2069}, a mark\u{200e}",
        ),
        upgrade,
        downgrade: Vec::new(),
        hints,
    }
}

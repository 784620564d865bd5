//! What issue 11 taught the model to say, rendered per dialect without a database: identity
//! sequence options, index elements (order, NULLS, operator class, collation) and arrays.

use retort_core::ops::{AlterColumn, Op};
use retort_core::{Column, Identity, MetaData, Table, Type};
use retort_dialect::{Dialect, Postgres, Sqlite};

fn alter_identity(old: Identity, new: Identity) -> Op {
    let mut a = AlterColumn::new("tickets", "id");
    a.existing_type = Some(Type::Integer);
    a.existing_identity = Some(Some(old));
    a.identity = Some(Some(new));
    Op::AlterColumn(a)
}

#[test]
fn identity_options_are_created_altered_and_reset() {
    let md = MetaData::new();
    let full = Identity::always()
        .start(10)
        .minvalue(5)
        .maxvalue(1000)
        .cycle()
        .cache(20);
    let table = Table::new("tickets")
        .column(Column::new("id", Type::Integer).identity(full.clone()))
        .primary_key(["id"]);
    assert_eq!(
        Postgres.create_table(&table).expect("renders"),
        "CREATE TABLE tickets (\n    id INTEGER GENERATED ALWAYS AS IDENTITY (START WITH 10 MINVALUE 5 \
         MAXVALUE 1000 CYCLE CACHE 20),\n    PRIMARY KEY (id)\n)"
    );
    let set = alter_identity(Identity::always(), full.clone());
    assert_eq!(
        Postgres.render_op(&set, &md).expect("renders"),
        ["ALTER TABLE tickets ALTER COLUMN id SET START WITH 10 SET MINVALUE 5 SET MAXVALUE 1000 \
          SET CYCLE SET CACHE 20"]
    );
    // The reverse puts every default back, by name where it depends on the type.
    let reset = set.reverse().expect("reversible");
    assert_eq!(
        Postgres.render_op(&reset, &md).expect("renders"),
        [
            "ALTER TABLE tickets ALTER COLUMN id SET START WITH 1 SET NO MINVALUE SET NO MAXVALUE \
          SET NO CYCLE SET CACHE 1"
        ]
    );
    // Flipping the direction says the limits again: an ALTER keeps the old ones otherwise.
    let down = alter_identity(Identity::always(), Identity::always().increment(-1));
    assert_eq!(
        Postgres.render_op(&down, &md).expect("renders"),
        [
            "ALTER TABLE tickets ALTER COLUMN id SET START WITH -1 SET INCREMENT BY -1 \
          SET NO MINVALUE SET NO MAXVALUE"
        ]
    );
    // SQLite has no sequence to set options on.
    let err = Sqlite.create_table(&table).expect_err("unsupported");
    assert!(
        err.to_string().contains("drop the options"),
        "a hint: {err}"
    );
}

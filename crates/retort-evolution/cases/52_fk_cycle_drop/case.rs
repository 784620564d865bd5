//! Two tables that reference each other dropped in one step (the cycle's key first), with
//! rows in them; the downgrade creates them again.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("settings")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(base())
        .table(
            Table::new("departments")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("manager_id", Type::Integer))
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["manager_id"], "employees", ["id"]).name("fk_departments_manager")),
        )
        .table(
            Table::new("employees")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("department_id", Type::Integer))
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["department_id"], "departments", ["id"]).name("fk_employees_department")),
        )
}

pub fn after() -> MetaData {
    MetaData::new().table(base())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "settings", columns: &["id"], rows: &[&["1"]] },
        Seed { table: "departments", columns: &["id", "manager_id"], rows: &[&["1", "NULL"]] },
        Seed { table: "employees", columns: &["id", "department_id"], rows: &[&["1", "1"]] },
    ]
}

//! Two tables that reference each other created in one step: tables first, then the
//! foreign key that closes the cycle; the downgrade drops them both (issue 7, item 10).
use retort_core::*;

fn base() -> Table {
    Table::new("settings")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
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

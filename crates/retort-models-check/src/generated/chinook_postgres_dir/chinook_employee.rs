// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_employee`.
#[derive(Model)]
#[retort(
    table = "chinook_employee",
    primary_key(columns("id"), name = "chinook_employee_pkey"),
    index(columns("reports_to_id"), name = "chinook_employee_reports_to_id"),
    has_many(chinook_customers = ChinookCustomer, back_populates = "support_rep"),
    belongs_to(reports_to = ChinookEmployee, back_populates = "chinook_employees_by_reports_to_id"),
    has_many(chinook_employees_by_reports_to_id = ChinookEmployee, back_populates = "reports_to")
)]
pub struct ChinookEmployee {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 20)]
    pub lastname: String,
    #[retort(length = 20)]
    pub firstname: String,
    #[retort(length = 30)]
    pub title: Option<String>,
    #[retort(
        foreign_key = "chinook_employee.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_employee_reports_to_id_fkey"
    )]
    pub reports_to_id: Option<i32>,
    pub birthdate: Option<chrono::DateTime<chrono::Utc>>,
    pub hiredate: Option<chrono::DateTime<chrono::Utc>>,
    #[retort(length = 70)]
    pub address: Option<String>,
    #[retort(length = 40)]
    pub city: Option<String>,
    #[retort(length = 40)]
    pub state: Option<String>,
    #[retort(length = 40)]
    pub country: Option<String>,
    #[retort(length = 10)]
    pub postalcode: Option<String>,
    #[retort(length = 24)]
    pub phone: Option<String>,
    #[retort(length = 24)]
    pub fax: Option<String>,
    #[retort(length = 60)]
    pub email: Option<String>,
}

// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_customer`.
#[derive(Model)]
#[retort(
    table = "chinook_customer",
    primary_key(columns("id"), name = "chinook_customer_pkey"),
    index(columns("support_rep_id"), name = "chinook_customer_support_rep_id"),
    belongs_to(support_rep = ChinookEmployee, back_populates = "chinook_customers"),
    has_many(chinook_invoices = ChinookInvoice, back_populates = "customer")
)]
pub struct ChinookCustomer {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 40)]
    pub firstname: String,
    #[retort(length = 20)]
    pub lastname: String,
    #[retort(length = 80)]
    pub company: Option<String>,
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
    pub email: String,
    #[retort(
        foreign_key = "chinook_employee.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_customer_support_rep_id_fkey"
    )]
    pub support_rep_id: Option<i32>,
}

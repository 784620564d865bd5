// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_invoice`.
#[derive(Model)]
#[retort(
    table = "chinook_invoice",
    primary_key(columns("id"), name = "chinook_invoice_pkey"),
    index(columns("customer_id"), name = "chinook_invoice_customer_id"),
    belongs_to(customer = ChinookCustomer, back_populates = "chinook_invoices"),
    has_many(chinook_invoicelines = ChinookInvoiceline, back_populates = "invoice")
)]
pub struct ChinookInvoice {
    #[retort(serial)]
    pub id: i32,
    #[retort(
        foreign_key = "chinook_customer.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_invoice_customer_id_fkey"
    )]
    pub customer_id: i32,
    #[retort(column = "InvoiceDate")]
    pub invoice_date: chrono::DateTime<chrono::Utc>,
    #[retort(length = 70)]
    pub billingaddress: Option<String>,
    #[retort(length = 40)]
    pub billingcity: Option<String>,
    #[retort(length = 40)]
    pub billingstate: Option<String>,
    #[retort(length = 40)]
    pub billingcountry: Option<String>,
    #[retort(length = 10)]
    pub billingpostalcode: Option<String>,
    #[retort(column = "Total", text)]
    pub total: String,
}

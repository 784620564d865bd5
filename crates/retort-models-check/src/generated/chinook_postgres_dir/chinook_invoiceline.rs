// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_invoiceline`.
#[derive(Model)]
#[retort(
    table = "chinook_invoiceline",
    primary_key(columns("id"), name = "chinook_invoiceline_pkey"),
    index(columns("invoice_id"), name = "chinook_invoiceline_invoice_id"),
    index(columns("track_id"), name = "chinook_invoiceline_track_id"),
    belongs_to(invoice = ChinookInvoice, back_populates = "chinook_invoicelines"),
    belongs_to(track = ChinookTrack, back_populates = "chinook_invoicelines")
)]
pub struct ChinookInvoiceline {
    #[retort(serial)]
    pub id: i32,
    #[retort(
        foreign_key = "chinook_invoice.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_invoiceline_invoice_id_fkey"
    )]
    pub invoice_id: i32,
    #[retort(
        foreign_key = "chinook_track.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_invoiceline_track_id_fkey"
    )]
    pub track_id: i32,
    #[retort(numeric(5, 2))]
    pub unit_price: rust_decimal::Decimal,
    #[retort(column = "Quantity")]
    pub quantity: i32,
}

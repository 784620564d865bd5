// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_track`.
#[derive(Model)]
#[retort(
    table = "chinook_track",
    primary_key(columns("id"), name = "chinook_track_pkey"),
    index(columns("album_id"), name = "chinook_track_album_id"),
    index(columns("genre_id"), name = "chinook_track_genre_id"),
    index(columns("mediatype_id"), name = "chinook_track_mediatype_id"),
    has_many(chinook_invoicelines = ChinookInvoiceline, back_populates = "track"),
    has_many(chinook_playlisttracks = ChinookPlaylisttrack, back_populates = "track"),
    belongs_to(album = ChinookAlbum, back_populates = "chinook_tracks"),
    belongs_to(genre = ChinookGenre, back_populates = "chinook_tracks"),
    belongs_to(mediatype = ChinookMediatype, back_populates = "chinook_tracks")
)]
pub struct ChinookTrack {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 200)]
    pub name: String,
    #[retort(
        foreign_key = "chinook_album.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_track_album_id_fkey"
    )]
    pub album_id: Option<i32>,
    #[retort(
        foreign_key = "chinook_mediatype.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_track_mediatype_id_fkey"
    )]
    pub mediatype_id: i32,
    #[retort(
        foreign_key = "chinook_genre.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_track_genre_id_fkey"
    )]
    pub genre_id: Option<i32>,
    #[retort(length = 220)]
    pub composer: Option<String>,
    #[retort(column = "Milliseconds")]
    pub milliseconds: i32,
    pub bytes: Option<i32>,
    #[retort(numeric(5, 2))]
    pub unit_price: rust_decimal::Decimal,
}

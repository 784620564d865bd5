// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_album`.
#[derive(Model)]
#[retort(
    table = "chinook_album",
    primary_key(columns("id"), name = "chinook_album_pkey"),
    index(columns("artist_id"), name = "chinook_album_artist_id"),
    belongs_to(artist = ChinookArtist, back_populates = "chinook_albums"),
    has_many(chinook_tracks = ChinookTrack, back_populates = "album")
)]
pub struct ChinookAlbum {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 160)]
    pub title: String,
    #[retort(
        foreign_key = "chinook_artist.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_album_artist_id_fkey"
    )]
    pub artist_id: i32,
}

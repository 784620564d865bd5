// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_artist`.
#[derive(Model)]
#[retort(
    table = "chinook_artist",
    primary_key(columns("id"), name = "chinook_artist_pkey"),
    has_many(chinook_albums = ChinookAlbum, back_populates = "artist")
)]
pub struct ChinookArtist {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 120)]
    pub name: Option<String>,
}

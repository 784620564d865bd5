// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_playlist`.
#[derive(Model)]
#[retort(
    table = "chinook_playlist",
    primary_key(columns("id"), name = "chinook_playlist_pkey"),
    has_many(chinook_playlisttracks = ChinookPlaylisttrack, back_populates = "playlist")
)]
pub struct ChinookPlaylist {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 120)]
    pub name: Option<String>,
}

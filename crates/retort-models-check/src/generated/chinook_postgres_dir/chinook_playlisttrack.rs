// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_playlisttrack`.
#[derive(Model)]
#[retort(
    table = "chinook_playlisttrack",
    primary_key(columns("id"), name = "chinook_playlisttrack_pkey"),
    unique(
        columns("playlist_id", "track_id"),
        name = "chinook_playlisttrack_playlist_id_track_id_key"
    ),
    index(columns("playlist_id"), name = "chinook_playlisttrack_playlist_id"),
    index(columns("track_id"), name = "chinook_playlisttrack_track_id"),
    belongs_to(playlist = ChinookPlaylist, back_populates = "chinook_playlisttracks"),
    belongs_to(track = ChinookTrack, back_populates = "chinook_playlisttracks")
)]
pub struct ChinookPlaylisttrack {
    #[retort(serial)]
    pub id: i32,
    #[retort(
        foreign_key = "chinook_playlist.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_playlisttrack_playlist_id_fkey"
    )]
    pub playlist_id: i32,
    #[retort(
        foreign_key = "chinook_track.id",
        deferrable,
        initially_deferred,
        fk_name = "chinook_playlisttrack_track_id_fkey"
    )]
    pub track_id: i32,
}

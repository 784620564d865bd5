// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_mediatype`.
#[derive(Model)]
#[retort(
    table = "chinook_mediatype",
    primary_key(columns("id"), name = "chinook_mediatype_pkey"),
    has_many(chinook_tracks = ChinookTrack, back_populates = "mediatype")
)]
pub struct ChinookMediatype {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 120)]
    pub name: Option<String>,
}

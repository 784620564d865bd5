// Two indexes' `where`s in one #[retort(..)] are not one attribute twice.
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[allow(unused_imports)]
use super::*;

/// Table `chinook_genre`.
#[derive(Model)]
#[retort(
    table = "chinook_genre",
    primary_key(columns("id"), name = "chinook_genre_pkey"),
    has_many(chinook_tracks = ChinookTrack, back_populates = "genre")
)]
pub struct ChinookGenre {
    #[retort(serial)]
    pub id: i32,
    #[retort(length = 120)]
    pub name: Option<String>,
}

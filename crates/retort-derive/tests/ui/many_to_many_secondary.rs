use retort::prelude::*;

#[derive(Model)]
struct Tag {
    #[retort(primary_key)]
    id: i32,
}

#[derive(Model)]
struct Post {
    #[retort(primary_key)]
    id: i32,
    tags: ManyToMany<Tag>,
    #[retort(secondary = "post_tags")]
    first_tag: HasOne<Tag>,
}

fn main() {}

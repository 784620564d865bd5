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

fn post_tags() -> Table {
    Table::new("post_tags")
}

#[derive(Model)]
struct PostTag {
    #[retort(primary_key)]
    id: i32,
}

// The table's function and an association model: one of them says what the table is.
#[derive(Model)]
#[retort(many_to_many(tags = Tag, secondary = post_tags, through = PostTag))]
struct Note {
    #[retort(primary_key)]
    id: i32,
}

fn main() {}

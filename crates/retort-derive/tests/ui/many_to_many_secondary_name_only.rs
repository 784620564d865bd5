// `secondary = "name"` alone: the query runtime could not see the table's columns, so it
// is refused here rather than at the first load.
use retort::prelude::*;

#[derive(Model)]
#[retort(table = "tags")]
struct Tag {
    #[retort(primary_key)]
    id: i32,
}

#[derive(Model)]
#[retort(table = "posts", many_to_many(tags = Tag, secondary = "blog.post_tags"))]
struct Post {
    #[retort(primary_key)]
    id: i32,
    #[retort(secondary = "post_tags")]
    other_tags: ManyToMany<Tag>,
}

fn main() {}

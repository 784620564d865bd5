//! The `retort` tool: `init` and `list_templates` itself, every other command forwarded
//! to the project's migrations binary (the commands need the project's compiled scripts).

//! The `retort` tool: `retort init`, `retort list_templates`, and any other command
//! forwarded to the project's migrations binary. See `retort_cli::tool`.

fn main() -> std::process::ExitCode {
    let mut printer = retort_cli::Printer::terminal();
    retort_cli::tool::run(std::env::args_os().collect(), &mut printer)
}

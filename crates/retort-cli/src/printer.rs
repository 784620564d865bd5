//! The one place that writes output. Commands hand it lines; it decides where they go
//! (results to stdout, progress, warnings and errors to stderr), whether they are
//! coloured (only when that stream is a terminal and `NO_COLOR` is unset), whether
//! progress is shown (`--quiet` hides it), and it masks every password it was told about,
//! a last line of defence behind the redaction done by the libraries.
//!
//! A printer can also capture both streams in memory, which is how tests run the command
//! line in-process.

use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};

use crate::CliError;

/// A colour or emphasis; rendered as ANSI codes on a terminal, as nothing otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Bold,
    Green,
    Yellow,
    Red,
    Cyan,
    Dim,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Green => "32",
            Style::Yellow => "33",
            Style::Red => "1;31",
            Style::Cyan => "36",
            Style::Dim => "2",
        }
    }
}

#[derive(Debug)]
enum Sink {
    Terminal,
    /// stderr is shared with the [`ProgressSink`]s handed out during a run.
    Captured {
        out: String,
        err: Arc<Mutex<String>>,
    },
}

/// Where output goes. See the module documentation.
#[derive(Debug)]
pub struct Printer {
    sink: Sink,
    quiet: bool,
    color_out: bool,
    color_err: bool,
    secrets: Vec<String>,
}

impl Printer {
    /// Writes to the process's stdout and stderr, coloured where they are terminals.
    pub fn terminal() -> Printer {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            sink: Sink::Terminal,
            quiet: false,
            color_out: !no_color && std::io::stdout().is_terminal(),
            color_err: !no_color && std::io::stderr().is_terminal(),
            secrets: Vec::new(),
        }
    }

    /// Keeps both streams in memory, uncoloured (see [`Printer::stdout`]).
    pub fn captured() -> Printer {
        Printer {
            sink: Sink::Captured {
                out: String::new(),
                err: Arc::default(),
            },
            quiet: false,
            color_out: false,
            color_err: false,
            secrets: Vec::new(),
        }
    }

    /// What was written to stdout (empty for a terminal printer).
    pub fn stdout(&self) -> &str {
        match &self.sink {
            Sink::Captured { out, .. } => out,
            Sink::Terminal => "",
        }
    }

    /// What was written to stderr (empty for a terminal printer).
    pub fn stderr(&self) -> String {
        match &self.sink {
            Sink::Captured { err, .. } => lock(err).clone(),
            Sink::Terminal => String::new(),
        }
    }

    /// Where a run writes its progress lines while it runs (see [`ProgressSink`]).
    pub(crate) fn progress_sink(&self) -> ProgressSink {
        ProgressSink {
            target: match &self.sink {
                Sink::Terminal => None,
                Sink::Captured { err, .. } => Some(Arc::clone(err)),
            },
            quiet: self.quiet,
            secrets: self.secrets.clone(),
            prefix: String::new(),
        }
    }

    /// A sink for warnings made while a command runs (the runner's warning hook): each line
    /// as [`Printer::warn`] writes it, shown even with `--quiet`.
    pub(crate) fn warning_sink(&self) -> ProgressSink {
        ProgressSink {
            quiet: false,
            prefix: format!("{} ", self.paint_err(Style::Yellow, "warning:")),
            ..self.progress_sink()
        }
    }

    /// Quiet: only errors and the output a command exists for (`-q`).
    pub fn set_quiet(&mut self, quiet: bool) {
        self.quiet = quiet;
    }

    /// Never shows `secret` (a password): any output containing it shows `***` instead.
    pub fn add_secret(&mut self, secret: &str) {
        // Very short "passwords" would mask ordinary words; the libraries redact anyway.
        if secret.len() >= 3 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_owned());
        }
    }

    fn mask(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for s in &self.secrets {
            text = text.replace(s.as_str(), "***");
        }
        text
    }

    fn write(&mut self, to_err: bool, text: &str) {
        let text = self.mask(text);
        match &mut self.sink {
            // A closed pipe (`| head`) is not worth a panic or an error of its own.
            Sink::Terminal if to_err => {
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
            }
            Sink::Terminal => {
                let _ = std::io::stdout().lock().write_all(text.as_bytes());
            }
            Sink::Captured { err, .. } if to_err => lock(err).push_str(&text),
            Sink::Captured { out, .. } => out.push_str(&text),
        }
    }

    /// `text` in `style` for stdout.
    pub fn paint(&self, style: Style, text: &str) -> String {
        paint(self.color_out, style, text)
    }

    /// `text` in `style` for stderr.
    pub fn paint_err(&self, style: Style, text: &str) -> String {
        paint(self.color_err, style, text)
    }

    /// A result line on stdout (shown even with `--quiet`).
    pub fn line(&mut self, text: &str) {
        self.write(false, &format!("{text}\n"));
    }

    /// Raw text on stdout (offline SQL).
    pub fn raw(&mut self, text: &str) {
        self.write(false, text);
    }

    /// A progress line on stderr, hidden by `--quiet`.
    pub fn progress(&mut self, text: &str) {
        if !self.quiet {
            self.write(true, &format!("{text}\n"));
        }
    }

    /// A warning on stderr (shown even with `--quiet`).
    pub fn warn(&mut self, text: &str) {
        let label = self.paint_err(Style::Yellow, "warning:");
        self.write(true, &format!("{label} {text}\n"));
    }

    /// The error that ends a command: one paragraph, then what to do.
    pub fn error(&mut self, error: &CliError) {
        let label = self.paint_err(Style::Red, "error:");
        let mut text = format!("{label} {}\n", error.message());
        if let Some(hint) = error.hint() {
            let label = self.paint_err(Style::Cyan, "hint:");
            text.push_str(&format!("{label} {hint}\n"));
        }
        self.write(true, &text);
    }

    /// Prints a clap parse error (or `--help`/`--version`) and returns its exit code: 0
    /// for help and version, 2 for a usage error.
    pub fn clap_error(&mut self, error: &clap::Error) -> u8 {
        use clap::error::ErrorKind;
        let text = error.render().to_string();
        match error.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                self.write(false, &text);
                if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    crate::error::EXIT_USAGE
                } else {
                    0
                }
            }
            _ => {
                self.write(true, &text);
                crate::error::EXIT_USAGE
            }
        }
    }
}

/// The progress bar of a run over many targets (`commands::fleet`): drawn on stderr only
/// when stderr is a terminal and the run is not `--quiet`; otherwise every call does nothing
/// but run what [`FleetBar::suspend`] is given.
pub(crate) struct FleetBar {
    bar: Option<indicatif::ProgressBar>,
}

impl FleetBar {
    /// Runs `f` (which prints a line) with the bar cleared, then draws it again.
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// One more target done.
    pub(crate) fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Removes the bar (the report lines stay).
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Printer {
    /// A progress bar over `total` targets (see [`FleetBar`]).
    pub(crate) fn fleet_bar(&self, total: u64) -> FleetBar {
        let shown =
            matches!(self.sink, Sink::Terminal) && !self.quiet && std::io::stderr().is_terminal();
        FleetBar {
            bar: shown.then(|| {
                let bar = indicatif::ProgressBar::new(total);
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "[{elapsed_precise}] {bar:40} {pos}/{len} targets, eta {eta}",
                ) {
                    bar.set_style(style);
                }
                bar
            }),
        }
    }

    /// `text` with every registered password masked (for what is written to a file).
    pub(crate) fn masked(&self, text: &str) -> String {
        self.mask(text)
    }
}

/// A poisoned buffer only means a panic elsewhere; its text is still worth keeping.
fn lock(buffer: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    buffer
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The printer's progress stream, detached so that a runner callback (`Send + Sync +
/// 'static`) can write one line a step while the run goes on: stderr, or the printer's
/// captured stderr, with `--quiet` and password masking as the printer has them.
#[derive(Debug, Clone)]
pub struct ProgressSink {
    target: Option<Arc<Mutex<String>>>,
    quiet: bool,
    secrets: Vec<String>,
    /// Before every line (`warning: ` for [`Printer::warning_sink`]).
    prefix: String,
}

impl ProgressSink {
    pub fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        let mut text = format!("{}{text}\n", self.prefix);
        for s in &self.secrets {
            text = text.replace(s.as_str(), "***");
        }
        match &self.target {
            Some(buffer) => lock(buffer).push_str(&text),
            None => {
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
            }
        }
    }
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_in_every_stream() {
        let mut p = Printer::captured();
        p.add_secret("hunter2");
        p.line("url postgres://u:hunter2@h/db");
        p.warn("hunter2 again");
        assert_eq!(p.stdout(), "url postgres://u:***@h/db\n");
        assert_eq!(p.stderr(), "warning: *** again\n");
    }

    #[test]
    fn quiet_hides_progress_only() {
        let mut p = Printer::captured();
        p.set_quiet(true);
        p.progress("Running upgrade");
        p.line("result");
        assert_eq!(p.stderr(), "");
        assert_eq!(p.stdout(), "result\n");
    }
}

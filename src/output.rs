//! The `Printer`: the one owner of stdout and stderr, human tables or JSON, colour, terminal escaping.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

static STDERR_COLOR: OnceLock<bool> = OnceLock::new();

/// Whether diagnostics on stderr are coloured (decided once by [`Printer::new`]).
pub fn stderr_color() -> bool {
    *STDERR_COLOR.get_or_init(|| decide_color(ColorChoice::Auto, io::stderr().is_terminal()))
}

fn decide_color(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_tty
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// How chatty diagnostics are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `-q`: errors only.
    Quiet,
    /// Default: warnings and summaries.
    Normal,
    /// `-v`: progress details.
    Verbose,
}

/// Colours used for verdicts and emphasis.
#[derive(Debug, Clone, Copy)]
pub enum Paint {
    /// Positive verdicts.
    Green,
    /// Negative verdicts.
    Red,
    /// Warnings.
    Yellow,
    /// Emphasis.
    Bold,
    /// Secondary text.
    Dim,
}

/// Stdout whose write errors say that stdout failed (a full disk, a closed file), so the one
/// `error:` line names the problem; a broken pipe stays a plain broken pipe (exit 0).
struct StdoutSink(io::Stdout);

impl StdoutSink {
    fn label(err: io::Error) -> io::Error {
        match err.kind() {
            io::ErrorKind::BrokenPipe | io::ErrorKind::Interrupted => err,
            kind => io::Error::new(
                kind,
                format!("cannot write to stdout: {err}; check where the output is redirected"),
            ),
        }
    }
}

impl Write for StdoutSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(Self::label)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(Self::label)
    }
}

/// Owns stdout and stderr for one command run.
pub struct Printer {
    json: bool,
    color: bool,
    stdout_tty: bool,
    verbosity: Verbosity,
    out: Box<dyn Write + Send>,
    err: Box<dyn Write + Send>,
    /// Put before every diagnostic: `mcpbill: ` where stderr is shared with another
    /// program (`wrap`, whose server writes there too).
    prefix: &'static str,
}

impl Printer {
    /// A printer on the real stdout/stderr.
    pub fn new(json: bool, color: ColorChoice, verbosity: Verbosity) -> Self {
        let stdout_tty = io::stdout().is_terminal();
        let err_color = decide_color(color, io::stderr().is_terminal());
        let _ = STDERR_COLOR.set(err_color && !json);
        Printer {
            json,
            color: !json && decide_color(color, stdout_tty),
            stdout_tty,
            verbosity,
            out: Box::new(StdoutSink(io::stdout())),
            err: Box::new(io::stderr()),
            prefix: "",
        }
    }

    /// A printer writing into the given sinks (for tests).
    pub fn with_sinks(
        json: bool,
        verbosity: Verbosity,
        out: Box<dyn Write + Send>,
        err: Box<dyn Write + Send>,
    ) -> Self {
        Printer {
            json,
            color: false,
            stdout_tty: false,
            verbosity,
            out,
            err,
            prefix: "",
        }
    }

    /// `--json` was given: print machine-readable documents only.
    pub fn json(&self) -> bool {
        self.json
    }

    /// Whether `-v` was given (debug lines are shown).
    pub fn verbose(&self) -> bool {
        self.verbosity >= Verbosity::Verbose
    }

    /// Whether stdout gets colour.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Whether stdout is a terminal.
    pub fn stdout_is_tty(&self) -> bool {
        self.stdout_tty
    }

    /// The verbosity level.
    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Wrap `text` in the colour when stdout is coloured.
    pub fn paint(&self, paint: Paint, text: &str) -> String {
        if self.color {
            paint_ansi(paint, text)
        } else {
            text.to_owned()
        }
    }

    /// Print one line on stdout.
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "{text}")
    }

    /// Print raw text on stdout (no newline added).
    pub fn raw(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    /// Print raw bytes on stdout.
    pub fn bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    /// Print one pretty JSON document on stdout.
    pub fn json_doc<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }

    /// Print one compact JSON line on stdout (for JSON Lines streams).
    pub fn json_line<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }

    /// Print a table on stdout.
    pub fn table(&mut self, table: &Table) -> io::Result<()> {
        if !self.stdout_tty {
            if let Some(escaped) = markdown_escaped(table) {
                return writeln!(self.out, "{escaped}");
            }
            return writeln!(self.out, "{table}");
        }
        writeln!(self.out, "{}", fit_to_terminal(table))
    }

    /// Flush stdout.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// A warning on stderr (suppressed by `-q`).
    pub fn warn(&mut self, msg: &str) {
        if self.verbosity >= Verbosity::Normal {
            self.labelled(Paint::Yellow, "warning", msg);
        }
    }

    /// An error on stderr, for a failure the command reports itself before its exit status
    /// (shown even with `-q`, as errors are).
    pub fn error(&mut self, msg: &str) {
        self.labelled(Paint::Red, "error", msg);
    }

    /// `label: msg` on stderr, the label coloured when stderr takes colour.
    fn labelled(&mut self, paint: Paint, label: &str, msg: &str) {
        let label = if stderr_color() {
            paint_ansi(paint, label)
        } else {
            label.to_owned()
        };
        let _ = writeln!(self.err, "{}{label}: {}", self.prefix, escape_terminal(msg));
    }

    /// A note on stderr (suppressed by `-q`).
    pub fn note(&mut self, msg: &str) {
        if self.verbosity >= Verbosity::Normal {
            let _ = writeln!(self.err, "{}{}", self.prefix, escape_terminal(msg));
        }
    }

    /// Start every diagnostic with `mcpbill: `, for a stderr shared with another program.
    pub fn name_diagnostics(&mut self) {
        self.prefix = "mcpbill: ";
    }

    /// Detail on stderr, shown with `-v` only.
    pub fn debug(&mut self, msg: &str) {
        if self.verbosity >= Verbosity::Verbose {
            let _ = writeln!(self.err, "{}", escape_terminal(msg));
        }
    }

    /// A new table styled for this printer.
    pub fn new_table(&self, header: &[&str]) -> Table {
        new_table(header, self.stdout_tty)
    }
}

/// A table with the project's style: UTF-8 borders on a terminal (ASCII ones on a
/// `TERM=dumb` terminal, which may not draw box characters), plain ASCII otherwise.
pub fn new_table(header: &[&str], tty: bool) -> Table {
    let mut table = Table::new();
    if tty {
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        table.load_preset(if dumb {
            presets::ASCII_FULL_CONDENSED
        } else {
            presets::UTF8_FULL_CONDENSED
        });
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.load_preset(presets::ASCII_MARKDOWN);
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    table.set_header(header.iter().copied());
    table
}

/// Narrowest terminal a table is fitted to; a pseudo-terminal nobody sized reports 0.
const MIN_FIT_WIDTH: u16 = 40;
/// Narrowest a wrapped column of text is made.
const MIN_TEXT_WIDTH: usize = 12;

/// A table for the terminal. A table that fits is drawn as it is. Otherwise only columns
/// of text wrap, within the room the other columns leave: a column whose cells are single
/// short words (numbers, amounts, percentages, ids) keeps them whole, so that `$0.90` never
/// reads as `$0.9` and `0`. When that leaves too little room for the text (or the width is
/// unknown or implausibly small), nothing wraps and the terminal folds the long lines.
fn fit_to_terminal(table: &Table) -> Table {
    let mut t = table.clone();
    t.set_content_arrangement(ContentArrangement::Disabled);
    let Some(width) = t.width().filter(|w| *w >= MIN_FIT_WIDTH) else {
        return t;
    };
    let columns = t.column_count();
    let shown = |c: &comfy_table::Cell| {
        c.content()
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    let mut widest = vec![0usize; columns];
    let mut word = vec![true; columns];
    for (i, c) in t
        .header()
        .into_iter()
        .flat_map(|h| h.cell_iter())
        .enumerate()
    {
        widest[i] = widest[i].max(shown(c));
    }
    for row in t.row_iter() {
        for (i, c) in row.cell_iter().enumerate().take(columns) {
            widest[i] = widest[i].max(shown(c));
            let text = c.content();
            word[i] &= !text.contains(char::is_whitespace) && text.chars().count() <= 24;
        }
    }
    // Borders and padding: three characters per column and one more.
    let frame = 3 * columns + 1;
    if widest.iter().sum::<usize>() + frame <= usize::from(width) {
        return t;
    }
    let fixed: usize = (0..columns).filter(|&i| word[i]).map(|i| widest[i]).sum();
    let texts = word.iter().filter(|w| !**w).count();
    let room = usize::from(width).saturating_sub(fixed + frame);
    if texts == 0 || room < MIN_TEXT_WIDTH * texts {
        return t;
    }
    t.set_content_arrangement(ContentArrangement::Dynamic);
    for i in (0..columns).filter(|&i| word[i]) {
        if let Some(column) = t.column_mut(i) {
            column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
    t
}

/// The table again with `|` in its cells written `\|`, when any cell holds one: off a
/// terminal tables are Markdown, where a bare `|` from the data (an agent id, a tool name)
/// would start a column of its own.
fn markdown_escaped(table: &Table) -> Option<Table> {
    let escape = |row: &comfy_table::Row| -> Vec<String> {
        row.cell_iter()
            .map(|c| c.content().replace('|', "\\|"))
            .collect()
    };
    let has_bar = |row: &comfy_table::Row| row.cell_iter().any(|c| c.content().contains('|'));
    if !table.header().is_some_and(has_bar) && !table.row_iter().any(has_bar) {
        return None;
    }
    let header: Vec<String> = table.header().map(escape).unwrap_or_default();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut out = new_table(&header, false);
    for row in table.row_iter() {
        out.add_row(escape(row));
    }
    Some(out)
}

fn paint_ansi(paint: Paint, text: &str) -> String {
    let code = match paint {
        Paint::Green => "32",
        Paint::Red => "31",
        Paint::Yellow => "33",
        Paint::Bold => "1",
        Paint::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// `n` and the noun, singular for one: `1 batch`, `4 batches`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A parser's multi-line message as one line: lines trimmed, blank ones dropped, the rest
/// joined with `; ` (every error mcpbill prints is one line).
pub fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Escape control characters so untrusted text (tool names, dispute text,
/// server output) cannot drive the terminal. Printable text passes unchanged.
pub fn escape_terminal(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// At most `max` characters of `text` for a table cell: a longer text is cut, and the cut
/// says how long the whole is (the whole is in `--json`).
pub fn elide(text: &str, max: usize) -> String {
    match first_chars(text, max) {
        None => text.to_owned(),
        Some(head) => format!("{head}... ({} characters in all)", text.chars().count()),
    }
}

/// The first `max` characters of `text` when it has more, else `None`.
pub fn first_chars(text: &str, max: usize) -> Option<&str> {
    text.char_indices().nth(max).map(|(cut, _)| &text[..cut])
}

/// Whether [`escape_terminal`] escapes `c` (control and bidirectional-override characters).
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_is_singular_for_one_only() {
        assert_eq!(counted(0, "batch", "batches"), "0 batches");
        assert_eq!(counted(1, "batch", "batches"), "1 batch");
        assert_eq!(counted(2, "retry", "retries"), "2 retries");
    }

    #[test]
    fn elide_cuts_long_text_on_characters() {
        assert_eq!(elide("short", 5), "short");
        assert_eq!(elide("ééééé", 3), "ééé... (5 characters in all)");
    }

    #[test]
    fn a_bar_in_a_cell_keeps_the_markdown_columns() {
        let mut t = new_table(&["agent", "calls"], false);
        t.add_row(vec!["=cmd|' /C calc'!A0", "3"]);
        let text = markdown_escaped(&t).unwrap().to_string();
        for line in text.lines() {
            // Three column borders on every line; the cell's bar is escaped.
            assert_eq!(
                line.matches('|').count() - line.matches("\\|").count(),
                3,
                "{text}"
            );
        }
        assert!(text.contains("=cmd\\|' /C calc'!A0"), "{text}");
        let mut plain = new_table(&["agent"], false);
        plain.add_row(vec!["a"]);
        assert!(markdown_escaped(&plain).is_none());
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(escape_terminal("plain tool"), "plain tool");
        assert_eq!(escape_terminal("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_terminal("x\ny"), "x\\ny");
        assert_eq!(escape_terminal("rtl\u{202e}"), "rtl\\u{202e}");
    }

    #[test]
    fn color_choice() {
        assert!(decide_color(ColorChoice::Always, false));
        assert!(!decide_color(ColorChoice::Never, true));
        assert!(!decide_color(ColorChoice::Auto, false));
    }
}

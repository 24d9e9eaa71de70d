//! Shell completions and man pages, rendered from the clap definitions.
//!
//! The committed `completions/` and `man/` files are checked against these renderings by
//! the test suite; `MCPBILL_UPDATE_GENERATED=1 cargo test generated` rewrites them.

use std::io::Write;
use std::path::PathBuf;

use clap_complete::Shell;

/// Every shell `mcpbill completions` supports, with the committed file name.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "mcpbill.bash"),
    (Shell::Zsh, "_mcpbill"),
    (Shell::Fish, "mcpbill.fish"),
    (Shell::PowerShell, "_mcpbill.ps1"),
    (Shell::Elvish, "mcpbill.elv"),
];

/// Write the completion script for `shell`.
pub fn completions(shell: Shell, out: &mut dyn Write) {
    let mut cmd = without_hidden_subcommands(&crate::cli::command());
    clap_complete::generate(shell, &mut cmd, "mcpbill", out);
}

/// The top-level command without its hidden subcommands (`example-server`), which the
/// completion generators would otherwise offer. clap cannot remove a subcommand, so the
/// top level is rebuilt from its parts: what the generators read (name, about, version,
/// arguments, subcommands and the settings that shape them).
fn without_hidden_subcommands(cmd: &clap::Command) -> clap::Command {
    let mut top = clap::Command::new(cmd.get_name().to_owned())
        .args(cmd.get_arguments().cloned())
        .subcommands(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned())
        .subcommand_required(cmd.is_subcommand_required_set())
        .arg_required_else_help(cmd.is_arg_required_else_help_set())
        .propagate_version(cmd.is_propagate_version_set());
    if let Some(about) = cmd.get_about() {
        top = top.about(about.clone());
    }
    if let Some(about) = cmd.get_long_about() {
        top = top.long_about(about.clone());
    }
    if let Some(version) = cmd.get_version() {
        top = top.version(version.to_owned());
    }
    top
}

/// Every generated file: its path relative to the repository root and its bytes.
pub fn render_all() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (shell, name) in SHELLS {
        let mut buf = Vec::new();
        completions(shell, &mut buf);
        files.push((PathBuf::from("completions").join(name), buf));
    }
    // No `help` subcommand: it has no page, so no page may link to one.
    let mut cmd = without_help_subcommand(crate::cli::command());
    cmd.build();
    render_man(&cmd, "mcpbill", &mut files);
    files
}

fn without_help_subcommand(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_subcommand(true)
        .mut_subcommands(without_help_subcommand)
}

/// One page per (visible) command, named as its file is (`mcpbill-receipt-sign`), so
/// that the SUBCOMMANDS links (`mcpbill-receipt-sign(1)`) name the pages they point to.
fn render_man(cmd: &clap::Command, name: &str, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    let page = cmd
        .clone()
        .name(name.to_owned())
        .display_name(name.to_owned());
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .expect("rendering to memory cannot fail");
    let text = String::from_utf8(buf).expect("clap_mangen writes UTF-8");
    let text = preformat_extra(&synopsis_repeats(cmd, &text));
    files.push((
        PathBuf::from("man").join(format!("{name}.1")),
        text.into_bytes(),
    ));
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() {
            continue;
        }
        render_man(sub, &format!("{name}-{}", sub.get_name()), files);
    }
}

/// clap_mangen's SYNOPSIS leaves out that a positional repeats and that wrap's command
/// comes after `--`: `[\fIINPUT\fR]` becomes `[\fIINPUT\fR]...`, wrap's
/// `<\fICOMMAND\fR>` becomes `\fB\-\-\fR <\fICOMMAND\fR>...`.
fn synopsis_repeats(cmd: &clap::Command, page: &str) -> String {
    let mut out = String::with_capacity(page.len() + 64);
    let mut in_synopsis = false;
    for line in page.split_inclusive('\n') {
        if line.starts_with(".SH") {
            in_synopsis = line.trim_end() == ".SH SYNOPSIS";
            out.push_str(line);
            continue;
        }
        if !in_synopsis {
            out.push_str(line);
            continue;
        }
        let mut line = line.to_owned();
        for arg in cmd.get_positionals() {
            let repeats = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
            if !repeats {
                continue;
            }
            let value = arg
                .get_value_names()
                .map_or_else(|| arg.get_id().to_string(), |v| v.join(" "));
            let (lhs, rhs) = if arg.is_required_set() {
                ("<", ">")
            } else {
                ("[", "]")
            };
            let shown = format!("{lhs}\\fI{value}\\fR{rhs}");
            let dashes = if arg.is_trailing_var_arg_set() {
                "\\fB\\-\\-\\fR "
            } else {
                ""
            };
            line = line.replacen(&shown, &format!("{dashes}{shown}..."), 1);
        }
        out.push_str(&line);
    }
    out
}

/// clap_mangen writes the after-help text (examples, field lists, tables) as filled
/// text, which runs their lines together. A paragraph of it (lines between blank lines)
/// with an indented line is preformatted: it is wrapped in `.nf`/`.fi` and keeps its line
/// breaks and columns; prose paragraphs stay filled.
fn preformat_extra(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + 256);
    let mut in_extra = false;
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut String| {
        let pre = para.iter().any(|l| l.starts_with(' '));
        if pre {
            out.push_str(".nf\n");
        }
        for l in para.iter() {
            out.push_str(l);
            out.push('\n');
        }
        if pre {
            out.push_str(".fi\n");
        }
        para.clear();
    };
    for line in page.lines() {
        if line.starts_with(".SH") {
            flush(&mut para, &mut out);
            in_extra = line == ".SH EXTRA";
        } else if in_extra {
            if line.trim().is_empty() {
                flush(&mut para, &mut out);
                out.push_str(line);
                out.push('\n');
            } else {
                para.push(line);
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    flush(&mut para, &mut out);
    out
}

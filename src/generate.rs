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
    let mut cmd = crate::cli::command();
    clap_complete::generate(shell, &mut cmd, "mcpbill", out);
}

/// Every generated file: its path relative to the repository root and its bytes.
pub fn render_all() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (shell, name) in SHELLS {
        let mut buf = Vec::new();
        completions(shell, &mut buf);
        files.push((PathBuf::from("completions").join(name), buf));
    }
    let mut cmd = crate::cli::command();
    cmd.build();
    render_man(&cmd, "mcpbill", &mut files);
    files
}

fn render_man(cmd: &clap::Command, name: &str, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    let page = cmd
        .clone()
        .name(name.to_owned())
        .display_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .expect("rendering to memory cannot fail");
    files.push((PathBuf::from("man").join(format!("{name}.1")), buf));
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        render_man(sub, &format!("{name}-{}", sub.get_name()), files);
    }
}

//! The committed completions and man pages match what the clap definitions generate.
//! `MCPBILL_UPDATE_GENERATED=1` rewrites them.

use crate::context::repo_root;

#[test]
fn generated_files_are_current() {
    let root = repo_root();
    let update = std::env::var_os("MCPBILL_UPDATE_GENERATED").is_some();
    let files = mcpbill::generate::render_all();
    let mut stale = Vec::new();
    for (rel, bytes) in &files {
        let path = root.join(rel);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            stale.push(rel.display().to_string());
        }
    }
    // Files no longer generated are stale too.
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            let rel = p.strip_prefix(&root).unwrap().to_path_buf();
            if !files.iter().any(|(r, _)| *r == rel) {
                if update {
                    std::fs::remove_file(&p).unwrap();
                } else {
                    stale.push(format!("{} (no longer generated)", rel.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:?}\nrun: MCPBILL_UPDATE_GENERATED=1 cargo nextest run generated"
    );
}

#[test]
fn completions_subcommand_prints_the_script() {
    let ctx = crate::context::TestContext::new();
    let run = ctx.run(["completions", "bash"]);
    run.code(0);
    let mut expected = Vec::new();
    mcpbill::generate::completions(clap_complete::Shell::Bash, &mut expected);
    assert_eq!(run.stdout.as_bytes(), expected.as_slice());
    ctx.run(["completions", "tcsh"]).code(2);
}

/// Help is wrapped at 100 columns: an indented line (an example, a config snippet, a
/// table) longer than that would be cut mid-command and break when pasted. Long examples
/// go on with ` \` lines instead; prose may wrap.
#[test]
fn help_examples_fit_without_wrapping() {
    fn walk(cmd: &clap::Command, path: &str, long: &mut Vec<String>) {
        for text in [cmd.get_after_long_help(), cmd.get_after_help()]
            .into_iter()
            .flatten()
        {
            for line in text.to_string().lines() {
                if line.starts_with(' ') && line.chars().count() > 100 {
                    long.push(format!("{path}: {line}"));
                }
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), long);
        }
    }
    let mut long = Vec::new();
    walk(&mcpbill::cli::command(), "mcpbill", &mut long);
    assert!(long.is_empty(), "help lines over 100 columns: {long:#?}");
}

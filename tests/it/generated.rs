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

/// Man pages link pages that exist, keep repeatable positionals visible in the SYNOPSIS,
/// and keep the after-help blocks (field lists, the trust formula) preformatted.
#[test]
fn man_pages_link_existing_pages_and_keep_blocks_preformatted() {
    let files = mcpbill::generate::render_all();
    let pages: Vec<String> = files
        .iter()
        .filter_map(|(rel, _)| rel.strip_prefix("man").ok())
        .map(|p| p.to_string_lossy().trim_end_matches(".1").to_owned())
        .collect();
    let text = |name: &str| {
        let (_, bytes) = files
            .iter()
            .find(|(rel, _)| *rel == std::path::Path::new("man").join(format!("{name}.1")))
            .unwrap_or_else(|| panic!("no page {name}"));
        String::from_utf8(bytes.clone()).unwrap()
    };
    for page in &pages {
        let page_text = text(page);
        for line in page_text.lines() {
            // SUBCOMMANDS entries: `mcpbill\-receipt\-sign(1)`.
            if let Some(link) = line.strip_suffix("(1)") {
                let link = link.replace("\\-", "-");
                assert!(
                    pages.contains(&link),
                    "{page}.1 links {link}(1), which is not a page"
                );
            }
        }
    }
    assert!(text("mcpbill-receipt").contains("mcpbill\\-receipt\\-sign(1)"));
    assert!(text("mcpbill-export").contains("[\\fIINPUT\\fR]..."));
    assert!(text("mcpbill-wrap").contains("\\fB\\-\\-\\fR <\\fICOMMAND\\fR>..."));
    let trust = text("mcpbill-trust");
    let formula = trust.find("verification  highest level").unwrap();
    let nf = trust[..formula]
        .rfind(".nf\n")
        .expect("the formula table is not in .nf");
    assert!(!trust[nf..formula].contains(".fi\n"), "{trust}");
    assert!(!trust.contains("DECISIONS"), "{trust}");
}

/// groff formats every page without a warning (skipped where groff is not installed).
#[test]
fn man_pages_format_without_groff_warnings() {
    let ctx = crate::context::TestContext::new();
    for (rel, bytes) in mcpbill::generate::render_all() {
        if !rel.starts_with("man") {
            continue;
        }
        let path = ctx.write(&rel.to_string_lossy(), bytes);
        let Ok(out) = std::process::Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&path)
            .output()
        else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.trim().is_empty(), "{}: {stderr}", rel.display());
    }
}

/// Hidden subcommands (`example-server`) are not offered by any completion script, and
/// `mcpbill completions SHELL` prints exactly the committed file.
#[test]
fn completions_leave_out_hidden_subcommands() {
    let ctx = crate::context::TestContext::new();
    for (shell, name) in mcpbill::generate::SHELLS {
        let run = ctx.run(["completions", &shell.to_string()]);
        run.code(0);
        let committed = std::fs::read(repo_root().join("completions").join(name)).unwrap();
        assert_eq!(run.raw_stdout, committed, "{name}");
        for hidden in ["example-server", "example__subcmd__server"] {
            assert!(!run.stdout.contains(hidden), "{name} offers {hidden}");
        }
        assert!(run.stdout.contains("verify-domain"), "{name}");
    }
}

/// Shells complete directories for DIR flags, files for FILE flags, URLs for URL
/// arguments and a command line for wrap's server command.
#[test]
fn value_hints_follow_the_value_names() {
    use clap::ValueHint;
    fn walk(cmd: &clap::Command, path: &str, wrong: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let Some(names) = arg.get_value_names() else {
                continue;
            };
            let want = match names[0].as_str() {
                "DIR" => ValueHint::DirPath,
                "FILE" | "EVENT" => ValueHint::FilePath,
                "URL" | "BASE_URL" => ValueHint::Url,
                "INPUT" | "PATH_OR_URL" | "URL|FILE" => ValueHint::AnyPath,
                "COMMAND" => ValueHint::CommandWithArguments,
                _ => continue,
            };
            if arg.get_value_hint() != want {
                wrong.push(format!(
                    "{path} {}: {:?}",
                    arg.get_id(),
                    arg.get_value_hint()
                ));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), wrong);
        }
    }
    let mut wrong = Vec::new();
    walk(&mcpbill::cli::command(), "mcpbill", &mut wrong);
    assert!(wrong.is_empty(), "wrong value hints: {wrong:#?}");
    let zsh = std::fs::read_to_string(repo_root().join("completions/_mcpbill")).unwrap();
    assert!(zsh.contains(":DIR:_files -/'"), "no directory completion");
    assert!(
        zsh.contains("after `--`:_cmdambivalent'"),
        "no command completion for wrap"
    );
}

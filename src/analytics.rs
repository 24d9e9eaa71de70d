//! Helpers shared by the analytics commands (`trust`, `report`, `export`, `dispute`):
//! turning inputs into event files and reporting skipped lines.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::eventlog::{self, ScanStats, expand_inputs};
use crate::output::Printer;

/// The log directory a reading command uses: `--log-dir` when given, which must then exist
/// (a mistyped path is an error, not an empty report), else `MCPBILL_LOG_DIR` or the
/// platform's default directory, which may not exist yet (see [`read_log`] for when that
/// is an error). A directory that cannot be looked at (permission denied) is an error,
/// never an empty log.
pub fn reading_log_dir(flag: Option<&Path>) -> Result<PathBuf> {
    let dir = match flag {
        Some(dir) => dir.to_path_buf(),
        None => eventlog::LogDir::default_path()?,
    };
    match eventlog::look(&dir)? {
        None if flag.is_some() && eventlog::env_dir().as_deref() == flag => anyhow::bail!(
            "log directory '{}' does not exist; check --log-dir or MCPBILL_LOG_DIR",
            dir.display()
        ),
        None if flag.is_some() => anyhow::bail!(
            "log directory '{}' does not exist; check --log-dir (or leave it out for the default directory)",
            dir.display()
        ),
        Some(m) if !m.is_dir() => Err(not_a_directory(&dir)),
        _ => Ok(dir),
    }
}

/// The log directory whose side logs (`disputes.jsonl`, `feedback.jsonl`) go with the
/// event `inputs`: without `--log-dir`, a log directory given as the one directory among
/// the inputs (`mcpbill trust ~/logs`) is that directory, not the default one, whose
/// disputes may belong to another log. Otherwise as [`reading_log_dir`].
pub fn reading_log_dir_for(flag: Option<&Path>, inputs: &[PathBuf]) -> Result<PathBuf> {
    if flag.is_none() {
        let mut dirs = Vec::new();
        for input in inputs {
            if eventlog::look(input)?.is_some_and(|m| m.is_dir()) {
                dirs.push(input);
            }
        }
        if let [dir] = dirs[..] {
            return Ok(dir.clone());
        }
    }
    reading_log_dir(flag)
}

fn not_a_directory(dir: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "log directory '{}' is not a directory; pass --log-dir (or set MCPBILL_LOG_DIR) to the directory holding the logs",
        dir.display()
    )
}

/// Whether the log directory is there for a command that reads its logs (not only side
/// files beside explicit inputs). Only the platform's default may be missing (nothing was
/// logged on this machine yet): a directory named by `MCPBILL_LOG_DIR` that does not exist
/// is a mistyped path, as one named by `--log-dir` is.
pub fn read_log(dir: &Path) -> Result<bool> {
    match eventlog::look(dir)? {
        Some(m) if m.is_dir() => Ok(true),
        Some(_) => Err(not_a_directory(dir)),
        None if eventlog::env_dir().as_deref() == Some(dir) => anyhow::bail!(
            "log directory '{}' (MCPBILL_LOG_DIR) does not exist; check MCPBILL_LOG_DIR, or pass --log-dir",
            dir.display()
        ),
        None => Ok(false),
    }
}

/// The event files to read: the inputs (files, directories, patterns) or, when none
/// are given, the `events-*.jsonl` files of the log directory (none if it does not exist).
pub fn event_inputs(inputs: &[PathBuf], log_dir: &Path) -> Result<Vec<PathBuf>> {
    if !inputs.is_empty() {
        return expand_inputs(inputs, "events");
    }
    if read_log(log_dir)? {
        expand_inputs(&[log_dir.to_path_buf()], "events")
    } else {
        Ok(Vec::new())
    }
}

/// Refuse an output file (`flag`'s value) that would overwrite what is read: one of the
/// `inputs`, a file of the log directory (whose files mcpbill appends to: an export written
/// over `events-2026-11.jsonl` would replace the month's events), through a link or not, or
/// a new file there. Checked before anything is written.
pub fn check_output(out: &Path, flag: &str, inputs: &[PathBuf], log_dir: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    if let Ok(o) = std::fs::metadata(out) {
        let same =
            |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.dev() == o.dev() && m.ino() == o.ino());
        if inputs.iter().any(|i| same(i)) {
            anyhow::bail!(
                "{flag} '{}' is one of the files being read; writing it would destroy them; choose another path",
                out.display()
            );
        }
        let in_logs = std::fs::read_dir(log_dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| same(&e.path()));
        if in_logs {
            anyhow::bail!(
                "{flag} '{}' is a file of the log directory '{}'; write it somewhere else",
                out.display(),
                log_dir.display()
            );
        }
    }
    if let Some(kind) = crate::newfile::precious_kind(out) {
        anyhow::bail!(
            "{flag} '{}' is {kind}, not an earlier output; writing would destroy it; choose another path",
            out.display()
        );
    }
    // Where it would land: the directory of what a chain of links ends at (a dangling
    // link too: writing creates its target), else its own.
    let target = link_target(out);
    let parent = target
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .or_else(|| crate::newfile::dir_of(&target).canonicalize().ok());
    if let (Some(parent), Ok(logs)) = (parent, log_dir.canonicalize())
        && parent == logs
    {
        anyhow::bail!(
            "{flag} '{}' is in the log directory '{}', whose files mcpbill appends to; write it somewhere else",
            out.display(),
            log_dir.display()
        );
    }
    Ok(())
}

/// The path a chain of symbolic links at `path` ends at (at most 40 links, as the kernel
/// follows), whether or not that exists; `path` itself when it is no link.
fn link_target(path: &Path) -> PathBuf {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&at) {
            Ok(next) => at = crate::newfile::dir_of(&at).join(next),
            Err(_) => break,
        }
    }
    at
}

/// Whether an output path names this process's standard output, which is then written
/// as stdout is (`-`, `/dev/stdout`, `/dev/fd/1`): reopening it would truncate a file
/// stdout appends to, and fails for a file the user could not open.
pub fn is_stdout(path: &Path) -> bool {
    ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|s| path.as_os_str() == *s)
}

/// Refuse a side log named by `flag` (`--disputes`, `--feedback`, `--verifications`) that
/// has non-blank lines, `lines`, and not one record of its kind among them (`records`):
/// reading it as it is would count nothing, in silence. `holds` names its records
/// ("dispute records"), `fix` says where the right file comes from. Only for a file given
/// by its flag: the log directory's own files are what mcpbill wrote.
pub fn check_side_log(
    flag: &str,
    path: &Path,
    (records, lines): (u64, u64),
    holds: &str,
    fix: &str,
) -> Result<()> {
    if lines == 0 || records > 0 {
        return Ok(());
    }
    let what = match crate::kind::sniff(path) {
        Ok(k @ (crate::kind::Kind::Receipts | crate::kind::Kind::Events)) => {
            format!("holds {}, not {holds}", k.name())
        }
        _ if lines == 1 => format!("holds no {holds} (its one line is not one)"),
        _ => format!("holds no {holds} (not one of its {lines} lines is one)"),
    };
    anyhow::bail!("{flag} '{}' {what}; {fix}", path.display())
}

/// Refuse inputs whose calls would count twice (`stats` is the scan of `paths`): inputs
/// that overlap, where a line of one holds the event another begins with (a copy of some of
/// its events, as a backup restored beside the log); then an event recorded on two lines (a
/// copy appended to its own log, or held by two inputs that do not overlap at their first
/// events).
pub fn check_counted_once(paths: &[PathBuf], stats: &ScanStats) -> Result<()> {
    if let Some((at, other)) = stats.overlap
        && let (Some(file), Some(other)) = (paths.get(at.file), paths.get(other))
    {
        let line = eventlog::line_number(file, at.offset)
            .map(|n| format!(" line {n}"))
            .unwrap_or_default();
        anyhow::bail!(
            "{}{line} holds the event {} begins with: the two overlap (one holds a copy of some of the other's events), and those would count twice; pass only one of them, or remove the copied lines",
            crate::input::name(file),
            crate::input::name(other)
        )
    }
    let Some(fingerprint) = stats.repeated else {
        return Ok(());
    };
    let Some(repeat) = crate::scan::find_repeat(paths, fingerprint)? else {
        return Ok(());
    };
    let name = |i: usize| {
        paths
            .get(i)
            .map_or_else(String::new, |p| crate::input::name(p))
    };
    let ((a, first), (b, again)) = (repeat.first, repeat.again);
    let lines = if a == b {
        format!("{} lines {first} and {again}", name(a))
    } else {
        format!("{} line {first} and {} line {again}", name(a), name(b))
    };
    anyhow::bail!(
        "{lines} record the same event ('{}'): its call would count twice; remove the repeated lines (a copy of some events appended to the log?) and run again",
        crate::output::escape_terminal(&repeat.event_id)
    )
}

/// Refuse a sum that reached the largest 64-bit value: it overflowed (sums saturate), so
/// any figure built on it would be wrong. `what` names the sum ("revenue").
pub fn check_sum(what: &str, sum: u64) -> Result<()> {
    if sum == u64::MAX {
        anyhow::bail!(
            "the {what} total overflows a 64-bit sum: an event in the inputs carries an implausible value (near 2^64); correct or remove it (`mcpbill export --format csv` lists every event)"
        );
    }
    Ok(())
}

/// `name` ("the event logs", a quoted file) as a source of skipped lines, with where the
/// first of them is when `stats` (a scan of `paths`) saw one: `the event logs (first:
/// 'events-2026-12.jsonl' line 3)`, so the line can be found without a search.
pub fn skipped_source(name: &str, paths: &[PathBuf], stats: &ScanStats) -> String {
    let Some(at) = stats.first_skip else {
        return name.to_owned();
    };
    let Some(path) = paths.get(at.file) else {
        return name.to_owned();
    };
    match eventlog::line_number(path, at.offset) {
        Some(line) => format!("{name} (first: {} line {line})", crate::input::name(path)),
        None => name.to_owned(),
    }
}

/// The side file `path` (quoted) as a source of skipped lines, with the first one's line
/// number when `stats`, its scan, saw one: `'feedback.jsonl' (first: line 3)`.
pub fn skipped_file(path: &Path, stats: &ScanStats) -> String {
    skipped_in(&format!("'{}'", path.display()), path, stats.first_skip)
}

/// `name`, the file `path` as a source of skipped lines, with the line number of the first
/// of them (`first`, from its scan) when there was one: `the disputes log (first: line 3)`.
pub fn skipped_in(name: &str, path: &Path, first: Option<eventlog::SkipAt>) -> String {
    match first.and_then(|at| eventlog::line_number(path, at.offset)) {
        Some(line) => format!("{name} (first: line {line})"),
        None => name.to_owned(),
    }
}

/// Say on stderr how many unreadable lines of `source` ("the event logs", a file) were
/// skipped (nothing when none were).
pub fn report_skipped(printer: &mut Printer, source: &str, skipped: u64) {
    report_skipped_in(printer, &[(source, skipped)]);
}

/// Say on stderr how many unreadable lines were skipped, and where: `parts` pairs a
/// source ("the event logs", a file) with its count; sources with none are left out.
pub fn report_skipped_in(printer: &mut Printer, parts: &[(&str, u64)]) {
    let lines = |n: u64| if n == 1 { "line" } else { "lines" };
    let skipped: u64 = parts.iter().map(|(_, n)| n).sum();
    if skipped == 0 {
        return;
    }
    let wheres: Vec<String> = parts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(source, n)| format!("{n} in {source}"))
        .collect();
    printer.warn(&format!(
        "{skipped} {} skipped (malformed, torn, wrong-typed or over 64 MiB): {}",
        lines(skipped),
        wheres.join(", ")
    ));
}

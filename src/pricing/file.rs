//! The TOML pricing file: parsing and validation that locates every problem by line,
//! column and field, and the loaded `PricingFile` other commands price calls with.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use toml_edit::{ImDocument, Item, Key, TableLike, Value};

use super::{FreeTier, PricingDeclaration, PricingModel, ToolPrice};
use crate::money::Microcents;

/// How much of a call's arguments or result the event log keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum RecordMode {
    /// Keep nothing.
    None,
    /// Keep the structure with secret-looking values replaced.
    Redacted,
    /// Keep everything.
    Full,
}

impl RecordMode {
    /// All modes, in the order they are documented.
    pub const ALL: [RecordMode; 3] = [RecordMode::None, RecordMode::Redacted, RecordMode::Full];

    /// The file and flag spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordMode::None => "none",
            RecordMode::Redacted => "redacted",
            RecordMode::Full => "full",
        }
    }

    /// Parse the file and flag spelling.
    pub fn parse(s: &str) -> Option<Self> {
        RecordMode::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

impl fmt::Display for RecordMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a pricing file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Dotted path of the field (`tools.search.price_per_call`); empty for a TOML syntax error.
    pub field: String,
    /// What is wrong, naming the value and what is allowed.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: ", self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// A declared tool: its price and its privacy overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolEntry {
    /// The tool's price (its `tool_id` is the key under `[tools]`).
    pub price: ToolPrice,
    /// How much of the arguments to record (overrides the shim's default).
    pub record_params: Option<RecordMode>,
    /// How much of the result to record (overrides the shim's default).
    pub record_results: Option<RecordMode>,
}

/// A validated pricing file: one provider, many tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingFile {
    /// Where the file came from (a path, or a name given to [`PricingFile::parse`]).
    pub source: String,
    /// The provider id.
    pub provider_id: String,
    /// ISO 4217 currency code (default `USD`).
    pub currency: String,
    /// Provider category, compared by trust scores.
    pub category: Option<String>,
    /// Declared tools, in file order.
    pub tools: Vec<ToolEntry>,
    /// The `[default]` price of tools that are not listed (none: they are free).
    pub default: Option<ToolPrice>,
}

/// Keys allowed at the top level.
const TOP_KEYS: &[&str] = &["provider_id", "currency", "category", "tools", "default"];
/// Keys allowed in a `[tools.NAME]` table.
const TOOL_KEYS: &[&str] = &[
    "pricing_model",
    "price_per_call",
    "price_per_input_token",
    "price_per_output_token",
    "free_tier",
    "tool_name",
    "record_params",
    "record_results",
];
/// Keys allowed in `[default]` (record modes are per tool).
const DEFAULT_KEYS: &[&str] = &[
    "pricing_model",
    "price_per_call",
    "price_per_input_token",
    "price_per_output_token",
    "free_tier",
];
/// Keys allowed in a `free_tier` table.
const FREE_TIER_KEYS: &[&str] = &["calls_per_month", "tokens_per_month"];
/// Pricing model spellings.
const MODELS: &[&str] = &["per_call", "per_token", "free"];
/// Record mode spellings.
const RECORD_MODES: &[&str] = &["none", "redacted", "full"];

/// A pricing file's text: refused when it cannot be read, is UTF-16 (with the `iconv`
/// line that converts it) or is not UTF-8.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = if path.as_os_str() == "-" {
        crate::input::take_stdin("the pricing file")?;
        crate::input::read_capped(std::io::stdin().lock(), crate::input::CONFIG_LIMIT)
            .context("cannot read the pricing file from stdin")?
    } else {
        crate::input::read_file(path, crate::input::CONFIG_LIMIT).with_context(|| {
            format!(
                "cannot read pricing file '{}'; check the path",
                path.display()
            )
        })?
    };
    if let Some(encoding) = crate::kind::utf16(&bytes) {
        return Err(crate::kind::utf16_error(path, encoding));
    }
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text; save it as UTF-8 TOML", shown(path)))
}

/// The pricing file `path` in messages: `pricing file 'P'`, or `the pricing file on stdin`
/// for `-`.
pub fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "the pricing file on stdin".to_owned()
    } else {
        format!("pricing file '{}'", path.display())
    }
}

/// The name that prefixes a pricing file's problems (`NAME:3:5: ...`): the path as given,
/// or `<stdin>` for `-`.
pub fn source_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

/// [`source_name`] of a pricing file read from stdin.
const STDIN_NAME: &str = "<stdin>";

impl PricingFile {
    /// Read and validate a pricing file. The error is one line: how many problems,
    /// the first one, and the command that lists them all.
    pub fn load(path: &Path) -> anyhow::Result<PricingFile> {
        let text = read_text(path)?;
        let name = source_name(path);
        PricingFile::parse(&text, &name)
            .map_err(|problems| anyhow::anyhow!(invalid_summary(&name, &problems)))
    }

    /// Parse and validate pricing TOML. Every problem is reported, sorted by position.
    pub fn parse(text: &str, source_name: &str) -> Result<PricingFile, Vec<Problem>> {
        let doc = match ImDocument::parse(text) {
            Ok(doc) => doc,
            Err(err) => {
                let (line, column) = line_cols(text, &[err.span().map_or(0, |s| s.start)])[0];
                let message = crate::output::one_line(err.message());
                // A JSON document (agents.json, a receipt) given for the pricing file.
                let json = serde_json::from_str::<serde_json::Value>(text).is_ok();
                let hint = if json {
                    "; this is JSON, and a pricing file is TOML ('mcpbill pricing init' writes one)"
                } else {
                    ""
                };
                return Err(vec![Problem {
                    line,
                    column,
                    field: String::new(),
                    message: format!("not valid TOML: {message}{hint}"),
                }]);
            }
        };
        let mut cx = Checker {
            problems: Vec::new(),
        };
        let file = cx.file(doc.as_table(), source_name);
        if cx.problems.is_empty() {
            return file.ok_or_else(Vec::new);
        }
        // Positions are resolved all at once: one pass over the text, however many
        // problems there are (one scan per problem made big files quadratic).
        let offsets: Vec<usize> = cx.problems.iter().map(|f| f.offset).collect();
        let mut problems: Vec<Problem> = cx
            .problems
            .into_iter()
            .zip(line_cols(text, &offsets))
            .map(|(found, (line, column))| Problem {
                line,
                column,
                field: found.field,
                message: found.message,
            })
            .collect();
        problems.sort_by_key(|a| (a.line, a.column));
        problems.dedup();
        Err(problems)
    }

    /// The price of `tool`: its own entry, else `[default]`, else free.
    pub fn price_for(&self, tool: &str) -> ToolPrice {
        if let Some(entry) = self.tool(tool) {
            return entry.price.clone();
        }
        match &self.default {
            Some(default) => ToolPrice {
                tool_id: tool.to_owned(),
                tool_name: None,
                ..default.clone()
            },
            None => ToolPrice::free(tool),
        }
    }

    /// The entry of a listed tool (not `[default]`).
    pub fn tool(&self, name: &str) -> Option<&ToolEntry> {
        self.tools.iter().find(|t| t.price.tool_id == name)
    }

    /// Spec section 3 declarations of the listed tools, in file order.
    pub fn declarations(&self) -> Vec<PricingDeclaration> {
        self.tools
            .iter()
            .map(|t| t.price.declaration(&self.provider_id, &self.currency))
            .collect()
    }

    /// The ids of the listed tools, in file order.
    pub fn tool_ids(&self) -> Vec<&str> {
        self.tools
            .iter()
            .map(|t| t.price.tool_id.as_str())
            .collect()
    }
}

/// The one-line error of an invalid file.
pub fn invalid_summary(name: &str, problems: &[Problem]) -> String {
    let n = problems.len();
    let noun = if n == 1 { "problem" } else { "problems" };
    let first = problems
        .first()
        .map_or_else(String::new, |p| format!(" (first: {p})"));
    if name == STDIN_NAME {
        return format!(
            "the pricing file on stdin is invalid: {n} {noun}; pipe it to 'mcpbill pricing validate -' to list them{first}"
        );
    }
    format!(
        "pricing file '{name}' is invalid: {n} {noun}; run 'mcpbill pricing validate {name}'{first}"
    )
}

/// The 1-based line and character column of each byte offset into `text`, in the order
/// given. An offset past the end means the end; one inside a character, that character.
/// The offsets are sorted and the text is read once, so `n` offsets cost
/// O(len + n log n) rather than a scan from the start for each.
fn line_cols(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut out = vec![(1, 1); offsets.len()];
    let (mut pos, mut line, mut column) = (0, 1, 1);
    for i in order {
        let mut target = offsets[i].min(text.len());
        while !text.is_char_boundary(target) {
            target -= 1;
        }
        // Sorted offsets floor to non-decreasing boundaries, so `pos <= target`.
        for c in text[pos..target].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        pos = target;
        out[i] = (line, column);
    }
    out
}

/// Whether a tool id is usable: non-empty, no `|` and no control characters
/// (either would make the receipt's canonical string ambiguous).
pub fn tool_id_problem(id: &str) -> Option<String> {
    if id.trim().is_empty() {
        return Some(
            "tool id is empty; name the tool as its MCP server does, e.g. [tools.search]"
                .to_owned(),
        );
    }
    if !crate::receipt::canonical::receipt_safe(id) {
        return Some(format!(
            "tool id {id:?} contains '|' or a control character, which would make receipts ambiguous; rename the tool"
        ));
    }
    None
}

/// Edit distance, for did-you-mean suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest allowed spelling, if it is close enough to be a typo.
pub fn suggest<'a>(value: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let lower = value.to_ascii_lowercase().replace('-', "_");
    allowed
        .iter()
        .map(|a| (distance(&lower, a), *a))
        .filter(|(d, a)| *d <= (a.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn did_you_mean(value: &str, allowed: &[&str]) -> String {
    suggest(value, allowed).map_or_else(String::new, |s| format!("did you mean '{s}'? "))
}

/// A field path segment, quoted when it is not a bare TOML key.
fn segment(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.to_owned()
    } else {
        format!("{key:?}")
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        segment(key)
    } else {
        format!("{path}.{}", segment(key))
    }
}

/// Short rendering of a TOML value for messages.
fn show(item: &Item) -> String {
    match item.as_value() {
        Some(Value::String(s)) => format!("{:?}", s.value()),
        Some(v) => {
            let s = v.to_string();
            let s = s.trim();
            if s.chars().count() > 40 {
                format!("{}…", s.chars().take(40).collect::<String>())
            } else {
                s.to_owned()
            }
        }
        None => format!("a {}", item.type_name()),
    }
}

/// Walks the document and collects problems.
struct Checker {
    problems: Vec<Found>,
}

/// A problem as found: its byte offset, resolved to a line and column at the end.
struct Found {
    offset: usize,
    field: String,
    message: String,
}

/// Where a field is, to point at it.
#[derive(Clone)]
struct Place {
    span: Option<Range<usize>>,
}

impl Place {
    fn of(key: Option<&Key>, item: Option<&Item>) -> Place {
        let value_span = item.and_then(|i| match i {
            Item::Value(v) => v.span(),
            _ => None,
        });
        Place {
            span: value_span
                .or_else(|| key.and_then(Key::span))
                .or_else(|| item.and_then(Item::span)),
        }
    }

    fn key(key: &Key, fallback: &Place) -> Place {
        Place {
            span: key.span().or_else(|| fallback.span.clone()),
        }
    }

    fn or(self, fallback: &Place) -> Place {
        Place {
            span: self.span.or_else(|| fallback.span.clone()),
        }
    }
}

impl Checker {
    fn report(&mut self, place: &Place, field: &str, message: String) {
        self.problems.push(Found {
            offset: place.span.as_ref().map_or(0, |s| s.start),
            field: field.to_owned(),
            message,
        });
    }

    fn unknown_keys(
        &mut self,
        table: &dyn TableLike,
        path: &str,
        allowed: &[&str],
        at: &Place,
        extra: &str,
    ) {
        let names: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
        for name in names {
            if allowed.contains(&name.as_str()) {
                continue;
            }
            let (key, item) = table.get_key_value(&name).expect("key just listed");
            let place = Place::key(key, &Place::of(Some(key), Some(item)).or(at));
            let field = join(path, &name);
            let message = format!(
                "unknown key {:?}; {}{}allowed: {}",
                name,
                did_you_mean(&name, allowed),
                extra,
                allowed.join(", ")
            );
            self.report(&place, &field, message);
        }
    }

    fn wrong_type(&mut self, place: &Place, field: &str, item: &Item, expected: &str) {
        self.report(
            place,
            field,
            if item.is_value() {
                format!(
                    "expected {expected}, found {} ({})",
                    item.type_name(),
                    show(item)
                )
            } else {
                format!("expected {expected}, found {}", item.type_name())
            },
        );
    }

    /// A string field; `None` when absent or wrong (the latter reported).
    fn string(
        &mut self,
        table: &dyn TableLike,
        path: &str,
        key: &str,
        at: &Place,
    ) -> Option<(String, Place)> {
        let (k, item) = table.get_key_value(key)?;
        let place = Place::of(Some(k), Some(item)).or(at);
        let field = join(path, key);
        if let Some(s) = item.as_str() {
            Some((s.to_owned(), place))
        } else {
            self.wrong_type(&place, &field, item, "a string");
            None
        }
    }

    fn file(&mut self, root: &toml_edit::Table, source: &str) -> Option<PricingFile> {
        let top = Place { span: Some(0..0) };
        self.unknown_keys(root, "", TOP_KEYS, &top, "");

        let provider_id = if let Some((id, place)) = self.string(root, "", "provider_id", &top) {
            if id.trim().is_empty() {
                self.report(
                    &place,
                    "provider_id",
                    "provider_id is empty; set it to your provider id, e.g. \"acme\"".to_owned(),
                );
            } else if !crate::receipt::canonical::receipt_safe(&id) {
                self.report(
                        &place,
                        "provider_id",
                        format!("provider id {id:?} contains '|' or a control character, which would make receipts ambiguous"),
                    );
            }
            Some(id)
        } else {
            if root.get("provider_id").is_none() {
                self.report(&top, "provider_id", "missing required key provider_id; add e.g. provider_id = \"acme\" at the top of the file".to_owned());
            }
            None
        };

        let currency = match self.string(root, "", "currency", &top) {
            Some((c, place)) => {
                if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                    self.report(
                        &place,
                        "currency",
                        format!("currency {c:?} is not an ISO 4217 code; use 3 uppercase letters such as \"USD\" or \"EUR\""),
                    );
                }
                c
            }
            None => "USD".to_owned(),
        };

        let category = self.string(root, "", "category", &top).map(|(c, place)| {
            if c.trim().is_empty() || c.chars().any(char::is_control) {
                self.report(
                    &place,
                    "category",
                    format!("category {c:?} is empty or has control characters; use a short word such as \"search\" or remove the key"),
                );
            }
            c
        });

        let mut tools = Vec::new();
        if let Some((key, item)) = root.get_key_value("tools") {
            let place = Place::of(Some(key), Some(item));
            match item.as_table_like() {
                Some(table) => {
                    let names: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
                    for name in names {
                        let (tkey, titem) = table.get_key_value(&name).expect("key just listed");
                        let tplace = Place::key(tkey, &place);
                        let path = join("tools", &name);
                        if let Some(msg) = tool_id_problem(&name) {
                            self.report(&tplace, &path, msg);
                        }
                        match titem.as_table_like() {
                            Some(t) => {
                                if let Some(entry) = self.tool(t, &name, &path, &tplace, true) {
                                    tools.push(entry);
                                }
                            }
                            None => self.wrong_type(
                                &Place::of(Some(tkey), Some(titem)).or(&tplace),
                                &path,
                                titem,
                                &format!("a table [{path}] with pricing_model and prices"),
                            ),
                        }
                    }
                }
                None => self.wrong_type(
                    &place,
                    "tools",
                    item,
                    "a table of tools ([tools.NAME] sections)",
                ),
            }
        }

        let mut default = None;
        if let Some((key, item)) = root.get_key_value("default") {
            let place = Place::of(Some(key), Some(item));
            match item.as_table_like() {
                Some(t) => default = self.tool(t, "*", "default", &place, false).map(|e| e.price),
                None => self.wrong_type(
                    &place,
                    "default",
                    item,
                    "a table [default] with pricing_model and prices",
                ),
            }
        }

        Some(PricingFile {
            source: source.to_owned(),
            provider_id: provider_id?,
            currency,
            category,
            tools,
            default,
        })
    }

    fn price(
        &mut self,
        table: &dyn TableLike,
        path: &str,
        key: &str,
        at: &Place,
    ) -> Option<(Microcents, Place)> {
        let (k, item) = table.get_key_value(key)?;
        let place = Place::of(Some(k), Some(item)).or(at);
        let field = join(path, key);
        let allowed = "write dollars as a string (\"$0.05\") or an integer of microcents (50000)";
        match item.as_value() {
            Some(Value::String(s)) => match Microcents::parse(s.value()) {
                Ok(m) => Some((m, place)),
                Err(e) => {
                    self.report(&place, &field, e.to_string());
                    None
                }
            },
            Some(Value::Integer(i)) => {
                let v = *i.value();
                if v < 0 {
                    self.report(
                        &place,
                        &field,
                        format!("price {v} is negative; prices are never below zero"),
                    );
                    None
                } else {
                    Some((Microcents(v.unsigned_abs()), place))
                }
            }
            Some(Value::Float(_)) => {
                self.report(
                    &place,
                    &field,
                    format!(
                        "price {} is a float, which cannot hold money exactly; {allowed}",
                        show(item)
                    ),
                );
                None
            }
            _ => {
                self.wrong_type(&place, &field, item, &format!("a price; {allowed}"));
                None
            }
        }
    }

    fn count(&mut self, table: &dyn TableLike, path: &str, key: &str, at: &Place) -> Option<u64> {
        let (k, item) = table.get_key_value(key)?;
        let place = Place::of(Some(k), Some(item)).or(at);
        let field = join(path, key);
        match item.as_integer() {
            Some(v) if v >= 1 => Some(v.unsigned_abs()),
            Some(v) => {
                self.report(
                    &place,
                    &field,
                    format!(
                        "{key} is {v}; it must be at least 1 (remove the key for no free allowance)"
                    ),
                );
                None
            }
            None => {
                self.wrong_type(&place, &field, item, "a whole number of at least 1");
                None
            }
        }
    }

    fn record_mode(
        &mut self,
        table: &dyn TableLike,
        path: &str,
        key: &str,
        at: &Place,
    ) -> Option<RecordMode> {
        let (value, place) = self.string(table, path, key, at)?;
        let mode = RecordMode::parse(&value);
        if mode.is_none() {
            self.report(
                &place,
                &join(path, key),
                format!(
                    "unknown record mode {value:?}; {}allowed: {}",
                    did_you_mean(&value, RECORD_MODES),
                    RECORD_MODES.join(", ")
                ),
            );
        }
        mode
    }

    /// One `[tools.NAME]` or `[default]` table.
    fn tool(
        &mut self,
        t: &dyn TableLike,
        id: &str,
        path: &str,
        at: &Place,
        listed: bool,
    ) -> Option<ToolEntry> {
        let before = self.problems.len();
        let allowed = if listed { TOOL_KEYS } else { DEFAULT_KEYS };
        let extra = if listed {
            ""
        } else {
            "record modes are set per tool; "
        };
        self.unknown_keys(t, path, allowed, at, extra);

        let model = if let Some((m, place)) = self.string(t, path, "pricing_model", at) {
            let model = PricingModel::parse(&m);
            if model.is_none() {
                self.report(
                    &place,
                    &join(path, "pricing_model"),
                    format!(
                        "unknown pricing_model {m:?}; {}allowed: {}",
                        did_you_mean(&m, MODELS),
                        MODELS.join(", ")
                    ),
                );
            }
            model
        } else {
            if t.get("pricing_model").is_none() {
                self.report(
                        at,
                        &join(path, "pricing_model"),
                        format!("missing pricing_model; add pricing_model = \"per_call\", \"per_token\" or \"free\" to [{path}]"),
                    );
            }
            None
        };

        let per_call = self.price(t, path, "price_per_call", at);
        let per_in = self.price(t, path, "price_per_input_token", at);
        let per_out = self.price(t, path, "price_per_output_token", at);

        let tool_name = if listed {
            self.string(t, path, "tool_name", at).map(|(n, place)| {
                if n.trim().is_empty() || n.chars().any(char::is_control) {
                    self.report(
                        &place,
                        &join(path, "tool_name"),
                        format!("tool_name {n:?} is empty or has control characters"),
                    );
                }
                n
            })
        } else {
            None
        };
        let record_params = if listed {
            self.record_mode(t, path, "record_params", at)
        } else {
            None
        };
        let record_results = if listed {
            self.record_mode(t, path, "record_results", at)
        } else {
            None
        };

        let mut free_tier = None;
        if let Some((k, item)) = t.get_key_value("free_tier") {
            let place = Place::key(k, at);
            let tier_path = join(path, "free_tier");
            match item.as_table_like() {
                Some(ft) => {
                    self.unknown_keys(ft, &tier_path, FREE_TIER_KEYS, &place, "");
                    let calls = self.count(ft, &tier_path, "calls_per_month", &place);
                    let tokens = self.count(ft, &tier_path, "tokens_per_month", &place);
                    if ft.get("calls_per_month").is_none() && ft.get("tokens_per_month").is_none() {
                        self.report(
                            &place,
                            &tier_path,
                            "free_tier is empty; set calls_per_month and/or tokens_per_month, or remove it".to_owned(),
                        );
                    }
                    if let (Some(PricingModel::PerCall), Some((tk, _))) =
                        (model, ft.get_key_value("tokens_per_month"))
                    {
                        self.report(
                            &Place::key(tk, &place),
                            &join(&tier_path, "tokens_per_month"),
                            "tokens_per_month applies to per_token tools; a per_call tool can only have calls_per_month".to_owned(),
                        );
                    }
                    if model == Some(PricingModel::Free) {
                        self.report(
                            &place,
                            &tier_path,
                            "a free tool needs no free_tier; remove it".to_owned(),
                        );
                    }
                    free_tier = Some(FreeTier {
                        calls_per_month: calls,
                        tokens_per_month: tokens,
                    });
                }
                None => self.wrong_type(
                    &Place::of(Some(k), Some(item)).or(at),
                    &tier_path,
                    item,
                    "a table with calls_per_month and/or tokens_per_month",
                ),
            }
        }

        let price_keys = [
            ("price_per_call", &per_call),
            ("price_per_input_token", &per_in),
            ("price_per_output_token", &per_out),
        ];
        match model {
            Some(PricingModel::PerCall) => {
                if t.get("price_per_call").is_none() {
                    self.report(
                        at,
                        &join(path, "price_per_call"),
                        format!("a per_call tool needs price_per_call; add e.g. price_per_call = \"$0.05\" to [{path}]"),
                    );
                }
                self.misplaced(
                    t,
                    path,
                    at,
                    &["price_per_input_token", "price_per_output_token"],
                    "per_token",
                    "per_call",
                );
            }
            Some(PricingModel::PerToken) => {
                for key in ["price_per_input_token", "price_per_output_token"] {
                    if t.get(key).is_none() {
                        self.report(
                            at,
                            &join(path, key),
                            format!("a per_token tool needs {key}; add e.g. {key} = \"$0.00001\" (or 0) to [{path}]"),
                        );
                    }
                }
                self.misplaced(t, path, at, &["price_per_call"], "per_call", "per_token");
            }
            Some(PricingModel::Free) => {
                for (key, _) in price_keys {
                    if let Some((k, _)) = t.get_key_value(key) {
                        self.report(
                            &Place::key(k, at),
                            &join(path, key),
                            format!("a free tool has no prices; remove {key} or set pricing_model = \"per_call\" or \"per_token\""),
                        );
                    }
                }
            }
            None => {}
        }

        if self.problems.len() > before {
            return None;
        }
        let model = model?;
        let amount =
            |p: &Option<(Microcents, Place)>| p.as_ref().map_or(Microcents::ZERO, |(m, _)| *m);
        Some(ToolEntry {
            price: ToolPrice {
                tool_id: id.to_owned(),
                tool_name,
                model,
                per_call: amount(&per_call),
                per_input_token: amount(&per_in),
                per_output_token: amount(&per_out),
                free_tier,
            },
            record_params,
            record_results,
        })
    }

    fn misplaced(
        &mut self,
        t: &dyn TableLike,
        path: &str,
        at: &Place,
        keys: &[&str],
        belongs: &str,
        model: &str,
    ) {
        for key in keys {
            if let Some((k, _)) = t.get_key_value(key) {
                self.report(
                    &Place::key(k, at),
                    &join(path, key),
                    format!("{key} applies to {belongs} tools; this tool is {model} (remove the key or change pricing_model)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"provider_id = "acme"
category = "search"

[tools.search]
pricing_model = "per_call"
price_per_call = "$0.05"
record_params = "redacted"

[tools.search.free_tier]
calls_per_month = 100

[tools.summarize]
pricing_model = "per_token"
price_per_input_token = "$0.00001"
price_per_output_token = 30
free_tier = { tokens_per_month = 10000 }

[tools.ping]
pricing_model = "free"
"#;

    fn problems(text: &str) -> Vec<Problem> {
        PricingFile::parse(text, "p.toml").expect_err("expected problems")
    }

    #[test]
    fn parses_a_good_file() {
        let f = PricingFile::parse(GOOD, "p.toml").unwrap();
        assert_eq!(f.provider_id, "acme");
        assert_eq!(f.currency, "USD");
        assert_eq!(f.category.as_deref(), Some("search"));
        assert_eq!(f.tool_ids(), ["search", "summarize", "ping"]);
        let search = f.tool("search").unwrap();
        assert_eq!(search.price.per_call, Microcents(50_000));
        assert_eq!(search.record_params, Some(RecordMode::Redacted));
        assert_eq!(search.record_results, None);
        assert_eq!(search.price.free_tier.unwrap().calls_per_month, Some(100));
        let sum = f.price_for("summarize");
        assert_eq!(
            (sum.per_input_token, sum.per_output_token),
            (Microcents(10), Microcents(30))
        );
        assert_eq!(sum.free_tier.unwrap().tokens_per_month, Some(10_000));
        assert_eq!(f.price_for("unlisted"), ToolPrice::free("unlisted"));
        let decl = f.declarations();
        assert_eq!(decl.len(), 3);
        assert_eq!(decl[0].price_per_call_microcents, Some(50_000));
        assert_eq!(decl[1].price_per_output_token_microcents, Some(30));
        assert_eq!(decl[2].pricing_model, PricingModel::Free);
    }

    #[test]
    fn default_prices_unlisted_tools() {
        let f = PricingFile::parse(
            "provider_id = \"a\"\ncurrency = \"EUR\"\n[default]\npricing_model = \"per_call\"\nprice_per_call = 7\n",
            "x",
        )
        .unwrap();
        let p = f.price_for("anything");
        assert_eq!(
            (p.tool_id.as_str(), p.model, p.per_call),
            ("anything", PricingModel::PerCall, Microcents(7))
        );
        assert!(f.tool("anything").is_none());
        assert!(f.declarations().is_empty());
        assert_eq!(f.currency, "EUR");
    }

    #[test]
    fn reports_every_problem_with_position() {
        let text = r#"provider_id = ""
currency = "usd"
colour = "red"

[tools.search]
pricing_model = "per-call"
price_per_cal = "$0.05"

[tools.sum]
pricing_model = "per_token"
price_per_input_token = -3
price_per_call = "$0.0000001"
record_results = "everything"

[tools.ping]
pricing_model = "free"
price_per_call = 5.0

[tools.ping.free_tier]
calls_per_month = 0
"#;
        let p = problems(text);
        let found: Vec<(usize, usize, &str)> = p
            .iter()
            .map(|p| (p.line, p.column, p.field.as_str()))
            .collect();
        assert!(found.contains(&(1, 15, "provider_id")), "{found:?}");
        assert!(found.contains(&(2, 12, "currency")), "{found:?}");
        assert!(found.contains(&(3, 1, "colour")), "{found:?}");
        assert!(
            found.contains(&(6, 17, "tools.search.pricing_model")),
            "{found:?}"
        );
        assert!(
            found.contains(&(7, 1, "tools.search.price_per_cal")),
            "{found:?}"
        );
        assert!(
            found.contains(&(11, 25, "tools.sum.price_per_input_token")),
            "{found:?}"
        );
        assert!(
            found.contains(&(12, 18, "tools.sum.price_per_call")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|f| f.2 == "tools.sum.price_per_output_token"),
            "{found:?}"
        );
        assert!(
            found.contains(&(13, 18, "tools.sum.record_results")),
            "{found:?}"
        );
        assert!(
            found.contains(&(17, 18, "tools.ping.price_per_call")),
            "{found:?}"
        );
        assert!(
            found.contains(&(20, 19, "tools.ping.free_tier.calls_per_month")),
            "{found:?}"
        );
        let typo = p
            .iter()
            .find(|p| p.field == "tools.search.pricing_model")
            .unwrap();
        assert!(
            typo.message.contains("did you mean 'per_call'"),
            "{}",
            typo.message
        );
        let key = p
            .iter()
            .find(|p| p.field == "tools.search.price_per_cal")
            .unwrap();
        assert!(
            key.message.contains("did you mean 'price_per_call'"),
            "{}",
            key.message
        );
        let sorted = p
            .windows(2)
            .all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column));
        assert!(sorted);
    }

    #[test]
    fn syntax_error_is_one_located_problem() {
        let p = problems("provider_id = \"a\"\n[tools.x\n");
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].line, p[0].field.as_str()), (2, ""));
        assert!(
            p[0].message.starts_with("not valid TOML"),
            "{}",
            p[0].message
        );
        assert!(!p[0].message.contains("JSON"), "{}", p[0].message);
        // agents.json given for the pricing file: said so.
        let p = problems("{\n  \"schema_version\": \"mcp-billing-v1\"\n}\n");
        assert!(p[0].message.contains("this is JSON"), "{}", p[0].message);
    }

    #[test]
    fn empty_file_needs_a_provider() {
        let p = problems("");
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].line, p[0].column, p[0].field.as_str()),
            (1, 1, "provider_id")
        );
    }

    #[test]
    fn bad_tool_ids_and_model_mismatches() {
        let text = "provider_id = \"a\"\n[tools.\"a|b\"]\npricing_model = \"free\"\n[tools.\"\"]\npricing_model = \"free\"\n\
[tools.t]\npricing_model = \"per_call\"\nprice_per_call = 1\nprice_per_output_token = 1\nfree_tier = { tokens_per_month = 5 }\n\
[tools.u]\npricing_model = \"per_call\"\n[tools.v]\npricing_model = 3\n";
        let p = problems(text);
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"tools.\"a|b\""), "{fields:?}");
        assert!(fields.contains(&"tools.\"\""), "{fields:?}");
        assert!(
            fields.contains(&"tools.t.price_per_output_token"),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"tools.t.free_tier.tokens_per_month"),
            "{fields:?}"
        );
        assert!(fields.contains(&"tools.u.price_per_call"), "{fields:?}");
        let v = p
            .iter()
            .find(|p| p.field == "tools.v.pricing_model")
            .unwrap();
        assert!(
            v.message.contains("expected a string, found integer"),
            "{}",
            v.message
        );
    }

    #[test]
    fn summary_is_one_line() {
        let p = problems("provider_id = 3\ncurrency = \"x\"\n");
        let s = invalid_summary("p.toml", &p);
        assert!(!s.contains('\n'));
        assert!(s.starts_with("pricing file 'p.toml' is invalid: 2 problems; run 'mcpbill pricing validate p.toml' (first: line 1, column 15: provider_id: "), "{s}");
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("per-token", MODELS), Some("per_token"));
        assert_eq!(suggest("PerCall", MODELS), Some("per_call"));
        assert_eq!(suggest("redact", RECORD_MODES), Some("redacted"));
        assert_eq!(suggest("zzzzzzzz", MODELS), None);
    }

    /// `line_cols` agrees with counting from the start of the text for every offset
    /// (inside multi-byte characters, past the end, repeated, in any order).
    #[test]
    fn line_cols_locates_every_offset() {
        let text = "a = 1\n\n[t.\u{e9}t\u{e9}]\r\nk = \"\u{1f600}x\"\nlast";
        let naive = |offset: usize| {
            let mut end = offset.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let before = &text[..end];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (
                before.matches('\n').count() + 1,
                before[line_start..].chars().count() + 1,
            )
        };
        // Descending, then ascending, with every offset twice and some past the end.
        let mut offsets: Vec<usize> = (0..text.len() + 3).rev().collect();
        offsets.extend(0..text.len() + 3);
        let found = line_cols(text, &offsets);
        for (offset, at) in offsets.iter().zip(&found) {
            assert_eq!(*at, naive(*offset), "offset {offset}");
        }
        assert_eq!(found[0], (5, 5), "past the end is the end");
        assert!(line_cols(text, &[]).is_empty());
        assert_eq!(line_cols("", &[0, 7]), vec![(1, 1), (1, 1)]);
    }

    /// Many problems on one line (inline tables) and on many lines are each located.
    #[test]
    fn many_problems_are_each_located() {
        use std::fmt::Write as _;
        let n = 500;
        // The texts, and where each tool's "-I" starts (line, column; all ASCII).
        let mut one_line = String::from("provider_id = \"a\"\ntools = { ");
        let mut one_line_at = Vec::new();
        let mut many_lines = String::from("provider_id = \"a\"\n");
        let mut many_lines_at = Vec::new();
        for i in 1..=n {
            if i > 1 {
                one_line.push_str(", ");
            }
            let _ = write!(
                one_line,
                "t{i} = {{ pricing_model = \"per_call\", price_per_call = "
            );
            one_line_at.push((2, one_line.len() - one_line.find('\n').unwrap()));
            let _ = write!(one_line, "-{i} }}");
            let _ = write!(
                many_lines,
                "[tools.t{i}]\npricing_model = \"per_call\"\nprice_per_call = -{i}\n"
            );
            many_lines_at.push((3 * i + 1, 18));
        }
        one_line.push_str(" }\n");
        for (text, at) in [(one_line, one_line_at), (many_lines, many_lines_at)] {
            let p = problems(&text);
            let found: Vec<(usize, usize, &str)> = p
                .iter()
                .map(|p| (p.line, p.column, p.field.as_str()))
                .collect();
            let fields: Vec<String> = (1..=n)
                .map(|i| format!("tools.t{i}.price_per_call"))
                .collect();
            let want: Vec<(usize, usize, &str)> = at
                .iter()
                .zip(&fields)
                .map(|(&(line, column), field)| (line, column, field.as_str()))
                .collect();
            assert_eq!(found, want);
        }
    }

    /// Every single-character deletion or substitution of a valid file either parses
    /// or yields located problems; nothing panics.
    #[test]
    fn mutations_never_panic() {
        let text = format!("{GOOD}[default]\npricing_model = \"per_call\"\nprice_per_call = 1\n");
        let chars: Vec<char> = text.chars().collect();
        let mut invalid = 0;
        for i in 0..chars.len() {
            for replacement in [
                None,
                Some('"'),
                Some('['),
                Some('-'),
                Some('\u{7}'),
                Some('9'),
            ] {
                let mut mutated: String = chars[..i].iter().collect();
                if let Some(c) = replacement {
                    mutated.push(c);
                }
                mutated.extend(&chars[i + 1..]);
                if let Err(problems) = PricingFile::parse(&mutated, "m") {
                    invalid += 1;
                    assert!(!problems.is_empty());
                    let lines = mutated.lines().count().max(1) + 1;
                    for p in &problems {
                        assert!(p.line >= 1 && p.line <= lines && p.column >= 1, "{p:?}");
                        assert!(!p.message.is_empty() && !p.message.contains('\n'), "{p:?}");
                    }
                }
            }
        }
        assert!(
            invalid > chars.len(),
            "mutations should mostly break the file"
        );
    }
}

//! JSON-RPC lines as the shim sees them: classification by field presence on a parsed
//! copy, exact id keys, server-reported metering, and the only two rewrites the shim
//! ever makes (adding `_meta` entries to a `tools/call` request and to its result).

use std::borrow::Cow;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::pricing::Usage;
use crate::receipt::borrowed::Json;

/// The method metered by the shim.
pub const TOOLS_CALL: &str = "tools/call";
/// The cancellation notification.
pub const CANCELLED: &str = "notifications/cancelled";
/// A task's state, asked for by its requestor (task-augmented calls: MCP 2025-11-25 tasks
/// and the Tasks extension of protocol 2026-07-28).
pub const TASKS_GET: &str = "tasks/get";
/// A finished task's result (2025-11-25 tasks).
pub const TASKS_RESULT: &str = "tasks/result";
/// A task cancelled by its requestor.
pub const TASKS_CANCEL: &str = "tasks/cancel";
/// A task's new status, from its receiver (2025-11-25 tasks).
pub const TASK_STATUS: &str = "notifications/tasks/status";
/// A task's new state, from its receiver (the Tasks extension).
pub const TASK_STATUS_EXT: &str = "notifications/tasks";

/// The part of a line that is parsed: without the line break, a `\r` and a UTF-8 BOM.
pub fn payload(line: &[u8]) -> &[u8] {
    let mut p = line.strip_suffix(b"\n").unwrap_or(line);
    p = p.strip_suffix(b"\r").unwrap_or(p);
    p.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(p)
}

/// The bytes around the payload: a BOM before it and the line break after it, kept
/// when a message is rewritten.
pub fn frame_of(line: &[u8]) -> (&[u8], &[u8]) {
    let p = payload(line);
    let start = p.as_ptr() as usize - line.as_ptr() as usize;
    (&line[..start], &line[start + p.len()..])
}

/// The fields that classify a message; every other field is skipped unparsed.
#[derive(Debug, Deserialize)]
pub struct Probe<'a> {
    /// `method` (requests and notifications).
    #[serde(borrow, default)]
    pub method: Option<Cow<'a, str>>,
    /// `id` (requests and responses); `null` reads as absent.
    #[serde(borrow, default)]
    pub id: Option<&'a RawValue>,
    /// `params`, raw.
    #[serde(borrow, default)]
    pub params: Option<&'a RawValue>,
    /// `result`, raw (`null` too: a result can be any value).
    #[serde(borrow, default, deserialize_with = "present")]
    pub result: Option<&'a RawValue>,
    /// `error`, raw (`null` too, so a malformed answer still settles its call).
    #[serde(borrow, default, deserialize_with = "present")]
    pub error: Option<&'a RawValue>,
}

/// What one JSON-RPC message is.
#[derive(Debug)]
pub enum Kind<'a> {
    /// `method` and an `id`.
    Request {
        /// The method.
        method: Cow<'a, str>,
        /// The id, raw.
        id: &'a RawValue,
        /// The params, raw.
        params: Option<&'a RawValue>,
    },
    /// `method` without an `id`.
    Notification {
        /// The method.
        method: Cow<'a, str>,
        /// The params, raw.
        params: Option<&'a RawValue>,
    },
    /// `result` or `error` with an `id`.
    Response {
        /// The id, raw.
        id: &'a RawValue,
        /// The result, raw.
        result: Option<&'a RawValue>,
        /// The error, raw.
        error: Option<&'a RawValue>,
    },
    /// Anything else (still forwarded untouched).
    Other,
}

impl<'a> Probe<'a> {
    /// Classify by field presence.
    pub fn kind(&self) -> Kind<'a> {
        match (&self.method, self.id) {
            (Some(m), Some(id)) => Kind::Request {
                method: m.clone(),
                id,
                params: self.params,
            },
            (Some(m), None) => Kind::Notification {
                method: m.clone(),
                params: self.params,
            },
            (None, Some(id)) if self.result.is_some() || self.error.is_some() => Kind::Response {
                id,
                result: self.result,
                error: self.error,
            },
            _ => Kind::Other,
        }
    }
}

/// A parsed line: one message, a batch, or not JSON-RPC at all.
pub enum Parsed<'a> {
    /// One JSON object, and the payload as the text it was checked to be.
    Single(Probe<'a>, &'a str),
    /// A JSON array (a JSON-RPC batch) of raw elements.
    Batch(Vec<&'a RawValue>),
    /// Not JSON, not UTF-8, or not an object or array.
    Opaque,
}

/// Parse a payload (see [`payload`]) enough to classify it.
pub fn parse(payload: &[u8]) -> Parsed<'_> {
    // JSON text is UTF-8; serde_json would skip unchecked bytes inside ignored strings.
    // Checked once here: the callers splice into the same text.
    let Ok(text) = std::str::from_utf8(payload) else {
        return Parsed::Opaque;
    };
    match text.bytes().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => serde_json::from_str::<Probe>(text)
            .map_or(Parsed::Opaque, |probe| Parsed::Single(probe, text)),
        Some(b'[') => {
            serde_json::from_str::<Vec<&RawValue>>(text).map_or(Parsed::Opaque, Parsed::Batch)
        }
        _ => Parsed::Opaque,
    }
}

/// What every reading of a message's top level says, repeated keys included (the probe
/// refuses a message with a repeated key, and peers differ on which copy counts).
#[derive(Debug, Default)]
pub struct Readings {
    /// Some `method` member is `tools/call`.
    pub calls_tool: bool,
    /// Some `method` member asks about a task ([`is_task_request`]).
    pub asks_task: bool,
    /// Some `id` member is present (`null` included).
    pub has_id: bool,
    /// The keys ([`id_key`]) of every `id` member.
    pub id_keys: Vec<String>,
    /// Every `id` member as written.
    pub raw_ids: Vec<Box<RawValue>>,
    /// Some `method` member is present.
    pub has_method: bool,
    /// Some `result` or `error` member is present.
    pub answers: bool,
}

/// Read the top-level members of a JSON object's text; `None` when it is not one.
pub fn readings(text: &str) -> Option<Readings> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Readings;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Readings, A::Error> {
            let mut r = Readings::default();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                match key.as_ref() {
                    "method" => {
                        let m = map.next_value::<Value>()?;
                        r.calls_tool |= m.as_str() == Some(TOOLS_CALL);
                        r.asks_task |= m.as_str().is_some_and(is_task_request);
                        r.has_method = true;
                    }
                    "id" => {
                        let id = map.next_value::<&RawValue>()?;
                        r.id_keys.extend(id_key(id));
                        r.raw_ids.push(id.to_owned());
                        r.has_id = true;
                    }
                    "result" | "error" => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        r.answers = true;
                    }
                    _ => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
            }
            Ok(r)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let r = serde::Deserializer::deserialize_map(&mut de, V).ok()?;
    de.end().ok()?;
    Some(r)
}

/// Parse one batch element.
pub fn probe(raw: &RawValue) -> Option<Probe<'_>> {
    serde_json::from_str(raw.get()).ok()
}

/// The key a JSON-RPC id is matched by: its normalised JSON text, so `1` and `"1"`
/// differ and a string's escapes do not matter. `None` when the id is neither a
/// number nor a string.
pub fn id_key(raw: &RawValue) -> Option<String> {
    // The common ids are already in normal form: a string without escapes, or an integer.
    let text = raw.get();
    match text.as_bytes().first()? {
        b'"' if !text.contains('\\') => Some(text.to_owned()),
        b'"' => serde_json::to_string(&serde_json::from_str::<String>(text).ok()?).ok(),
        b'-' | b'0'..=b'9' => number_key(text),
        _ => None,
    }
}

/// The key of a JSON number (valid JSON number text): an integer is its exact digits, however
/// long (`-0` is `0`); a number with a fraction or an exponent is its value, written as an
/// integer when it is a small one (a server may answer `1` to `1.0`). `None` for a value
/// beyond a double (`1e400`), which no two peers would read alike.
fn number_key(text: &str) -> Option<String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.bytes().all(|c| c.is_ascii_digit()) {
        if digits.bytes().all(|c| c == b'0') {
            return Some("0".to_owned());
        }
        return Some(text.to_owned());
    }
    let f: f64 = text.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Some((f as i64).to_string());
    }
    serde_json::to_string(&f).ok()
}

/// An id as the event records it: its JSON value, except an integer too long for 64 bits,
/// which a JSON number here would round: that one is kept as its digits, in a string.
pub fn id_value(raw: &RawValue) -> Value {
    let text = raw.get();
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let integer = text
        .strip_prefix('-')
        .unwrap_or(text)
        .bytes()
        .all(|c| c.is_ascii_digit());
    match v {
        // `-0`, which reads as a float.
        Value::Number(n) if integer && n.as_f64() == Some(0.0) => Value::from(0),
        Value::Number(n) if integer && n.is_f64() => Value::String(text.to_owned()),
        other => other,
    }
}

/// The params of a `tools/call` request, borrowed from the line: the arguments stay
/// raw text (recorded and hashed after the request was forwarded).
#[derive(Debug, Deserialize)]
pub struct CallParams<'a> {
    /// The tool name.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// The arguments (absent or `null` means none).
    #[serde(borrow, default)]
    pub arguments: Option<&'a RawValue>,
    /// The request's `_meta` (`Some(Value::Null)` when present as `null`).
    #[serde(default, rename = "_meta", deserialize_with = "present_value")]
    pub meta: Option<Value>,
    /// `task`: the client asks for task-augmented execution (2025-11-25 tasks).
    #[serde(borrow, default)]
    pub task: Option<&'a RawValue>,
    /// `requestState`: the state an `input_required` answer gave, sent back with the
    /// call's next round (protocol 2026-07-28).
    #[serde(borrow, default, rename = "requestState")]
    pub request_state: Option<Cow<'a, str>>,
}

impl<'a> CallParams<'a> {
    /// Read the params of a `tools/call` request.
    pub fn read(params: Option<&'a RawValue>) -> Option<Self> {
        serde_json::from_str(params?.get()).ok()
    }

    /// The client's name in this request's own `_meta` (protocol 2026-07-28 requests carry
    /// `clientInfo` there), fit to be an agent id.
    pub fn client_name(&self) -> Option<String> {
        let info = self.meta.as_ref()?.get(CLIENT_INFO_META)?;
        agent_name(info.get("name")?.as_str()?)
    }

    /// A request id the client already sent in `_meta` (`mcpbill/request_id`, or the
    /// MMCP `mmcp/request`), when it is a short printable string.
    pub fn client_request_id(&self) -> Option<String> {
        let meta = self.meta.as_ref()?.as_object()?;
        ["mcpbill/request_id", "mmcp/request"]
            .iter()
            .filter_map(|k| meta.get(*k)?.as_str())
            .find(|s| !s.is_empty() && s.len() <= 128 && !s.chars().any(char::is_control))
            .map(str::to_owned)
    }
}

/// The `_meta` key under which protocol 2026-07-28 requests carry the client's
/// `clientInfo` (every request does; `server/discover` has no `params.clientInfo`).
pub const CLIENT_INFO_META: &str = "io.modelcontextprotocol/clientInfo";

/// The client's name from an `initialize` or `server/discover` request: its
/// `params.clientInfo.name`, else `params._meta["io.modelcontextprotocol/clientInfo"].name`
/// (protocol 2026-07-28), made fit to be an agent id (see [`agent_name`]).
pub fn client_name(params: Option<&RawValue>) -> Option<String> {
    #[derive(Deserialize)]
    struct Info {
        name: String,
    }
    #[derive(Deserialize)]
    struct Meta {
        #[serde(rename = "io.modelcontextprotocol/clientInfo")]
        client_info: Option<Info>,
    }
    #[derive(Deserialize)]
    struct P {
        #[serde(rename = "clientInfo")]
        client_info: Option<Info>,
        #[serde(rename = "_meta")]
        meta: Option<Meta>,
    }
    let p: P = serde_json::from_str(params?.get()).ok()?;
    let info = p.client_info.or_else(|| p.meta?.client_info)?;
    agent_name(&info.name)
}

/// A client's name as an agent id: `|` and control characters become `_` (the agent id
/// is a signed receipt field, and either would make receipts unsignable); `None` when
/// empty or longer than 256 bytes.
pub fn agent_name(name: &str) -> Option<String> {
    let name: String = name
        .chars()
        .map(|c| if c == '|' || c.is_control() { '_' } else { c })
        .collect();
    (!name.is_empty() && name.len() <= 256).then_some(name)
}

/// `params.requestId` of a `notifications/cancelled`, as an id key.
pub fn cancelled_request(params: Option<&RawValue>) -> Option<String> {
    #[derive(Deserialize)]
    struct P<'a> {
        #[serde(rename = "requestId", borrow)]
        request_id: &'a RawValue,
    }
    let p: P = serde_json::from_str(params?.get()).ok()?;
    id_key(p.request_id)
}

/// A request whose answer may bring a task's outcome: `tasks/get`, `tasks/result` or
/// `tasks/cancel`.
pub fn is_task_request(method: &str) -> bool {
    matches!(method, TASKS_GET | TASKS_RESULT | TASKS_CANCEL)
}

/// `params.taskId` of a `tasks/*` request.
pub fn task_ref(params: Option<&RawValue>) -> Option<String> {
    #[derive(Deserialize)]
    struct P<'a> {
        #[serde(rename = "taskId", borrow)]
        task_id: Cow<'a, str>,
    }
    let p: P = serde_json::from_str(params?.get()).ok()?;
    Some(p.task_id.into_owned())
}

/// The task a `tools/call` answer created instead of giving the tool's result:
/// `result.task.taskId` (2025-11-25 tasks, only when the request asked for a task), or
/// `result.taskId` beside `"resultType": "task"` (the Tasks extension).
pub fn created_task<'a>(result: &'a Json<'_>, requested: bool) -> Option<&'a str> {
    if requested && let Some(id) = result.get("task").and_then(|t| t.get("taskId")?.as_str()) {
        return Some(id);
    }
    if result.get("resultType").and_then(Json::as_str) == Some("task") {
        return result.get("taskId")?.as_str();
    }
    None
}

/// How long the server keeps the task a `tools/call` answer created ([`created_task`]):
/// `result.task.ttl` (2025-11-25 tasks) or `result.ttlMs` (the Tasks extension), in
/// milliseconds; `None` when unlimited or not said.
pub fn created_task_ttl(result: &Json<'_>) -> Option<std::time::Duration> {
    let ttl = match result.get("task") {
        Some(task) => task.get("ttl"),
        None => result.get("ttlMs"),
    };
    match ttl? {
        Json::Number(n) => n.as_u64().map(std::time::Duration::from_millis),
        _ => None,
    }
}

/// A task's state, as a `tasks/get` or `tasks/cancel` result or a status notification's
/// params carry it: its id and status and, in the Tasks extension, the finished call's
/// result (`completed`) or error (`failed`).
#[derive(Debug, Deserialize)]
pub struct TaskState<'a> {
    /// `taskId`.
    #[serde(rename = "taskId", borrow)]
    pub task_id: Cow<'a, str>,
    /// `status`: `working`, `input_required`, `completed`, `failed` or `cancelled`.
    #[serde(borrow)]
    pub status: Cow<'a, str>,
    /// The call's result, once completed (the Tasks extension).
    #[serde(borrow, default)]
    pub result: Option<&'a RawValue>,
    /// The call's error, once failed (the Tasks extension).
    #[serde(borrow, default)]
    pub error: Option<&'a RawValue>,
}

impl<'a> TaskState<'a> {
    /// Read a task's state; `None` when `raw` is not one (or repeats one of these keys).
    pub fn read(raw: Option<&'a RawValue>) -> Option<Self> {
        serde_json::from_str(raw?.get()).ok()
    }
}

/// Tokens a server reported in a result's `_meta`: `"mmcp/metering": "request=1, token=345"`
/// (a bare `token` count is billed as output tokens; `input_token`/`output_token` split it)
/// or `"usage": {"input_tokens": N, "output_tokens": M}`. `Ok(None)` when neither is there;
/// an error saying why when a count is there but is not a whole number of tokens (`1.5`,
/// `-1`, `"7"`; `25.0` is 25), or the MMCP text names one count twice: billing any reading
/// of it would be a guess.
pub fn reported_usage(result: &Json<'_>) -> Result<Option<Usage>, String> {
    let Some(Json::Object(_)) = result.get("_meta") else {
        return Ok(None);
    };
    let Some(meta) = result.get("_meta").map(Json::to_value) else {
        return Ok(None);
    };
    let Some(meta) = meta.as_object() else {
        return Ok(None);
    };
    if let Some(usage) = meta.get("usage").and_then(Value::as_object) {
        let count = |name: &str| -> Result<Option<u64>, String> {
            match usage.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => token_count(v)
                    .map(Some)
                    .ok_or_else(|| format!("usage.{name} is {v}, not a whole number of tokens")),
            }
        };
        let (input, output) = (count("input_tokens")?, count("output_tokens")?);
        if input.is_some() || output.is_some() {
            return Ok(Some(Usage {
                input_tokens: input.unwrap_or(0),
                output_tokens: output.unwrap_or(0),
            }));
        }
    }
    let Some(header) = meta.get("mmcp/metering").and_then(Value::as_str) else {
        return Ok(None);
    };
    parse_metering(header)
}

/// A token count as JSON: a whole number from 0 up, also written with a zero fraction.
fn token_count(v: &Value) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let f = v.as_f64()?;
    // Below 2^53 every whole f64 is exact.
    (f.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&f)).then_some(f as u64)
}

/// Parse the MMCP metering syntax (`request=1, token=345`); `Ok(None)` when it names no
/// tokens. A token count that is not a whole number, one named twice, or a bare `token`
/// beside `output_token` is an error saying so.
pub fn parse_metering(header: &str) -> Result<Option<Usage>, String> {
    let mut input: Option<u64> = None;
    let mut output: Option<(u64, &str)> = None;
    for part in header.split([',', ';']) {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let name = k.trim();
        let slot_is_input = match name.to_ascii_lowercase().as_str() {
            "token" | "tokens" | "output_token" | "output_tokens" => false,
            "input_token" | "input_tokens" => true,
            _ => continue,
        };
        let Ok(n) = v.trim().parse::<u64>() else {
            return Err(format!(
                "mmcp/metering gives {name}={}, not a whole number of tokens",
                v.trim()
            ));
        };
        if slot_is_input {
            if input.replace(n).is_some() {
                return Err(format!(
                    "mmcp/metering names the input tokens twice ('{header}')"
                ));
            }
        } else if let Some((_, first)) = output.replace((n, name)) {
            return Err(format!(
                "mmcp/metering names the output tokens twice ({first} and {name})"
            ));
        }
    }
    if input.is_none() && output.is_none() {
        return Ok(None);
    }
    // A bare `token` is the call's count; beside an input count it could be the total (of
    // which the input is a part) or the output: neither reading is billed.
    if let (Some(i), Some((o, name))) = (input, output)
        && matches!(name.to_ascii_lowercase().as_str(), "token" | "tokens")
    {
        return Err(format!(
            "mmcp/metering gives {name}={o} beside input tokens ({i}): a bare {name} may be the total or the output; report output_tokens instead"
        ));
    }
    Ok(Some(Usage {
        input_tokens: input.unwrap_or(0),
        output_tokens: output.map_or(0, |(n, _)| n),
    }))
}

/// A JSON-RPC error's code and message.
pub fn error_fields(error: &RawValue) -> (Option<i64>, Option<String>) {
    let v: Value = serde_json::from_str(error.get()).unwrap_or(Value::Null);
    (
        v.get("code").and_then(Value::as_i64),
        v.get("message").and_then(Value::as_str).map(str::to_owned),
    )
}

type RawMap = IndexMap<String, Box<RawValue>>;

fn raw(v: &impl serde::Serialize) -> Option<Box<RawValue>> {
    serde_json::value::to_raw_value(v).ok()
}

/// Insert `entries` (each value as its JSON text) into `obj[field]._meta`, creating `_meta`
/// when absent, keeping every other member's text and the key order. Only the objects on
/// the path are re-serialized; everything below them stays byte for byte. `None` when the
/// shape does not allow it (then the message is forwarded unchanged).
fn insert_meta_raw(message: &str, field: &str, entries: &[(&str, &str)]) -> Option<String> {
    let mut top: RawMap = serde_json::from_str(message).ok()?;
    let inner_raw = top.get(field)?;
    let mut inner: RawMap = serde_json::from_str(inner_raw.get()).ok()?;
    let mut meta: RawMap = match inner.get("_meta") {
        Some(m) => serde_json::from_str(m.get()).ok()?,
        None => RawMap::new(),
    };
    for (k, v) in entries {
        meta.insert(
            (*k).to_owned(),
            RawValue::from_string((*v).to_owned()).ok()?,
        );
    }
    inner.insert("_meta".to_owned(), raw(&meta)?);
    top.insert(field.to_owned(), raw(&inner)?);
    serde_json::to_string(&top).ok()
}

/// Insert `entries` (each value as its JSON text, which must be valid JSON: the shim
/// passes text it serialized itself) into `inner._meta`, where `inner` is the raw
/// `params` or `result` object borrowed from `message`: the entries are spliced in before
/// the closing brace of `_meta` (or a new `_meta` member before the closing brace of
/// `inner`), so every other byte of the message stays as it was. Falls back to
/// re-serializing the path when the shape is unusual (no object, `_meta` null or not an
/// object).
pub fn splice_meta_raw(
    message: &str,
    inner: Option<&RawValue>,
    field: &str,
    entries: &[(&str, &str)],
) -> Option<String> {
    splice_meta_known(message, inner, field, entries, false)
}

/// [`splice_meta_raw`] for a caller that already parsed `inner` and knows it has no
/// `_meta` member (`meta_absent`): the entries then go in as a new `_meta` without
/// scanning `inner` again.
pub fn splice_meta_known(
    message: &str,
    inner: Option<&RawValue>,
    field: &str,
    entries: &[(&str, &str)],
    meta_absent: bool,
) -> Option<String> {
    inner
        .and_then(|inner| try_splice(message, inner, entries, meta_absent))
        .or_else(|| insert_meta_raw(message, field, entries))
}

/// [`splice_meta_known`] without its fallback: `None` when `inner` cannot take the
/// entries in place (`_meta` is `null` or not an object), where the fallback would put
/// them into the message's `field` instead of into `inner` (a result nested deeper).
pub fn splice_meta_in_place(
    message: &str,
    inner: &RawValue,
    entries: &[(&str, &str)],
    meta_absent: bool,
) -> Option<String> {
    try_splice(message, inner, entries, meta_absent)
}

/// Whether a JSON-RPC error code is about the request itself (parse error, invalid
/// request, unknown method, invalid params) rather than about what it asked for.
pub fn is_request_error(code: Option<i64>) -> bool {
    matches!(code, Some(-32700 | -32600 | -32601 | -32602))
}

#[derive(Deserialize)]
struct MetaOf<'a> {
    /// `Some` whenever `_meta` is present, even as `null`.
    #[serde(rename = "_meta", borrow, default, deserialize_with = "present")]
    meta: Option<&'a RawValue>,
}

fn present_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// The byte offset of `part` inside `whole`, when it is a sub-slice of it.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

fn try_splice(
    message: &str,
    inner: &RawValue,
    entries: &[(&str, &str)],
    meta_absent: bool,
) -> Option<String> {
    let obj = inner.get();
    if !obj.starts_with('{') || !obj.ends_with('}') {
        return None;
    }
    let obj_at = offset_in(message, obj)?;
    let meta = if meta_absent {
        None
    } else {
        serde_json::from_str::<MetaOf>(obj).ok()?.meta
    };
    // Where the new members go (before a closing brace), and what opens them.
    let (at, open) = if let Some(m) = meta {
        let m_text = m.get();
        if !m_text.starts_with('{') || !m_text.ends_with('}') {
            return None;
        }
        let m_at = obj_at + offset_in(obj, m_text)?;
        if holds_any_key(m_text, entries) {
            // The peer already wrote one of these keys (a spoof, or a shim in front): the
            // entries replace it rather than stand beside it as a repeated key.
            return replace_meta(message, m_at, m_text, entries);
        }
        let empty = m_text[1..m_text.len() - 1].trim().is_empty();
        (m_at + m_text.len() - 1, if empty { "" } else { "," })
    } else {
        let empty = obj[1..obj.len() - 1].trim().is_empty();
        (
            obj_at + obj.len() - 1,
            if empty { "\"_meta\":{" } else { ",\"_meta\":{" },
        )
    };
    let added: usize = entries.iter().map(|(k, v)| k.len() + v.len() + 8).sum();
    let mut out = String::with_capacity(message.len() + open.len() + added + 1);
    out.push_str(&message[..at]);
    out.push_str(open);
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(k).ok()?);
        out.push(':');
        out.push_str(v);
    }
    if meta.is_none() {
        out.push('}');
    }
    out.push_str(&message[at..]);
    Some(out)
}

/// Whether the `_meta` object's text has a member named like one of `entries`, in any
/// spelling (`"mcpbill\/agent_id"` is `"mcpbill/agent_id"` to every reader).
fn holds_any_key(m_text: &str, entries: &[(&str, &str)]) -> bool {
    if !m_text.contains('\\') {
        return entries.iter().any(|(k, _)| m_text.contains(k));
    }
    serde_json::from_str::<RawMap>(m_text)
        .is_ok_and(|members| members.keys().any(|k| entries.iter().any(|(e, _)| e == k)))
}

/// `message` with its `_meta` object (at `m_at`, text `m_text`) written again: its members
/// in order, without any of `entries`' keys, then `entries`.
fn replace_meta(
    message: &str,
    m_at: usize,
    m_text: &str,
    entries: &[(&str, &str)],
) -> Option<String> {
    let members: RawMap = serde_json::from_str(m_text).ok()?;
    let mut meta = String::with_capacity(m_text.len() + 64);
    meta.push('{');
    let kept = members
        .iter()
        .filter(|(k, _)| !entries.iter().any(|(e, _)| e == k))
        .map(|(k, v)| (k.as_str(), v.get()));
    for (k, v) in kept.chain(entries.iter().copied()) {
        if meta.len() > 1 {
            meta.push(',');
        }
        meta.push_str(&serde_json::to_string(k).ok()?);
        meta.push(':');
        meta.push_str(v);
    }
    meta.push('}');
    let mut out = String::with_capacity(message.len() + meta.len());
    out.push_str(&message[..m_at]);
    out.push_str(&meta);
    out.push_str(&message[m_at + m_text.len()..]);
    Some(out)
}

/// A JSON-RPC error response the shim sends itself. `id` is the request's id as it was
/// written (a `RawValue`, so a long integer comes back digit for digit), or a `Value`.
pub fn error_response<I: serde::Serialize + ?Sized>(
    id: &I,
    code: i64,
    message: &str,
    data: Value,
) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Response<'a, I: serde::Serialize + ?Sized> {
        jsonrpc: &'static str,
        id: &'a I,
        error: Body<'a>,
    }
    #[derive(serde::Serialize)]
    struct Body<'a> {
        code: i64,
        message: &'a str,
        #[serde(skip_serializing_if = "Value::is_null")]
        data: Value,
    }
    let mut out = serde_json::to_vec(&Response {
        jsonrpc: "2.0",
        id,
        error: Body {
            code,
            message,
            data,
        },
    })
    .expect("a JSON-RPC error serializes");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Serialize the values of `entries`.
    fn entry_texts(entries: &[(&str, &Value)]) -> Option<Vec<(String, String)>> {
        entries
            .iter()
            .map(|(k, v)| Some(((*k).to_owned(), serde_json::to_string(v).ok()?)))
            .collect()
    }

    fn as_raw_entries(texts: &[(String, String)]) -> Vec<(&str, &str)> {
        texts
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    fn insert_meta(message: &str, field: &str, entries: &[(&str, &Value)]) -> Option<String> {
        insert_meta_raw(message, field, &as_raw_entries(&entry_texts(entries)?))
    }

    fn splice_meta(
        message: &str,
        inner: Option<&RawValue>,
        field: &str,
        entries: &[(&str, &Value)],
    ) -> Option<String> {
        splice_meta_raw(
            message,
            inner,
            field,
            &as_raw_entries(&entry_texts(entries)?),
        )
    }

    #[test]
    fn classifies_by_presence() {
        let p = payload(b"\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}\r\n");
        let Parsed::Single(probe, _) = parse(p) else {
            panic!()
        };
        assert!(matches!(probe.kind(), Kind::Request { method, .. } if method == TOOLS_CALL));
        let Parsed::Single(probe, _) =
            parse(br#"{"jsonrpc":"2.0","method":"notifications/progress"}"#)
        else {
            panic!()
        };
        assert!(matches!(probe.kind(), Kind::Notification { .. }));
        let Parsed::Single(probe, _) = parse(br#"{"jsonrpc":"2.0","id":"a","result":{}}"#) else {
            panic!()
        };
        assert!(matches!(probe.kind(), Kind::Response { .. }));
        let Parsed::Single(probe, _) = parse(br#"{"jsonrpc":"2.0","id":null,"error":{"code":1}}"#)
        else {
            panic!()
        };
        assert!(matches!(probe.kind(), Kind::Other));
        assert!(matches!(parse(b"hello"), Parsed::Opaque));
        assert!(matches!(parse(b"{\"a\":\"\xff\"}"), Parsed::Opaque));
        assert!(matches!(parse(b"[1,2]"), Parsed::Batch(v) if v.len() == 2));
    }

    #[test]
    fn id_keys_are_the_normal_form() {
        for (t, key) in [
            ("0", Some("0")),
            ("7", Some("7")),
            ("-3", Some("-3")),
            ("-0", Some("0")),
            ("123456789012345678", Some("123456789012345678")),
            // Exact, however long: two such ids never meet in one double.
            ("1234567890123456789012", Some("1234567890123456789012")),
            ("1234567890123456789013", Some("1234567890123456789013")),
            // A fraction or exponent by its value; an integer value as the integer.
            ("1.0", Some("1")),
            ("1e3", Some("1000")),
            ("-0.0", Some("0")),
            ("-0.5", Some("-0.5")),
            ("2.5e-1", Some("0.25")),
            ("1e400", None),
            ("\"a\"", Some("\"a\"")),
            ("\"\"", Some("\"\"")),
            (r#""caf\u00e9""#, Some("\"café\"")),
            ("\"\\/x\"", Some("\"/x\"")),
            ("\"é ✓\"", Some("\"é ✓\"")),
            ("null", None),
            ("{}", None),
            ("[1]", None),
            ("true", None),
        ] {
            let raw: Box<RawValue> = serde_json::from_str(t).unwrap();
            assert_eq!(id_key(&raw).as_deref(), key, "{t}");
        }
        let long: Box<RawValue> = serde_json::from_str("123456789012345678901234567890").unwrap();
        assert_eq!(id_value(&long), json!("123456789012345678901234567890"));
        let small: Box<RawValue> = serde_json::from_str("42").unwrap();
        assert_eq!(id_value(&small), json!(42));
    }

    #[test]
    fn readings_see_every_copy_of_a_repeated_key() {
        let r = readings(r#"{"id":1,"method":"ping","method":"tools/call","id":2}"#).unwrap();
        assert!(r.calls_tool && r.has_id && r.has_method && !r.answers);
        assert_eq!(r.id_keys, ["1", "2"]);
        let r = readings(r#"{"id":null,"result":null}"#).unwrap();
        assert!(r.has_id && r.answers && r.id_keys.is_empty());
        assert!(readings("[1]").is_none());
        assert!(readings("nope").is_none());
    }

    #[test]
    fn ids_match_exactly() {
        let one: Box<RawValue> = serde_json::from_str("1").unwrap();
        let s_one: Box<RawValue> = serde_json::from_str("\"1\"").unwrap();
        let esc: Box<RawValue> = serde_json::from_str("\"\\u0031\"").unwrap();
        assert_ne!(id_key(&one), id_key(&s_one));
        assert_eq!(id_key(&s_one), id_key(&esc));
        let obj: Box<RawValue> = serde_json::from_str("{}").unwrap();
        assert_eq!(id_key(&obj), None);
    }

    #[test]
    fn metering_syntax() {
        let usage = |input_tokens, output_tokens| {
            Ok(Some(Usage {
                input_tokens,
                output_tokens,
            }))
        };
        assert_eq!(parse_metering("request=1, token=345"), usage(0, 345));
        assert_eq!(
            parse_metering("input_tokens=3; output_tokens=4"),
            usage(3, 4)
        );
        assert_eq!(parse_metering("request=1"), Ok(None));
        // A count named twice, or not a whole number: no reading of it is billed.
        for bad in [
            "token=5, token=7",
            "input_tokens=3, output_tokens=4, token=100",
            "input_token=1, input_tokens=2",
            "token=5, input_tokens=2",
            "input_tokens=2; tokens=5",
            "token=1.5",
            "token=-1",
        ] {
            assert!(parse_metering(bad).is_err(), "{bad}");
        }
        let reported = |meta: Value| reported_usage(&Json::of(&json!({"_meta": meta})));
        assert_eq!(
            reported(json!({"usage": {"input_tokens": 7, "output_tokens": 9}})),
            usage(7, 9)
        );
        assert_eq!(
            reported(json!({"usage": {"input_tokens": 25.0, "output_tokens": null}})),
            usage(25, 0)
        );
        for bad in [json!(1.5), json!(-1), json!("7"), json!(true), json!(1e300)] {
            let got = reported(json!({"usage": {"input_tokens": bad, "output_tokens": 2}}));
            assert!(
                got.as_ref()
                    .is_err_and(|e| e.contains("usage.input_tokens is")),
                "{bad}: {got:?}"
            );
        }
        assert_eq!(reported_usage(&Json::of(&json!({"content": []}))), Ok(None));
    }

    #[test]
    fn a_known_absent_meta_is_spliced_without_a_scan() {
        for (msg, field) in [
            (
                r#"{"id":1,"result":{"content":[],"isError":false}}"#,
                "result",
            ),
            (r#"{"id":1,"result":{ }}"#, "result"),
            (
                r#"{"id":1,"params":{"name":"x","arguments":{"_meta":1}}}"#,
                "params",
            ),
        ] {
            let probe: Probe = serde_json::from_str(msg).unwrap();
            let inner = probe.result.or(probe.params);
            let entries = [("mcpbill/receipt", r#"{"r":1}"#)];
            assert_eq!(
                splice_meta_known(msg, inner, field, &entries, true),
                splice_meta_raw(msg, inner, field, &entries),
                "{msg}"
            );
        }
    }

    #[test]
    fn meta_insertion_keeps_everything_else() {
        let msg = r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x","arguments":{"n": 1.50, "big": 123456789012345678901234567890}}}"#;
        let v = json!("a1");
        let out = insert_meta(msg, "params", &[("mcpbill/agent_id", &v)]).unwrap();
        assert_eq!(
            out,
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x","arguments":{"n": 1.50, "big": 123456789012345678901234567890},"_meta":{"mcpbill/agent_id":"a1"}}}"#
        );
        let msg = r#"{"id":1,"result":{"_meta":{"k":1},"content":[]},"jsonrpc":"2.0"}"#;
        let out = insert_meta(msg, "result", &[("mcpbill/receipt", &json!({"r":1}))]).unwrap();
        assert_eq!(
            out,
            r#"{"id":1,"result":{"_meta":{"k":1,"mcpbill/receipt":{"r":1}},"content":[]},"jsonrpc":"2.0"}"#
        );
        assert!(insert_meta(r#"{"id":1,"result":[1]}"#, "result", &[]).is_none());
    }

    fn splice(msg: &str, field: &str, entries: &[(&str, &Value)]) -> String {
        let Parsed::Single(p, _) = parse(msg.as_bytes()) else {
            panic!()
        };
        let inner = if field == "params" {
            p.params
        } else {
            p.result
        };
        let texts = entry_texts(entries).unwrap();
        let spliced =
            try_splice(msg, inner.unwrap(), &as_raw_entries(&texts), false).expect("spliced");
        let general = insert_meta(msg, field, entries).unwrap();
        let a: Value = serde_json::from_str(&spliced).unwrap();
        let b: Value = serde_json::from_str(&general).unwrap();
        assert_eq!(a, b, "{spliced} vs {general}");
        // The raw-text entry point gives the same bytes as the `Value` one.
        assert_eq!(splice_meta(msg, inner, field, entries).unwrap(), spliced);
        spliced
    }

    #[test]
    fn splicing_keeps_every_other_byte() {
        let v = json!("a1");
        let e: &[(&str, &Value)] = &[("mcpbill/agent_id", &v)];
        assert_eq!(
            splice(
                r#"{"id":1, "params": {"name":"x" , "arguments":{"_meta":1}} }"#,
                "params",
                e
            ),
            r#"{"id":1, "params": {"name":"x" , "arguments":{"_meta":1},"_meta":{"mcpbill/agent_id":"a1"}} }"#
        );
        assert_eq!(
            splice(
                r#"{"id":1,"params":{"_meta":{ "p" : 2 },"name":"x"}}"#,
                "params",
                e
            ),
            r#"{"id":1,"params":{"_meta":{ "p" : 2 ,"mcpbill/agent_id":"a1"},"name":"x"}}"#
        );
        assert_eq!(
            splice(r#"{"id":1,"params":{"_meta":{ },"name":"x"}}"#, "params", e),
            r#"{"id":1,"params":{"_meta":{ "mcpbill/agent_id":"a1"},"name":"x"}}"#
        );
        assert_eq!(
            splice(r#"{"id":1,"result":{ }}"#, "result", e),
            r#"{"id":1,"result":{ "_meta":{"mcpbill/agent_id":"a1"}}}"#
        );
        // `_meta` null: the general path replaces it.
        let Parsed::Single(p, _) = parse(br#"{"id":1,"result":{"_meta":null}}"#) else {
            panic!()
        };
        let texts = entry_texts(e).unwrap();
        assert!(
            try_splice(
                r#"{"id":1,"result":{"_meta":null}}"#,
                p.result.unwrap(),
                &as_raw_entries(&texts),
                false
            )
            .is_none()
        );
    }
}

//! Strict validation of published spec section 3 pricing declarations.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::output::escape_terminal;

/// What a valid set of declarations says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Declarations.
    pub count: usize,
    /// Their provider.
    pub provider_id: String,
}

const PRICE_FIELDS: [&str; 3] = [
    "price_per_call_microcents",
    "price_per_input_token_microcents",
    "price_per_output_token_microcents",
];

/// Validate a pricing answer: a JSON array of declarations, or an object holding one
/// under `tools`, `pricing` or `declarations`. Returns every problem found.
pub fn validate(body: &Value, advertised_provider: Option<&str>) -> Result<Summary, Vec<String>> {
    let list = match body {
        Value::Array(a) => a,
        Value::Object(o) => match ["tools", "pricing", "declarations"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array))
        {
            Some(a) => a,
            None => {
                return Err(vec![
                "the answer is neither an array of declarations nor an object with a 'tools' array"
                    .into(),
            ]);
            }
        },
        _ => {
            return Err(vec![
                "the answer is neither an array of declarations nor an object with a 'tools' array"
                    .into(),
            ]);
        }
    };
    if list.is_empty() {
        return Err(vec!["no pricing declarations are published".into()]);
    }
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut provider: Option<String> = None;
    for (i, d) in list.iter().enumerate() {
        let Some(obj) = d.as_object() else {
            problems.push(format!("declaration {i} is not an object"));
            continue;
        };
        let name = obj.get("tool_id").and_then(Value::as_str).map_or_else(
            || format!("declaration {i}"),
            |t| format!("tool '{}'", escape_terminal(t)),
        );
        let mut p = |m: String| problems.push(format!("{name}: {m}"));
        match obj.get("tool_id") {
            Some(Value::String(t)) if !t.is_empty() => {
                if !seen.insert(t.clone()) {
                    p("declared twice".into());
                }
            }
            _ => p("tool_id is missing or not a non-empty string".into()),
        }
        if let Some(v) = obj.get("tool_name")
            && v.as_str().is_none_or(str::is_empty)
        {
            p("tool_name is not a non-empty string".into());
        }
        match obj.get("provider_id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => match &provider {
                None => provider = Some(id.to_owned()),
                Some(prev) if prev != id => p(format!(
                    "provider_id '{}' differs from '{}' in an earlier declaration",
                    escape_terminal(id),
                    escape_terminal(prev)
                )),
                Some(_) => {}
            },
            _ => p("provider_id is missing or not a non-empty string".into()),
        }
        match obj.get("currency").and_then(Value::as_str) {
            Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {}
            Some(c) => p(format!(
                "currency '{}' is not an ISO 4217 code such as USD",
                escape_terminal(c)
            )),
            None => p("currency is missing or not a string".into()),
        }
        for f in PRICE_FIELDS {
            if let Some(v) = obj.get(f)
                && !v.is_u64()
            {
                p(format!(
                    "{f} must be a non-negative integer of microcents, not {v}"
                ));
            }
        }
        let price = |f: &str| obj.get(f).and_then(Value::as_u64);
        match obj.get("pricing_model").and_then(Value::as_str) {
            Some("per_call") => {
                if obj.get("price_per_call_microcents").is_none() {
                    p("per_call pricing needs price_per_call_microcents".into());
                }
                for f in &PRICE_FIELDS[1..] {
                    if price(f).is_some_and(|v| v > 0) {
                        p(format!("per_call pricing must not charge {f}"));
                    }
                }
            }
            Some("per_token") => {
                for f in &PRICE_FIELDS[1..] {
                    if obj.get(*f).is_none() {
                        p(format!("per_token pricing needs {f}"));
                    }
                }
                if price(PRICE_FIELDS[0]).is_some_and(|v| v > 0) {
                    p("per_token pricing must not charge price_per_call_microcents".into());
                }
            }
            Some("free") => {
                for f in PRICE_FIELDS {
                    if price(f).is_some_and(|v| v > 0) {
                        p(format!("free pricing must not charge {f}"));
                    }
                }
            }
            Some(other) => p(format!(
                "pricing_model '{}' is not per_call, per_token or free",
                escape_terminal(other)
            )),
            None => p("pricing_model is missing or not a string".into()),
        }
        if let Some(ft) = obj.get("free_tier") {
            free_tier(ft, &mut p);
        }
    }
    if let (Some(adv), Some(found)) = (advertised_provider, &provider)
        && adv != found
    {
        problems.push(format!(
            "declarations name provider '{}' but agents.json advertises '{}'",
            escape_terminal(found),
            escape_terminal(adv)
        ));
    }
    if problems.is_empty() {
        Ok(Summary {
            count: list.len(),
            provider_id: provider.unwrap_or_default(),
        })
    } else {
        Err(problems)
    }
}

fn free_tier(ft: &Value, p: &mut impl FnMut(String)) {
    let Some(obj): Option<&Map<String, Value>> = ft.as_object() else {
        p("free_tier is not an object".into());
        return;
    };
    for (k, v) in obj {
        if k != "calls_per_month" && k != "tokens_per_month" {
            p(format!(
                "free_tier has unknown field '{}'",
                escape_terminal(k)
            ));
        } else if !v.is_u64() {
            p(format!(
                "free_tier.{k} must be a non-negative integer, not {v}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_good_and_reports_each_bad_point() {
        let good = json!([
            {"tool_id": "search", "tool_name": "search", "provider_id": "acme", "pricing_model": "per_call", "price_per_call_microcents": 50000, "free_tier": {"calls_per_month": 100}, "currency": "USD"},
            {"tool_id": "sum", "provider_id": "acme", "pricing_model": "per_token", "price_per_input_token_microcents": 10, "price_per_output_token_microcents": 30, "currency": "USD"}
        ]);
        assert_eq!(validate(&good, Some("acme")).unwrap().count, 2);
        assert!(validate(&good, Some("other")).is_err());
        let bad = json!({"tools": [
            {"tool_id": "a", "provider_id": "acme", "pricing_model": "per_call", "price_per_call_microcents": 0.05, "currency": "usd"},
            {"tool_id": "a", "provider_id": "zed", "pricing_model": "free", "price_per_call_microcents": 5, "currency": "USD", "free_tier": {"calls": 1}},
            {"tool_id": "b", "provider_id": "acme", "pricing_model": "per_token", "currency": "USD"},
            {"provider_id": "acme", "pricing_model": "monthly", "currency": "USD"}
        ]});
        let p = validate(&bad, None).unwrap_err();
        for needle in [
            "non-negative integer",
            "ISO 4217",
            "declared twice",
            "differs",
            "free pricing must not",
            "unknown field",
            "needs price_per_input",
            "tool_id is missing",
            "monthly",
        ] {
            assert!(p.iter().any(|m| m.contains(needle)), "{needle}: {p:?}");
        }
        assert!(validate(&json!([]), None).is_err());
        assert!(validate(&json!("x"), None).is_err());
    }
}

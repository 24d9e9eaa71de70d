//! The HTML report: one self-contained page (inline CSS and SVG, no scripts, no external
//! assets). Every string from the logs is escaped.

use std::fmt::Write as _;

use super::{By, Group, ReportAcc, Row};
use crate::money::Microcents;

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1f2328;background:#fff}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}\
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right}\
th:first-child,td:first-child{text-align:left}tr.total td{font-weight:600;background:#f6f8fa}\
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem}\
.card b{display:block;font-size:1.3rem}svg text{font-size:11px;fill:#1f2328}.muted{color:#656d76;font-size:.8rem}";

/// Render the page.
pub fn render(acc: &ReportAcc, by: By, rows: &[Row], total: &Row, skipped: u64) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mcpbill report</title>\n<style>");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<h1>mcpbill usage report</h1>\n");
    let _ = writeln!(
        h,
        "<div class=\"cards\"><div class=\"card\">calls<b id=\"total-calls\">{}</b></div><div class=\"card\">revenue<b id=\"total-revenue\">{}</b></div><div class=\"card\">success<b>{:.2}%</b></div><div class=\"card\">p95<b>{}</b></div><div class=\"card\">discarded<b>{:.2}%</b></div></div>",
        total.calls,
        escape(&Microcents(total.revenue_microcents).dollars()),
        total.success_pct,
        total
            .p95_ms
            .map_or_else(|| "-".to_owned(), |v| format!("{v} ms")),
        total.discard_pct,
    );
    if skipped > 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{skipped} unreadable log lines skipped.</p>"
        );
    }

    if let Some(days) = acc.dim(By::Day) {
        let mut d: Vec<(&String, &Group)> = days.iter().collect();
        d.sort_by(|a, b| a.0.cmp(b.0));
        let calls: Vec<(String, f64, String)> = d
            .iter()
            .map(|(k, g)| ((*k).clone(), g.calls as f64, g.calls.to_string()))
            .collect();
        let revenue: Vec<(String, f64, String)> = d
            .iter()
            .map(|(k, g)| {
                (
                    (*k).clone(),
                    g.revenue as f64,
                    Microcents(g.revenue).dollars(),
                )
            })
            .collect();
        h.push_str("<h2>Calls per day</h2>\n");
        h.push_str(&column_chart(&calls, "#0969da"));
        h.push_str("<h2>Revenue per day</h2>\n");
        h.push_str(&column_chart(&revenue, "#1a7f37"));
    }
    if let Some(tools) = acc.dim(By::Tool) {
        h.push_str("<h2>Latency distribution per tool</h2>\n");
        h.push_str(&latency_chart(tools));
        h.push_str("<h2>Revenue by tool</h2>\n");
        h.push_str(&bar_chart(&top_revenue(tools, 20), "#1a7f37"));
    }
    if let Some(agents) = acc.dim(By::Agent) {
        h.push_str("<h2>Revenue by agent</h2>\n");
        h.push_str(&bar_chart(&top_revenue(agents, 20), "#8250df"));
    }

    let _ = writeln!(h, "<h2>Per {}</h2>", by.as_str());
    h.push_str("<table>\n<thead><tr>");
    for col in [
        by.as_str(),
        "calls",
        "success %",
        "error %",
        "timeouts",
        "refused",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "revenue",
        "charged",
        "free tier",
        "discard %",
    ] {
        let _ = write!(h, "<th>{}</th>", escape(col));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let opt = |v: Option<u64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    for (r, class) in rows
        .iter()
        .map(|r| (r, ""))
        .chain(std::iter::once((total, " class=\"total\"")))
    {
        let _ = writeln!(
            h,
            "<tr{class}><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td></tr>",
            escape(&r.key),
            r.calls,
            r.success_pct,
            r.error_pct,
            r.timeouts,
            r.refused,
            opt(r.p50_ms),
            opt(r.p95_ms),
            opt(r.p99_ms),
            escape(&Microcents(r.revenue_microcents).dollars()),
            r.charged_calls,
            r.free_tier_calls,
            r.discard_pct,
        );
    }
    h.push_str("</tbody>\n</table>\n<p class=\"muted\">Generated by mcpbill. Latency percentiles are exact (nearest rank) over calls that reached the server.</p>\n</body>\n</html>\n");
    h
}

fn top_revenue(map: &crate::scan::FastMap<String, Group>, n: usize) -> Vec<(String, f64, String)> {
    let mut v: Vec<(&String, &Group)> = map.iter().collect();
    v.sort_by(|a, b| b.1.revenue.cmp(&a.1.revenue).then(a.0.cmp(b.0)));
    let mut out: Vec<(String, f64, String)> = v
        .iter()
        .take(n)
        .map(|(k, g)| {
            (
                (*k).clone(),
                g.revenue as f64,
                Microcents(g.revenue).dollars(),
            )
        })
        .collect();
    if v.len() > n {
        let rest: u64 = v[n..]
            .iter()
            .map(|(_, g)| g.revenue)
            .fold(0, u64::saturating_add);
        out.push((
            format!("{} others", v.len() - n),
            rest as f64,
            Microcents(rest).dollars(),
        ));
    }
    out
}

/// Vertical columns over time: (label, value, shown value).
fn column_chart(data: &[(String, f64, String)], color: &str) -> String {
    let (w, hgt, left, bottom) = (760.0, 220.0, 10.0, 40.0);
    let max = data.iter().map(|d| d.1).fold(0.0, f64::max).max(1.0);
    let n = data.len().max(1) as f64;
    let bw = (w - left) / n;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{}\" role=\"img\">\n",
        hgt + bottom
    );
    for (i, (label, v, shown)) in data.iter().enumerate() {
        let bh = v / max * (hgt - 20.0);
        let x = left + i as f64 * bw;
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{color}\"><title>{}: {}</title></rect>",
            hgt - bh,
            (bw - 2.0).max(1.0),
            escape(label),
            escape(shown)
        );
        let step = (data.len() / 12).max(1);
        if i % step == 0 {
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" transform=\"rotate(45 {:.1} {:.1})\">{}</text>",
                x + 2.0,
                hgt + 12.0,
                x + 2.0,
                hgt + 12.0,
                escape(label.get(5..).unwrap_or(label))
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

/// Horizontal bars: (label, value, shown value).
fn bar_chart(data: &[(String, f64, String)], color: &str) -> String {
    let (label_w, bar_w, row_h) = (220.0, 440.0, 20.0);
    let max = data.iter().map(|d| d.1).fold(0.0, f64::max).max(1.0);
    let height = row_h * data.len().max(1) as f64 + 4.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\">\n",
        label_w + bar_w + 110.0
    );
    for (i, (label, v, shown)) in data.iter().enumerate() {
        let y = i as f64 * row_h;
        let len = v / max * bar_w;
        let short: String = label.chars().take(32).collect();
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{:.1}\">{}</text><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y + 14.0,
            escape(&short),
            y + 3.0,
            row_h - 6.0,
            escape(label),
            escape(shown),
            label_w + len + 4.0,
            y + 14.0,
            escape(shown)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Latency buckets per tool: one row of shaded cells per tool.
fn latency_chart(tools: &crate::scan::FastMap<String, Group>) -> String {
    const EDGES: [u64; 8] = [50, 100, 250, 500, 1000, 2500, 5000, 10_000];
    let labels = [
        "≤50", "≤100", "≤250", "≤500", "≤1s", "≤2.5s", "≤5s", "≤10s", ">10s",
    ];
    let mut names: Vec<&String> = tools.keys().collect();
    names.sort();
    let (label_w, cell_w, row_h) = (220.0, 56.0, 22.0);
    let height = row_h * (names.len() as f64 + 1.0) + 4.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\">\n",
        label_w + cell_w * labels.len() as f64 + 10.0
    );
    for (j, l) in labels.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"14\">{l} ms</text>",
            label_w + j as f64 * cell_w + 4.0
        );
    }
    for (i, name) in names.iter().enumerate() {
        let g = &tools[*name];
        let buckets = g.hist.bucketed(&EDGES);
        let total = g.hist.count().max(1) as f64;
        let y = (i as f64 + 1.0) * row_h;
        let short: String = name.chars().take(32).collect();
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + 15.0,
            escape(&short)
        );
        for (j, (_, n)) in buckets.iter().enumerate() {
            let share = *n as f64 / total;
            let _ = writeln!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#cf222e\" fill-opacity=\"{:.3}\" stroke=\"#d0d7de\"><title>{}: {} calls {} ms</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{:.0}%</text>",
                label_w + j as f64 * cell_w,
                y + 2.0,
                cell_w - 2.0,
                row_h - 4.0,
                0.05 + share * 0.9,
                escape(name),
                n,
                labels[j],
                label_w + j as f64 * cell_w + 12.0,
                y + 15.0,
                share * 100.0
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
        assert_eq!(escape("a\u{1b}b"), "a\u{fffd}b");
    }
}

//! `Microcents`: exact integer money (1 cent = 10,000 microcents, $1 = 1,000,000).
//!
//! Dollar strings are parsed digit by digit, never through a float. A price finer
//! than one microcent ($0.000001) is an error, not a rounding.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Microcents in one dollar.
pub const PER_DOLLAR: u64 = 1_000_000;
/// Microcents in one cent.
pub const PER_CENT: u64 = 10_000;

/// From this many microcents ($1,000) a whole number without `$` is refused as ambiguous.
const AMBIGUOUS_FROM: u64 = 1_000 * PER_DOLLAR;

/// An amount of money in microcents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Microcents(pub u64);

/// Why an amount could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing to parse.
    #[error("empty amount; write dollars like '$0.05' or microcents like '50000microcents'")]
    Empty,
    /// A minus sign.
    #[error("amount '{0}' is negative; amounts are never below zero")]
    Negative(String),
    /// Not a number.
    #[error(
        "amount '{0}' is not a number; write dollars like '$0.05' or microcents like '50000microcents'"
    )]
    Syntax(String),
    /// A comma where a decimal point belongs (`$0,05`), or commas that do not group
    /// thousands.
    #[error(
        "amount '{0}' has a comma that does not separate thousands; use '.' for decimals, like '$0.05'"
    )]
    DecimalComma(String),
    /// A bare whole number large enough to have been meant as microcents.
    #[error(
        "amount '{0}' is ambiguous: a bare number is dollars (${1}.00 here); write '${1}' if you mean dollars, or '{1}microcents'"
    )]
    Ambiguous(String, u64),
    /// A currency sign or code other than `$` (`€0.05`, `0.05 EUR`, `US$1`).
    #[error(
        "amount '{0}' names a currency ('{1}'); amounts are written with '$' whatever the pricing file's currency, like '{2}', or in microcents"
    )]
    ForeignCurrency(String, String, String),
    /// More precision than a microcent.
    #[error("amount '{0}' is finer than one microcent ($0.000001); use at most 6 decimal places")]
    TooPrecise(String),
    /// Does not fit in 64 bits.
    #[error("amount '{0}' is too large (the maximum is 18446744073709551615 microcents)")]
    Overflow(String),
}

impl Microcents {
    /// Zero.
    pub const ZERO: Microcents = Microcents(0);

    /// Parse a human amount: `"$0.05"`, `"0.05"`, `"5"` (dollars) or
    /// `"50000microcents"` / `"50000 microcents"` (an exact integer of microcents).
    pub fn parse(input: &str) -> Result<Self, MoneyError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        // A minus before a number; not a flag taken as the value (`--budget --log-dir`).
        let after_minus = s.strip_prefix('-').or_else(|| s.strip_prefix("$-"));
        if after_minus
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '$'))
        {
            return Err(MoneyError::Negative(input.to_owned()));
        }
        if let Some(digits) = s
            .strip_suffix("microcents")
            .or_else(|| s.strip_suffix("microcent"))
        {
            let digits = digits.trim_end();
            return parse_integer(digits, input).map(Microcents);
        }
        if let Some((unit, rest)) = currency_mark(s) {
            // `€0,05`: the decimal comma of the same habit is read as a point here.
            let decimal = (!rest.contains('.') && rest.matches(',').count() == 1)
                .then(|| rest.replace(',', "."));
            let suggestion = parse_dollars(rest, input)
                .or_else(|e| decimal.map_or(Err(e), |d| parse_dollars(&d, input)))
                .map_or_else(|_| "$0.05".to_owned(), Microcents::dollars);
            return Err(MoneyError::ForeignCurrency(
                input.trim().to_owned(),
                unit.to_owned(),
                suggestion,
            ));
        }
        let marked = s.starts_with('$');
        let dollars = s.strip_prefix('$').unwrap_or(s).trim_start();
        let amount = parse_dollars(dollars, input)?;
        // `50000` beside prices written in microcents (integers in a pricing file, the
        // receipts' `cost_microcents`) reads as a slip: from $1,000 up, a whole number
        // needs its `$`.
        // Grouped or not (`50,000`): the thousands comma makes it no less a bare number.
        if !marked && !dollars.contains('.') && amount.0 >= AMBIGUOUS_FROM {
            return Err(MoneyError::Ambiguous(
                input.trim().to_owned(),
                amount.0 / PER_DOLLAR,
            ));
        }
        Ok(amount)
    }

    /// Add, or `None` on overflow.
    pub fn checked_add(self, other: Microcents) -> Option<Microcents> {
        self.0.checked_add(other.0).map(Microcents)
    }

    /// Multiply by a count, or `None` on overflow.
    pub fn checked_mul(self, n: u64) -> Option<Microcents> {
        self.0.checked_mul(n).map(Microcents)
    }

    /// Subtract, saturating at zero.
    pub fn saturating_sub(self, other: Microcents) -> Microcents {
        Microcents(self.0.saturating_sub(other.0))
    }

    /// The amount as dollars: at least two decimals, at most six, trailing zeros trimmed
    /// (`$0.05`, `$1.00`, `$0.000001`).
    pub fn dollars(self) -> String {
        format_dollars(i128::from(self.0))
    }
}

/// Format a signed amount of microcents as dollars (`-$0.05` for negatives).
pub fn format_signed_dollars(microcents: i64) -> String {
    format_dollars(i128::from(microcents))
}

fn format_dollars(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    let whole = v / u128::from(PER_DOLLAR);
    let frac = v % u128::from(PER_DOLLAR);
    let mut frac_s = format!("{frac:06}");
    while frac_s.len() > 2 && frac_s.ends_with('0') {
        frac_s.pop();
    }
    format!("{sign}${whole}.{frac_s}")
}

impl fmt::Display for Microcents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dollars())
    }
}

impl std::str::FromStr for Microcents {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Microcents::parse(s)
    }
}

/// A currency sign or code written before or after the number, other than a lone `$`:
/// the mark and the rest of the amount.
fn currency_mark(s: &str) -> Option<(&str, &str)> {
    // Signs of the Latin-1 and Currency Symbols blocks, and a few outside them.
    fn is_sign(c: char) -> bool {
        matches!(c, '\u{a2}'..='\u{a5}' | '\u{20a0}'..='\u{20cf}' | '\u{e3f}' | '\u{58f}' | '\u{fdfc}')
    }
    // A code: letters, maybe ending in a sign (`US$`, `R$`, `EUR`, `CHF`).
    fn code_len(s: &str) -> usize {
        let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
        if letters == 0 {
            return 0;
        }
        if s[letters..].starts_with('$') {
            letters + 1
        } else {
            letters
        }
    }
    let starts_number = |r: &str| {
        r.trim_start()
            .starts_with(|c: char| c.is_ascii_digit() || c == '.')
    };
    let ends_number = |r: &str| {
        r.trim_end()
            .ends_with(|c: char| c.is_ascii_digit() || c == '.')
    };
    if let Some(c) = s.chars().next().filter(|&c| is_sign(c)) {
        let rest = s[c.len_utf8()..].trim_start();
        return starts_number(rest).then(|| (&s[..c.len_utf8()], rest));
    }
    if let Some(c) = s.chars().next_back().filter(|&c| is_sign(c)) {
        let rest = s[..s.len() - c.len_utf8()].trim_end();
        return ends_number(rest).then(|| (&s[s.len() - c.len_utf8()..], rest));
    }
    let front = code_len(s);
    if (2..=4).contains(&front) && starts_number(&s[front..]) {
        return Some((&s[..front], s[front..].trim_start()));
    }
    let letters_back = s.bytes().rev().take_while(u8::is_ascii_alphabetic).count();
    let back = s.len() - letters_back;
    if letters_back == 3 && ends_number(&s[..back]) {
        let rest = s[..back].trim_end();
        let rest = rest.strip_prefix('$').unwrap_or(rest).trim_start();
        return Some((&s[back..], rest));
    }
    None
}

fn parse_integer(digits: &str, input: &str) -> Result<u64, MoneyError> {
    let digits = digits.replace('_', "");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::Syntax(input.to_owned()));
    }
    digits
        .parse::<u64>()
        .map_err(|_| MoneyError::Overflow(input.to_owned()))
}

fn parse_dollars(s: &str, input: &str) -> Result<Microcents, MoneyError> {
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    // A comma only separates thousands ("1,000.25"): "1,00" (a decimal comma) must not
    // silently read as one hundred dollars.
    if whole.contains(',') {
        let mut groups = whole.split(',');
        // No leading zero either: "0,050" is five cents written with a decimal comma.
        let first_ok = groups
            .next()
            .is_some_and(|g| (1..=3).contains(&g.len()) && !g.starts_with('0'));
        if !first_ok || !groups.all(|g| g.len() == 3) {
            return Err(MoneyError::DecimalComma(input.to_owned()));
        }
    }
    let whole = whole.replace([',', '_'], "");
    if whole.is_empty() && frac.is_empty() {
        return Err(MoneyError::Syntax(input.to_owned()));
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::Syntax(input.to_owned()));
    }
    if s.ends_with('.') && frac.is_empty() && whole.is_empty() {
        return Err(MoneyError::Syntax(input.to_owned()));
    }
    let significant = frac.trim_end_matches('0');
    if significant.len() > 6 {
        return Err(MoneyError::TooPrecise(input.to_owned()));
    }
    let whole_v: u64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| MoneyError::Overflow(input.to_owned()))?
    };
    let mut frac_v: u64 = 0;
    for (i, b) in significant.bytes().enumerate() {
        frac_v += u64::from(b - b'0') * 10u64.pow(5 - i as u32);
    }
    whole_v
        .checked_mul(PER_DOLLAR)
        .and_then(|w| w.checked_add(frac_v))
        .map(Microcents)
        .ok_or_else(|| MoneyError::Overflow(input.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<u64, MoneyError> {
        Microcents::parse(s).map(|m| m.0)
    }

    /// Another currency's sign or code is named in the error, with the amount rewritten
    /// the way mcpbill reads it; it never parses.
    #[test]
    fn foreign_currency_marks_are_named() {
        for (input, unit, fix) in [
            ("€0.05", "€", "$0.05"),
            ("0.05€", "€", "$0.05"),
            ("£ 1.5", "£", "$1.50"),
            ("¥100", "¥", "$100.00"),
            ("₹2", "₹", "$2.00"),
            ("EUR 0.05", "EUR", "$0.05"),
            ("0.05 EUR", "EUR", "$0.05"),
            ("0.05eur", "eur", "$0.05"),
            ("$5 USD", "USD", "$5.00"),
            ("US$1", "US$", "$1.00"),
            ("R$ 3", "R$", "$3.00"),
            ("CHF1,000", "CHF", "$1000.00"),
            ("€0,05", "€", "$0.05"),
            ("1,5 €", "€", "$1.50"),
        ] {
            assert_eq!(
                p(input),
                Err(MoneyError::ForeignCurrency(
                    input.into(),
                    unit.into(),
                    fix.into()
                )),
                "{input}"
            );
        }
        // Not currency marks: words and typos stay syntax errors.
        for input in ["abc", "five", "0.05x", "x0.05", "$abc"] {
            assert_eq!(p(input), Err(MoneyError::Syntax(input.into())), "{input}");
        }
    }

    #[test]
    fn dollar_forms() {
        assert_eq!(p("$0.05"), Ok(50_000));
        assert_eq!(p("0.05"), Ok(50_000));
        assert_eq!(p("$1"), Ok(1_000_000));
        assert_eq!(p("1.00"), Ok(1_000_000));
        assert_eq!(p("$0.000001"), Ok(1));
        assert_eq!(p("0.0000010"), Ok(1));
        assert_eq!(p(".5"), Ok(500_000));
        assert_eq!(p("5."), Ok(5_000_000));
        assert_eq!(p("$1,000.25"), Ok(1_000_250_000));
        assert_eq!(p(" $ 0.01 "), Ok(10_000));
        assert_eq!(p("0"), Ok(0));
        assert_eq!(p("$0.0001"), Ok(100));
    }

    /// A bare whole number from 1,000 up was likely meant as microcents (the unit of a
    /// pricing file's integers and of receipts): it needs its `$` or its unit.
    #[test]
    fn grouped_bare_numbers_are_ambiguous_too() {
        assert_eq!(
            p("50,000"),
            Err(MoneyError::Ambiguous("50,000".into(), 50_000))
        );
        assert_eq!(
            p("10,000"),
            Err(MoneyError::Ambiguous("10,000".into(), 10_000))
        );
        assert_eq!(p("$50,000"), Ok(50_000_000_000));
        assert_eq!(p("1,000.50"), Ok(1_000_500_000));
        assert_eq!(p("999"), Ok(999_000_000));
    }

    #[test]
    fn large_bare_numbers_are_ambiguous() {
        assert_eq!(
            p("50000"),
            Err(MoneyError::Ambiguous("50000".into(), 50_000))
        );
        assert_eq!(p("1_000"), Err(MoneyError::Ambiguous("1_000".into(), 1000)));
        assert_eq!(p("999"), Ok(999_000_000));
        assert_eq!(p("$50000"), Ok(50_000_000_000));
        assert_eq!(p("50000.00"), Ok(50_000_000_000));
        assert_eq!(p("1,000"), Err(MoneyError::Ambiguous("1,000".into(), 1000)));
        assert_eq!(p("50000microcents"), Ok(50_000));
        let msg = MoneyError::Ambiguous("50000".into(), 50_000).to_string();
        assert!(
            msg.contains("'$50000'") && msg.contains("'50000microcents'"),
            "{msg}"
        );
    }

    #[test]
    fn microcent_forms() {
        assert_eq!(p("50000microcents"), Ok(50_000));
        assert_eq!(p("50000 microcents"), Ok(50_000));
        assert_eq!(p("1microcent"), Ok(1));
        assert_eq!(p("18446744073709551615microcents"), Ok(u64::MAX));
        assert!(matches!(
            p("18446744073709551616microcents"),
            Err(MoneyError::Overflow(_))
        ));
        assert!(matches!(p("1.5microcents"), Err(MoneyError::Syntax(_))));
    }

    #[test]
    fn errors() {
        assert_eq!(p(""), Err(MoneyError::Empty));
        assert!(matches!(p("-1"), Err(MoneyError::Negative(_))));
        assert!(matches!(p("$-0.05"), Err(MoneyError::Negative(_))));
        assert!(matches!(p("$0.0000001"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(p("0.1234567"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(p("abc"), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("1e3"), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("$"), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("."), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("1.2.3"), Err(MoneyError::Syntax(_))));
        // Commas separate thousands only.
        assert_eq!(p("$12,345,678.5"), Ok(12_345_678_500_000));
        assert!(matches!(p("$1,00"), Err(MoneyError::DecimalComma(_))));
        assert!(matches!(p("1,0000"), Err(MoneyError::DecimalComma(_))));
        assert!(matches!(p(",100"), Err(MoneyError::DecimalComma(_))));
        assert!(matches!(p("1000,"), Err(MoneyError::DecimalComma(_))));
        // A decimal comma that happens to look like grouping is not fifty dollars.
        assert!(matches!(p("$0,050"), Err(MoneyError::DecimalComma(_))));
        assert!(matches!(p("0,050"), Err(MoneyError::DecimalComma(_))));
        assert!(matches!(p("$01,000"), Err(MoneyError::DecimalComma(_))));
        assert_eq!(p("$1,000"), Ok(1_000_000_000));
        assert!(matches!(p("0.05,0"), Err(MoneyError::Syntax(_))));
        // Signs, exponents, other digits are not amounts.
        assert!(matches!(p("+5"), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("-0"), Err(MoneyError::Negative(_))));
        assert!(matches!(p("5 USD"), Err(MoneyError::ForeignCurrency(..))));
        assert!(matches!(p("\u{0665}"), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("0x10"), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("-5microcents"), Err(MoneyError::Negative(_))));
        assert!(matches!(p("-$1"), Err(MoneyError::Negative(_))));
        // A flag taken as the value is not a negative amount.
        assert!(matches!(p("--log-dir"), Err(MoneyError::Syntax(_))));
        assert!(matches!(p("--"), Err(MoneyError::Syntax(_))));
        assert_eq!(p("   "), Err(MoneyError::Empty));
        assert_eq!(p("1_000microcents"), Ok(1000));
        // Trailing zeros beyond six decimals are exact, a seventh significant digit is not.
        assert_eq!(p("0.1234560000"), Ok(123_456));
        assert!(matches!(p("0.0000015"), Err(MoneyError::TooPrecise(_))));
        // u64::MAX microcents is 18446744073709.551615 dollars
        assert_eq!(p("18446744073709.551615"), Ok(u64::MAX));
        assert!(matches!(
            p("18446744073709.551616"),
            Err(MoneyError::Overflow(_))
        ));
        assert!(matches!(
            p("99999999999999999999"),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn formatting() {
        assert_eq!(Microcents(50_000).dollars(), "$0.05");
        assert_eq!(Microcents(1_000_000).dollars(), "$1.00");
        assert_eq!(Microcents(1).dollars(), "$0.000001");
        assert_eq!(Microcents(0).dollars(), "$0.00");
        assert_eq!(Microcents(1_234_500).dollars(), "$1.2345");
        assert_eq!(format_signed_dollars(-50_000), "-$0.05");
        assert_eq!(Microcents(u64::MAX).dollars(), "$18446744073709.551615");
    }

    #[test]
    fn round_trip() {
        for v in [
            0,
            1,
            9,
            10,
            99,
            100,
            10_000,
            50_000,
            999_999,
            1_000_000,
            123_456_789,
            u64::MAX,
        ] {
            assert_eq!(p(&Microcents(v).dollars()), Ok(v));
        }
    }
}

//! Amounts of money as tools and spreadsheets write them: currency symbols and codes
//! (`$850,000.00`, `850 000,00 €`, `EUR 1.2M`), the thousands separators and decimal mark of
//! the export's locale, `k`/`M` multipliers, accounting negatives `(1,000)`; and the words
//! that mean "not known yet" (`n.c.`, `TBD`, `?`, empty).

/// What a money cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Money {
    Amount(f64),
    /// Empty or a word for "not known" (`n.c.`, `TBD`, `?`, `à définir`).
    Unknown,
}

/// Words that mean "amount not known yet", compared ignoring case and spaces.
const UNKNOWN: [&str; 12] = [
    "",
    "?",
    "-",
    "n.c.",
    "nc",
    "n.c",
    "tbd",
    "tbc",
    "n/a",
    "na",
    "à définir",
    "a definir",
];

/// Currency symbols and codes stripped from an amount.
const CURRENCIES: [&str; 13] = [
    "€", "$", "£", "¥", "₹", "chf", "eur", "usd", "gbp", "cad", "aud", "us", "fr",
];

/// Parse a money cell; `decimal` is the export's decimal mark (`.` or `,`). `Err` says in
/// words why the text is not an amount.
pub fn parse(text: &str, decimal: char) -> Result<Money, String> {
    let lowered = text.trim().to_lowercase();
    let squeezed: String = lowered.chars().filter(|c| !c.is_whitespace()).collect();
    if UNKNOWN
        .iter()
        .any(|w| w.replace(' ', "") == squeezed || *w == lowered)
    {
        return Ok(Money::Unknown);
    }
    let mut body = lowered.clone();
    let negative_parens = body.starts_with('(') && body.ends_with(')');
    if negative_parens {
        body = body[1..body.len() - 1].to_string();
    }
    for currency in CURRENCIES {
        body = body.replace(currency, "");
    }
    let mut body = body.trim().to_string();
    // A multiplier right after the number: 850k, 1,2 M, 3 Mio.
    let mut factor = 1.0;
    for (suffix, f) in [("mio", 1e6), ("m", 1e6), ("k", 1e3)] {
        if let Some(rest) = body.strip_suffix(suffix) {
            if rest.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
                body = rest.trim_end().to_string();
                factor = f;
                break;
            }
        }
    }
    let number = number(&body, decimal)
        .ok_or_else(|| format!("'{}' is not an amount of money", text.trim()))?;
    let value = if negative_parens { -number } else { number } * factor;
    Ok(Money::Amount(value))
}

/// A number in the export's locale: `decimal` is the decimal mark; the other mark, spaces
/// (also U+00A0, U+202F) and `'` group thousands, in groups of three digits.
pub fn number(text: &str, decimal: char) -> Option<f64> {
    let group = if decimal == ',' { '.' } else { ',' };
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let (int_part, frac_part) = match compact.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (compact.as_str(), None),
    };
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", int_part.strip_prefix('+').unwrap_or(int_part)),
    };
    let mut groups = digits.split(group);
    let first = groups.next()?;
    let mut plain = first.to_string();
    let grouped = digits.contains(group);
    if grouped && (first.is_empty() || first.len() > 3) {
        return None;
    }
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        plain.push_str(g);
    }
    if !plain.bytes().all(|b| b.is_ascii_digit()) || (plain.is_empty() && frac_part.is_none()) {
        return None;
    }
    let frac = frac_part.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: f64 = format!(
        "{sign}{}.{frac}",
        if plain.is_empty() { "0" } else { &plain }
    )
    .trim_end_matches('.')
    .parse()
    .ok()?;
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str, decimal: char) -> f64 {
        match parse(text, decimal) {
            Ok(Money::Amount(x)) => x,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn us_amounts() {
        assert_eq!(amount("$850,000.00", '.'), 850_000.0);
        assert_eq!(amount("850000", '.'), 850_000.0);
        assert_eq!(amount("$1,234,567.5", '.'), 1_234_567.5);
        assert_eq!(amount("USD 12.5k", '.'), 12_500.0);
        assert_eq!(amount("(1,000.00)", '.'), -1000.0);
        assert_eq!(amount("£0.50", '.'), 0.5);
    }

    #[test]
    fn french_amounts() {
        assert_eq!(amount("850 000,00 €", ','), 850_000.0);
        assert_eq!(amount("850\u{a0}000,00\u{a0}€", ','), 850_000.0);
        assert_eq!(amount("1.234.567,89 EUR", ','), 1_234_567.89);
        assert_eq!(amount("1,2 M€", ','), 1_200_000.0);
        assert_eq!(amount("120 k€", ','), 120_000.0);
        assert_eq!(amount("12,5", ','), 12.5);
    }

    #[test]
    fn unknown_amounts() {
        for text in ["", " ", "n.c.", "N.C.", "TBD", "?", "à définir", "-"] {
            assert_eq!(parse(text, ','), Ok(Money::Unknown), "{text}");
        }
    }

    #[test]
    fn wrong_locale_or_garbage_is_refused() {
        // A decimal comma in a `.` export would silently be 15: refused instead.
        assert!(parse("1,5", '.').is_err());
        assert!(parse("12,34,56", '.').is_err());
        assert!(parse("abc", '.').is_err());
        assert!(parse("1.2.3", ',').is_err());
        assert!(parse("12 apples", '.').is_err());
    }
}

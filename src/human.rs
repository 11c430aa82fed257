//! Numbers for people, in messages, reasons and tables: thousands separated by `,`, a few
//! decimals at most, never `-0`. (Machine-readable numbers are `report::format`'s.) One place for
//! them, below every layer: the rules' messages, the diagnosis, the reasons and the reports.

/// Digits with `,` every three (`120000` → `120,000`); `digits` is a plain integer string.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number for people: thousands separated by `,`, at most `decimals` decimals with trailing
/// zeros trimmed, never `-0` (`120,000`, `35,000.5`).
pub(crate) fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction.trim_end_matches('0')),
        None => (text.as_str(), ""),
    };
    let negative = x < 0.0 && (whole.chars().any(|c| c != '0') || !fraction.is_empty());
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_thousands(whole));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Money for people: `120,000`, `35,000.5`.
pub(crate) fn money(x: f64) -> String {
    number(x, 2)
}

/// FTE for people: `2`, `0.5`, `1.25`.
pub(crate) fn fte(x: f64) -> String {
    number(x, 2)
}

/// A share in 0…1 as a percentage for people: `40%`, `12.5%`.
pub(crate) fn percent(share: f64) -> String {
    format!("{}%", number(share * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::{fte, money, number, percent};

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(120000.0, 2), "120,000");
        assert_eq!(number(1234.5, 2), "1,234.5");
        assert_eq!(number(0.5, 2), "0.5");
        assert_eq!(number(-30.0, 2), "-30");
        assert_eq!(number(-0.001, 2), "0");
        assert_eq!(number(999.999, 2), "1,000");
        assert_eq!(money(1234567.891), "1,234,567.89");
        assert_eq!(fte(0.5), "0.5");
        assert_eq!(percent(0.125), "12.5%");
    }
}

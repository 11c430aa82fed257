//! Numbers as spreadsheets export them: decimal commas, thousands separators of every
//! locale (`1 234,50`, `1.234,5`, `1,234.5`, `1'234.5`), read into an `f64`.
//!
//! The rules are the contract's (docs/workbook.md, section 1):
//! - spaces, U+00A0, U+202F and `'` are thousands separators and are dropped;
//! - a cell with both `.` and `,` takes the last one as the decimal mark, the other one
//!   grouping thousands;
//! - a lone `,` is a decimal comma when the file's delimiter is `;` or TAB;
//! - a mark that appears several times groups thousands (groups of three digits, so that
//!   garbage such as `1.2.3` is refused rather than read as 123).

/// Why a cell is not a usable number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not a number at all (empty, text, badly grouped digits).
    NotANumber,
    /// A number, but NaN or infinite.
    NotFinite,
}

/// Parse `text` as a number; `decimal_comma` says whether a lone `,` is a decimal mark
/// (true for `;` and TAB delimited files).
pub(crate) fn parse_number(text: &str, decimal_comma: bool) -> Result<f64, NumberError> {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if compact.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let commas = compact.matches(',').count();
    let dots = compact.matches('.').count();
    let plain = match (commas, dots) {
        (0, 0) | (0, 1) => compact,
        (1, 0) if decimal_comma => compact.replace(',', "."),
        (_, 0) => ungroup(&compact, ',').ok_or(NumberError::NotANumber)?,
        (0, _) => ungroup(&compact, '.').ok_or(NumberError::NotANumber)?,
        _ => {
            // Both marks: the last one is the decimal mark and may appear only once.
            let last_comma = compact.rfind(',').unwrap_or(0);
            let last_dot = compact.rfind('.').unwrap_or(0);
            let (decimal, group) = if last_comma > last_dot {
                (',', '.')
            } else {
                ('.', ',')
            };
            if compact.matches(decimal).count() != 1 {
                return Err(NumberError::NotANumber);
            }
            let (int_part, frac_part) =
                compact.split_once(decimal).ok_or(NumberError::NotANumber)?;
            let int_part = ungroup(int_part, group).ok_or(NumberError::NotANumber)?;
            format!("{int_part}.{frac_part}")
        }
    };
    finish(&plain)
}

/// Remove thousands separator `sep` from `text`, checking that the groups are three digits
/// (the first one one to three digits, after an optional sign).
fn ungroup(text: &str, sep: char) -> Option<String> {
    let mut parts = text.split(sep);
    let first = parts.next()?;
    let digits = first.trim_start_matches(['+', '-']);
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = first.to_string();
    for part in parts {
        // The last group may carry a decimal part or an exponent (`1,234.5` was handled by
        // the caller, but `1.234e3` is not a thing); keep it strict: exactly three digits.
        if part.len() != 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(part);
    }
    Some(out)
}

/// Parse the normalised text with Rust's float grammar, refusing NaN and infinities.
fn finish(plain: &str) -> Result<f64, NumberError> {
    // Rust accepts "inf", "nan", "infinity": those are numbers here, but not finite ones.
    let value: f64 = plain.parse().map_err(|_| NumberError::NotANumber)?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(NumberError::NotFinite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comma(text: &str) -> Result<f64, NumberError> {
        parse_number(text, false)
    }
    fn semi(text: &str) -> Result<f64, NumberError> {
        parse_number(text, true)
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(comma("12"), Ok(12.0));
        assert_eq!(comma(" 12.5 "), Ok(12.5));
        assert_eq!(comma("-3"), Ok(-3.0));
        assert_eq!(comma("+3"), Ok(3.0));
        assert_eq!(comma("1e3"), Ok(1000.0));
        assert_eq!(comma("0"), Ok(0.0));
        assert_eq!(comma(".5"), Ok(0.5));
    }

    #[test]
    fn decimal_comma_only_with_semicolon_or_tab() {
        assert_eq!(semi("1234,5"), Ok(1234.5));
        assert_eq!(semi("0,25"), Ok(0.25));
        // In a comma file a lone comma can only group thousands.
        assert_eq!(comma("1,234"), Ok(1234.0));
        assert_eq!(comma("1,5"), Err(NumberError::NotANumber));
    }

    #[test]
    fn both_marks_last_one_is_decimal() {
        assert_eq!(comma("1.234,5"), Ok(1234.5));
        assert_eq!(semi("1.234,5"), Ok(1234.5));
        assert_eq!(comma("1,234.5"), Ok(1234.5));
        assert_eq!(semi("1,234.5"), Ok(1234.5));
        assert_eq!(semi("1.234.567,89"), Ok(1_234_567.89));
        assert_eq!(comma("1,234,567.89"), Ok(1_234_567.89));
        // The decimal mark twice is not a number.
        assert_eq!(semi("1.234,5,6"), Err(NumberError::NotANumber));
        assert_eq!(comma("1,2.3.4"), Err(NumberError::NotANumber));
    }

    #[test]
    fn repeated_mark_groups_thousands() {
        assert_eq!(semi("1.234.567"), Ok(1_234_567.0));
        assert_eq!(semi("1,234,567"), Ok(1_234_567.0));
        assert_eq!(comma("1.2.3"), Err(NumberError::NotANumber));
        assert_eq!(semi("12,34,56"), Err(NumberError::NotANumber));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(semi("1 234,50"), Ok(1234.5));
        assert_eq!(semi("1\u{a0}234,50"), Ok(1234.5));
        assert_eq!(semi("1\u{202f}234\u{202f}567,5"), Ok(1_234_567.5));
        assert_eq!(comma("1'234.5"), Ok(1234.5));
        assert_eq!(comma("1 000 000"), Ok(1_000_000.0));
        assert_eq!(semi("-1 234,5"), Ok(-1234.5));
    }

    #[test]
    fn not_numbers() {
        assert_eq!(comma(""), Err(NumberError::NotANumber));
        assert_eq!(comma("   "), Err(NumberError::NotANumber));
        assert_eq!(comma("abc"), Err(NumberError::NotANumber));
        assert_eq!(comma("12abc"), Err(NumberError::NotANumber));
        assert_eq!(comma("NaN"), Err(NumberError::NotFinite));
        assert_eq!(comma("inf"), Err(NumberError::NotFinite));
        assert_eq!(comma("-Infinity"), Err(NumberError::NotFinite));
        assert_eq!(comma("1e999"), Err(NumberError::NotFinite));
    }
}

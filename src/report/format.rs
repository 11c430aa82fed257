//! How numbers are written: machine-readable in CSV and JSON (plain decimal, at most 6
//! decimals, never `-0`), human-readable in reasons and tables (thousands separators).

use serde::Serializer;

/// Round to 6 decimals; `-0` becomes `0`.
pub(crate) fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// A number for a CSV cell: plain decimal, no thousands separator, at most 6 decimals with
/// trailing zeros trimmed, never `-0` (`120000`, `0.5`, `0.333333`). Not finite: empty.
pub fn csv_number(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    // Display of f64 never uses an exponent, and after rounding the shortest representation
    // has at most 6 decimals.
    round6(x).to_string()
}

/// An optional number for a CSV cell (`None`: empty).
pub fn csv_optional(x: Option<f64>) -> String {
    x.map(csv_number).unwrap_or_default()
}

/// serde: a number rounded like [`csv_number`]; whole numbers as integers (`120000`, not
/// `120000.0`); not finite as `null`.
pub(crate) fn json_number<S: Serializer>(x: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    let r = round6(*x);
    if !r.is_finite() {
        serializer.serialize_none()
    } else if r.fract() == 0.0 && r.abs() < 9.0e15 {
        // Exact: a whole number below 2^53 converts without loss.
        serializer.serialize_i64(r as i64)
    } else {
        serializer.serialize_f64(r)
    }
}

/// serde: an optional number, `null` when `None`.
pub(crate) fn json_optional<S: Serializer>(
    x: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => json_number(x, serializer),
        None => serializer.serialize_none(),
    }
}

pub(crate) use crate::human::number as human;

/// A value for people (an objective, a score, a penalty): at most 4 decimals, `12,345.6789`.
pub(crate) fn value(x: f64) -> String {
    human(x, 4)
}

/// A change for people, with its sign: `+1,200.5`, `-3`, `0` (never `+0`).
pub(crate) fn signed(x: f64, decimals: usize) -> String {
    let text = human(x, decimals);
    if x > 0.0 && text != "0" {
        format!("+{text}")
    } else {
        text
    }
}

pub(crate) use crate::human::{fte, money, percent};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_numbers_are_plain_and_trimmed() {
        assert_eq!(csv_number(120000.0), "120000");
        assert_eq!(csv_number(0.5), "0.5");
        assert_eq!(csv_number(1.0 / 3.0), "0.333333");
        assert_eq!(csv_number(2.0 / 3.0), "0.666667");
        assert_eq!(csv_number(0.1 + 0.2), "0.3");
        assert_eq!(csv_number(1e20), "100000000000000000000");
        assert_eq!(csv_number(1234567.125), "1234567.125");
        assert_eq!(csv_number(-2.5), "-2.5");
        assert_eq!(csv_number(0.0), "0");
    }

    #[test]
    fn csv_numbers_never_write_minus_zero() {
        assert_eq!(csv_number(-0.0), "0");
        assert_eq!(csv_number(-0.0000001), "0");
        assert_eq!(csv_number(0.0000004), "0");
        assert_eq!(csv_number(0.0000006), "0.000001");
    }

    #[test]
    fn csv_numbers_not_finite_are_empty() {
        assert_eq!(csv_number(f64::NAN), "");
        assert_eq!(csv_optional(None), "");
        assert_eq!(csv_optional(Some(3.0)), "3");
    }

    #[test]
    fn json_numbers_are_integers_when_whole() {
        #[derive(serde::Serialize)]
        struct T {
            #[serde(serialize_with = "json_number")]
            a: f64,
            #[serde(serialize_with = "json_number")]
            b: f64,
            #[serde(serialize_with = "json_optional")]
            c: Option<f64>,
            #[serde(serialize_with = "json_number")]
            d: f64,
            #[serde(serialize_with = "json_number")]
            e: f64,
        }
        let text = serde_json::to_string(&T {
            a: 120000.0,
            b: 0.1 + 0.2,
            c: None,
            d: -0.0,
            e: f64::INFINITY,
        })
        .unwrap();
        assert_eq!(text, r#"{"a":120000,"b":0.3,"c":null,"d":0,"e":null}"#);
    }

    #[test]
    fn human_numbers_group_thousands() {
        assert_eq!(money(120000.0), "120,000");
        assert_eq!(money(35000.5), "35,000.5");
        assert_eq!(money(999.0), "999");
        assert_eq!(money(1000.0), "1,000");
        assert_eq!(money(1234567.891), "1,234,567.89");
        assert_eq!(money(-1500.0), "-1,500");
        assert_eq!(money(-0.001), "0");
        assert_eq!(value(12345.678912), "12,345.6789");
        assert_eq!(value(0.5), "0.5");
        assert_eq!(signed(1200.5, 4), "+1,200.5");
        assert_eq!(signed(-3.0, 4), "-3");
        assert_eq!(signed(0.00001, 1), "0");
        assert_eq!(fte(2.0), "2");
        assert_eq!(fte(0.5), "0.5");
        assert_eq!(percent(0.4), "40%");
        assert_eq!(percent(0.125), "12.5%");
    }
}

//! pairwise.csv: Saaty ratios between drivers (`driver_a`, `driver_b`, `ratio`), checked on
//! their own (scale, self pairs, duplicates, every pair given) and turned into AHP weights
//! with their consistency ratio (above 0.10: a warning, or an error when reading strictly).

use std::collections::{BTreeMap, BTreeSet};

use super::{driver_key, duplicate, Cells, Headers};
use crate::diag::{codes, Diags, Loc};
use crate::io::ahp::{ahp, Ahp};
use crate::io::csvfile::Table;
use crate::io::number::{parse_number, NumberError};
use crate::io::ReadOptions;

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawPairwise {
    /// Driver names in order of first appearance, with that line and column.
    pub names: Vec<(String, usize, String)>,
    /// Weights and consistency, when every pair is given and valid.
    pub ahp: Option<Ahp>,
    pub headers: Headers,
}

/// A ratio on Saaty's scale: a number or a fraction such as `1/3`.
fn parse_ratio(text: &str, decimal_comma: bool) -> Result<f64, NumberError> {
    match text.split_once('/') {
        Some((num, den)) => {
            let num = parse_number(num, decimal_comma)?;
            let den = parse_number(den, decimal_comma)?;
            if den == 0.0 {
                Err(NumberError::NotFinite)
            } else {
                Ok(num / den)
            }
        }
        None => parse_number(text, decimal_comma),
    }
}

pub(crate) fn read(table: &Table, options: &ReadOptions, diags: &mut Diags) -> Option<RawPairwise> {
    let c = Cells { table };
    let known = ["driver_a", "driver_b", "ratio"];
    table.warn_unknown(|k| known.contains(&k), "driver_a, driver_b, ratio", diags);
    let mut out = RawPairwise {
        headers: Headers::of(table),
        ..RawPairwise::default()
    };
    if !table.require(&known, diags) {
        return None;
    }
    let ratio_col = c.col("ratio");
    let ratio_header = table.header_of("ratio");
    // (i, j) with i < j → (a[i][j], line).
    let mut pairs: BTreeMap<(usize, usize), (f64, usize)> = BTreeMap::new();
    let mut given: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut all_valid = true;
    for row in &table.rows {
        let a = c.required_text(row, "driver_a", "a comparison", diags);
        let b = c.required_text(row, "driver_b", "a comparison", diags);
        let (Some(a), Some(b)) = (a, b) else {
            all_valid = false;
            continue;
        };
        let mut index = |name: &str, key: &str| match out
            .names
            .iter()
            .position(|(n, _, _)| driver_key(n) == driver_key(name))
        {
            Some(i) => i,
            None => {
                out.names
                    .push((name.to_string(), row.line, table.header_of(key)));
                out.names.len() - 1
            }
        };
        let (i, j) = (index(&a, "driver_a"), index(&b, "driver_b"));
        let subject = format!("the comparison of '{a}' with '{b}'");
        if i == j {
            diags.add(
                codes::SELF_PAIR,
                Loc::cell(table.file, row.line, &table.header_of("driver_b")),
                Some(&b),
                format!("{subject} compares a driver with itself"),
                "delete the row (a driver is always 1 times as important as itself)",
            );
            all_valid = false;
            continue;
        }
        let key = if i < j { (i, j) } else { (j, i) };
        // A pair with a wrong ratio is reported as such, not also as missing.
        given.insert(key);
        let text = c.text(row, ratio_col);
        if text.is_empty() {
            if let Some(idx) = ratio_col {
                c.report_empty(row, idx, &subject, diags);
            }
            all_valid = false;
            continue;
        }
        let loc = Loc::cell(table.file, row.line, &ratio_header);
        let ratio = match parse_ratio(text, table.decimal_comma()) {
            Ok(r) if (1.0 / 9.0 - 1e-9..=9.0 + 1e-9).contains(&r) => r,
            Ok(_) => {
                diags.add(
                    codes::RATIO_OUT_OF_SCALE,
                    loc,
                    Some(text),
                    format!("{subject} has {ratio_header} '{text}', outside Saaty's scale"),
                    format!("{ratio_header} must be between 1/9 and 9 (e.g. 3, 1/3 or 0.2)"),
                );
                all_valid = false;
                continue;
            }
            Err(_) => {
                diags.add(
                    codes::NOT_A_NUMBER,
                    loc,
                    Some(text),
                    format!("{subject} has {ratio_header} '{text}', which is not a number"),
                    format!("{ratio_header} must be a number or fraction between 1/9 and 9"),
                );
                all_valid = false;
                continue;
            }
        };
        let value = if i < j { ratio } else { 1.0 / ratio };
        if let Some((_, first)) = pairs.get(&key) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("driver_a")),
                &a,
                format!("the comparison of '{a}' and '{b}'"),
                *first,
                "keep one row per pair of drivers (b,a is implied by a,b as 1/ratio)",
            );
            all_valid = false;
            continue;
        }
        pairs.insert(key, (value, row.line));
    }
    let n = out.names.len();
    for i in 0..n {
        for j in i + 1..n {
            if !given.contains(&(i, j)) {
                let (a, b) = (&out.names[i].0, &out.names[j].0);
                diags.add(
                    codes::MISSING_PAIR,
                    Loc::file(table.file),
                    None,
                    format!("pairwise.csv has no comparison of '{a}' with '{b}'"),
                    format!("add a row '{a},{b},RATIO' with RATIO on the 1/9…9 scale"),
                );
                all_valid = false;
            }
        }
    }
    if !all_valid || n == 0 {
        return Some(out);
    }
    let mut matrix = vec![vec![1.0; n]; n];
    for ((i, j), (value, _)) in &pairs {
        matrix[*i][*j] = *value;
        matrix[*j][*i] = 1.0 / value;
    }
    let result = ahp(&matrix);
    if result.consistency_ratio > 0.10 {
        let (code, fix) = if options.strict {
            (
                codes::INCONSISTENT_PAIRWISE,
                "revise the ratios so that they agree with each other (if a > b and b > c, then a > c), or run without --strict",
            )
        } else {
            (
                codes::INCONSISTENT_PAIRWISE_WARNING,
                "revise the ratios so that they agree with each other (if a > b and b > c, then a > c)",
            )
        };
        let cr = format!("{:.3}", result.consistency_ratio);
        let worst = result
            .worst
            .map(|(i, j, given, implied)| {
                let line = pairs.get(&(i, j)).map_or(0, |(_, line)| *line);
                let inconsistency = crate::model::Inconsistency {
                    a: out.names[i].0.clone(),
                    b: out.names[j].0.clone(),
                    given,
                    implied,
                };
                format!(
                    "; the comparison furthest from the weights is on line {line}: {inconsistency}"
                )
            })
            .unwrap_or_default();
        diags.add(
            code,
            Loc::file(table.file),
            Some(&cr),
            format!("pairwise.csv has consistency ratio {cr}, above 0.10{worst}"),
            fix,
        );
    }
    out.ahp = Some(result);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;

    fn read_with(text: &str, strict: bool) -> (Option<RawPairwise>, Vec<crate::diag::Diagnostic>) {
        read_text("pairwise.csv", text, |t, d| {
            read(t, &ReadOptions { strict }, d)
        })
    }

    #[test]
    fn ratios_and_fractions_give_ahp_weights() {
        let (raw, list) = read_with(
            "driver_a,driver_b,ratio\nFit,Risk,3\nCost,Fit,1/3\nrisk,cost,1\n",
            false,
        );
        assert!(list.is_empty(), "{list:?}");
        let raw = raw.expect("read");
        // Names keep the spelling of their first appearance; `risk` is `Risk`.
        assert_eq!(
            raw.names,
            [
                ("Fit".to_string(), 2, "driver_a".to_string()),
                ("Risk".to_string(), 2, "driver_b".to_string()),
                ("Cost".to_string(), 3, "driver_a".to_string()),
            ]
        );
        let ahp = raw.ahp.expect("weights");
        assert!((ahp.weights[0] - 0.6).abs() < 1e-9, "{:?}", ahp.weights);
        assert!((ahp.weights[1] - 0.2).abs() < 1e-9, "{:?}", ahp.weights);
        assert!(ahp.consistency_ratio.abs() < 1e-9);
    }

    #[test]
    fn self_pairs_scale_numbers_duplicates_empty_ratios_and_missing_pairs() {
        let (raw, list) = read_with(
            "driver_a,driver_b,ratio\na,a,1\na,b,3\na,c,x\nb,a,2\nb,c,\nd,a,1/0\nc,e,10\n",
            false,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::MISSING_PAIR, None, None),
                (codes::MISSING_PAIR, None, None),
                (codes::MISSING_PAIR, None, None),
                (codes::MISSING_PAIR, None, None),
                (codes::MISSING_PAIR, None, None),
                (codes::SELF_PAIR, Some(2), Some("driver_b")),
                (codes::NOT_A_NUMBER, Some(4), Some("ratio")),
                (codes::DUPLICATE_KEY, Some(5), Some("driver_a")),
                (codes::EMPTY_FIELD, Some(6), Some("ratio")),
                (codes::NOT_A_NUMBER, Some(7), Some("ratio")),
                (codes::RATIO_OUT_OF_SCALE, Some(8), Some("ratio")),
            ]
        );
        assert_eq!(
            list[0].message,
            "pairwise.csv has no comparison of 'a' with 'e'"
        );
        let raw = raw.expect("read");
        // No weights from a file with errors.
        assert!(raw.ahp.is_none());
        let names: Vec<&str> = raw.names.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn inconsistency_is_a_warning_unless_strict() {
        let text = "driver_a,driver_b,ratio\na,b,9\nb,c,9\nc,a,9\n";
        let (raw, list) = read_with(text, false);
        assert_eq!(
            spots(&list),
            [(codes::INCONSISTENT_PAIRWISE_WARNING, None, None)]
        );
        assert!(
            list[0].message.contains("above 0.10"),
            "{}",
            list[0].message
        );
        assert!(raw.expect("read").ahp.is_some());
        let (_, list) = read_with(text, true);
        assert_eq!(spots(&list), [(codes::INCONSISTENT_PAIRWISE, None, None)]);
        assert!(list[0].fix.contains("without --strict"), "{}", list[0].fix);
    }

    #[test]
    fn ratios_are_numbers_or_fractions() {
        assert_eq!(parse_ratio("1/4", false), Ok(0.25));
        assert_eq!(parse_ratio("0,5", true), Ok(0.5));
        assert_eq!(parse_ratio("1/0", false), Err(NumberError::NotFinite));
        assert_eq!(parse_ratio("a/2", false), Err(NumberError::NotANumber));
    }
}

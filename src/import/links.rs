//! Cells that list other rows or resources: predecessors (`3SS+20 days`, `4,9FS+5 days`,
//! `2SS +4w`, `PRJ-12`, French `5FD+2 j`) and resource assignments
//! (`Developers[300%],QA[50%]`, `Jean Dupont`).

use super::duration::{self, Unit};

/// The kind of a dependency link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Finish-to-start (French `FD`, fin-début): the one arbiter keeps as `after`.
    FinishStart,
    StartStart,
    FinishFinish,
    StartFinish,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::FinishStart => "FS",
            Kind::StartStart => "SS",
            Kind::FinishFinish => "FF",
            Kind::StartFinish => "SF",
        }
    }
}

/// One predecessor: the row it names (as written), its kind and lag in working days.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub target: String,
    pub kind: Kind,
    pub lag_days: f64,
}

const KINDS: [(&str, Kind); 8] = [
    ("FS", Kind::FinishStart),
    ("SS", Kind::StartStart),
    ("FF", Kind::FinishFinish),
    ("SF", Kind::StartFinish),
    ("FD", Kind::FinishStart),
    ("DD", Kind::StartStart),
    ("DF", Kind::StartFinish),
    ("TD", Kind::FinishStart),
];

/// Split a list at `,` and `;` (outside brackets).
fn split_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if (c == ',' || c == ';') && depth == 0 {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parse one predecessor. The kind is two capital letters right after the row reference;
/// the lag follows with its sign and unit (a bare lag counts in days).
fn parse_one(item: &str, decimal: char) -> Result<Link, String> {
    for (code, kind) in KINDS {
        // Find `<target><code>` then an optional lag.
        let Some(at) = item.rfind(code) else { continue };
        let (target, rest) = (item[..at].trim(), item[at + code.len()..].trim());
        if target.is_empty() || !(rest.is_empty() || rest.starts_with(['+', '-'])) {
            continue;
        }
        let lag_days = if rest.is_empty() {
            0.0
        } else {
            let sign = if rest.starts_with('-') { -1.0 } else { 1.0 };
            let amount = duration::parse(&rest[1..], Unit::Days, decimal)?.map_or(0.0, |d| d.days);
            sign * amount
        };
        return Ok(Link {
            target: target.to_string(),
            kind,
            lag_days,
        });
    }
    // No kind: finish-to-start, but a lag may still follow a numeric reference (`3+2d`).
    if let Some((target, lag)) = item.split_once(['+']) {
        let amount = duration::parse(lag, Unit::Days, decimal)?.map_or(0.0, |d| d.days);
        return Ok(Link {
            target: target.trim().to_string(),
            kind: Kind::FinishStart,
            lag_days: amount,
        });
    }
    Ok(Link {
        target: item.trim().to_string(),
        kind: Kind::FinishStart,
        lag_days: 0.0,
    })
}

/// Parse a predecessor list; `Err` names the item that is not a predecessor.
pub fn predecessors(text: &str, decimal: char) -> Result<Vec<Link>, String> {
    // `4,9FS+5 days` in a `,` list is two items; a decimal comma inside a lag (`+1,5 j`)
    // only occurs with `;` lists.
    let items = if decimal == ',' && text.contains(';') {
        text.split(';')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        split_list(text)
    };
    items
        .iter()
        .map(|item| parse_one(item, decimal).map_err(|e| format!("predecessor '{item}': {e}")))
        .collect()
}

/// One resource assignment: the resource's name and its units in FTE (100% = 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub resource: String,
    pub fte: f64,
}

/// Parse `Name[50%]` assignments, separated by `,` or `;`; no bracket means 100%.
pub fn resources(text: &str) -> Result<Vec<Assignment>, String> {
    split_list(text)
        .into_iter()
        .map(|item| {
            let Some((name, rest)) = item.split_once('[') else {
                return Ok(Assignment {
                    resource: item,
                    fte: 1.0,
                });
            };
            let inner = rest.trim_end().strip_suffix(']').ok_or_else(|| {
                format!("assignment '{item}' has no closing ']' (write Name[50%])")
            })?;
            let (number, percent) = match inner.trim().strip_suffix('%') {
                Some(n) => (n, true),
                None => (inner.trim(), false),
            };
            let units = super::money::number(number, '.')
                .or_else(|| super::money::number(number, ','))
                .filter(|u| *u >= 0.0)
                .ok_or_else(|| {
                    format!("assignment '{item}': '{inner}' is not a share (write Name[50%] or Name[0.5])")
                })?;
            Ok(Assignment {
                resource: name.trim().to_string(),
                fte: if percent { units / 100.0 } else { units },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(target: &str, kind: Kind, lag_days: f64) -> Link {
        Link {
            target: target.into(),
            kind,
            lag_days,
        }
    }

    #[test]
    fn ms_project_predecessors() {
        assert_eq!(
            predecessors("3SS+20 days", '.').expect("ok"),
            [link("3", Kind::StartStart, 20.0)]
        );
        assert_eq!(
            predecessors("4,9FS+5 days", '.').expect("ok"),
            [
                link("4", Kind::FinishStart, 0.0),
                link("9", Kind::FinishStart, 5.0)
            ]
        );
        assert_eq!(
            predecessors("12FF-2 days", '.').expect("ok"),
            [link("12", Kind::FinishFinish, -2.0)]
        );
    }

    #[test]
    fn smartsheet_jira_and_french_predecessors() {
        assert_eq!(
            predecessors("2SS +4w", '.').expect("ok"),
            [link("2", Kind::StartStart, 20.0)]
        );
        assert_eq!(
            predecessors("PRJ-12, PRJ-3", '.').expect("ok"),
            [
                link("PRJ-12", Kind::FinishStart, 0.0),
                link("PRJ-3", Kind::FinishStart, 0.0)
            ]
        );
        assert_eq!(
            predecessors("5FD+2 j;7DD", ',').expect("ok"),
            [
                link("5", Kind::FinishStart, 2.0),
                link("7", Kind::StartStart, 0.0)
            ]
        );
        assert!(predecessors("3FS+soon", '.').is_err());
        assert_eq!(predecessors("", '.').expect("ok"), []);
    }

    #[test]
    fn resource_assignments() {
        let got = resources("Developers[300%],QA[50%], Jean Dupont").expect("ok");
        assert_eq!(
            got,
            [
                Assignment {
                    resource: "Developers".into(),
                    fte: 3.0
                },
                Assignment {
                    resource: "QA".into(),
                    fte: 0.5
                },
                Assignment {
                    resource: "Jean Dupont".into(),
                    fte: 1.0
                },
            ]
        );
        assert_eq!(resources("Dev[0,5]").expect("ok")[0].fte, 0.5);
        assert!(resources("Dev[lots]").is_err());
        assert!(resources("Dev[50%").is_err());
    }
}

//! The export's table: the header row (the first row whose cells name at least two mapped
//! fields, one of them the id or the name: a title above it is skipped), the source column
//! of each field (repeated headers joined, kept first or refused, as the mapping says), and
//! one [`Record`] per data row. Rows that are no data are dropped here, each with a
//! message: blank rows (silently, as the contract does), repeated header rows, total rows,
//! group title rows (their text becomes the category of the rows below) and subitem blocks.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::mapping::{Field, Mapping};
use super::Message;
use crate::io::grid::{Grid, GridRow};

/// Rows searched for the header.
const HEADER_SEARCH: usize = 50;

/// One data row: where it is and its mapped cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Its line in the export.
    pub line: usize,
    /// Its number among the data rows, from 1 (Smartsheet's row numbers).
    pub number: usize,
    /// Field → (source column, text); only non-empty cells.
    pub cells: BTreeMap<Field, (String, String)>,
    /// Field → whether a spreadsheet typed the cell (a number or a date).
    pub typed: BTreeMap<Field, bool>,
    /// The title of the group row above it, if the mapping has group rows.
    pub group: Option<String>,
    /// Driver name → the text of its column, when not empty.
    pub drivers: BTreeMap<String, (String, String)>,
    /// Field → the source column it reads (every mapped field, empty cells too).
    pub columns: Arc<BTreeMap<Field, String>>,
}

impl Record {
    /// The text of `field`, if the row has it.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.cells.get(&field).map(|(_, text)| text.as_str())
    }

    /// The source column of `field` (for messages), or the field's key.
    pub fn column(&self, field: Field) -> String {
        self.columns
            .get(&field)
            .map_or_else(|| field.key().to_string(), |c| c.clone())
    }

    pub fn is_typed(&self, field: Field) -> bool {
        self.typed.get(&field).copied().unwrap_or(false)
    }
}

/// The table read.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub header_line: usize,
    /// Field → the source column it reads.
    pub columns: BTreeMap<Field, String>,
    /// Source columns no field reads, in header order.
    pub unmapped: Vec<String>,
    pub records: Vec<Record>,
    pub warnings: Vec<Message>,
    /// What reading the table noticed (for the mapped summary).
    pub notes: Vec<String>,
    /// Driver name → the source column it reads, for the drivers found in the header.
    pub drivers: Vec<(String, String)>,
}

fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// For each field, the first of its source names found in `cells`, and every index of it.
fn match_header(cells: &[String], mapping: &Mapping) -> BTreeMap<Field, (String, Vec<usize>)> {
    let keys: Vec<String> = cells.iter().map(|c| key(c)).collect();
    let mut found = BTreeMap::new();
    for field in Field::ALL {
        for name in mapping.columns.names(field) {
            let indices: Vec<usize> = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| **k == key(name))
                .map(|(i, _)| i)
                .collect();
            if let Some(first) = indices.first() {
                found.insert(field, (cells[*first].clone(), indices));
                break;
            }
        }
    }
    found
}

fn is_blank(row: &GridRow) -> bool {
    row.cells.iter().all(|c| c.is_empty())
}

/// Find the header and read every row below it.
pub fn read(grid: &Grid, mapping: &Mapping) -> Result<Read, Vec<Message>> {
    let header_at = grid.rows.iter().take(HEADER_SEARCH).position(|row| {
        let found = match_header(&row.cells, mapping);
        found.len() >= 2 && (found.contains_key(&Field::Id) || found.contains_key(&Field::Name))
    });
    let Some(header_at) = header_at else {
        let wanted: Vec<String> = mapping
            .columns
            .required
            .iter()
            .map(|f| format!("{} ({})", f.key(), mapping.columns.names(*f).join(" or ")))
            .collect();
        return Err(vec![Message::new(
            None,
            format!(
                "no header row in the first {HEADER_SEARCH} rows names the columns of profile '{}': {}",
                mapping.profile,
                wanted.join(", ")
            ),
            format!(
                "check that this is a {} export, or write your column names into a mapping file (arbiter import --print-profile {} > my.toml) and pass --mapping my.toml",
                mapping.profile, mapping.profile
            ),
        )]);
    };
    let header = &grid.rows[header_at];
    let found = match_header(&header.cells, mapping);
    let mut errors = Vec::new();
    for field in &mapping.columns.required {
        if !found.contains_key(field) {
            errors.push(
                Message::new(
                    Some(header.line),
                    format!(
                        "the header has no column for the required field '{}' (looked for {})",
                        field.key(),
                        quoted(mapping.columns.names(*field))
                    ),
                    format!(
                        "add the column to the export, or name your column under [columns] {} in a mapping file (--print-profile {} writes one) and pass --mapping",
                        field.key(),
                        mapping.profile
                    ),
                )
                .at(field.key(), ""),
            );
        }
    }
    let mut columns: BTreeMap<Field, (String, Vec<usize>)> = BTreeMap::new();
    for (field, (name, indices)) in found {
        let indices = match mapping.source.duplicate_headers.as_str() {
            "first" => indices[..1].to_vec(),
            "error" if indices.len() > 1 => {
                errors.push(Message::new(
                    Some(header.line),
                    format!("the column '{name}' appears {} times", indices.len()),
                    "rename the repeated columns, or set source.duplicate_headers to join or first in the mapping",
                ));
                indices
            }
            _ => indices,
        };
        columns.insert(field, (name, indices));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let used: Vec<usize> = columns.values().flat_map(|(_, ix)| ix.clone()).collect();
    let mut unmapped: Vec<String> = Vec::new();
    for (i, name) in header.cells.iter().enumerate() {
        if !used.contains(&i) && !name.is_empty() && !unmapped.contains(name) {
            unmapped.push(name.clone());
        }
    }
    let mut read = Read {
        header_line: header.line,
        columns: columns
            .iter()
            .map(|(f, (name, _))| (*f, name.clone()))
            .collect(),
        unmapped,
        records: Vec::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
        drivers: Vec::new(),
    };
    // Driver columns: the first of each driver's names found in the header.
    let keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let drivers: Vec<(String, String, usize)> = mapping
        .drivers
        .iter()
        .filter_map(|(driver, names)| {
            names.iter().find_map(|name| {
                let at = keys.iter().position(|k| *k == key(name))?;
                Some((driver.clone(), header.cells[at].clone(), at))
            })
        })
        .collect();
    read.unmapped
        .retain(|name| !drivers.iter().any(|(_, column, _)| column == name));
    read.drivers = drivers
        .iter()
        .map(|(d, c, _)| (d.clone(), c.clone()))
        .collect();
    rows(grid, header_at, &columns, &drivers, mapping, &mut read);
    Ok(read)
}

fn quoted(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    if q.is_empty() {
        "no column: the mapping names none".to_string()
    } else {
        q.join(", ")
    }
}

/// Read the data rows below the header.
fn rows(
    grid: &Grid,
    header_at: usize,
    columns: &BTreeMap<Field, (String, Vec<usize>)>,
    drivers: &[(String, String, usize)],
    mapping: &Mapping,
    read: &mut Read,
) {
    let header = &grid.rows[header_at];
    let header_keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let totals: Vec<String> = mapping.skip.totals.iter().map(|t| key(t)).collect();
    // monday.com writes the board's name, then the first group's title, above the header.
    let titles: Vec<&GridRow> = grid.rows[..header_at]
        .iter()
        .filter(|r| r.cells.iter().filter(|c| !c.is_empty()).count() == 1)
        .collect();
    let mut group: Option<String> = match titles.as_slice() {
        [_, .., last] if mapping.skip.group_rows => Some(first_cell(last)),
        _ => None,
    };
    let mut in_subitems = false;
    let mut number = 0;
    let names: Arc<BTreeMap<Field, String>> = Arc::new(
        columns
            .iter()
            .map(|(f, (name, _))| (*f, name.clone()))
            .collect(),
    );
    for row in &grid.rows[header_at + 1..] {
        if is_blank(row) {
            continue;
        }
        let keys: Vec<String> = row.cells.iter().map(|c| key(c)).collect();
        let first = keys
            .iter()
            .find(|k| !k.is_empty())
            .cloned()
            .unwrap_or_default();
        if keys.iter().zip(&header_keys).all(|(a, b)| a == b) {
            read.warnings.push(Message::new(
                Some(row.line),
                "a repeated header row: skipped",
                "",
            ));
            in_subitems = false;
            continue;
        }
        if totals.iter().any(|t| {
            first == *t
                || first.starts_with(&format!("{t} "))
                || first.starts_with(&format!("{t}:"))
        }) {
            read.warnings.push(Message::new(
                Some(row.line),
                format!(
                    "a total row ('{}'): skipped, it is not a project",
                    first_cell(row)
                ),
                "",
            ));
            continue;
        }
        if mapping.skip.group_rows {
            let filled = row.cells.iter().filter(|c| !c.is_empty()).count();
            if first == "subitems" {
                in_subitems = true;
                read.warnings.push(Message::new(
                    Some(row.line),
                    "a subitems block: its rows are parts of the item above, skipped",
                    "",
                ));
                continue;
            }
            if in_subitems && row.cells.first().is_some_and(|c| c.is_empty()) {
                read.warnings.push(Message::new(
                    Some(row.line),
                    format!(
                        "a subitem ('{}'): skipped, part of the item above",
                        first_cell(row)
                    ),
                    "",
                ));
                continue;
            }
            in_subitems = false;
            if filled == 1 {
                let title = first_cell(row);
                read.notes.push(format!(
                    "row {}: group '{title}' is the category of the rows below it",
                    row.line
                ));
                group = Some(title);
                continue;
            }
        }
        number += 1;
        let mut record = Record {
            line: row.line,
            number,
            cells: BTreeMap::new(),
            typed: BTreeMap::new(),
            group: group.clone(),
            drivers: BTreeMap::new(),
            columns: Arc::clone(&names),
        };
        for (field, (name, indices)) in columns {
            let values: Vec<(&str, bool)> = indices
                .iter()
                .filter_map(|i| {
                    let text = row.cells.get(*i)?.as_str();
                    (!text.is_empty()).then(|| (text, row.typed.get(*i).copied().unwrap_or(false)))
                })
                .collect();
            let Some((first_value, typed)) = values.first().copied() else {
                continue;
            };
            let text = if field.is_list() {
                let all: Vec<&str> = values.iter().map(|(t, _)| *t).collect();
                all.join(",")
            } else {
                for (other, _) in &values[1..] {
                    if *other != first_value {
                        read.warnings.push(
                            Message::new(
                                Some(row.line),
                                format!("the column '{name}' is repeated: kept '{first_value}', dropped this value"),
                                "",
                            )
                            .at(name, other),
                        );
                    }
                }
                first_value.to_string()
            };
            record.cells.insert(*field, (name.clone(), text));
            record.typed.insert(*field, typed);
        }
        for (driver, column, at) in drivers {
            if let Some(text) = row.cells.get(*at).filter(|t| !t.is_empty()) {
                record
                    .drivers
                    .insert(driver.clone(), (column.clone(), text.clone()));
            }
        }
        read.records.push(record);
    }
}

fn first_cell(row: &GridRow) -> String {
    row.cells
        .iter()
        .find(|c| !c.is_empty())
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::grid::parse_csv;

    fn mapping(text: &str) -> Mapping {
        super::super::mapping::parse(text, "test").expect("mapping")
    }

    const BASIC: &str = "profile = \"t\"\n[columns]\nid = [\"Key\"]\nname = [\"Title\"]\ncost = [\"Cost\"]\npredecessors = [\"Link\"]\n";

    #[test]
    fn a_title_row_above_the_header_is_skipped() {
        let grid =
            parse_csv("Portfolio 2027\n\nKey,Title,Cost,Other\nA,Alpha,10,x\n").expect("csv");
        let read = read(&grid, &mapping(BASIC)).expect("reads");
        assert_eq!(read.header_line, 3);
        assert_eq!(read.unmapped, ["Other"]);
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.records[0].get(Field::Name), Some("Alpha"));
        assert_eq!(read.records[0].line, 4);
    }

    #[test]
    fn a_missing_required_column_is_an_error() {
        let grid = parse_csv("Key,Title\nA,Alpha\n").expect("csv");
        let errors = read(&grid, &mapping(BASIC)).expect_err("no cost");
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert!(
            text.contains("'cost'") && text.contains("'Cost'") && text.contains("--mapping"),
            "{text}"
        );
    }

    #[test]
    fn repeated_headers_join_lists_and_totals_are_dropped() {
        let grid = parse_csv("Key,Title,Cost,Link,Link\nA,Alpha,10,B,C\nB,Beta,5,,\nTOTAL,,15,,\n")
            .expect("csv");
        let read = read(&grid, &mapping(BASIC)).expect("reads");
        assert_eq!(read.records.len(), 2);
        assert_eq!(read.records[0].get(Field::Predecessors), Some("B,C"));
        assert_eq!(read.warnings.len(), 1);
        assert!(read.warnings[0]
            .to_string()
            .starts_with("row 4: a total row"));
    }

    #[test]
    fn group_rows_and_repeated_headers() {
        let m = mapping(&format!("{BASIC}[skip]\ngroup_rows = true\n"));
        let grid = parse_csv(
            "Board\nKey,Title,Cost\nQ1 projects,,\nA,Alpha,1\nKey,Title,Cost\nB,Beta,2\n",
        )
        .expect("csv");
        let read = read(&grid, &m).expect("reads");
        let groups: Vec<Option<String>> = read.records.iter().map(|r| r.group.clone()).collect();
        assert_eq!(
            groups,
            [
                Some("Q1 projects".to_string()),
                Some("Q1 projects".to_string())
            ]
        );
        assert_eq!(read.warnings.len(), 1);
    }

    #[test]
    fn driver_columns_are_read_and_not_listed_as_unmapped() {
        let m = mapping(&format!(
            "{BASIC}[drivers]\nfit = [\"Number1\", \"Fit\"]\nrisk = [\"Nope\"]\n"
        ));
        let grid = parse_csv("Key,Title,Cost,Number1\nA,Alpha,1,4\nB,Beta,2,\n").expect("csv");
        let read = read(&grid, &m).expect("reads");
        assert_eq!(read.drivers, [("fit".to_string(), "Number1".to_string())]);
        assert!(read.unmapped.is_empty(), "{:?}", read.unmapped);
        assert_eq!(read.records[0].drivers["fit"].1, "4");
        assert!(read.records[1].drivers.is_empty());
    }
}

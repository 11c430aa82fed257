//! Which records are projects, and their category. Summary rows (a `Summary` flag, an
//! outline level with deeper rows below, a row that other rows name as their parent) are
//! not projects — their cost would count twice — and their name becomes the category of the
//! rows under them. Rows of a skipped type and rows without an id are dropped with a
//! warning. An explicit category cell wins over the hierarchy, which wins over a group row.

use std::collections::BTreeMap;

use super::mapping::{Field, Mapping};
use super::table::Record;
use super::Message;

/// What a record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Project,
    /// A summary or parent row: a category, not a project.
    Summary,
    /// Not imported (the reason was reported).
    Dropped,
}

/// Each record's id, role and category.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    pub id: String,
    pub role: Role,
    pub category: Option<String>,
}

fn truthy(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "yes" | "oui" | "true" | "vrai" | "1" | "y" | "x"
    )
}

/// The name a record shows: its name, else its id.
pub fn name_of(record: &Record, id: &str) -> String {
    record.get(Field::Name).unwrap_or(id).to_string()
}

/// Shape every record; `has_id` says whether the export has an id column (else ids are
/// the prefix and the row number).
pub fn shape(
    records: &[Record],
    has_id: bool,
    mapping: &Mapping,
    warnings: &mut Vec<Message>,
) -> Vec<Shaped> {
    let ids: Vec<String> = records
        .iter()
        .map(|r| {
            if has_id {
                r.get(Field::Id).unwrap_or("").to_string()
            } else {
                format!("{}{}", mapping.source.row_id_prefix, r.number)
            }
        })
        .collect();
    // Rows named as a parent, by id or alias.
    let mut key_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if !ids[i].is_empty() {
            key_of.entry(ids[i].as_str()).or_insert(i);
        }
        if let Some(alias) = r.get(Field::Alias) {
            key_of.entry(alias).or_insert(i);
        }
    }
    let parent_of: Vec<Option<Result<usize, String>>> = records
        .iter()
        .map(|r| {
            r.get(Field::Parent)
                .map(|p| key_of.get(p).copied().ok_or_else(|| p.to_string()))
        })
        .collect();
    let levels: Vec<Option<i64>> = records
        .iter()
        .map(|r| {
            r.get(Field::OutlineLevel)
                .and_then(|l| l.trim().parse().ok())
        })
        .collect();
    let types: Vec<String> = mapping
        .skip
        .types
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    let skipped_type = |r: &Record| {
        r.get(Field::Kind)
            .is_some_and(|k| types.contains(&k.to_lowercase()))
    };
    let mut summary = vec![false; records.len()];
    for (i, r) in records.iter().enumerate() {
        if r.get(Field::Summary).is_some_and(truthy) {
            summary[i] = true;
        }
        if let (Some(level), Some(Some(next))) = (levels[i], levels.get(i + 1)) {
            if *next > level {
                summary[i] = true;
            }
        }
        // A story with sub-tasks stays a project: only children that are projects make
        // their parent a summary.
        if let Some(Ok(p)) = parent_of[i] {
            if !skipped_type(r) {
                summary[p] = true;
            }
        }
    }
    // Categories from outline levels: the nearest row above with a smaller level.
    let mut stack: Vec<(i64, String)> = Vec::new();
    let mut outline_parent: Vec<Option<String>> = vec![None; records.len()];
    for (i, r) in records.iter().enumerate() {
        let Some(level) = levels[i] else { continue };
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            stack.pop();
        }
        outline_parent[i] = stack.last().map(|(_, name)| name.clone());
        if summary[i] {
            stack.push((level, name_of(r, &ids[i])));
        }
    }
    // Without outline levels or parents, a summary row heads the rows below it, up to the
    // next summary row (Smartsheet's CSV export, where indentation is lost).
    let flat = levels.iter().all(Option::is_none) && parent_of.iter().all(Option::is_none);
    let mut heading: Option<String> = None;
    let mut shaped = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let from_parent = match &parent_of[i] {
            Some(Ok(p)) => Some(name_of(&records[*p], &ids[*p])),
            Some(Err(key)) => {
                warnings.push(
                    Message::new(
                        Some(r.line),
                        format!("the parent '{key}' is not in the export: it is the category as written"),
                        "export the parent rows too, or fill in a category column",
                    )
                    .at(&r.column(Field::Parent), key),
                );
                Some(key.clone())
            }
            None => None,
        };
        let category = r
            .get(Field::Category)
            .map(str::to_string)
            .or(from_parent)
            .or_else(|| outline_parent[i].clone())
            .or_else(|| heading.clone().filter(|_| flat && !summary[i]))
            .or_else(|| r.group.clone());
        if flat && summary[i] {
            heading = Some(name_of(r, &ids[i]));
        }
        let kind = r.get(Field::Kind);
        let role = if summary[i] && mapping.skip.summary {
            Role::Summary
        } else if ids[i].is_empty() {
            warnings.push(Message::new(
                Some(r.line),
                format!(
                    "the row has no id ('{}' is empty): skipped",
                    r.column(Field::Id)
                ),
                "give it an id in the export",
            ));
            Role::Dropped
        } else if let Some(kind) = kind.filter(|k| types.contains(&k.to_lowercase())) {
            warnings.push(
                Message::new(
                    Some(r.line),
                    format!("{} is of a type the profile skips: not a project", ids[i]),
                    "",
                )
                .at(&r.column(Field::Kind), kind),
            );
            Role::Dropped
        } else {
            Role::Project
        };
        shaped.push(Shaped {
            id: ids[i].clone(),
            role,
            category,
        });
    }
    shaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::grid::parse_csv;

    fn run(profile: &str, csv: &str) -> (Vec<Shaped>, Vec<Message>) {
        let mapping = super::super::mapping::parse(profile, "t").expect("mapping");
        let grid = parse_csv(csv).expect("csv");
        let read = super::super::table::read(&grid, &mapping).expect("reads");
        let mut warnings = Vec::new();
        let has_id = read.columns.contains_key(&Field::Id);
        (
            shape(&read.records, has_id, &mapping, &mut warnings),
            warnings,
        )
    }

    #[test]
    fn outline_levels_make_summaries_and_categories() {
        let profile = "profile = \"t\"\n[columns]\nid = [\"ID\"]\nname = [\"Name\"]\ncost = [\"Cost\"]\noutline_level = [\"Level\"]\n";
        let csv = "ID,Name,Cost,Level\n1,Growth,0,1\n2,CRM,10,2\n3,Web,5,2\n4,Run,0,1\n5,Infra,0,2\n6,Network,3,3\n7,Lone,1,1\n";
        let (shaped, warnings) = run(profile, csv);
        let roles: Vec<&Role> = shaped.iter().map(|s| &s.role).collect();
        use Role::*;
        assert_eq!(
            roles,
            [&Summary, &Project, &Project, &Summary, &Summary, &Project, &Project]
        );
        let categories: Vec<Option<&str>> = shaped.iter().map(|s| s.category.as_deref()).collect();
        assert_eq!(
            categories,
            [
                None,
                Some("Growth"),
                Some("Growth"),
                None,
                Some("Run"),
                Some("Infra"),
                None
            ]
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn parents_types_and_missing_ids() {
        let profile = "profile = \"t\"\n[columns]\nid = [\"Key\"]\nname = [\"Summary\"]\ncost = [\"Cost\"]\nparent = [\"Parent\"]\ntype = [\"Type\"]\n[skip]\ntypes = [\"Sub-task\"]\n";
        let csv = "Key,Summary,Cost,Parent,Type\nE-1,Growth,,,Epic\nS-1,CRM,10,E-1,Story\nS-2,Bit,1,S-1,Sub-task\nS-3,Orphan,2,E-9,Story\n,Nameless,3,,Story\n";
        let (shaped, warnings) = run(profile, csv);
        let roles: Vec<&Role> = shaped.iter().map(|s| &s.role).collect();
        use Role::*;
        assert_eq!(roles, [&Summary, &Project, &Dropped, &Project, &Dropped]);
        assert_eq!(shaped[3].category.as_deref(), Some("E-9"));
        assert_eq!(warnings.len(), 3, "{warnings:?}");
    }
}

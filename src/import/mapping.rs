//! The mapping of an export onto a workbook: which source column feeds which arbiter
//! column, how values are written (decimal mark, date order, duration unit), which rows are
//! not projects, and the value maps of status and priority. A built-in profile is such a
//! mapping, kept as a TOML file in `src/import/profiles/` and embedded in the binary, so that
//! `arbiter import --print-profile NAME` prints exactly what `--profile NAME` uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dates::Order;
use super::duration::Unit;

/// The built-in profiles: name and TOML text.
pub const PROFILES: [(&str, &str); 5] = [
    ("ms-project", include_str!("profiles/ms-project.toml")),
    ("jira", include_str!("profiles/jira.toml")),
    ("smartsheet", include_str!("profiles/smartsheet.toml")),
    ("monday", include_str!("profiles/monday.toml")),
    ("excel-fr", include_str!("profiles/excel-fr.toml")),
];

/// The TOML text of built-in profile `name`.
pub fn profile_text(name: &str) -> Result<&'static str, String> {
    PROFILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .ok_or_else(|| {
            let names: Vec<&str> = PROFILES.iter().map(|(n, _)| *n).collect();
            format!(
                "there is no profile '{name}'; the profiles are {}; or write a mapping file (start from --print-profile jira) and pass --mapping",
                names.join(", ")
            )
        })
}

/// A mapping: a profile or a user's mapping file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The name shown in messages.
    pub profile: String,
    #[serde(default)]
    pub about: String,
    #[serde(default)]
    pub source: Source,
    pub columns: Columns,
    /// Status values of the export (case, `-`, `_` ignored) → arbiter status, or `skip`.
    #[serde(default)]
    pub status: BTreeMap<String, StatusTo>,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default)]
    pub skip: Skip,
    #[serde(default)]
    pub resources: Resources,
    /// Driver name → source column names (first found wins): the column becomes a driver
    /// score column of projects.csv, and drivers.csv lists the drivers found, weight 1 each.
    #[serde(default)]
    pub drivers: BTreeMap<String, Vec<String>>,
}

/// How the export writes things.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Source {
    /// `auto`, `utf-8` or `cp1252`.
    pub encoding: String,
    pub date_order: Order,
    /// The decimal mark of amounts, durations and numbers: `.` or `,`.
    pub decimal: char,
    /// The unit of a duration written as a bare number.
    pub duration_unit: Unit,
    /// What to do with repeated headers (Jira's `Labels`, links): `join` (list columns take
    /// every cell, one-value columns the first non-empty one, with a warning when another
    /// differs), `first` (only the first column), `error`.
    pub duplicate_headers: String,
    /// The sheet of a spreadsheet export that holds the tasks (empty: the first sheet).
    pub sheet: String,
    /// With no id column: ids are this prefix and the row's number among the data rows
    /// (Smartsheet's row numbers, which its predecessors name).
    pub row_id_prefix: String,
}

impl Default for Source {
    fn default() -> Source {
        Source {
            encoding: "auto".into(),
            date_order: Order::Auto,
            decimal: '.',
            duration_unit: Unit::Days,
            duplicate_headers: "join".into(),
            sheet: String::new(),
            row_id_prefix: "R".into(),
        }
    }
}

/// Source column names for each arbiter field; the first name found in the header wins,
/// compared ignoring case and surrounding spaces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Columns {
    pub id: Vec<String>,
    /// Another key of the row that parents and predecessors may name (Jira's `Issue id`).
    pub alias: Vec<String>,
    pub name: Vec<String>,
    pub cost: Vec<String>,
    pub value: Vec<String>,
    pub duration: Vec<String>,
    pub start: Vec<String>,
    pub finish: Vec<String>,
    pub status: Vec<String>,
    pub priority: Vec<String>,
    pub category: Vec<String>,
    pub predecessors: Vec<String>,
    pub resources: Vec<String>,
    pub parent: Vec<String>,
    pub outline_level: Vec<String>,
    pub summary: Vec<String>,
    #[serde(rename = "type")]
    pub kind: Vec<String>,
    /// One cell holding start and finish, `2027-01-04 - 2027-03-31` (monday.com).
    pub timeline: Vec<String>,
    /// Fields that must be found in the header (`id` and `cost` unless said otherwise).
    pub required: Vec<Field>,
}

/// An arbiter field a source column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    Alias,
    Name,
    Cost,
    Value,
    Duration,
    Start,
    Finish,
    Status,
    Priority,
    Category,
    Predecessors,
    Resources,
    Parent,
    OutlineLevel,
    Summary,
    #[serde(rename = "type")]
    Kind,
    Timeline,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Id,
        Field::Alias,
        Field::Name,
        Field::Cost,
        Field::Value,
        Field::Duration,
        Field::Start,
        Field::Finish,
        Field::Status,
        Field::Priority,
        Field::Category,
        Field::Predecessors,
        Field::Resources,
        Field::Parent,
        Field::OutlineLevel,
        Field::Summary,
        Field::Kind,
        Field::Timeline,
    ];

    /// The field's key in a mapping file.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Alias => "alias",
            Field::Name => "name",
            Field::Cost => "cost",
            Field::Value => "value",
            Field::Duration => "duration",
            Field::Start => "start",
            Field::Finish => "finish",
            Field::Status => "status",
            Field::Priority => "priority",
            Field::Category => "category",
            Field::Predecessors => "predecessors",
            Field::Resources => "resources",
            Field::Parent => "parent",
            Field::OutlineLevel => "outline_level",
            Field::Summary => "summary",
            Field::Kind => "type",
            Field::Timeline => "timeline",
        }
    }

    /// Whether the field holds a list, so that repeated columns are joined.
    pub fn is_list(self) -> bool {
        matches!(self, Field::Predecessors | Field::Resources)
    }
}

impl Columns {
    /// The source names of `field`.
    pub fn names(&self, field: Field) -> &[String] {
        match field {
            Field::Id => &self.id,
            Field::Alias => &self.alias,
            Field::Name => &self.name,
            Field::Cost => &self.cost,
            Field::Value => &self.value,
            Field::Duration => &self.duration,
            Field::Start => &self.start,
            Field::Finish => &self.finish,
            Field::Status => &self.status,
            Field::Priority => &self.priority,
            Field::Category => &self.category,
            Field::Predecessors => &self.predecessors,
            Field::Resources => &self.resources,
            Field::Parent => &self.parent,
            Field::OutlineLevel => &self.outline_level,
            Field::Summary => &self.summary,
            Field::Kind => &self.kind,
            Field::Timeline => &self.timeline,
        }
    }
}

/// What a status value becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusTo {
    Candidate,
    Mandatory,
    InProgress,
    Excluded,
    /// Not a project to plan (done, cancelled): the row is dropped with a warning.
    Skip,
}

impl StatusTo {
    /// The arbiter status, `None` for skip.
    pub fn arbiter(self) -> Option<&'static str> {
        match self {
            StatusTo::Candidate => Some("candidate"),
            StatusTo::Mandatory => Some("mandatory"),
            StatusTo::InProgress => Some("in_progress"),
            StatusTo::Excluded => Some("excluded"),
            StatusTo::Skip => None,
        }
    }
}

/// How a priority becomes the project's value (where the export has no value of its
/// own): a named level through `map`, a number times `scale`; values in `mandatory` make
/// the project mandatory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Priority {
    pub scale: f64,
    pub mandatory: Vec<String>,
    pub map: BTreeMap<String, f64>,
}

impl Default for Priority {
    fn default() -> Priority {
        Priority {
            scale: 1.0,
            mandatory: Vec::new(),
            map: BTreeMap::new(),
        }
    }
}

/// Rows that are not projects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Skip {
    /// Summary and parent rows: their name becomes their children's category.
    pub summary: bool,
    /// Values of the `type` column whose rows are dropped (their name still serves as a
    /// category when children name them as parent).
    pub types: Vec<String>,
    /// Rows of zero duration.
    pub milestones: bool,
    /// A row whose first non-empty cell starts with one of these words (case ignored).
    pub totals: Vec<String>,
    /// A row with one non-empty cell and no id is a group title: the category of the rows
    /// below it (monday.com's groups).
    pub group_rows: bool,
    /// The cost of a row whose cost is unknown (`n.c.`, `TBD`, empty); without it, the
    /// project is imported as excluded with cost 0 and a warning.
    pub default_cost: Option<f64>,
}

impl Default for Skip {
    fn default() -> Skip {
        Skip {
            summary: true,
            types: Vec::new(),
            milestones: true,
            totals: vec!["total".into()],
            group_rows: false,
            default_cost: None,
        }
    }
}

/// The resource sheet (`--resources FILE`): its columns, and whether a pool is a resource
/// or its group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Resources {
    pub name: Vec<String>,
    #[serde(rename = "type")]
    pub kind: Vec<String>,
    pub group: Vec<String>,
    pub max_units: Vec<String>,
    /// `name` (a pool per resource) or `group` (a pool per group, the resource's name when
    /// its group is empty).
    pub pool: String,
    /// Types of resources that are not staff (material, cost): skipped with a note.
    pub skip_types: Vec<String>,
}

impl Default for Resources {
    fn default() -> Resources {
        Resources {
            name: vec!["Name".into()],
            kind: vec!["Type".into()],
            group: vec!["Group".into()],
            max_units: vec!["Max_Units".into(), "Max Units".into()],
            pool: "name".into(),
            skip_types: vec!["material".into(), "cost".into()],
        }
    }
}

/// Read a mapping from TOML text; `origin` names it in the error.
pub fn parse(text: &str, origin: &str) -> Result<Mapping, String> {
    let mut mapping: Mapping =
        toml::from_str(text).map_err(|e| format!("{origin} is not a valid mapping: {e}"))?;
    // Value maps are compared by `status_key`: normalise their keys once here.
    mapping.status = std::mem::take(&mut mapping.status)
        .into_iter()
        .map(|(k, v)| (status_key(&k), v))
        .collect();
    let priority = &mut mapping.priority;
    priority.map = std::mem::take(&mut priority.map)
        .into_iter()
        .map(|(k, v)| (status_key(&k), v))
        .collect();
    priority.mandatory = priority.mandatory.iter().map(|m| status_key(m)).collect();
    if mapping.columns.required.is_empty() {
        mapping.columns.required = vec![Field::Id, Field::Cost];
    }
    if mapping.columns.id.is_empty() {
        mapping.columns.required.retain(|f| *f != Field::Id);
    }
    if !matches!(mapping.source.decimal, '.' | ',') {
        return Err(format!(
            "{origin}: source.decimal must be \".\" or \",\", not '{}'",
            mapping.source.decimal
        ));
    }
    if !matches!(
        mapping.source.duplicate_headers.as_str(),
        "join" | "first" | "error"
    ) {
        return Err(format!(
            "{origin}: source.duplicate_headers must be join, first or error, not '{}'",
            mapping.source.duplicate_headers
        ));
    }
    if !matches!(mapping.resources.pool.as_str(), "name" | "group") {
        return Err(format!(
            "{origin}: resources.pool must be name or group, not '{}'",
            mapping.resources.pool
        ));
    }
    Ok(mapping)
}

/// A status value as compared: lowercase, `-` and `_` as spaces, spaces squeezed.
pub fn status_key(text: &str) -> String {
    text.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_parses() {
        for (name, text) in PROFILES {
            let mapping = parse(text, name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(mapping.profile, name);
        }
    }

    #[test]
    fn unknown_keys_and_profiles_are_errors() {
        let err =
            parse("profile = \"x\"\n[columns]\nidd = [\"ID\"]\n", "my.toml").expect_err("typo");
        assert!(err.contains("my.toml") && err.contains("idd"), "{err}");
        assert!(profile_text("primavera")
            .expect_err("none")
            .contains("ms-project"));
    }

    #[test]
    fn status_values_compare_loosely() {
        assert_eq!(status_key(" In-Progress "), "in progress");
        assert_eq!(status_key("EN_COURS"), "en cours");
    }
}

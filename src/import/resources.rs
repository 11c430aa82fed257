//! The resource sheet (MS Project's resource table: `Name`, `Type`, `Group`, `Max_Units`):
//! which pool each resource belongs to and how many FTE it brings. Material and cost
//! resources are not staff and are left out with a note.

use std::collections::BTreeMap;

use super::mapping::Resources;
use super::Message;
use crate::io::grid::Grid;

/// The resources read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pools {
    /// Resource name → (pool, FTE).
    pub resources: BTreeMap<String, (String, f64)>,
    /// Resources left out (not staff), with their type.
    pub left_out: Vec<(String, String)>,
}

impl Pools {
    /// Pool → FTE, summed over its resources.
    pub fn capacity(&self) -> BTreeMap<String, f64> {
        let mut out: BTreeMap<String, f64> = BTreeMap::new();
        for (pool, fte) in self.resources.values() {
            *out.entry(pool.clone()).or_default() += fte;
        }
        out
    }
}

fn index(header: &[String], names: &[String]) -> Option<usize> {
    names.iter().find_map(|name| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    })
}

/// Read the resource sheet (its header is the first row with a name column).
pub fn read(grid: &Grid, rules: &Resources) -> Result<Pools, Vec<Message>> {
    let Some(at) = grid.rows.iter().position(|r| {
        index(&r.cells, &rules.name).is_some() && index(&r.cells, &rules.max_units).is_some()
    }) else {
        return Err(vec![Message::new(
            None,
            format!(
                "the resource sheet has no header with a name column ({}) and a units column ({})",
                rules.name.join(" or "),
                rules.max_units.join(" or ")
            ),
            "give the resource table export (Name, Type, Group, Max_Units), or name its columns under [resources] in a mapping file",
        )]);
    };
    let header = &grid.rows[at].cells;
    let name_col = index(header, &rules.name).unwrap_or(0);
    let units_col = index(header, &rules.max_units).unwrap_or(0);
    let type_col = index(header, &rules.kind);
    let group_col = index(header, &rules.group);
    let mut pools = Pools::default();
    let mut errors = Vec::new();
    for row in &grid.rows[at + 1..] {
        let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).map_or("", |c| c.as_str());
        let name = cell(Some(name_col));
        if name.is_empty() {
            continue;
        }
        let kind = cell(type_col);
        if rules
            .skip_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(kind))
        {
            pools.left_out.push((name.to_string(), kind.to_string()));
            continue;
        }
        let units_text = cell(Some(units_col));
        let (number, percent) = match units_text.strip_suffix('%') {
            Some(n) => (n, true),
            None => (units_text, false),
        };
        let units = super::money::number(number, '.').or_else(|| super::money::number(number, ','));
        let Some(units) = units.filter(|u| *u >= 0.0) else {
            errors.push(
                Message::new(
                    Some(row.line),
                    format!("resource '{name}': the units are not a share"),
                    "write the units as 300% or 3 (FTE)",
                )
                .at(&header[units_col], units_text),
            );
            continue;
        };
        let fte = if percent { units / 100.0 } else { units };
        let group = cell(group_col);
        let pool = if rules.pool == "group" && !group.is_empty() {
            group
        } else {
            name
        };
        pools
            .resources
            .insert(name.to_string(), (pool.to_string(), fte));
    }
    if errors.is_empty() {
        Ok(pools)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::grid::parse_csv;

    #[test]
    fn pools_by_group_and_material_left_out() {
        let grid = parse_csv("ID,Name,Type,Group,Max_Units\n1,Ann,Work,Dev,100%\n2,Bob,Work,Dev,50%\n3,Concrete,Material,,\n4,QA team,Work,,300%\n").expect("csv");
        let rules = Resources {
            pool: "group".into(),
            ..Resources::default()
        };
        let pools = read(&grid, &rules).expect("reads");
        let capacity: Vec<(String, f64)> = pools.capacity().into_iter().collect();
        assert_eq!(
            capacity,
            [("Dev".to_string(), 1.5), ("QA team".to_string(), 3.0)]
        );
        assert_eq!(
            pools.left_out,
            [("Concrete".to_string(), "Material".to_string())]
        );
    }

    #[test]
    fn bad_units_name_the_row() {
        let grid = parse_csv("Name,Max_Units\nAnn,lots\n").expect("csv");
        let errors = read(&grid, &Resources::default()).expect_err("bad");
        assert!(
            errors[0]
                .to_string()
                .starts_with("row 2, column 'Max_Units', value 'lots'"),
            "{}",
            errors[0]
        );
    }
}

//! `--level N`: the rows at outline level N are the projects, whatever their children; the
//! rows below one of them roll up into it (its cost is the sum of its leaf rows' costs, its
//! dates span theirs, their links and assignments become its own); rows above level N stay
//! summaries (categories).

use super::hierarchy::{Role, Shaped};
use super::mapping::Field;
use super::table::Record;

/// For each record, the index of the level-N record it rolls into (`None` for the others),
/// and whether it is a leaf (no deeper row right below it). Level-N rows become projects.
pub fn roll(records: &[Record], shaped: &mut [Shaped], level: i64) -> Vec<Option<(usize, bool)>> {
    let levels: Vec<Option<i64>> = records
        .iter()
        .map(|r| {
            r.get(Field::OutlineLevel)
                .and_then(|l| l.trim().parse().ok())
        })
        .collect();
    let mut owner: Option<usize> = None;
    let mut out = vec![None; records.len()];
    for i in 0..records.len() {
        let Some(l) = levels[i] else { continue };
        if l <= level {
            owner = None;
        }
        if l == level {
            owner = Some(i);
            if shaped[i].role == Role::Summary && !shaped[i].id.is_empty() {
                shaped[i].role = Role::Project;
            }
        } else if l > level {
            if let Some(o) = owner {
                let leaf = !matches!(levels.get(i + 1), Some(Some(next)) if *next > l);
                out[i] = Some((o, leaf));
                shaped[i].role = Role::Dropped;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::grid::parse_csv;

    #[test]
    fn rows_below_level_n_roll_into_it() {
        let profile = "profile = \"t\"\n[columns]\nid = [\"ID\"]\nname = [\"Name\"]\ncost = [\"Cost\"]\noutline_level = [\"Level\"]\n";
        let mapping = super::super::mapping::parse(profile, "t").expect("mapping");
        let grid = parse_csv("ID,Name,Cost,Level\n1,Prog,0,1\n2,CRM,30,2\n3,Design,10,3\n4,Build,20,3\n5,Web,5,2\n6,Lone,1,1\n").expect("csv");
        let read = super::super::table::read(&grid, &mapping).expect("reads");
        let mut warnings = Vec::new();
        let mut shaped =
            super::super::hierarchy::shape(&read.records, true, &mapping, &mut warnings);
        let owners = roll(&read.records, &mut shaped, 2);
        let roles: Vec<&Role> = shaped.iter().map(|s| &s.role).collect();
        use Role::*;
        assert_eq!(
            roles,
            [&Summary, &Project, &Dropped, &Dropped, &Project, &Project]
        );
        assert_eq!(
            owners,
            [None, None, Some((1, true)), Some((1, true)), None, None]
        );
    }
}

//! Property test: a random portfolio, written as each tool would export it (its locale's
//! money, dates and durations, its columns and link syntax), imports back to the same
//! projects — costs, values, durations in quarters, earliest starts, statuses, categories
//! and `after` links.

use proptest::prelude::*;

use super::dates::{Calendar, Date};
use super::{import, mapping, Options};
use crate::io::grid;

/// One generated project.
#[derive(Debug, Clone)]
struct Gen {
    cost_cents: u64,
    value: u32,
    /// Quarters, 1..=4, and working days within the last one.
    quarters: u32,
    days_into_last: u32,
    /// 0-based quarter of 2027 and day of it.
    start_quarter: u32,
    start_day: u32,
    mandatory: bool,
    category: u8,
    /// Index of an earlier project it follows.
    after: Option<usize>,
    unit: u8,
}

fn gen_project() -> impl Strategy<Value = Gen> {
    (
        (0u64..500_000_000, 0u32..1000, 1u32..=4, 1u32..=60),
        (
            0u32..4,
            0u32..60,
            any::<bool>(),
            0u8..3,
            any::<Option<usize>>(),
            0u8..4,
        ),
    )
        .prop_map(|((c, v, q, d), (sq, sd, m, cat, after, unit))| Gen {
            cost_cents: c,
            value: v,
            quarters: q,
            days_into_last: d,
            start_quarter: sq,
            start_day: sd,
            mandatory: m,
            category: cat,
            after,
            unit,
        })
}

/// `1234567.89` written with `group` every three digits and `decimal`.
fn grouped(cents: u64, group: &str, decimal: &str) -> String {
    let units = (cents / 100).to_string();
    let mut out = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(c);
    }
    format!("{out}{decimal}{:02}", cents % 100)
}

/// Working days written in one of the locale's units (exactly, so that it reads back).
fn duration(days: u32, unit: u8, french: bool) -> String {
    match unit {
        1 => format!("{} {}", days * 8, if french { "h" } else { "hrs" }),
        2 if days.is_multiple_of(5) => {
            format!("{} {}", days / 5, if french { "sem." } else { "wks" })
        }
        3 if days.is_multiple_of(20) => {
            format!("{} {}", days / 20, if french { "mois" } else { "mons" })
        }
        _ => format!("{days} {}", if french { "j" } else { "days" }),
    }
}

fn start_date(g: &Gen) -> Date {
    // Day `start_day` of the quarter, counted in calendar days from its first.
    let month = g.start_quarter * 3 + 1 + g.start_day / 30;
    Date {
        year: 2027,
        month,
        day: g.start_day % 28 + 1,
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The export of `projects` in `style` (0 ms-project, 1 jira, 2 excel-fr), and its profile.
fn render(projects: &[Gen], style: u8) -> (Vec<u8>, &'static str) {
    let categories = ["Run", "Grow, fast", "Änderung"];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let profile = match style {
        0 => {
            rows.push(
                [
                    "ID",
                    "Name",
                    "Duration",
                    "Start",
                    "Predecessors",
                    "Cost",
                    "Priority",
                    "Text1",
                ]
                .map(String::from)
                .to_vec(),
            );
            for (i, g) in projects.iter().enumerate() {
                let d = start_date(g);
                rows.push(vec![
                    (i + 1).to_string(),
                    format!("Task \"{i}\""),
                    duration(days(g), g.unit, false),
                    format!("Mon {}/{}/{}", d.month, d.day, d.year - 2000),
                    after_of(g, i)
                        .map(|a| format!("{}FS+2 days", a + 1))
                        .unwrap_or_default(),
                    format!("${}", grouped(g.cost_cents, ",", ".")),
                    if g.mandatory {
                        "1000".into()
                    } else {
                        g.value.to_string()
                    },
                    categories[g.category as usize].to_string(),
                ]);
            }
            "ms-project"
        }
        1 => {
            rows.push(
                [
                    "Issue key",
                    "Summary",
                    "Original estimate",
                    "Custom field (Start date)",
                    "Inward issue link (Blocks)",
                    "Custom field (Cost)",
                    "Custom field (Business Value)",
                    "Priority",
                ]
                .map(String::from)
                .to_vec(),
            );
            for (i, g) in projects.iter().enumerate() {
                let d = start_date(g);
                rows.push(vec![
                    format!("K-{}", i + 1),
                    format!("Issue {i}"),
                    (days(g) * 8 * 3600).to_string(),
                    format!(
                        "{:02}/{}/{} 9:00 AM",
                        d.day,
                        MONTHS[d.month as usize - 1],
                        d.year - 2000
                    ),
                    after_of(g, i)
                        .map(|a| format!("K-{}", a + 1))
                        .unwrap_or_default(),
                    grouped(g.cost_cents, "", "."),
                    g.value.to_string(),
                    if g.mandatory {
                        "Highest".into()
                    } else {
                        "Low".into()
                    },
                ]);
            }
            "jira"
        }
        _ => {
            rows.push(vec!["Portefeuille 2027".to_string()]);
            rows.push(
                [
                    "Réf.",
                    "Projet",
                    "Catégorie",
                    "Coût",
                    "Valeur",
                    "Durée",
                    "Début",
                    "Statut",
                    "Dépend de",
                ]
                .map(String::from)
                .to_vec(),
            );
            for (i, g) in projects.iter().enumerate() {
                let d = start_date(g);
                rows.push(vec![
                    format!("P{:02}", i + 1),
                    format!("Projet n°{i}; élan"),
                    categories[g.category as usize].to_string(),
                    format!("{} €", grouped(g.cost_cents, "\u{a0}", ",")),
                    format!("{} €", grouped(u64::from(g.value) * 100, " ", ",")),
                    duration(days(g), g.unit, true),
                    format!("{:02}/{:02}/{}", d.day, d.month, d.year),
                    if g.mandatory {
                        "Obligatoire".into()
                    } else {
                        "Candidat".into()
                    },
                    after_of(g, i)
                        .map(|a| format!("P{:02}FD", a + 1))
                        .unwrap_or_default(),
                ]);
            }
            rows.push(vec![
                "TOTAL".to_string(),
                String::new(),
                String::new(),
                "123 €".to_string(),
            ]);
            "excel-fr"
        }
    };
    let delimiter = if style == 2 { b';' } else { b',' };
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row).expect("in memory");
    }
    let text = String::from_utf8(writer.into_inner().expect("in memory")).expect("utf-8");
    let bytes = if style == 2 {
        encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
    } else {
        text.into_bytes()
    };
    (bytes, profile)
}

fn days(g: &Gen) -> u32 {
    (g.quarters - 1) * 60 + g.days_into_last
}

fn after_of(g: &Gen, i: usize) -> Option<usize> {
    g.after.filter(|_| i > 0).map(|a| a % i)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn exports_of_each_tool_import_back_to_the_same_projects(
        projects in proptest::collection::vec(gen_project(), 1..12),
        style in 0u8..3,
    ) {
        let (bytes, profile) = render(&projects, style);
        let (text, _) = grid::decode(&bytes, grid::Encoding::Auto).expect("decodes");
        let grid = grid::parse_csv(&text).expect("csv");
        let mapping = mapping::parse(mapping::profile_text(profile).expect("profile"), profile).expect("mapping");
        let imported = import(&grid, None, &mapping, &Options::default())
            .unwrap_or_else(|e| panic!("{profile}: {:?}\n{text}", e.iter().map(|m| m.to_string()).collect::<Vec<_>>()));
        let (_, csv_bytes) = imported.files.iter().find(|(n, _)| n == "projects.csv").expect("projects.csv");
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        prop_assert_eq!(rows.len(), projects.len());
        let calendar = Calendar { months: 3, fiscal_start: 1 };
        let categories = ["Run", "Grow, fast", "Änderung"];
        for (i, (g, row)) in projects.iter().zip(&rows).enumerate() {
            let cost: f64 = row[3].parse().expect("cost");
            prop_assert!((cost - g.cost_cents as f64 / 100.0).abs() < 1e-6, "{} vs {}", cost, g.cost_cents);
            prop_assert_eq!(row[4].to_string(), g.quarters.to_string());
            prop_assert_eq!(row[7].to_string(), calendar.label(calendar.index(start_date(g))));
            let status = if g.mandatory && style != 1 { "mandatory" } else { "candidate" };
            prop_assert_eq!(&row[6], status);
            let value: f64 = row[5].parse().unwrap_or(0.0);
            let want = match (style, g.mandatory) {
                (0, true) => 0.0,
                (0, false) => f64::from(g.value) / 100.0,
                _ => f64::from(g.value),
            };
            prop_assert!((value - want).abs() < 1e-6, "value {} vs {}", value, want);
            if style != 1 {
                prop_assert_eq!(&row[2], categories[g.category as usize]);
            }
            let after = after_of(g, i).map(|a| row_id(style, a)).unwrap_or_default();
            prop_assert_eq!(&row[10], after.as_str());
        }
    }
}

fn row_id(style: u8, i: usize) -> String {
    match style {
        0 => (i + 1).to_string(),
        1 => format!("K-{}", i + 1),
        _ => format!("P{:02}", i + 1),
    }
}

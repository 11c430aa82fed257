//! `arbiter init DIR`: a small, commented template workbook to start from — the CSV files
//! with a README.md that explains each file and column (CSV has no comments), and the same
//! workbook as `DIR/workbook.xlsx` with an `about` sheet and a note on every header cell.
//! Both forms validate and plan (a test runs init → validate → plan on each).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::EXIT_USAGE;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (or an empty one).
    pub dir: PathBuf,
    /// Write the template into a folder that is not empty, replacing files of the same names.
    #[arg(long)]
    pub force: bool,
}

/// One file of the template: its name, what one row is, its columns with their meaning,
/// and its content.
struct TemplateFile {
    name: &'static str,
    what: &'static str,
    columns: &'static [(&'static str, &'static str)],
    content: &'static str,
}

const TEMPLATE: [TemplateFile; 7] = [
    TemplateFile {
        name: "projects.csv",
        what: "one row per project (the only required file)",
        columns: &[
            ("id", "unique project key, e.g. P-1"),
            ("name", "display name (default: the id)"),
            ("category", "strategic theme, department or fund; used by category budgets and balance.csv"),
            ("cost", "total cost over the project's duration, a number ≥ 0 (spread evenly over its periods)"),
            ("duration", "length in periods, a whole number ≥ 1 (default 1)"),
            ("status", "candidate (default), mandatory (must be selected), in_progress (already running: starts in the first period, cost and duration are what remains) or excluded"),
            ("earliest_start", "first period it may start in (default: the first period)"),
            ("latest_start", "last period it may start in (default: the last from which it still finishes)"),
            ("requires", "ids it needs selected too, separated by ; (e.g. P-4;P-7)"),
            ("after", "ids it must start after (they are required too), separated by ;"),
            ("requires_any", "ids of which at least one must be selected too, separated by | (e.g. P-3|P-4); || separates groups that must each be met"),
            ("min_share", "empty: whole or nothing; a share such as 0.5: may be funded at any share from it to 1, cost, value and staff in proportion"),
            ("revenue", "the project's score on the driver 'revenue' (any number; a column per driver of drivers.csv)"),
            ("risk", "the project's score on the driver 'risk'"),
        ],
        content: "\
id,name,category,cost,duration,status,earliest_start,latest_start,requires,after,requires_any,min_share,revenue,risk
P-1,Finance system upgrade (running),Run,300,2,in_progress,,,,,,,2,4
P-2,Security audit,Run,80,1,mandatory,,2027-Q2,,,,,0,5
P-3,Customer portal,Growth,400,3,candidate,2027-Q2,,,,,,5,1
P-4,Data warehouse,Growth,350,2,candidate,,,,,,,3,2
P-5,Analytics dashboards,Growth,150,1,candidate,,,,P-4,,,4,1
P-6,Office move,Run,200,1,candidate,2027-Q3,,,,,,0,2
P-7,Self-service reports,Growth,120,1,candidate,,,,,P-3|P-4,0.5,2,1
",
    },
    TemplateFile {
        name: "drivers.csv",
        what: "one row per strategic driver; a project's score is the weighted sum of its driver columns",
        columns: &[
            ("driver", "the driver's name: a column of projects.csv holds each project's score on it"),
            ("weight", "its weight, a number ≥ 0 (weights are normalised to sum to 1)"),
        ],
        content: "\
driver,weight
revenue,3
risk,2
",
    },
    TemplateFile {
        name: "budget.csv",
        what: "the money per period; its periods, in order, are the planning horizon",
        columns: &[
            ("period", "a period label (any text: 2027-Q1, 2027-03, FY27); the order of the rows is the order of time"),
            ("amount", "the most that may be spent in that period, a number ≥ 0"),
            ("carry", "yes: what the period leaves unspent is added to the next period's budget (empty = no)"),
        ],
        content: "\
period,amount,carry
2027-Q1,350,yes
2027-Q2,350,yes
2027-Q3,300,yes
2027-Q4,300,
",
    },
    TemplateFile {
        name: "capacity.csv",
        what: "one row per staff pool (team, skill or role), one column per period",
        columns: &[
            ("pool", "the pool's name, as demand.csv names it"),
            ("2027-Q1", "its capacity in that period, in FTE (one column per period of budget.csv)"),
        ],
        content: "\
pool,2027-Q1,2027-Q2,2027-Q3,2027-Q4
dev,4,4,4,4
data,2,2,2,2
",
    },
    TemplateFile {
        name: "demand.csv",
        what: "the staff each project needs, in every period it runs",
        columns: &[
            ("project", "a project id of projects.csv"),
            ("pool", "a pool of capacity.csv"),
            ("fte", "FTE of that pool the project needs in each of its periods"),
        ],
        content: "\
project,pool,fte
P-1,dev,2
P-2,dev,0.5
P-3,dev,2
P-4,data,1.5
P-5,data,1
P-6,dev,0.5
",
    },
    TemplateFile {
        name: "limits.csv",
        what: "how many projects may be selected: of a category, or of all (empty or *), or starting in one period",
        columns: &[
            ("category", "a category of projects.csv; empty or * = every project"),
            ("min_count", "at least this many (empty = no minimum)"),
            ("max_count", "at most this many (empty = no maximum)"),
            ("period", "optional: count only the projects that start in this period"),
        ],
        content: "\
category,min_count,max_count,period
Growth,,3,
",
    },
    TemplateFile {
        name: "scenarios.csv",
        what: "what-if runs for `arbiter scenarios`: rows with the same scenario name form one scenario",
        columns: &[
            ("scenario", "the scenario's name"),
            ("target", "what it changes: budget, capacity, weight or project"),
            ("key", "which one: a period or * (budget), a pool or pool@period (capacity), a driver (weight), a project id (project)"),
            ("op", "set, scale or add (budget, capacity); set or scale (weight); include, exclude, set-cost, … (project)"),
            ("value", "the number (or period) the op uses"),
        ],
        content: "\
scenario,target,key,op,value
budget-cut,budget,*,scale,0.8
more-data,capacity,data,add,1
",
    },
];

/// README.md of the template: each file, what a row is, its columns.
fn readme() -> String {
    let mut text = String::from(
        "# Portfolio workbook\n\n\
         A starting point made by `arbiter init`: replace the examples with your own projects,\n\
         budgets and teams, then check and plan:\n\n\
         ```sh\n\
         arbiter validate .            # every problem at once, with file, line and column\n\
         arbiter plan . --out plan     # the best portfolio: plan/portfolio.csv, summary.json, …\n\
         arbiter scenarios . --out what-if\n\
         arbiter report . --html report.html\n\
         ```\n\n\
         The same workbook is in `workbook.xlsx` (one sheet per file, a note on every header),\n\
         for those who prefer a spreadsheet: `arbiter plan workbook.xlsx` reads it the same way.\n\
         Edit one form or the other, not both. Column headers ignore case; `;` or TAB\n\
         delimiters and decimal commas (`1 234,5`) are read as well.\n",
    );
    for file in &TEMPLATE {
        text.push_str(&format!(
            "\n## {}\n\n{}.\n\n",
            file.name,
            capital(file.what)
        ));
        text.push_str("| column | meaning |\n|---|---|\n");
        for (column, meaning) in file.columns {
            text.push_str(&format!("| `{column}` | {meaning} |\n"));
        }
    }
    text.push_str(
        "\nOther optional files (costs.csv, balance.csv, pairwise.csv) are described in arbiter's\n\
         docs/workbook.md.\n",
    );
    text
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The note on a header cell of workbook.xlsx.
fn note(sheet: &str, column: &str) -> Option<String> {
    let file = TEMPLATE
        .iter()
        .find(|f| f.name.trim_end_matches(".csv") == sheet)?;
    let meaning = file
        .columns
        .iter()
        .find(|(c, _)| *c == column)
        .map(|(_, m)| *m)
        // The capacity sheet's period columns share the first one's note.
        .or_else(|| (sheet == "capacity" && column != "pool").then_some(file.columns[1].1))?;
    Some(format!("{column}: {meaning}"))
}

/// The `about` sheet of workbook.xlsx.
fn about() -> Vec<(String, String)> {
    let mut lines = vec![
        (
            "arbiter".to_string(),
            "A portfolio workbook made by `arbiter init`: one sheet per file (the sheet names are the file names); the first row of each sheet is its header; the notes on the headers say what each column means. Other sheets, such as this one, are ignored.".to_string(),
        ),
        (
            "use".to_string(),
            "arbiter validate workbook.xlsx — then — arbiter plan workbook.xlsx --out plan".to_string(),
        ),
    ];
    lines.extend(
        TEMPLATE
            .iter()
            .map(|f| (f.name.trim_end_matches(".csv").to_string(), capital(f.what))),
    );
    lines
}

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        eprintln!(
            "error: {} exists and is not a folder; give a new or empty folder",
            dir.display()
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let non_empty = dir.is_dir()
        && std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .next()
            .is_some();
    if non_empty && !args.force {
        eprintln!(
            "error: {} is not empty; give a new or empty folder, or add --force to write the template's files into it (files of the same names are replaced, others are kept)",
            dir.display()
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let mut files: Vec<(&str, Vec<u8>)> = TEMPLATE
        .iter()
        .map(|f| (f.name, f.content.as_bytes().to_vec()))
        .collect();
    files.push(("README.md", readme().into_bytes()));
    arbiter::io::output::write_into(dir, &files)
        .with_context(|| format!("writing the template to {}", dir.display()))?;
    // The spreadsheet is made from the CSV files just written, so the two cannot differ.
    let sheets = arbiter::io::convert::folder_sheets(dir)?;
    let xlsx = arbiter::report::xlsx::workbook_xlsx(&sheets, &about(), note)?;
    let path = dir.join("workbook.xlsx");
    arbiter::io::output::write_file(&path, xlsx)
        .with_context(|| format!("writing {}", path.display()))?;
    let shown = dir.display();
    eprintln!(
        "wrote a template workbook to {shown}: {} and README.md, and the same as {shown}/workbook.xlsx",
        TEMPLATE.map(|f| f.name).join(", ")
    );
    eprintln!("next: arbiter validate {shown} && arbiter plan {shown} --out plan");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_column_is_documented() {
        for file in &TEMPLATE {
            let header = file.content.lines().next().unwrap_or_default();
            for column in header.split(',') {
                assert!(
                    note(file.name.trim_end_matches(".csv"), column).is_some(),
                    "{}: {column} has no note",
                    file.name
                );
            }
        }
        assert!(readme().contains("| `earliest_start` |"));
    }
}

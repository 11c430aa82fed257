//! `arbiter import`: a PPM tool's export (CSV or XLSX) into a workbook folder, through a
//! built-in profile or a mapping file; `--print-profile NAME` writes a profile as an
//! editable mapping file. What was mapped and every warning go to stderr; on any error
//! nothing is written (exit 1). The workbook is checked as `validate` would before it is
//! written, atomically.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use arbiter::import::{dates, Message};
use arbiter::io::grid::Encoding;
use clap::{Args, ValueEnum};

use super::EXIT_INVALID;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodsArg {
    Quarter,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    Dmy,
    Mdy,
    Ymd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    Auto,
    #[value(name = "utf-8")]
    Utf8,
    Cp1252,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export: a CSV file or a spreadsheet (.xlsx, .xls, .ods).
    #[arg(required_unless_present = "print_profile")]
    pub source: Option<PathBuf>,
    /// A built-in profile: ms-project, jira, smartsheet, monday, excel-fr.
    #[arg(long, value_name = "NAME", conflicts_with = "mapping")]
    pub profile: Option<String>,
    /// A mapping file (TOML; start from --print-profile NAME).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The workbook folder to write.
    #[arg(
        long,
        value_name = "WORKBOOK",
        required_unless_present = "print_profile"
    )]
    pub out: Option<PathBuf>,
    /// Print the built-in profile NAME as a mapping file on stdout, and stop.
    #[arg(long, value_name = "NAME", exclusive = true)]
    pub print_profile: Option<String>,
    /// The length of a period.
    #[arg(long, value_enum, default_value_t = PeriodsArg::Quarter)]
    pub periods: PeriodsArg,
    /// The first month of the fiscal year (1–12 or a name: apr, july); quarters are then
    /// labelled FY<year it ends>-Q<n>.
    #[arg(long, value_name = "MONTH", default_value = "1")]
    pub fiscal_start: String,
    /// The order of day, month and year in numeric dates (else the profile's, or decided
    /// from the values).
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrderArg>,
    /// The export's text encoding (else the profile's; auto reads UTF-8, else cp1252).
    #[arg(long, value_enum)]
    pub encoding: Option<EncodingArg>,
    /// The first day of the plan: the horizon starts at its period (else at the earliest
    /// start date of the export).
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// A total budget per period, written to budget.csv (else budget.csv only lists the
    /// periods: no cap).
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<f64>,
    /// A start date fixes the project's start (latest_start = earliest_start).
    #[arg(long)]
    pub keep_dates: bool,
    /// The rows at this outline level are the projects; the rows below them roll up into
    /// them (cost summed over the leaf rows, dates spanned, links and staff merged).
    #[arg(long, value_name = "N")]
    pub level: Option<i64>,
    /// The resource sheet (MS Project's resource table: Name, Type, Group, Max_Units), for
    /// demand.csv and capacity.csv.
    #[arg(long, value_name = "FILE")]
    pub resources: Option<PathBuf>,
    /// Print errors only.
    #[arg(long, short)]
    pub quiet: bool,
}

fn month(text: &str) -> anyhow::Result<u32> {
    if let Ok(n) = text.trim().parse::<u32>() {
        anyhow::ensure!(
            (1..=12).contains(&n),
            "--fiscal-start must be a month, 1 to 12, got {n}"
        );
        return Ok(n);
    }
    let probe = format!("1 {} 2027", text.trim());
    dates::parse(&probe, dates::Order::Auto)
        .map(|(d, _)| d.month)
        .map_err(|_| {
            anyhow::anyhow!("--fiscal-start must be a month (1–12, apr, july), got '{text}'")
        })
}

/// An export read directly by `plan` or `validate` with `--mapping FILE`: imported with the
/// default options into a temporary workbook folder (kept as long as the value lives).
/// `Ok(None)`: the export could not be imported (the errors were printed).
pub fn import_for(
    source: &Path,
    mapping_file: &Path,
    quiet: bool,
) -> anyhow::Result<Option<tempfile::TempDir>> {
    let mapping = read_mapping(mapping_file)?;
    let encoding = encoding_of(None, &mapping);
    let sheet = (!mapping.source.sheet.is_empty()).then_some(mapping.source.sheet.as_str());
    let grid = arbiter::io::grid::read(source, encoding, sheet).map_err(anyhow::Error::msg)?;
    let options = arbiter::import::Options::default();
    match arbiter::import::import(&grid, None, &mapping, &options) {
        Ok(imported) => {
            if !quiet {
                report(source, "warning", &imported.warnings);
            }
            let dir = tempfile::tempdir()?;
            arbiter::io::output::write_outputs(dir.path(), &imported.files)?;
            Ok(Some(dir))
        }
        Err(errors) => {
            report(source, "error", &errors);
            eprintln!("{} error(s) importing {}", errors.len(), source.display());
            Ok(None)
        }
    }
}

fn read_mapping(file: &Path) -> anyhow::Result<arbiter::import::Mapping> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("{}: cannot be read: {e}", file.display()))?;
    arbiter::import::parse_mapping(&text, &file.display().to_string()).map_err(anyhow::Error::msg)
}

fn encoding_of(arg: Option<EncodingArg>, mapping: &arbiter::import::Mapping) -> Encoding {
    match arg {
        Some(EncodingArg::Auto) => Encoding::Auto,
        Some(EncodingArg::Utf8) => Encoding::Utf8,
        Some(EncodingArg::Cp1252) => Encoding::Cp1252,
        None => match mapping.source.encoding.to_lowercase().as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "cp1252" | "windows-1252" => Encoding::Cp1252,
            _ => Encoding::Auto,
        },
    }
}

fn report(source: &Path, kind: &str, messages: &[Message]) {
    for m in messages {
        let sep = if m.row.is_some() { " " } else { ": " };
        eprintln!("{kind}: {}{sep}{m}", source.display());
    }
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    if let Some(name) = &args.print_profile {
        print!(
            "{}",
            arbiter::import::profile_text(name).map_err(anyhow::Error::msg)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(source), Some(out)) = (&args.source, &args.out) else {
        anyhow::bail!("give the export and --out WORKBOOK");
    };
    let mapping = match (&args.profile, &args.mapping) {
        (Some(name), None) => {
            let text = arbiter::import::profile_text(name).map_err(anyhow::Error::msg)?;
            arbiter::import::parse_mapping(text, &format!("profile {name}"))
                .map_err(anyhow::Error::msg)?
        }
        (None, Some(file)) => read_mapping(file)?,
        _ => anyhow::bail!(
            "give --profile NAME (ms-project, jira, smartsheet, monday, excel-fr) or --mapping FILE"
        ),
    };
    let encoding = encoding_of(args.encoding, &mapping);
    let start = match &args.start {
        Some(text) => Some(
            dates::parse(text, dates::Order::Auto)
                .map(|(d, _)| d)
                .map_err(|e| anyhow::anyhow!("--start: {e}"))?,
        ),
        None => None,
    };
    if let Some(b) = args.budget {
        anyhow::ensure!(
            b.is_finite() && b >= 0.0,
            "--budget must be an amount ≥ 0, got {b}"
        );
    }
    let options = arbiter::import::Options {
        period_months: match args.periods {
            PeriodsArg::Quarter => 3,
            PeriodsArg::Month => 1,
        },
        fiscal_start: month(&args.fiscal_start)?,
        date_order: args.date_order.map(|o| match o {
            DateOrderArg::Dmy => dates::Order::Dmy,
            DateOrderArg::Mdy => dates::Order::Mdy,
            DateOrderArg::Ymd => dates::Order::Ymd,
        }),
        start,
        budget: args.budget,
        keep_dates: args.keep_dates,
        level: args.level,
    };
    let sheet = (!mapping.source.sheet.is_empty()).then_some(mapping.source.sheet.as_str());
    let grid = arbiter::io::grid::read(source, encoding, sheet).map_err(anyhow::Error::msg)?;
    let resource_grid = match &args.resources {
        Some(path) => {
            Some(arbiter::io::grid::read(path, encoding, None).map_err(anyhow::Error::msg)?)
        }
        None => None,
    };
    if !args.quiet {
        for note in &grid.notes {
            eprintln!("note: {}: {note}", source.display());
        }
    }
    let imported = match arbiter::import::import(&grid, resource_grid.as_ref(), &mapping, &options)
    {
        Ok(imported) => imported,
        Err(errors) => {
            report(source, "error", &errors);
            eprintln!("{} error(s); nothing written", errors.len());
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    if !args.quiet {
        for line in &imported.mapped {
            eprintln!("mapped: {line}");
        }
        report(source, "warning", &imported.warnings);
    }
    // The workbook is checked as `validate` would, before anything is written.
    let check = tempfile::tempdir()?;
    arbiter::io::output::write_outputs(check.path(), &imported.files)?;
    let diagnostics = arbiter::load::validate(check.path(), &arbiter::io::ReadOptions::default());
    let invalid: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == arbiter::Severity::Error)
        .collect();
    if !invalid.is_empty() {
        for d in &invalid {
            eprintln!("{d}");
        }
        eprintln!(
            "the imported workbook is not valid ({} error(s)); nothing written: fix the export, or the mapping",
            invalid.len()
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    arbiter::io::output::write_outputs(out, &imported.files)?;
    if !args.quiet {
        eprintln!(
            "wrote {} ({}), {} warning(s)",
            out.display(),
            imported
                .files
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            imported.warnings.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

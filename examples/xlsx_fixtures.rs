//! Writes the spreadsheet fixtures of `fixtures/xlsx/` (committed; run again only to change
//! them):
//!
//! - `demo.xlsx`: `fixtures/demo` as one spreadsheet, a sheet per CSV file, numbers typed as
//!   numbers (the CLI tests check that it plans exactly like the folder);
//! - `typed.xlsx`: the workbook of `fixtures/xlsx/typed/` entered the way people fill a
//!   spreadsheet: periods as real dates, costs and budgets as formulas with their cached
//!   results, a number typed as text, the tables starting at B2.
//!
//! ```sh
//! cargo run --release --example xlsx_fixtures
//! ```

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, XlsxError};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = Path::new("fixtures/xlsx");
    let sheets = arbiter::io::convert::folder_sheets(Path::new("fixtures/demo"))?;
    let demo = arbiter::report::xlsx::workbook_xlsx(&sheets, &[], |_, _| None)?;
    std::fs::write(out.join("demo.xlsx"), demo)?;
    std::fs::write(out.join("typed.xlsx"), typed()?)?;
    println!("wrote {0}/demo.xlsx and {0}/typed.xlsx", out.display());
    Ok(())
}

fn date(y: u16, m: u8, d: u8) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(y, m, d)
}

fn typed() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = date(2026, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    // Shown day first, as a European spreadsheet would; read as ISO dates all the same.
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let quarters = [(2027, 1), (2027, 4), (2027, 7), (2027, 10)];

    let sheet = book.add_worksheet();
    sheet.set_name("Budget")?;
    sheet.write_string_with_format(1, 1, "Period", &bold)?;
    sheet.write_string_with_format(1, 2, "Amount", &bold)?;
    for (i, (y, m)) in quarters.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_datetime_with_format(row, 1, date(*y, *m, 1)?, &day)?;
        // =50+50, saved with its result as a spreadsheet saves it.
        sheet.write_formula(row, 2, Formula::new("=50+50").set_result("100"))?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name("projects")?;
    let header = [
        "id",
        "name",
        "cost",
        "duration",
        "value",
        "earliest_start",
        "latest_start",
        "status",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(1, 1 + c as u16, *h, &bold)?;
    }
    struct P {
        id: &'static str,
        name: &'static str,
        cost: &'static str,
        cached: &'static str,
        duration: f64,
        value: &'static str,
        earliest: Option<(u16, u8)>,
        latest: Option<(u16, u8)>,
        status: &'static str,
    }
    let projects = [
        P {
            id: "A",
            name: "Warehouse automation",
            cost: "=2*80",
            cached: "160",
            duration: 2.0,
            value: "10",
            earliest: Some((2027, 4)),
            latest: Some((2027, 7)),
            status: "",
        },
        P {
            id: "B",
            name: "Year-end reporting fix",
            cost: "=100",
            cached: "100",
            duration: 1.0,
            value: "7",
            earliest: None,
            latest: Some((2027, 4)),
            status: "",
        },
        P {
            id: "C",
            name: "Trade show stand",
            cost: "=D4",
            cached: "100",
            duration: 1.0,
            value: "5",
            earliest: Some((2027, 7)),
            latest: Some((2027, 7)),
            status: "",
        },
        P {
            id: "D",
            name: "Compliance audit",
            cost: "=81/2",
            cached: "40.5",
            duration: 1.0,
            value: "3",
            earliest: None,
            latest: None,
            status: "mandatory",
        },
    ];
    for (i, p) in projects.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_string(row, 1, p.id)?;
        sheet.write_string(row, 2, p.name)?;
        sheet.write_formula(row, 3, Formula::new(p.cost).set_result(p.cached))?;
        sheet.write_number(row, 4, p.duration)?;
        // The value typed as text (a leading apostrophe in a spreadsheet).
        sheet.write_string(row, 5, p.value)?;
        if let Some((y, m)) = p.earliest {
            sheet.write_datetime_with_format(row, 6, date(y, m, 1)?, &day)?;
        }
        if let Some((y, m)) = p.latest {
            sheet.write_datetime_with_format(row, 7, date(y, m, 1)?, &day)?;
        }
        if !p.status.is_empty() {
            sheet.write_string(row, 8, p.status)?;
        }
    }
    book.save_to_buffer()
}

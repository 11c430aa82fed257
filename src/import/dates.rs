//! Dates as exports write them — ISO (`2027-01-04`, also with a time), numeric in a
//! locale's order (`1/4/27`, `04/01/2027`, `04.01.2027`), with a weekday (`Mon 1/4/27`,
//! `lun. 04/01/27`), with a month name in English or French (`02/Jul/27`, `4 janv. 2027`,
//! `January 4, 2027 8:00 AM`), and Excel serial day numbers (`46391`) — and the period that
//! holds a date: a quarter (`2027-Q1`, or `FY2028-Q1` with a fiscal year that does not start
//! in January, named by the calendar year it ends in) or a month (`2027-01`).

/// The order of day, month and year in a numeric date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Decided from the column's values (a first number above 12 is a day).
    Auto,
    Dmy,
    Mdy,
    Ymd,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// What a numeric date says about the order, on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// No numeric day/month ambiguity (ISO, month names, serials).
    None,
    /// Only day-first reads it (`25/01/2027`).
    DayFirst,
    /// Only month-first reads it (`01/25/2027`).
    MonthFirst,
    /// Both read it and differ (`04/01/2027`).
    Ambiguous,
}

const MONTHS: [(&str, u32); 36] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("janv", 1),
    ("févr", 2),
    ("fevr", 2),
    ("avr", 4),
    ("juil", 7),
    ("sept", 9),
    ("déc", 12),
    ("dec", 12),
    ("sep", 9),
];

/// The month a word names: a full English or French name, or a prefix of at least three
/// letters of one (`Jul`, `janv.`, `Sept`).
fn month_of(word: &str) -> Option<u32> {
    let w = word.trim().trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == w)
        .or_else(|| MONTHS.iter().find(|(name, _)| name.starts_with(&w)))
        .map(|(_, m)| *m)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn date(year: i64, month: i64, day: i64) -> Option<Date> {
    let year = if (0..100).contains(&year) {
        2000 + year
    } else {
        year
    };
    let (year, month, day) = (
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    );
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && year >= 1900)
        .then_some(Date { year, month, day })
}

/// Excel's serial day number (day 1 = 1900-01-01, with Excel's phantom 1900-02-29; so
/// serial 61 on count from 1899-12-30).
pub fn from_serial(serial: i64) -> Option<Date> {
    // Civil-from-days (Howard Hinnant), days since 1970-01-01.
    let z = serial - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    date(year, month, day)
}

/// Split a date's text into its parts: numbers and words, dropping a weekday, a time of day
/// and separators.
fn parts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            current.push(c);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Read a date; `order` decides numeric dates (with `Auto` an ambiguous one is `Err`).
/// Also returns what the text alone says about the order.
pub fn parse(text: &str, order: Order) -> Result<(Date, Hint), String> {
    let trimmed = text.trim();
    let bad = || format!("'{trimmed}' is not a date (write 2027-01-04, 04/01/2027 or 4 Jan 2027)");
    if let Ok(serial) = trimmed.parse::<f64>() {
        if (20_000.0..80_000.0).contains(&serial) {
            return from_serial(serial.floor() as i64)
                .map(|d| (d, Hint::None))
                .ok_or_else(bad);
        }
        return Err(bad());
    }
    // ISO with a time: `2027-01-04T08:00:00`.
    let trimmed = match trimmed.as_bytes().get(10) {
        Some(b'T') => trimmed.get(..10).unwrap_or(trimmed),
        _ => trimmed,
    };
    // A time of day ends the date: cut at the first ':' group (`8:00 AM`).
    let before_time = match trimmed.find(':') {
        Some(at) => trimmed[..at].rsplit_once(' ').map_or(trimmed, |(d, _)| d),
        None => trimmed,
    };
    let mut items = parts(before_time);
    // A leading weekday (`Mon`, `lun.`): a word when a month name is elsewhere or absent.
    let is_word = |s: &String| s.chars().all(char::is_alphabetic);
    if items.len() == 4 && is_word(&items[0]) {
        items.remove(0);
    }
    if items.len() != 3 {
        return Err(bad());
    }
    let num = |s: &String| s.parse::<i64>().ok();
    // A month name anywhere decides the order.
    if let Some(k) = items.iter().position(is_word) {
        let month = month_of(&items[k]).ok_or_else(bad)?;
        let others: Vec<i64> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != k)
            .map(|(_, s)| num(s))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(bad)?;
        // `Jan 4, 2027` and `4 Jan 2027`/`02/Jul/27`: the year is the 4-digit one, or last.
        let (day, year) = if others[0] > 31 {
            (others[1], others[0])
        } else {
            (others[0], others[1])
        };
        return date(year, i64::from(month), day)
            .map(|d| (d, Hint::None))
            .ok_or_else(bad);
    }
    let n: Vec<i64> = items
        .iter()
        .map(num)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(bad)?;
    if items[0].len() == 4 {
        return date(n[0], n[1], n[2])
            .map(|d| (d, Hint::None))
            .ok_or_else(bad);
    }
    let dmy = date(n[2], n[1], n[0]);
    let mdy = date(n[2], n[0], n[1]);
    let hint = match (dmy, mdy) {
        (Some(a), Some(b)) if a != b => Hint::Ambiguous,
        (Some(_), Some(_)) => Hint::None,
        (Some(_), None) => Hint::DayFirst,
        (None, Some(_)) => Hint::MonthFirst,
        (None, None) => return Err(bad()),
    };
    let chosen = match order {
        Order::Dmy => dmy,
        Order::Mdy => mdy,
        Order::Ymd => date(n[0], n[1], n[2]),
        Order::Auto => match hint {
            Hint::DayFirst => dmy,
            Hint::MonthFirst => mdy,
            Hint::None => dmy,
            Hint::Ambiguous => {
                return Err(format!(
                    "'{trimmed}' reads as a day-month or a month-day date; pass --date-order dmy or --date-order mdy"
                ))
            }
        },
    };
    chosen.map(|d| (d, hint)).ok_or_else(|| {
        format!(
            "'{trimmed}' is not a valid date in the order {}; check --date-order",
            format!("{order:?}").to_lowercase()
        )
    })
}

/// How dates become periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// Months per period: 3 (quarters) or 1 (months).
    pub months: u32,
    /// The first month of the fiscal year (1 = January).
    pub fiscal_start: u32,
}

impl Calendar {
    /// Working days in a period (see `duration`).
    pub fn working_days(&self) -> f64 {
        f64::from(self.months) * super::duration::DAYS_PER_MONTH
    }

    /// The period that holds `date`, as a number that counts periods.
    pub fn index(&self, date: Date) -> i64 {
        let months = i64::from(date.year) * 12 + i64::from(date.month) - 1;
        let shifted = months - i64::from(self.fiscal_start) + 1;
        shifted.div_euclid(i64::from(self.months))
    }

    /// The label of period `index`: `2027-Q1`, `FY2028-Q1`, `2027-01`.
    pub fn label(&self, index: i64) -> String {
        let first_month = index * i64::from(self.months) + i64::from(self.fiscal_start) - 1;
        if self.months == 1 {
            let (y, m) = (first_month.div_euclid(12), first_month.rem_euclid(12) + 1);
            return format!("{y}-{m:02}");
        }
        let fiscal_months = index * i64::from(self.months);
        let year = fiscal_months.div_euclid(12);
        let quarter = fiscal_months.rem_euclid(12) / 3 + 1;
        if self.fiscal_start == 1 {
            format!("{year}-Q{quarter}")
        } else {
            format!("FY{}-Q{quarter}", year + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    fn read(text: &str, order: Order) -> Date {
        parse(text, order)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .0
    }

    #[test]
    fn formats_of_the_tools() {
        assert_eq!(read("Mon 1/4/27", Order::Mdy), d(2027, 1, 4));
        assert_eq!(read("04/01/2027", Order::Dmy), d(2027, 1, 4));
        assert_eq!(read("02/Jul/27", Order::Auto), d(2027, 7, 2));
        assert_eq!(read("02/Jul/27 9:30 AM", Order::Auto), d(2027, 7, 2));
        assert_eq!(read("2027-01-04", Order::Auto), d(2027, 1, 4));
        assert_eq!(read("2027-01-04 08:00:00", Order::Dmy), d(2027, 1, 4));
        assert_eq!(read("January 4, 2027 8:00 AM", Order::Auto), d(2027, 1, 4));
        assert_eq!(read("4 janv. 2027", Order::Auto), d(2027, 1, 4));
        assert_eq!(read("lun. 04/01/27", Order::Dmy), d(2027, 1, 4));
        assert_eq!(read("15.03.2027", Order::Auto), d(2027, 3, 15));
        assert_eq!(read("46391", Order::Auto), d(2027, 1, 4));
        assert_eq!(read("12 août 2027", Order::Auto), d(2027, 8, 12));
    }

    #[test]
    fn order_is_decided_or_refused() {
        assert_eq!(
            parse("25/01/2027", Order::Auto).expect("ok").1,
            Hint::DayFirst
        );
        assert_eq!(
            parse("01/25/2027", Order::Auto).expect("ok").1,
            Hint::MonthFirst
        );
        let err = parse("04/01/2027", Order::Auto).expect_err("ambiguous");
        assert!(err.contains("--date-order"), "{err}");
        assert!(parse("31/02/2027", Order::Dmy).is_err());
        assert!(parse("soon", Order::Auto).is_err());
    }

    #[test]
    fn serials_match_excel() {
        assert_eq!(from_serial(45658), Some(d(2025, 1, 1)));
        assert_eq!(from_serial(46023), Some(d(2026, 1, 1)));
    }

    #[test]
    fn periods_of_dates() {
        let quarters = Calendar {
            months: 3,
            fiscal_start: 1,
        };
        let i = quarters.index(d(2027, 5, 31));
        assert_eq!(quarters.label(i), "2027-Q2");
        assert_eq!(
            quarters.index(d(2028, 1, 1)) - quarters.index(d(2027, 12, 31)),
            1
        );
        let fiscal = Calendar {
            months: 3,
            fiscal_start: 4,
        };
        assert_eq!(fiscal.label(fiscal.index(d(2027, 4, 1))), "FY2028-Q1");
        assert_eq!(fiscal.label(fiscal.index(d(2027, 3, 31))), "FY2027-Q4");
        let months = Calendar {
            months: 1,
            fiscal_start: 1,
        };
        assert_eq!(months.label(months.index(d(2027, 9, 3))), "2027-09");
        let july = Calendar {
            months: 1,
            fiscal_start: 7,
        };
        assert_eq!(july.label(july.index(d(2027, 9, 3))), "2027-09");
    }
}

//! Durations as planning tools write them (`130 days`, `13 wks`, `6 mois`, `13 sem.`,
//! `4,5 j`, `10 ed`, `5 days?`, a bare number in the profile's unit, Jira's seconds), turned
//! into working days and then into whole periods.
//!
//! The working-day calendar is MS Project's default one: 8 hours a day, 5 days a week,
//! 20 days a month; a quarter is 3 months (60 working days). Elapsed units count calendar
//! time: an elapsed day is 5/7 of a working day, an elapsed week 5 working days, an elapsed
//! month 30 elapsed days. A duration becomes the number of periods that holds it, rounded
//! up (61 working days are 2 quarters), at least 1 unless it is 0 (a milestone).

/// Working hours in a day, days in a week and in a month.
pub const HOURS_PER_DAY: f64 = 8.0;
pub const DAYS_PER_WEEK: f64 = 5.0;
pub const DAYS_PER_MONTH: f64 = 20.0;

/// A duration unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Seconds,
    Hours,
    Days,
    Weeks,
    Months,
    ElapsedDays,
}

impl Unit {
    /// Working days in one of this unit.
    pub fn days(self) -> f64 {
        match self {
            Unit::Seconds => 1.0 / (3600.0 * HOURS_PER_DAY),
            Unit::Hours => 1.0 / HOURS_PER_DAY,
            Unit::Days => 1.0,
            Unit::Weeks => DAYS_PER_WEEK,
            Unit::Months => DAYS_PER_MONTH,
            Unit::ElapsedDays => DAYS_PER_WEEK / 7.0,
        }
    }
}

/// A duration read: working days, and whether the tool marked it as an estimate (`?`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duration {
    pub days: f64,
    pub estimated: bool,
}

/// The unit a word names (case ignored, a final `.` or `s` tolerated).
fn unit_of(word: &str) -> Option<Unit> {
    let w = word.trim().trim_end_matches('.').to_lowercase();
    Some(match w.as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" | "seconde" | "secondes" => Unit::Seconds,
        "h" | "hr" | "hrs" | "hour" | "hours" | "heure" | "heures" => Unit::Hours,
        "d" | "dy" | "dys" | "day" | "days" | "j" | "jr" | "jrs" | "jour" | "jours" => Unit::Days,
        "w" | "wk" | "wks" | "week" | "weeks" | "sem" | "sems" | "semaine" | "semaines" => {
            Unit::Weeks
        }
        "mo" | "mos" | "mon" | "mons" | "month" | "months" | "mois" => Unit::Months,
        "ed" | "eday" | "edays" | "ej" | "ejours" => Unit::ElapsedDays,
        _ => return None,
    })
}

/// Elapsed units other than days, in elapsed days.
fn elapsed(word: &str) -> Option<f64> {
    let w = word.trim().trim_end_matches('.').to_lowercase();
    Some(match w.as_str() {
        "eh" | "ehr" | "ehrs" | "ehour" | "ehours" => 1.0 / 24.0,
        "ew" | "ewk" | "ewks" | "eweek" | "eweeks" => 7.0,
        "emo" | "emon" | "emons" | "emonth" | "emonths" => 30.0,
        _ => return None,
    })
}

/// Parse a duration; `bare` is the unit of a number written alone, `decimal` the export's
/// decimal mark. `Ok(None)` for an empty cell or a lone `?` (unknown).
pub fn parse(text: &str, bare: Unit, decimal: char) -> Result<Option<Duration>, String> {
    let trimmed = text.trim();
    let estimated = trimmed.ends_with('?');
    let body = trimmed.trim_end_matches('?').trim();
    if body.is_empty() {
        return Ok(None);
    }
    let split = body
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}')))
        .unwrap_or(body.len());
    let (number_text, word) = body.split_at(split);
    let bad = || {
        format!(
            "'{trimmed}' is not a duration (write a number and a unit: 130 days, 13 wks, 6 mois, 10 ed)"
        )
    };
    let amount = super::money::number(number_text, decimal)
        .or_else(|| super::money::number(number_text, if decimal == ',' { '.' } else { ',' }))
        .ok_or_else(bad)?;
    let days = if word.trim().is_empty() {
        amount * bare.days()
    } else if let Some(unit) = unit_of(word) {
        amount * unit.days()
    } else if let Some(elapsed_days) = elapsed(word) {
        amount * elapsed_days * Unit::ElapsedDays.days()
    } else {
        return Err(bad());
    };
    if days < 0.0 {
        return Err(bad());
    }
    Ok(Some(Duration { days, estimated }))
}

/// Whole periods of `per_period` working days that hold `days`, rounded up; 0 stays 0.
pub fn periods(days: f64, per_period: f64) -> usize {
    if days <= 0.0 {
        return 0;
    }
    // A tolerance so that 60 working days written as 12 weeks is one quarter, not two.
    (days / per_period - 1e-9).ceil().max(1.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(text: &str) -> f64 {
        parse(text, Unit::Days, '.')
            .expect("parses")
            .expect("known")
            .days
    }

    #[test]
    fn units_in_english_and_french() {
        assert_eq!(days("130 days"), 130.0);
        assert_eq!(days("13 wks"), 65.0);
        assert_eq!(days("13 sem."), 65.0);
        assert_eq!(days("6 mois"), 120.0);
        assert_eq!(days("2 months"), 40.0);
        assert_eq!(days("16 h"), 2.0);
        assert_eq!(days("4 j"), 4.0);
        assert_eq!(days("3w"), 15.0);
        assert_eq!(days("14 ed"), 10.0);
        assert_eq!(days("2 ew"), 10.0);
        assert_eq!(days("20"), 20.0);
        assert_eq!(
            parse("4,5 j", Unit::Days, ',')
                .expect("ok")
                .expect("known")
                .days,
            4.5
        );
        assert_eq!(
            parse("1,5 mois", Unit::Days, '.')
                .expect("ok")
                .expect("known")
                .days,
            30.0
        );
    }

    #[test]
    fn estimates_bare_numbers_and_unknowns() {
        let d = parse("5 days?", Unit::Days, '.')
            .expect("ok")
            .expect("known");
        assert!(d.estimated);
        assert_eq!(d.days, 5.0);
        assert_eq!(parse("?", Unit::Days, '.'), Ok(None));
        assert_eq!(parse("", Unit::Days, '.'), Ok(None));
        // Jira's original estimate: seconds of work.
        let secs = parse("288000", Unit::Seconds, '.')
            .expect("ok")
            .expect("known");
        assert!((secs.days - 10.0).abs() < 1e-9);
        assert!(parse("soon", Unit::Days, '.').is_err());
        assert!(parse("3 fortnights", Unit::Days, '.').is_err());
    }

    #[test]
    fn periods_round_up() {
        assert_eq!(periods(60.0, 60.0), 1);
        assert_eq!(periods(61.0, 60.0), 2);
        assert_eq!(periods(65.0, 60.0), 2);
        assert_eq!(periods(0.5, 20.0), 1);
        assert_eq!(periods(0.0, 20.0), 0);
        assert_eq!(periods(12.0 * 5.0, 60.0), 1);
    }
}

//! One project record's cells read into values: cost (unknown → excluded, or the mapping's
//! default), value (or the priority's), status (through the status map; priorities that
//! mean mandatory), duration in working days, start and finish dates, predecessors and
//! resource assignments. Every problem is a message naming the row, column and value.

use super::dates::{self, Date, Hint, Order};
use super::duration;
use super::links::{self, Assignment, Link};
use super::mapping::{status_key, Field, Mapping, StatusTo};
use super::money::{self, Money};
use super::table::Record;
use super::Message;

/// A project's values as the export gives them (dates not yet periods).
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    pub line: usize,
    pub id: String,
    pub name: String,
    pub category: Option<String>,
    pub cost: f64,
    pub value: Option<f64>,
    pub status: StatusTo,
    /// Working days; `None` when the export does not say.
    pub days: Option<f64>,
    pub start: Option<Date>,
    pub finish: Option<Date>,
    pub links: Vec<Link>,
    pub assignments: Vec<Assignment>,
    /// Driver name → score.
    pub drivers: std::collections::BTreeMap<String, f64>,
}

/// The date order of each date column: the option, else the mapping's, else (auto) what
/// the column's values show (a first number above 12 is a day). Values that prove both
/// orders are an error.
pub fn date_order(
    records: &[&Record],
    field: Field,
    mapping: &Mapping,
    forced: Option<Order>,
    errors: &mut Vec<Message>,
) -> Order {
    let order = forced.unwrap_or(mapping.source.date_order);
    if order != Order::Auto {
        return order;
    }
    let mut day_first: Option<&Record> = None;
    let mut month_first: Option<&Record> = None;
    for r in records {
        let Some(text) = r.get(field) else { continue };
        match dates::parse(text, Order::Auto) {
            Ok((_, Hint::DayFirst)) => day_first = day_first.or(Some(r)),
            Ok((_, Hint::MonthFirst)) => month_first = month_first.or(Some(r)),
            _ => {}
        }
    }
    match (day_first, month_first) {
        (Some(d), Some(m)) => {
            errors.push(
                Message::new(
                    Some(m.line),
                    format!(
                        "the dates of this column are written in both orders: row {} has '{}' (day first), this row month first",
                        d.line,
                        d.get(field).unwrap_or("")
                    ),
                    "write every date of the column in one order (or as yyyy-mm-dd)",
                )
                .at(&m.column(field), m.get(field).unwrap_or("")),
            );
            Order::Auto
        }
        (Some(_), None) => Order::Dmy,
        (None, Some(_)) => Order::Mdy,
        (None, None) => Order::Auto,
    }
}

/// Read one project record. `orders` are the date orders of start and finish.
pub fn read(
    r: &Record,
    id: &str,
    category: Option<String>,
    mapping: &Mapping,
    orders: (Order, Order),
    warnings: &mut Vec<Message>,
    errors: &mut Vec<Message>,
) -> Values {
    let decimal = mapping.source.decimal;
    let at = |field: Field, text: &str, msg: String, fix: &str| {
        Message::new(Some(r.line), msg, fix).at(&r.column(field), text)
    };
    let mut status = StatusTo::Candidate;
    if let Some(text) = r.get(Field::Status) {
        let key = status_key(text);
        match mapping.status.get(&key) {
            Some(to) => status = *to,
            None => match key.replace(' ', "_").as_str() {
                "candidate" => status = StatusTo::Candidate,
                "mandatory" => status = StatusTo::Mandatory,
                "in_progress" => status = StatusTo::InProgress,
                "excluded" => status = StatusTo::Excluded,
                _ => warnings.push(at(
                    Field::Status,
                    text,
                    format!("the status of {id} is not in the mapping: imported as candidate"),
                    "add it under [status] in a mapping file if it means something else",
                )),
            },
        }
    }
    // The priority: mandatory, or a value where the export has none.
    let mut priority_value = None;
    if let Some(text) = r.get(Field::Priority) {
        let p = &mapping.priority;
        let key = status_key(text);
        if p.mandatory.contains(&key) {
            if status == StatusTo::Candidate {
                status = StatusTo::Mandatory;
            }
        } else if let Some(v) = p.map.get(&key) {
            priority_value = Some(*v);
        } else if let Some(n) = money::number(text, decimal) {
            priority_value = Some(n * p.scale);
        } else {
            warnings.push(at(
                Field::Priority,
                text,
                format!("the priority of {id} is not a number nor a level of the mapping: ignored"),
                "add the level under [priority.map] in a mapping file",
            ));
        }
    }
    let value = match r.get(Field::Value) {
        Some(text) => match number(r, Field::Value, text, decimal) {
            Ok(Money::Amount(v)) => Some(v),
            Ok(Money::Unknown) => {
                warnings.push(at(
                    Field::Value,
                    text,
                    format!("the value of {id} is not known: none (0)"),
                    "fill in its value in projects.csv",
                ));
                None
            }
            Err(e) => {
                errors.push(at(Field::Value, text, e, "write the value as a number"));
                None
            }
        },
        // The priority stands in for the value only when the export has no value column:
        // its levels (1…5) and amounts of money are not on one scale.
        None if !r.columns.contains_key(&Field::Value) => priority_value,
        None => None,
    };
    let mut cost = 0.0;
    match r.get(Field::Cost).map(|t| (t, number(r, Field::Cost, t, decimal))) {
        Some((_, Ok(Money::Amount(c)))) if c >= 0.0 => cost = c,
        Some((text, Ok(Money::Amount(_)))) => errors.push(at(
            Field::Cost,
            text,
            format!("the cost of {id} is negative"),
            "a cost is ≥ 0: fix the amount in the export",
        )),
        Some((text, Err(e))) => errors.push(at(
            Field::Cost,
            text,
            e,
            &format!("write the amount as the profile's locale does (decimal mark '{decimal}'), or as n.c. if it is not known"),
        )),
        unknown => {
            let text = unknown.map_or("", |(t, _)| t);
            match mapping.skip.default_cost {
                Some(c) => {
                    cost = c;
                    warnings.push(at(Field::Cost, text, format!("the cost of {id} is not known: the mapping's default {c} is used"), "fill in the cost"));
                }
                None if status == StatusTo::Skip => {}
                None => {
                    if status != StatusTo::Excluded {
                        status = StatusTo::Excluded;
                    }
                    warnings.push(at(Field::Cost, text, format!("the cost of {id} is not known: imported as excluded with cost 0"), "fill in its cost and status in projects.csv (or in the export and import again)"));
                }
            }
        }
    }
    let mut days = None;
    if let Some(text) = r.get(Field::Duration) {
        let unit = mapping.source.duration_unit;
        match duration::parse(text, unit, decimal) {
            Ok(Some(d)) => {
                if d.estimated {
                    warnings.push(at(
                        Field::Duration,
                        text,
                        format!("the duration of {id} is an estimate ('?'): used as it is"),
                        "",
                    ));
                }
                days = Some(d.days);
            }
            Ok(None) => {}
            Err(e) => errors.push(at(
                Field::Duration,
                text,
                e,
                "write the duration as a number and a unit",
            )),
        }
    }
    let mut date = |field: Field, order: Order| -> Option<Date> {
        let text = r.get(field)?;
        match dates::parse(text, order) {
            Ok((d, _)) => Some(d),
            Err(e) => {
                errors.push(at(
                    field,
                    text,
                    e,
                    "write the date as the export's other dates are, or as yyyy-mm-dd",
                ));
                None
            }
        }
    };
    let mut start = date(Field::Start, orders.0);
    let mut finish = date(Field::Finish, orders.1);
    if let Some(text) = r.get(Field::Timeline) {
        // `start - end`: the dates themselves may hold `-`, so split at a spaced dash.
        let parts: Vec<&str> = text.split(" - ").collect();
        let read = |t: &str| dates::parse(t, orders.0).map(|(d, _)| d);
        match parts.as_slice() {
            [a, b] => match (read(a), read(b)) {
                (Ok(a), Ok(b)) => {
                    start = start.or(Some(a));
                    finish = finish.or(Some(b));
                }
                (Err(e), _) | (_, Err(e)) => errors.push(at(
                    Field::Timeline,
                    text,
                    e,
                    "write the timeline as 2027-01-04 - 2027-03-31",
                )),
            },
            [one] => match read(one) {
                Ok(d) => {
                    start = start.or(Some(d));
                    finish = finish.or(Some(d));
                }
                Err(e) => errors.push(at(
                    Field::Timeline,
                    text,
                    e,
                    "write the timeline as 2027-01-04 - 2027-03-31",
                )),
            },
            _ => errors.push(at(
                Field::Timeline,
                text,
                format!("'{text}' is not a timeline"),
                "write the timeline as 2027-01-04 - 2027-03-31",
            )),
        }
    }
    let links = match r
        .get(Field::Predecessors)
        .map(|t| (t, links::predecessors(t, decimal)))
    {
        Some((_, Ok(list))) => list,
        Some((text, Err(e))) => {
            errors.push(at(
                Field::Predecessors,
                text,
                e,
                "write predecessors as 3, 3FS+2 days or 3SS",
            ));
            Vec::new()
        }
        None => Vec::new(),
    };
    let assignments = match r.get(Field::Resources).map(|t| (t, links::resources(t))) {
        Some((_, Ok(list))) => list,
        Some((text, Err(e))) => {
            errors.push(at(
                Field::Resources,
                text,
                e,
                "write assignments as Name[50%], separated by commas",
            ));
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut drivers = std::collections::BTreeMap::new();
    for (driver, (column, text)) in &r.drivers {
        // A spreadsheet's number cell is `1234.5` whatever the locale.
        let score = money::number(text, decimal).or_else(|| text.parse().ok());
        match score {
            Some(score) => {
                drivers.insert(driver.clone(), score);
            }
            None => errors.push(
                Message::new(
                    Some(r.line),
                    format!("the score of {id} on driver '{driver}' is not a number"),
                    "write the score as a number",
                )
                .at(column, text),
            ),
        }
    }
    Values {
        drivers,
        line: r.line,
        id: id.to_string(),
        name: super::hierarchy::name_of(r, id),
        category,
        cost,
        value,
        status,
        days,
        start,
        finish,
        links,
        assignments,
    }
}

/// A money or number cell: a spreadsheet's typed number as it is, text in the locale.
fn number(r: &Record, field: Field, text: &str, decimal: char) -> Result<Money, String> {
    if r.is_typed(field) {
        return text
            .parse::<f64>()
            .map(Money::Amount)
            .map_err(|_| format!("'{text}' is not a number"));
    }
    money::parse(text, decimal)
}

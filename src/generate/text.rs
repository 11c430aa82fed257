//! How generated files read: the name lists of pools, drivers, categories and projects,
//! quarter labels, and numbers rounded to steps a PMO would write and printed short.

pub(super) const POOLS: &[&str] = &[
    "dev",
    "data",
    "infra",
    "design",
    "pmo",
    "qa",
    "security",
    "ops",
    "network",
    "erp",
    "mobile",
    "web",
    "ml",
    "support",
    "architecture",
    "legal",
    "finance",
    "hr",
    "marketing",
    "procurement",
];
pub(super) const DRIVERS: &[&str] = &[
    "revenue",
    "risk_reduction",
    "customer",
    "strategic_fit",
    "cost_saving",
    "compliance",
    "employee",
    "sustainability",
];
pub(super) const CATEGORIES: &[&str] = &[
    "Growth",
    "Run",
    "Compliance",
    "Innovation",
    "Efficiency",
    "Transformation",
];
pub(super) const SUBJECTS: &[&str] = &[
    "CRM",
    "ERP",
    "Data platform",
    "Payroll",
    "Billing",
    "Website",
    "Mobile app",
    "Warehouse",
    "Supplier portal",
    "Identity management",
    "Network",
    "Cloud hosting",
    "Analytics",
    "Customer portal",
    "HR system",
    "Treasury",
    "Procurement",
    "Call centre",
    "Document management",
    "Field service",
    "E-invoicing",
    "Service desk",
];
pub(super) const ACTIONS: &[&str] = &[
    "replacement",
    "upgrade",
    "phase 2",
    "migration",
    "rollout",
    "consolidation",
    "automation",
    "redesign",
    "modernisation",
    "pilot",
];

pub(super) fn name_of(list: &[&str], i: usize, fallback: &str) -> String {
    match list.get(i) {
        Some(name) => (*name).to_string(),
        None => format!("{fallback}-{}", i + 1),
    }
}

/// Quarter label of period `i`, counting from 2027-Q1.
pub(super) fn period_label(i: usize) -> String {
    format!("{}-Q{}", 2027 + i / 4, i % 4 + 1)
}

pub(super) fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

pub(super) fn fmt_num(x: f64) -> String {
    // Round away float noise so the text is short and stable.
    let r = (x * 1000.0).round() / 1000.0;
    format!("{r}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fall_back_to_numbered_ones() {
        assert_eq!(name_of(&["a", "b"], 1, "pool"), "b");
        assert_eq!(name_of(&["a", "b"], 2, "pool"), "pool-3");
    }

    #[test]
    fn periods_are_quarters_from_2027() {
        assert_eq!(period_label(0), "2027-Q1");
        assert_eq!(period_label(5), "2028-Q2");
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(fmt_num(0.1 + 0.2), "0.3");
        assert_eq!(fmt_num(1200.0), "1200");
        assert_eq!(fmt_num(2.0 / 3.0), "0.667");
        assert_eq!(round_to(0.73, 0.05), 0.75);
        assert_eq!(round_to(1234.0, 10.0), 1230.0);
    }
}

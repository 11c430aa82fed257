//! The stable codes of every diagnostic, as documented in docs/validation.md: `E…` for
//! errors, `W…` for warnings (`Diags::add` takes the severity from the letter).

/// The workbook folder does not exist or is not a folder.
pub const FOLDER_MISSING: &str = "E001";
/// The workbook has no projects.csv.
pub const PROJECTS_MISSING: &str = "E002";
/// A file is not UTF-8 text.
pub const NOT_UTF8: &str = "E003";
/// A file cannot be read (I/O error, malformed CSV).
pub const UNREADABLE: &str = "E004";
/// A file has no header row.
pub const EMPTY_FILE: &str = "E005";
/// A required column is missing.
pub const MISSING_COLUMN: &str = "E006";
/// A column appears twice in a header.
pub const DUPLICATE_COLUMN: &str = "E007";
/// A row has more or fewer fields than the header.
pub const FIELD_COUNT: &str = "E008";
/// A required cell is empty.
pub const EMPTY_FIELD: &str = "E009";
/// A cell that must be a number is not one (text, NaN, infinite).
pub const NOT_A_NUMBER: &str = "E010";
/// A number outside its range (negative where ≥ 0 is required, a share outside 0…1).
pub const OUT_OF_RANGE: &str = "E011";
/// A duration or offset that is not a whole number in range.
pub const NOT_INTEGER: &str = "E012";
/// Two rows for the same key.
pub const DUPLICATE_KEY: &str = "E013";
/// A status that is not one of the four.
pub const UNKNOWN_STATUS: &str = "E014";
/// Neither budget.csv nor capacity.csv gives a period.
pub const NO_HORIZON: &str = "E015";
/// A period label that is not in the horizon.
pub const UNKNOWN_PERIOD: &str = "E016";
/// A project id that projects.csv does not have.
pub const UNKNOWN_PROJECT: &str = "E017";
/// A project names itself in requires / excludes / after.
pub const SELF_LINK: &str = "E018";
/// The `after` links form a cycle.
pub const AFTER_CYCLE: &str = "E019";
/// A candidate or mandatory project's window cannot hold its duration.
pub const WINDOW_TOO_SMALL: &str = "E020";
/// A three-point range out of order (low > likely or likely > high).
pub const RANGE_ORDER: &str = "E021";
/// Every driver weight is 0.
pub const ZERO_WEIGHTS: &str = "E022";
/// A driver has no score column in projects.csv.
pub const DRIVER_WITHOUT_COLUMN: &str = "E023";
/// Both drivers.csv and pairwise.csv are given.
pub const BOTH_WEIGHT_FILES: &str = "E024";
/// A pair of drivers is not compared in pairwise.csv.
pub const MISSING_PAIR: &str = "E025";
/// A pairwise ratio outside Saaty's 1/9…9.
pub const RATIO_OUT_OF_SCALE: &str = "E026";
/// Pairwise consistency ratio above 0.10, with `--strict`.
pub const INCONSISTENT_PAIRWISE: &str = "E027";
/// A pairwise row compares a driver with itself.
pub const SELF_PAIR: &str = "E028";
/// Flat and per-offset demand rows for one project and pool.
pub const MIXED_DEMAND: &str = "E029";
/// An offset at or beyond the project's duration.
pub const OFFSET_BEYOND_DURATION: &str = "E030";
/// A pool that capacity.csv does not have.
pub const UNKNOWN_POOL: &str = "E031";
/// A balance min_share above its max_share.
pub const SHARE_ORDER: &str = "E032";
/// A scenarios.csv target arbiter does not know (or cannot apply yet).
pub const SCENARIO_TARGET: &str = "E033";
/// A scenarios.csv op arbiter does not know, or one its target does not take.
pub const SCENARIO_OP: &str = "E034";
/// A driver that the workbook does not have.
pub const UNKNOWN_DRIVER: &str = "E035";
/// A category that no project, budget or balance row names.
pub const UNKNOWN_CATEGORY: &str = "E036";
/// A scenario name that is empty as a folder name, reserved, or collides with another.
pub const SCENARIO_NAME: &str = "E037";
/// A scenario whose changes leave an invalid workbook (a negative limit, a window that
/// cannot hold the duration, all weights zero, a window on running work).
pub const SCENARIO_RESULT: &str = "E038";
/// A team that capacity.csv does not have (teams.csv, or a scenario's capacity or team
/// key with teams.csv).
pub const UNKNOWN_TEAM: &str = "E039";
/// A skill that demand.csv asks for and no team of teams.csv serves.
pub const UNSERVED_SKILL: &str = "E040";
/// A yes/no cell (budget.csv `carry`) that is neither.
pub const NOT_YES_NO: &str = "E041";
/// A count limit whose `min_count` is above its `max_count` (limits.csv).
pub const COUNT_ORDER: &str = "E042";
/// An input over one of the reading limits (decompressed size, line length, rows or cells
/// of a file, projects, periods, scenarios); the message names the environment variable
/// that raises it.
pub const INPUT_LIMIT: &str = "E043";

/// An unknown (or unnamed) column; its data is ignored.
pub const UNKNOWN_COLUMN: &str = "W001";
/// latest_start later than the last start that finishes inside the horizon; clipped.
pub const LATEST_CLIPPED: &str = "W002";
/// `after` on an in-progress project is ignored.
pub const AFTER_IGNORED: &str = "W003";
/// earliest_start / latest_start on an in-progress project are ignored.
pub const WINDOW_IGNORED: &str = "W004";
/// A pool has capacity for some periods only; 0 in the others.
pub const PARTIAL_POOL: &str = "W005";
/// Pairwise consistency ratio above 0.10 (without `--strict`).
pub const INCONSISTENT_PAIRWISE_WARNING: &str = "W006";
/// A cost profile whose sum differs from the project's cost.
pub const PROFILE_SUM: &str = "W007";
/// A balance category that no project has.
pub const BALANCE_CATEGORY_UNUSED: &str = "W008";
/// An excluded project's window names an unknown period; ignored.
pub const EXCLUDED_WINDOW: &str = "W009";
/// A team with capacity that teams.csv gives no skill: its FTE is never used.
pub const TEAM_WITHOUT_SKILL: &str = "W010";
/// A project that no portfolio can contain (its links contradict each other, or require
/// excluded work), named with the rules that make it so.
pub const NEVER_SELECTABLE: &str = "W011";
/// Every project of projects.csv is excluded: nothing can be selected.
pub const ALL_EXCLUDED: &str = "W012";
/// budget.csv gives 0 in every period while projects cost money.
pub const ZERO_BUDGET: &str = "W013";

/// Every code, in order.
pub const ALL: [&str; 56] = [
    FOLDER_MISSING,
    PROJECTS_MISSING,
    NOT_UTF8,
    UNREADABLE,
    EMPTY_FILE,
    MISSING_COLUMN,
    DUPLICATE_COLUMN,
    FIELD_COUNT,
    EMPTY_FIELD,
    NOT_A_NUMBER,
    OUT_OF_RANGE,
    NOT_INTEGER,
    DUPLICATE_KEY,
    UNKNOWN_STATUS,
    NO_HORIZON,
    UNKNOWN_PERIOD,
    UNKNOWN_PROJECT,
    SELF_LINK,
    AFTER_CYCLE,
    WINDOW_TOO_SMALL,
    RANGE_ORDER,
    ZERO_WEIGHTS,
    DRIVER_WITHOUT_COLUMN,
    BOTH_WEIGHT_FILES,
    MISSING_PAIR,
    RATIO_OUT_OF_SCALE,
    INCONSISTENT_PAIRWISE,
    SELF_PAIR,
    MIXED_DEMAND,
    OFFSET_BEYOND_DURATION,
    UNKNOWN_POOL,
    SHARE_ORDER,
    SCENARIO_TARGET,
    SCENARIO_OP,
    UNKNOWN_DRIVER,
    UNKNOWN_CATEGORY,
    SCENARIO_NAME,
    SCENARIO_RESULT,
    UNKNOWN_TEAM,
    UNSERVED_SKILL,
    NOT_YES_NO,
    COUNT_ORDER,
    INPUT_LIMIT,
    UNKNOWN_COLUMN,
    LATEST_CLIPPED,
    AFTER_IGNORED,
    WINDOW_IGNORED,
    PARTIAL_POOL,
    INCONSISTENT_PAIRWISE_WARNING,
    PROFILE_SUM,
    BALANCE_CATEGORY_UNUSED,
    EXCLUDED_WINDOW,
    TEAM_WITHOUT_SKILL,
    NEVER_SELECTABLE,
    ALL_EXCLUDED,
    ZERO_BUDGET,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    #[test]
    fn codes_are_unique_documented_and_have_fixtures_only() {
        let unique: BTreeSet<&str> = ALL.iter().copied().collect();
        assert_eq!(unique.len(), ALL.len());
        let docs = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/validation.md"),
        )
        .expect("docs/validation.md");
        for code in ALL {
            assert!(docs.contains(&format!("| {code} |")), "{code} not in docs");
        }
        let entries =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/invalid"))
                .expect("fixtures");
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.path().is_dir() {
                assert!(unique.contains(name.as_str()), "fixture {name} has no code");
            }
        }
    }
}

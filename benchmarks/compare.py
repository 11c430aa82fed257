#!/usr/bin/env python3
"""Solve an arbiter workbook with arbiter, PuLP + CBC and OR-Tools CP-SAT, and compare.

This is the baseline a PMO analyst would otherwise script by hand: it reads the workbook
folder itself, builds the same MILP as arbiter (README "The model"; src/solve/encode.rs),
solves it with CBC and CP-SAT under the same time limit and thread count as arbiter, runs
`arbiter plan` on the same workbook, one tool after the other, and prints a Markdown table.

The model (first objective only; arbiter's earliest-start tie-break is not reproduced):
  * binary x[p][t] for every start t that p's window allows (in progress: t = 0 only;
    excluded: none; a candidate/mandatory start must finish inside the horizon);
  * Σ_t x[p][t] ≤ 1, = 1 for mandatory and in-progress projects;
  * per period: total spend ≤ budget, per-category spend ≤ category budget, where a start t
    spends profile[τ − t] in period τ (costs.csv profile, else cost / duration);
  * per pool and period: Σ demand ≤ capacity;
  * requires y_p ≤ y_q; excludes y_p + y_q ≤ 1;
  * after: for every start t of p, Σ_{s ≤ t} x[p][s] ≤ Σ_{s + d_q ≤ t} x[q][s];
  * balance: Σ inside_cost · (1[c] − share) · x ≥ 0 (min) / ≤ 0 (max);
  * maximise Σ score_p · (1 + r)^(−t) · x[p][t].
Rows that can never bind are dropped, as arbiter does; that changes nothing.

CP-SAT needs integer coefficients. Each row is multiplied by the smallest factor
10^k × m (m one of 1, 2, 3, 4, 5, 6, 8, 12, 24, 60, 120, 840, 2520; factor ≤ 10^7) that makes
all its coefficients and its limit integral (within 1e-9 of a unit), so that an even spread
cost/duration is exact; where none does, by 10^6 with the left-hand coefficients rounded up
and the limit rounded down (for a ≥ row: coefficients down, limit up), so every CP-SAT
solution is feasible for the real model. The objective gets the smallest such factor up to
10^9 (less when Σ|c| × factor would pass 2^53), rounded up, so CP-SAT's bound divided by the
factor is a valid bound of the real objective; the objective reported is the real objective
of CP-SAT's solution. The output says which factors were used and how many rows were rounded.

CBC: `--threads 1` runs CBC's default serial search (PuLP's `threads=1` would switch on CBC's
parallel tree code with one worker, which claimed a wrong optimum on a 50-project workbook);
`--threads 2` passes `threads 2`. CP-SAT: `num_workers` = `--threads`. arbiter: `--threads`,
and `--rank none --jobs 1` where the binary has them, so that it only solves.

Every solution (arbiter's included) is re-checked against this script's float model with the
contract's tolerance, 1e-6 × max(1, |limit|), and its objective recomputed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Sequence

if TYPE_CHECKING:
    from ortools.sat.python import cp_model as cp_types

INF = math.inf
STATUSES = ("candidate", "mandatory", "inprogress", "excluded")


class WorkbookError(Exception):
    """An input problem, with the file and line that cause it."""


class ToolError(Exception):
    """A solver or arbiter could not be run."""


# ---------------------------------------------------------------------------------------
# Reading CSV files


@dataclass
class Table:
    """One CSV file: its header keys (lower-case, trimmed) and rows with their line number."""

    file: str
    header: list[str]
    keys: list[str]
    rows: list[tuple[int, list[str]]]
    decimal_comma: bool

    def col(self, key: str) -> Optional[int]:
        return self.keys.index(key) if key in self.keys else None

    def text(self, row: list[str], key: str) -> str:
        i = self.col(key)
        return row[i].strip() if i is not None else ""

    def number(self, line: int, row: list[str], key: str, default: Optional[float]) -> float:
        text = self.text(row, key)
        if text == "":
            if default is None:
                raise WorkbookError(f"{self.file} line {line}, column '{key}': a number is required")
            return default
        return parse_number(text, self.decimal_comma, f"{self.file} line {line}, column '{key}'")

    def integer(self, line: int, row: list[str], key: str, default: Optional[int]) -> int:
        value = self.number(line, row, key, None if default is None else float(default))
        if value != int(value):
            raise WorkbookError(f"{self.file} line {line}, column '{key}': '{value}' is not a whole number")
        return int(value)


def norm_key(text: str) -> str:
    """Status values and driver names ignore case, spaces, '-' and '_'."""
    return re.sub(r"[ \-_]", "", text.strip()).lower()


def parse_number(text: str, decimal_comma: bool, where: str) -> float:
    """A number as the contract reads it (thousands separators, decimal comma with ; / TAB)."""
    compact = re.sub("[ \u00a0\u202f']", "", text.strip())
    commas, dots = compact.count(","), compact.count(".")
    if commas and dots:
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        group = "." if decimal == "," else ","
        compact = compact.replace(group, "").replace(decimal, ".")
    elif commas == 1 and decimal_comma:
        compact = compact.replace(",", ".")
    elif commas:
        compact = compact.replace(",", "")
    elif dots > 1:
        compact = compact.replace(".", "")
    try:
        value = float(compact)
    except ValueError:
        raise WorkbookError(f"{where}: '{text}' is not a number") from None
    if not math.isfinite(value):
        raise WorkbookError(f"{where}: '{text}' is not a finite number")
    return value


def detect_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_table(folder: Path, name: str) -> Optional[Table]:
    """Read `folder/name`, or None when the file does not exist."""
    path = folder / name
    if not path.exists():
        return None
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise WorkbookError(f"{name}: not UTF-8 (byte {e.start}); save it as 'CSV UTF-8'") from None
    lines = content.splitlines()
    first = next((l for l in lines if l.strip()), "")
    delimiter = detect_delimiter(first)
    reader = csv.reader(lines, delimiter=delimiter)
    header: Optional[list[str]] = None
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) != len(header):
            raise WorkbookError(f"{name} line {reader.line_num}: {len(cells)} fields, the header has {len(header)}")
        rows.append((reader.line_num, cells))
    if header is None:
        raise WorkbookError(f"{name}: the file is empty (a header row is required)")
    return Table(name, header, [h.lower() for h in header], rows, decimal_comma=delimiter != ",")


def split_ids(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[;|]", text) if s.strip()]


# ---------------------------------------------------------------------------------------
# The workbook, resolved to indices


@dataclass
class Project:
    id: str
    line: int
    cost: float
    duration: int
    value: float
    status: str
    category: Optional[str]
    earliest: int = 0
    latest: int = 0
    requires: list[int] = field(default_factory=list)
    excludes: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    profile: list[float] = field(default_factory=list)
    demand: dict[int, list[float]] = field(default_factory=dict)


@dataclass
class Balance:
    category: str
    min_share: float
    max_share: float


@dataclass
class Workbook:
    periods: list[str]
    projects: list[Project]
    weights: list[float]
    pools: list[str]
    capacity: list[list[float]]
    budget_total: list[Optional[float]]
    budget_category: dict[str, list[Optional[float]]]
    balance: list[Balance]

    def score(self, p: int, objective: str) -> float:
        project = self.projects[p]
        if objective == "value" or not self.weights:
            return project.value
        return sum(w * s for w, s in zip(self.weights, project.scores))


def read_budget(table: Table) -> tuple[list[str], list[tuple[str, Optional[str], float]]]:
    """Periods in order of first appearance, and (period, category or None, amount) caps."""
    periods: list[str] = []
    caps: list[tuple[str, Optional[str], float]] = []

    def category_of(text: str) -> Optional[str]:
        return None if text in ("", "*") else text

    if "period" in table.keys:
        for line, row in table.rows:
            period = table.text(row, "period")
            if not period:
                raise WorkbookError(f"budget.csv line {line}, column 'period': empty")
            if period not in periods:
                periods.append(period)
            caps.append((period, category_of(table.text(row, "category")), table.number(line, row, "amount", None)))
    else:
        period_cols = [i for i, k in enumerate(table.keys) if k and k != "category"]
        header = table.header
        periods = [header[i] for i in period_cols]
        for line, row in table.rows:
            category = category_of(table.text(row, "category"))
            for i in period_cols:
                if row[i].strip():
                    where = f"budget.csv line {line}, column '{header[i]}'"
                    caps.append((header[i], category, parse_number(row[i], table.decimal_comma, where)))
    return periods, caps


def read_capacity(table: Table) -> tuple[list[str], list[str], list[tuple[str, str, float, int]]]:
    """Pools and periods in order of first appearance, and (pool, period, fte, line) entries."""
    pools: list[str] = []
    periods: list[str] = []
    entries: list[tuple[str, str, float, int]] = []
    if "period" in table.keys:
        for line, row in table.rows:
            pool, period = table.text(row, "pool"), table.text(row, "period")
            if not pool or not period:
                raise WorkbookError(f"capacity.csv line {line}: pool and period are required")
            pools += [pool] if pool not in pools else []
            periods += [period] if period not in periods else []
            entries.append((pool, period, table.number(line, row, "fte", None), line))
    else:
        if "pool" not in table.keys:
            raise WorkbookError("capacity.csv line 1: a 'pool' column is required")
        header = table.header
        period_cols = [i for i, k in enumerate(table.keys) if k and k != "pool"]
        periods = [header[i] for i in period_cols]
        for line, row in table.rows:
            pool = table.text(row, "pool")
            pools += [pool] if pool not in pools else []
            for i in period_cols:
                if row[i].strip():
                    where = f"capacity.csv line {line}, column '{header[i]}'"
                    entries.append((pool, header[i], parse_number(row[i], table.decimal_comma, where), line))
    return pools, periods, entries


def read_weights(folder: Path) -> list[tuple[str, float]]:
    if (folder / "pairwise.csv").exists():
        raise WorkbookError(
            "pairwise.csv: AHP pairwise weights are not supported by compare.py; "
            "give the weights in drivers.csv (driver, weight) instead"
        )
    table = read_table(folder, "drivers.csv")
    if table is None:
        return []
    rows = [(table.text(row, "driver"), table.number(line, row, "weight", None)) for line, row in table.rows]
    if rows and sum(w for _, w in rows) <= 0:
        raise WorkbookError("drivers.csv line 2, column 'weight': every weight is 0")
    return rows


def read_projects(table: Table, drivers: list[tuple[str, float]], periods: list[str]) -> list[Project]:
    index = {p: i for i, p in enumerate(periods)}
    score_cols: list[str] = []
    for name, _ in drivers:
        match = [k for k in table.keys if norm_key(k) == norm_key(name)]
        if not match:
            raise WorkbookError(f"drivers.csv: driver '{name}' has no column in projects.csv")
        score_cols.append(match[0])
    projects: list[Project] = []
    for line, row in table.rows:
        status = norm_key(table.text(row, "status")) or "candidate"
        if status not in STATUSES:
            raise WorkbookError(f"projects.csv line {line}, column 'status': unknown status '{table.text(row, 'status')}'")
        duration = table.integer(line, row, "duration", 1)
        cost = table.number(line, row, "cost", None)
        project = Project(
            id=table.text(row, "id"),
            line=line,
            cost=cost,
            duration=duration,
            value=table.number(line, row, "value", 0.0),
            status=status,
            category=table.text(row, "category") or None,
            scores=[table.number(line, row, c, 0.0) for c in score_cols],
            profile=[cost / duration] * duration,
        )
        project.earliest, project.latest = window(table, line, row, status, duration, index, len(periods))
        projects.append(project)
    ids = {p.id: i for i, p in enumerate(projects)}
    for (line, row), project in zip(table.rows, projects):
        for key in ("requires", "excludes", "after"):
            links: list[int] = []
            for other in split_ids(table.text(row, key)):
                if other not in ids:
                    raise WorkbookError(f"projects.csv line {line}, column '{key}': '{other}' is not a project id")
                links.append(ids[other])
            setattr(project, key, sorted(set(links)))
        if project.status == "inprogress":
            project.after = []
    return projects


def window(
    table: Table, line: int, row: list[str], status: str, duration: int, index: dict[str, int], horizon: int
) -> tuple[int, int]:
    """(earliest, latest) start indices; latest clipped so the project finishes in the horizon."""
    if status == "inprogress":
        return 0, 0

    def period(key: str) -> Optional[int]:
        label = table.text(row, key)
        if not label:
            return None
        if label not in index:
            if status == "excluded":
                return None
            raise WorkbookError(f"projects.csv line {line}, column '{key}': '{label}' is not a period of the horizon")
        return index[label]

    earliest = period("earliest_start") or 0
    last = horizon - duration
    given = period("latest_start")
    latest = last if given is None else min(given, last)
    if status != "excluded" and (last < 0 or earliest > latest):
        raise WorkbookError(f"projects.csv line {line}: the start window cannot hold the duration {duration}")
    return earliest, latest


def apply_costs(table: Optional[Table], projects: list[Project]) -> None:
    if table is None:
        return
    ids = {p.id: p for p in projects}
    seen: set[str] = set()
    for line, row in table.rows:
        pid = table.text(row, "project")
        if pid not in ids:
            raise WorkbookError(f"costs.csv line {line}, column 'project': '{pid}' is not a project id")
        project = ids[pid]
        offset = table.integer(line, row, "offset", None)
        if not 0 <= offset < project.duration:
            raise WorkbookError(f"costs.csv line {line}, column 'offset': {offset} is outside 0..{project.duration - 1}")
        if pid not in seen:
            project.profile = [0.0] * project.duration
            seen.add(pid)
        project.profile[offset] = table.number(line, row, "amount", None)


def apply_demand(table: Optional[Table], projects: list[Project], pools: list[str]) -> None:
    if table is None:
        return
    ids = {p.id: p for p in projects}
    for line, row in table.rows:
        pid, pool = table.text(row, "project"), table.text(row, "pool")
        if pid not in ids:
            raise WorkbookError(f"demand.csv line {line}, column 'project': '{pid}' is not a project id")
        if pool not in pools:
            raise WorkbookError(f"demand.csv line {line}, column 'pool': '{pool}' is not a pool of capacity.csv")
        project = ids[pid]
        fte = table.number(line, row, "fte", None)
        load = project.demand.setdefault(pools.index(pool), [0.0] * project.duration)
        offset_text = table.text(row, "offset")
        if offset_text == "":
            load[:] = [fte] * project.duration
            continue
        offset = table.integer(line, row, "offset", None)
        if not 0 <= offset < project.duration:
            raise WorkbookError(f"demand.csv line {line}, column 'offset': {offset} is outside 0..{project.duration - 1}")
        load[offset] = fte


def read_workbook(folder: Path) -> Workbook:
    if not folder.is_dir():
        raise WorkbookError(f"{folder}: not a folder")
    projects_table = read_table(folder, "projects.csv")
    if projects_table is None:
        raise WorkbookError(f"{folder}: projects.csv is required")
    budget_table, capacity_table = read_table(folder, "budget.csv"), read_table(folder, "capacity.csv")
    budget_periods, caps = read_budget(budget_table) if budget_table else ([], [])
    pools, cap_periods, entries = read_capacity(capacity_table) if capacity_table else ([], [], [])
    periods = budget_periods or cap_periods
    if not periods:
        raise WorkbookError(f"{folder}: neither budget.csv nor capacity.csv names a period (no horizon)")
    index = {p: i for i, p in enumerate(periods)}
    capacity = [[0.0] * len(periods) for _ in pools]
    for pool, period, fte, line in entries:
        if period not in index:
            raise WorkbookError(f"capacity.csv line {line}: period '{period}' is not in the horizon")
        capacity[pools.index(pool)][index[period]] = fte
    budget_total: list[Optional[float]] = [None] * len(periods)
    budget_category: dict[str, list[Optional[float]]] = {}
    for period, category, amount in caps:
        if category is None:
            budget_total[index[period]] = amount
        else:
            budget_category.setdefault(category, [None] * len(periods))[index[period]] = amount
    drivers = read_weights(folder)
    total_weight = sum(w for _, w in drivers)
    projects = read_projects(projects_table, drivers, periods)
    apply_costs(read_table(folder, "costs.csv"), projects)
    apply_demand(read_table(folder, "demand.csv"), projects, pools)
    balance_table = read_table(folder, "balance.csv")
    balance = []
    if balance_table is not None:
        for line, row in balance_table.rows:
            balance.append(
                Balance(
                    balance_table.text(row, "category"),
                    balance_table.number(line, row, "min_share", 0.0),
                    balance_table.number(line, row, "max_share", 1.0),
                )
            )
    for name in ("teams.csv",):
        if (folder / name).exists():
            raise WorkbookError(f"{name}: teams are not supported by compare.py (nor solved by arbiter yet)")
    return Workbook(
        periods=periods,
        projects=projects,
        weights=[w / total_weight for _, w in drivers],
        pools=pools,
        capacity=capacity,
        budget_total=budget_total,
        budget_category=budget_category,
        balance=balance,
    )


# ---------------------------------------------------------------------------------------
# The MILP as plain data (arbiter's encoding)


@dataclass
class Row:
    kind: str
    terms: list[tuple[int, float]]
    lower: float
    upper: float


@dataclass
class Model:
    columns: list[tuple[int, int]]
    by_project: list[list[int]]
    objective: list[float]
    rows: list[Row]


def build_columns(wb: Workbook, objective: str, discount: float) -> tuple[list[tuple[int, int]], list[list[int]], list[float]]:
    horizon = len(wb.periods)
    columns: list[tuple[int, int]] = []
    by_project: list[list[int]] = [[] for _ in wb.projects]
    coefs: list[float] = []
    for p, project in enumerate(wb.projects):
        if project.status == "excluded":
            continue
        starts = [0] if project.status == "inprogress" else range(project.earliest, project.latest + 1)
        score = wb.score(p, objective)
        for t in starts:
            if project.status != "inprogress" and t + project.duration > horizon:
                continue
            by_project[p].append(len(columns))
            columns.append((p, t))
            coefs.append(score * (1.0 + discount) ** (-t))
    return columns, by_project, coefs


def capped(kind: str, terms: list[tuple[int, float]], cap: float) -> list[Row]:
    """The row Σ terms ≤ cap, or nothing when it can never bind."""
    if sum(max(c, 0.0) for _, c in terms) <= cap:
        return []
    return [Row(kind, terms, -INF, cap)]


def resource_rows(wb: Workbook, columns: list[tuple[int, int]]) -> list[Row]:
    horizon = len(wb.periods)
    total: list[list[tuple[int, float]]] = [[] for _ in range(horizon)]
    by_cat: dict[str, list[list[tuple[int, float]]]] = {c: [[] for _ in range(horizon)] for c in wb.budget_category}
    load = [[[] for _ in range(horizon)] for _ in wb.pools]  # type: list[list[list[tuple[int, float]]]]
    for j, (p, t) in enumerate(columns):
        project = wb.projects[p]
        for offset, amount in enumerate(project.profile):
            if t + offset < horizon and amount != 0.0:
                total[t + offset].append((j, amount))
                if project.category in by_cat:
                    by_cat[project.category][t + offset].append((j, amount))
        for pool, ftes in project.demand.items():
            for offset, fte in enumerate(ftes):
                if t + offset < horizon and fte != 0.0:
                    load[pool][t + offset].append((j, fte))
    rows: list[Row] = []
    for period, cap in enumerate(wb.budget_total):
        if cap is not None:
            rows += capped(f"budget {wb.periods[period]}", total[period], cap)
    for category, caps in sorted(wb.budget_category.items()):
        for period, cap in enumerate(caps):
            if cap is not None:
                rows += capped(f"budget {category}@{wb.periods[period]}", by_cat[category][period], cap)
    for pool, periods in enumerate(load):
        for period, terms in enumerate(periods):
            rows += capped(f"capacity {wb.pools[pool]}@{wb.periods[period]}", terms, wb.capacity[pool][period])
    return rows


def link_rows(wb: Workbook, columns: list[tuple[int, int]], by_project: list[list[int]]) -> list[Row]:
    rows: list[Row] = []
    for p, project in enumerate(wb.projects):
        cols = by_project[p]
        if project.status in ("mandatory", "inprogress"):
            rows.append(Row(f"forced {project.id}", [(j, 1.0) for j in cols], 1.0, 1.0))
        elif len(cols) > 1:
            rows.append(Row(f"once {project.id}", [(j, 1.0) for j in cols], -INF, 1.0))
        for q in project.requires:
            terms = [(j, 1.0) for j in cols] + [(j, -1.0) for j in by_project[q]]
            rows.append(Row(f"{project.id} requires {wb.projects[q].id}", terms, -INF, 0.0))
        for q in project.excludes:
            terms = [(j, 1.0) for j in cols] + [(j, 1.0) for j in by_project[q]]
            rows.append(Row(f"{project.id} excludes {wb.projects[q].id}", terms, -INF, 1.0))
        for q in project.after:
            before = wb.projects[q]
            for k, j in enumerate(cols):
                t = columns[j][1]
                terms = [(i, 1.0) for i in cols[: k + 1]]
                terms += [(i, -1.0) for i in by_project[q] if columns[i][1] + before.duration <= t]
                rows.append(Row(f"{project.id} after {before.id} @{wb.periods[t]}", terms, -INF, 0.0))
    return rows


def balance_rows(wb: Workbook, columns: list[tuple[int, int]]) -> list[Row]:
    horizon = len(wb.periods)
    rows: list[Row] = []
    for balance in wb.balance:
        low: list[tuple[int, float]] = []
        high: list[tuple[int, float]] = []
        for j, (p, t) in enumerate(columns):
            project = wb.projects[p]
            inside = sum(project.profile[: max(horizon - t, 0)])
            if inside == 0.0:
                continue
            own = 1.0 if project.category == balance.category else 0.0
            if balance.min_share > 0.0:
                low.append((j, inside * (own - balance.min_share)))
            if balance.max_share < 1.0:
                high.append((j, inside * (own - balance.max_share)))
        if balance.min_share > 0.0 and any(c < 0.0 for _, c in low):
            rows.append(Row(f"balance min {balance.category}", low, 0.0, INF))
        if balance.max_share < 1.0 and any(c > 0.0 for _, c in high):
            rows.append(Row(f"balance max {balance.category}", high, -INF, 0.0))
    return rows


def build_model(wb: Workbook, objective: str, discount: float) -> Model:
    columns, by_project, coefs = build_columns(wb, objective, discount)
    rows = link_rows(wb, columns, by_project) + resource_rows(wb, columns) + balance_rows(wb, columns)
    return Model(columns, by_project, coefs, rows)


# ---------------------------------------------------------------------------------------
# Checking a solution against the float model


def check(model: Model, x: Sequence[float]) -> list[str]:
    """The rows that `x` breaks, with the contract's tolerance 1e-6 × max(1, |limit|)."""
    broken = []
    for row in model.rows:
        lhs = sum(c * x[j] for j, c in row.terms)
        if row.lower > -INF and lhs < row.lower - 1e-6 * max(1.0, abs(row.lower)):
            broken.append(f"{row.kind}: {lhs:.6g} < {row.lower:.6g}")
        if row.upper < INF and lhs > row.upper + 1e-6 * max(1.0, abs(row.upper)):
            broken.append(f"{row.kind}: {lhs:.6g} > {row.upper:.6g}")
    return broken


def objective_of(model: Model, x: Sequence[float]) -> float:
    return sum(c * v for c, v in zip(model.objective, x))


# ---------------------------------------------------------------------------------------
# Results


@dataclass
class Result:
    tool: str
    status: str
    objective: Optional[float]
    bound: Optional[float]
    seconds: float
    x: Optional[list[float]] = None
    note: str = ""


@dataclass
class RunOptions:
    time_limit: float
    threads: int
    gap: float
    objective: str
    discount: float
    log_dir: Optional[Path] = None


# ---------------------------------------------------------------------------------------
# arbiter


def run_arbiter(binary: Path, folder: Path, wb: Workbook, model: Model, opts: RunOptions) -> Result:
    if not binary.exists():
        raise ToolError(f"{binary}: arbiter binary not found (build it with `cargo build --release`, or pass --arbiter)")
    out = Path(tempfile.mkdtemp(prefix="compare-arbiter-"))
    command = [
        str(binary), "plan", str(folder), "--time-limit", str(opts.time_limit), "--out", str(out),
        "--threads", str(opts.threads), "--gap", str(opts.gap), "--objective", opts.objective,
        "--discount", str(opts.discount), "--format", "json", "--quiet",
    ] + report_flags(binary)
    try:
        start = time.perf_counter()
        proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
        summary_path = out / "summary.json"
        if proc.returncode not in (0, 1) or not summary_path.exists():
            raise ToolError(f"arbiter exited {proc.returncode}: {proc.stderr.strip()[:2000]}")
        summary = json.loads(summary_path.read_text())
    finally:
        shutil.rmtree(out, ignore_errors=True)
    selected = [(s["id"], s["start"]) for s in summary.get("selected", [])]
    x = None if summary["status"] == "infeasible" else starts_to_x(model, wb, selected)
    note = f"process wall {seconds:.1f} s, of which the solve (summary.json `seconds`) {summary.get('seconds')} s"
    return Result("arbiter (HiGHS)", summary["status"], summary.get("objective"), summary.get("bound"), seconds, x, note)


def report_flags(binary: Path) -> list[str]:
    """`--rank none --jobs 1` where the binary has them: no re-solves for portfolio.csv's ranking,
    so arbiter's wall time is the solve (and one process uses one core, as the others do)."""
    help_text = subprocess.run([str(binary), "plan", "--help"], capture_output=True, text=True).stdout
    return ["--rank", "none", "--jobs", "1"] if "--rank" in help_text else []


def starts_to_x(model: Model, wb: Workbook, selected: list[tuple[str, str]]) -> list[float]:
    ids = {p.id: i for i, p in enumerate(wb.projects)}
    where = {col: j for j, col in enumerate(model.columns)}
    x = [0.0] * len(model.columns)
    for pid, label in selected:
        key = (ids[pid], wb.periods.index(label))
        if key not in where:
            raise ToolError(f"arbiter selected {pid} starting {label}, which compare.py's model has no column for")
        x[where[key]] = 1.0
    return x


# ---------------------------------------------------------------------------------------
# PuLP + CBC


def solve_cbc(model: Model, opts: RunOptions) -> Result:
    import pulp  # type: ignore[import-untyped]

    start = time.perf_counter()
    prob = pulp.LpProblem("arbiter", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{j}", cat=pulp.LpBinary) for j in range(len(model.columns))]
    prob += pulp.LpAffineExpression([(x[j], c) for j, c in enumerate(model.objective) if c != 0.0])
    for i, row in enumerate(model.rows):
        expr = pulp.LpAffineExpression([(x[j], c) for j, c in row.terms])
        if row.lower == row.upper:
            prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{i}", row.upper)
            continue
        if row.upper < INF:
            prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{i}u", row.upper)
        if row.lower > -INF:
            prob += pulp.LpConstraint(expr.copy(), pulp.LpConstraintGE, f"r{i}l", row.lower)
    with tempfile.TemporaryDirectory(prefix="compare-cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        # CBC's `threads N` switches on its parallel tree search even for N = 1 (one worker
        # thread beside the main one); PuLP's bundled CBC 2.10.3 then claimed a wrong optimum on
        # a 50-project workbook (see README). Its default, no option, is the serial search.
        threads = None if opts.threads == 1 else opts.threads
        solver = pulp.PULP_CBC_CMD(
            msg=False, timeLimit=opts.time_limit, threads=threads, gapRel=opts.gap, logPath=str(log)
        )
        prob.solve(solver)
        seconds = time.perf_counter() - start
        text = log.read_text(errors="replace") if log.exists() else ""
    if opts.log_dir is not None:
        (opts.log_dir / "cbc.log").write_text(text)
    status, bound = cbc_outcome(text, prob.sol_status, prob.status == pulp.LpStatusInfeasible)
    values = [float(round(v.value() or 0.0)) for v in x] if prob.sol_status in (1, 2) else None
    objective = objective_of(model, values) if values is not None else None
    if status == "optimal" and objective is not None:
        bound = max(bound or objective, objective)
    version = re.search(r"Version:\s*(\S+)", text)
    note = f"CBC {version.group(1) if version else '?'}, " + (
        "serial search (no threads option)" if threads is None else f"threads {threads} (parallel tree search)"
    )
    return Result("PuLP + CBC", status, objective, bound, seconds, values, note)


def cbc_outcome(log: str, sol_status: int, infeasible: bool) -> tuple[str, Optional[float]]:
    """Status and best bound from CBC's log (PuLP does not expose the bound)."""
    result = re.search(r"Result - (.*)", log)
    text = result.group(1).lower() if result else ""
    if infeasible or "infeasible" in text:
        return "infeasible", None
    # PuLP hands CBC the maximisation with `-max`; stopped early, CBC prints "Upper bound: B"
    # in the maximisation's own sign (a minimisation would say "Lower bound").
    found = re.search(r"(?:Upper|Lower) bound:\s*(\S+)", log)
    bound = float(found.group(1)) if found else None
    if "optimal" in text:
        return "optimal", bound
    if sol_status in (1, 2):
        return "feasible", bound
    return "no solution", bound


# ---------------------------------------------------------------------------------------
# OR-Tools CP-SAT


# Multipliers tried on top of powers of ten: costs spread evenly over 1–10 periods and driver
# weights that sum to a small integer become integral with one of these.
LCM_STEPS = (1, 2, 3, 4, 5, 6, 8, 12, 24, 60, 120, 840, 2520)


def integral(values: Sequence[float], factor: int) -> bool:
    return all(abs(v * factor - round(v * factor)) <= 1e-9 * max(1.0, abs(v * factor)) for v in values)


def integer_scale(values: Sequence[float], limit: int, fallback: int) -> tuple[int, bool]:
    """Smallest factor 10^k × m (m in LCM_STEPS, factor ≤ limit) that makes every value integral
    (within 1e-9 of a unit), and True; else `fallback` and False (the caller rounds)."""
    distinct = sorted(set(values))
    candidates = sorted({10**k * m for k in range(16) for m in LCM_STEPS if 10**k * m <= limit})
    for factor in candidates:
        if integral(distinct, factor):
            return factor, True
    return fallback, False


def round_up(v: float) -> int:
    r = round(v)
    return r if abs(v - r) <= 1e-9 * max(1.0, abs(v)) else math.ceil(v)


def round_down(v: float) -> int:
    r = round(v)
    return r if abs(v - r) <= 1e-9 * max(1.0, abs(v)) else math.floor(v)


ROW_LIMIT = 10**7  # largest exact factor tried for a row
ROW_FALLBACK = 10**6  # factor of a row that no factor makes integral (then rounded conservatively)


@dataclass
class IntRow:
    terms: list[tuple[int, int]]
    lower: Optional[int]
    upper: Optional[int]


def scale_row(row: Row) -> tuple[IntRow, int, bool]:
    """Row scaled to integers, conservatively: its integer solutions satisfy the real row."""
    limits = [v for v in (row.lower, row.upper) if math.isfinite(v)]
    factor, exact = integer_scale([c for _, c in row.terms] + limits, ROW_LIMIT, ROW_FALLBACK)
    if row.lower > -INF and row.upper < INF and row.lower != row.upper and not exact:
        raise ToolError(f"row {row.kind}: two-sided non-integral row (not produced by arbiter's model)")
    if row.upper < INF:  # ≤ row (or equality when exact): coefficients up, limit down
        terms = [(j, round_up(c * factor)) for j, c in row.terms]
        upper = round_down(row.upper * factor)
        lower = round_up(row.lower * factor) if row.lower > -INF else None
        return IntRow(terms, lower, upper), factor, exact
    terms = [(j, round_down(c * factor)) for j, c in row.terms]
    return IntRow(terms, round_up(row.lower * factor), None), factor, exact


def objective_scale(coefs: Sequence[float]) -> tuple[int, bool]:
    """Exact factor up to 10^9, else 10^9 (less when Σ|c| × factor would pass 2^53)."""
    total = sum(abs(c) for c in coefs) or 1.0
    fallback = 10**9
    while fallback > 1 and total * fallback > 2**53:
        fallback //= 10
    return integer_scale(coefs, fallback, fallback)


def solve_cpsat(model: Model, opts: RunOptions) -> Result:
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    cp = cp_model.CpModel()
    x = [cp.new_bool_var(f"x{j}") for j in range(len(model.columns))]
    inexact = 0
    for row in model.rows:
        irow, _, exact = scale_row(row)
        inexact += not exact
        add_int_row(cp, x, irow)
    factor, obj_exact = objective_scale(model.objective)
    obj = [round_up(c * factor) for c in model.objective]
    cp.maximize(cp_model.LinearExpr.weighted_sum(x, obj))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = opts.time_limit
    solver.parameters.num_workers = opts.threads
    solver.parameters.relative_gap_limit = opts.gap
    if opts.log_dir is not None:
        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        with open(opts.log_dir / "cpsat.log", "w") as log:
            solver.log_callback = lambda line: print(line, file=log)
            code = solver.solve(cp)
    else:
        code = solver.solve(cp)
    seconds = time.perf_counter() - start
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}
    status = names.get(code, "no solution")
    values = [float(solver.boolean_value(v)) for v in x] if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    objective = objective_of(model, values) if values is not None else None
    bound = solver.best_objective_bound / factor if code != cp_model.INFEASIBLE else None
    note = (
        f"objective ×{factor}{'' if obj_exact else ' rounded up'}; "
        f"{inexact} of {len(model.rows)} rows ×10^6 rounded conservatively, the rest scaled exactly"
    )
    return Result("OR-Tools CP-SAT", status, objective, bound, seconds, values, note)


def add_int_row(cp: "cp_types.CpModel", x: "list[cp_types.IntVar]", row: IntRow) -> None:
    from ortools.sat.python import cp_model

    coefs = [c for _, c in row.terms]
    unit = all(c == 1 for c in coefs)
    if unit and row.lower == 1 and row.upper == 1:
        cp.add_exactly_one([x[j] for j, _ in row.terms])
    elif unit and row.lower is None and row.upper == 1:
        cp.add_at_most_one([x[j] for j, _ in row.terms])
    else:
        expr = cp_model.LinearExpr.weighted_sum([x[j] for j, _ in row.terms], coefs)
        lo = row.lower if row.lower is not None else cp_model.INT_MIN
        hi = row.upper if row.upper is not None else cp_model.INT_MAX
        cp.add_linear_constraint(expr, lo, hi)


# ---------------------------------------------------------------------------------------
# Report


def fmt(value: Optional[float], digits: int = 6) -> str:
    return "—" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".")


def checked_objectives(results: list[Result], model: Model) -> list[float]:
    """Objectives of the solutions that pass compare.py's check."""
    return [objective_of(model, r.x) for r in results if r.x is not None and not check(model, r.x)]


def refuted(r: Result, found: list[float]) -> bool:
    """Whether a checked solution of some tool beats r's bound (so r's bound, and an optimal
    claim, are wrong)."""
    return r.bound is not None and any(f > r.bound + 1e-6 * max(1.0, abs(r.bound)) for f in found)


def table(results: list[Result], model: Model) -> str:
    found = checked_objectives(results, model)
    bounds = [r.bound for r in results if r.bound is not None and not refuted(r, found)]
    best_bound = min(bounds) if bounds else None
    base = next((r.objective for r in results if r.tool.startswith("arbiter")), None)
    lines = [
        "| tool | status | objective | best bound | gap to best bound | wall (s) | objective / arbiter | check |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        gap = None
        if r.objective is not None and best_bound is not None:
            gap = max(best_bound - r.objective, 0.0) / max(abs(r.objective), 1e-9)
        ratio = r.objective / base if r.objective is not None and base else None
        verdict = "—"
        if r.x is not None:
            broken = check(model, r.x)
            verdict = "feasible" if not broken else f"BREAKS {len(broken)} row(s): {broken[0]}"
            recomputed = objective_of(model, r.x)
            if r.objective is not None and abs(recomputed - r.objective) > 1e-6 * max(1.0, abs(r.objective)):
                verdict += f"; objective recomputed {recomputed:.6f}"
        if refuted(r, found):
            verdict += f"; WRONG BOUND: a checked solution reaches {max(found):.6f}"
        lines.append(
            f"| {r.tool} | {r.status} | {fmt(r.objective)} | {fmt(r.bound)} | "
            f"{'—' if gap is None else f'{100 * gap:.2f} %'} | {r.seconds:.1f} | {fmt(ratio, 4)} | {verdict} |"
        )
    return "\n".join(lines)


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", type=Path, help="workbook folder (as `arbiter plan` takes)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per tool (default 30)")
    parser.add_argument("--threads", type=int, choices=(1, 2), default=1, help="threads per tool (default 1)")
    parser.add_argument("--gap", type=float, default=1e-4, help="relative gap counted optimal (default 1e-4, arbiter's)")
    parser.add_argument("--objective", choices=("score", "value"), default="score")
    parser.add_argument("--discount", type=float, default=0.0)
    parser.add_argument("--arbiter", type=Path, default=here.parent / "target" / "release" / "arbiter",
                        help="arbiter binary (default ../target/release/arbiter)")
    parser.add_argument("--log-dir", type=Path, help="write the solvers' logs (cbc.log, cpsat.log) there")
    parser.add_argument("--tools", default="arbiter,cbc,cpsat", help="comma-separated subset of arbiter,cbc,cpsat")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    opts = RunOptions(args.time_limit, args.threads, args.gap, args.objective, args.discount, args.log_dir)
    if args.log_dir is not None:
        args.log_dir.mkdir(parents=True, exist_ok=True)
    try:
        wb = read_workbook(args.workbook)
    except WorkbookError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    model = build_model(wb, opts.objective, opts.discount)
    nonzeros = sum(len(r.terms) for r in model.rows)
    print(f"workbook {args.workbook}: {len(wb.projects)} projects, {len(wb.periods)} periods, {len(wb.pools)} pools; "
          f"model {len(model.columns)} binaries, {len(model.rows)} rows, {nonzeros} nonzeros; "
          f"time limit {opts.time_limit:g} s, {opts.threads} thread(s), gap {opts.gap:g}", file=sys.stderr)
    runners: dict[str, Callable[[], Result]] = {
        "arbiter": lambda: run_arbiter(args.arbiter, args.workbook, wb, model, opts),
        "cbc": lambda: solve_cbc(model, opts),
        "cpsat": lambda: solve_cpsat(model, opts),
    }
    results: list[Result] = []
    for name in args.tools.split(","):
        if name not in runners:
            print(f"error: --tools: unknown tool '{name}' (use arbiter, cbc, cpsat)", file=sys.stderr)
            return 2
        print(f"running {name} …", file=sys.stderr)
        try:
            results.append(runners[name]())
        except ToolError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    print(table(results, model))
    for r in results:
        if r.note:
            print(f"\n- {r.tool}: {r.note}")
    print("\n- objective: recomputed by compare.py from each solution; check: the solution against "
          "compare.py's float model (tolerance 1e-6 × max(1, |limit|)); gap: (best bound of the three − "
          "objective) / |objective|; CP-SAT's coefficients are integers scaled as stated, rounded so that "
          "its solutions are feasible for the real model and its bound is a valid bound.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

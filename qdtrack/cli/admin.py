"""Admin commands: ``log`` (the audit trail), ``check`` (is the ledger sound) and ``backup``.

No SQL here: everything goes through :class:`qdtrack.ledger.Ledger`.
"""

from __future__ import annotations

import math

import click

from ..errors import BadInput, EnvironmentFault
from .options import db_option, open_ledger, year_option

#: ``qdtrack check`` exits with this when it finds a problem.
CHECK_FAILED = 5
#: Metric kinds whose year-to-date figure may never fall (``recording.py`` enforces it on entry).
NON_DECREASING = ("cumulative", "total")


# -- log ------------------------------------------------------------------------
def _show(value, unit) -> str:
    """A figure in its unit; a raw repr for a value the ledger should never hold (check reports it)."""
    from ..render import fmt_value

    try:
        return fmt_value(value, unit)
    except BadInput:
        return f"{value!r}{unit or ''}"


def log_json(rows) -> list[dict]:
    return [
        {
            "id": r["id"],
            "recorded_at": r["recorded_at"],
            "recorded_by": r["recorded_by"],
            "source": r["source"],
            "item": r["ref"],
            "quarter": r["quarter"],
            "metric": r["metric_name"],
            "unit": r["unit"],
            "value": r["value"],
            "status": r["status"],
            "note": r["note"],
            "correction": bool(r["correction"]),
        }
        for r in rows
    ]


def log_table(rows) -> str:
    from ..render import _tabulate, truncate

    body = []
    for r in rows:
        what = []
        if r["value"] is not None:
            what.append(f"{r['metric_name']} = {_show(r['value'], r['unit'])}")
        if r["status"]:
            what.append(f"status {r['status']}")
        if r["note"]:
            what.append(truncate(" ".join(r["note"].split()), 30))
        body.append(
            [
                r["id"],
                r["recorded_at"],
                r["recorded_by"],
                r["ref"],
                r["quarter"],
                "; ".join(what) + (" (correction)" if r["correction"] else ""),
                truncate(" ".join(r["source"].split()), 40),
            ]
        )
    return _tabulate(body, ["#", "Recorded", "By", "Item", "Quarter", "Change", "Source"]) + "\n"


@click.command("log")
@click.option("--item", "item_id", help="Only this task (listed number or bullet ID).")
@click.option("--since", help="Only changes recorded on or after this date: 2025-04-01, 2025年4月1日.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"], case_sensitive=False), default="table", show_default=True)
@year_option
@db_option
def log_cmd(item_id, since, fmt, year, db_path):
    """Every recorded change, newest first: when, by whom, from which command or file.

    \b
    Examples:
        qdtrack log
        qdtrack log --item 21 --since 2025-04-01
        qdtrack log --format json
    """
    from ..ledger import find_task
    from ..periods import parse_as_of
    from ..render import to_json

    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    task_id = None
    if item_id is not None:
        task_id = find_task(ledger.plan(year), item_id)["id"]
    since_text = None
    if since is not None:
        since_text = parse_as_of(since, default_year=year).isoformat()
    rows = ledger.log(year, task_id, since_text)
    if fmt == "json":
        click.echo(to_json(log_json(rows)), nl=False)
    elif rows:
        click.echo(log_table(rows), nl=False)
    else:
        click.echo("No changes recorded.")


# -- check ----------------------------------------------------------------------
def _label(year, task) -> str:
    kind = "item" if task["listed"] else "bullet"
    return f"{year} {kind} {task['ref']}"


def _falls(year, task, metric) -> list[str]:
    """Year-to-date figures that fall from one quarter to the next without a correction."""
    rows = [u for u in task["updates"] if u["metric_id"] == metric["id"] and u["value"] is not None]
    by_quarter = {}
    for u in sorted(rows, key=lambda u: (u["quarter"], u["id"])):
        by_quarter[u["quarter"]] = u  # a later row for the same quarter replaces it
    out = []
    quarters = sorted(by_quarter)
    for a, b in zip(quarters, quarters[1:], strict=False):
        ua, ub = by_quarter[a], by_quarter[b]
        if ub["value"] >= ua["value"]:
            continue
        newer = ua if ua["id"] > ub["id"] else ub
        if newer["correction"]:
            continue
        unit = metric["unit"]
        out.append(
            f"{_label(year, task)} {metric['name']}: year-to-date falls from {_show(ua['value'], unit)} "
            f"({a}, update #{ua['id']}) to {_show(ub['value'], unit)} ({b}, update #{ub['id']}) "
            "and neither is marked as a correction"
        )
    return out


def rule_problems(ledger) -> list[str]:
    """The ledger's own rules, beyond what SQLite's constraints enforce."""
    from ..quantity import CANONICAL_UNITS

    problems = []
    years = ledger.years()
    if not years:
        problems.append("the ledger holds no plan year")
    for year in years:
        tasks = ledger.plan(year)
        listed = sorted(t["listed_no"] for t in tasks if t["listed_no"] is not None)
        if not listed:
            problems.append(f"{year}: no listed items")
        else:
            missing = sorted(set(range(1, listed[-1] + 1)) - set(listed))
            if missing:
                problems.append(
                    f"{year}: listed items {', '.join(map(str, missing))} are missing "
                    f"(listed numbers must run 1-{listed[-1]} without gaps)"
                )
        for t in tasks:
            metrics = {m["id"]: m for m in t["metrics"]}
            for m in t["metrics"]:
                if m["unit"] not in CANONICAL_UNITS:
                    problems.append(
                        f"{_label(year, t)} {m['name']}: unit {m['unit']!r} is not one of qdtrack's units "
                        f"({', '.join(CANONICAL_UNITS)})"
                    )
            for u in t["updates"]:
                where = f"{_label(year, t)} update #{u['id']} ({u['quarter']})"
                value = u["value"]
                if value is None:
                    continue
                metric = metrics.get(u["metric_id"])
                if metric is None:
                    problems.append(f"{where}: a figure {value!r} with no metric of this task")
                    continue
                if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                    problems.append(f"{where} {metric['name']}: {value!r} is not a finite number")
                elif value < 0 and metric["kind"] != "rate":
                    problems.append(
                        f"{where} {metric['name']}: {_show(value, metric['unit'])} is negative; only rates may be"
                    )
            for m in t["metrics"]:
                if m["kind"] in NON_DECREASING:
                    problems.extend(_falls(year, t, m))
    return problems


@click.command("check")
@db_option
@click.pass_context
def check_cmd(ctx, db_path):
    """Check the ledger: SQLite's integrity and foreign keys, and qdtrack's own rules.

    Prints "ok" and exits 0, or prints each problem and exits 5.

    \b
    Examples:
        qdtrack check
        qdtrack check --db /srv/qdtrack/ledger.db
    """
    ledger = open_ledger(db_path, create=False)
    problems = ledger.integrity_problems()
    try:
        problems += rule_problems(ledger)
    except EnvironmentFault as e:
        if not problems:
            raise
        problems.append(f"qdtrack's rules could not be checked: {e}")
    if problems:
        for p in problems:
            click.echo(" ".join(p.split()))
        ctx.exit(CHECK_FAILED)
    click.echo("ok")


# -- backup ---------------------------------------------------------------------
@click.command("backup")
@click.argument("target", metavar="PATH", type=click.Path(path_type=str))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@db_option
def backup_cmd(target, force, db_path):
    """Copy the ledger to PATH, consistently, even while others write to it.

    The copy is written beside PATH and moved into place when complete.

    \b
    Examples:
        qdtrack backup backups/ledger-2025-06-30.db
        qdtrack backup /mnt/usb/ledger.db --force
    """
    if not target.strip():
        raise BadInput("the backup PATH is empty; give a file path")
    ledger = open_ledger(db_path, create=False)
    ledger.backup_to(target, overwrite=force)
    click.echo(f"Backed up {ledger.path} to {target}.", err=True)

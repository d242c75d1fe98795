"""The quarterly cycle: ``qdtrack ingest`` reads a quarter's 台账 into the ledger."""

from __future__ import annotations

import sys

import click

from ..errors import BadInput
from ..i18n import N_, TrCommand, TrPath, _
from .options import command_line, db_option, open_ledger, year_option


def can_ask() -> bool:
    """A person at a terminal can answer the confirmation."""
    return sys.stdin.isatty()


def _review_table(figures: list, width: int = 36) -> str:  # list[ingest_apply.Reviewed]
    from ..quantity import format_quantity
    from ..render import one_line, tabulate_rows, truncate

    rows = []
    for f in figures:
        sureness = _("sure") if f.confidence == "sure" else _("unsure")
        if f.confidence == "sure" and not f.recorded:
            sureness = _("already recorded")
        rows.append([f.row, one_line(f.metric.name), format_quantity(f.value, f.metric.unit), sureness,
                     truncate(one_line(f.phrase), width), one_line(f.reason)])  # fmt: skip
    return tabulate_rows(rows, [_("item"), _("metric"), _("figure"), _("sureness"), _("phrase"), _("why")])


@click.command("ingest", cls=TrCommand)
@click.argument("file", type=TrPath(dir_okay=False))
@click.option(
    "--quarter", required=True, help=N_("The quarter the 台账 reports, e.g. 2026Q1; figures are true at its end.")
)
@click.option(
    "--dry-run", is_flag=True, help=N_("Show what would be recorded and what is left for review; write nothing.")
)
@click.option("--yes", is_flag=True, help=N_("Record without asking (for scripts)."))
@click.option("--by", help=N_("Who records (default: the config file's by, else your login name)."))
@year_option
@db_option
def ingest_cmd(file: str, quarter: str, dry_run: bool, yes: bool, by: str | None, year: int | None,
               db_path: str | None) -> None:  # fmt: skip
    """Read a quarter's 台账 (序号 / 事项内容 / 进展情况) into the ledger.

    FILE is text in the layout of the listed items' progress ledger, .xlsx or .csv with
    序号, 事项内容 and 进展情况 columns, or .docx (with python-docx installed). Each
    row must be the plan's listed item; its 进展情况 becomes the item's note for the
    quarter, and the year-to-date figures qdtrack is sure of are recorded. Unsure
    figures are shown for review and never recorded. All or nothing. The blank
    台账 of `qdtrack export --template`, filled in, comes back here too: its
    本季度累计 cells are recorded as the metrics' year-to-date figures.

    \b
    Examples:
        qdtrack ingest 台账-2026Q1.txt --quarter 2026Q1 --dry-run
        qdtrack ingest 台账-2026Q1.xlsx --quarter 2026Q1 --yes --by 市政府办公厅
    """
    from ..ingest_apply import read_ledger_file, record, review

    if not (dry_run or yes or can_ask()):
        raise BadInput(_("no terminal to confirm on: add --yes to record, or --dry-run to only look"))
    from ..recording import who

    who(by)  # a bad --by is refused before anything is shown
    ledger = open_ledger(db_path)
    rows, title = read_ledger_file(file)
    found = review(ledger, rows, quarter, year, title)
    if found.figures:
        click.echo(_review_table(list(found.figures)))
    for no in found.covered:
        click.echo(_("item {no} is tracked through its listed parts; its note is not recorded").format(no=no))
    for notice in found.notices:
        click.echo(notice)
    unsure = sum(1 for f in found.figures if f.confidence != "sure")
    counts = {"notes": len(found.notes), "figures": len(found.to_record), "unsure": unsure,
              "quarter": str(found.quarter), "same": found.unchanged}  # fmt: skip
    if dry_run:
        click.echo(_("dry run: {notes} notes and {figures} figures to record for {quarter}, {unsure} figures left "
                     "for review, {same} already in the ledger; nothing was written").format(**counts))  # fmt: skip
        return
    if not found.notes and not found.to_record:
        click.echo(_("nothing new to record for {quarter}; {unsure} figures left for review").format(**counts))
        return
    question = _("record {notes} notes and {figures} figures for {quarter}?").format(**counts)
    if not yes and not click.confirm(question, default=False):
        click.echo(_("nothing was recorded"))
        return
    done = record(ledger, found, by, command_line())
    span = f"#{done.ids[0]}–#{done.ids[-1]}" if done.ids else ""
    counts.update(notes=done.notes, figures=done.figures)
    click.echo(_("recorded {notes} notes and {figures} figures for {quarter} ({span}); {unsure} figures left for "
                 "review").format(span=span, **counts))  # fmt: skip
    if done.meanwhile:
        click.echo(_("{n} notes or figures had been recorded by another qdtrack since the review; they were not "
                     "recorded twice").format(n=done.meanwhile))  # fmt: skip

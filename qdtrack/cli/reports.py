"""Commands that move documents in and out: report, import, export."""

from __future__ import annotations

from collections.abc import Iterator

import click

from ..errors import BadInput, QdtrackError
from ..i18n import N_, TrCommand, _
from .options import (
    as_of_option,
    check_tolerance,
    db_option,
    lang_option,
    open_ledger,
    owner_option,
    pick_lang,
    tolerance_option,
    year_option,
)

REPORT_FORMATS = ("markdown", "html", "json", "csv", "xlsx")
EXPORT_FORMATS = ("csv", "xlsx", "json")


@click.command("report", cls=TrCommand)
@as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS, case_sensitive=False),
    help=N_(
        "markdown (default), html, json, csv or xlsx; with --output and no --format, the extension chooses"
        " (.md, .html, .json, .csv, .xlsx; any other, .pdf too, is refused)."
    ),
)
@click.option(
    "--output",
    help=N_("Write to this file instead of stdout; {date} becomes the as-of date (YYYY-MM-DD). Folders are created."),
)
@click.option("--fail-on-lagging", is_flag=True, help=N_("Exit 4 when anything lags (the report is still written)."))
@tolerance_option
@owner_option
@year_option
@lang_option
@db_option
@click.pass_context
def report_cmd(ctx: click.Context, as_of: str | None, fmt: str | None, output: str | None, fail_on_lagging: bool,
               tolerance: float | None, owner: str | None, year: int | None, lang: str | None, db_path: str | None) -> None:  # fmt: skip
    """The progress report: counts, what lags and is stale, what changed, the listed items, every area.

    Markdown goes to stdout unless --output is given. With --output the file is
    written whole or not at all (temp file, fsync, rename) and nothing is
    printed, so cron mails only failures. Runs writing the same file take turns:
    each waits (blocking lock on PATH.lock) for the one before to finish. A
    written report is remembered per --output, so the next one written there
    lists the updates since.
    xlsx keeps the ledger's own Chinese layout whatever --lang says.

    \b
    Examples:
        qdtrack report
        qdtrack report --format html --output reports/{date}.html
        qdtrack report --as-of 2025Q2 --output reports/{date}.xlsx
        qdtrack report --output /srv/www/qd/latest.html --fail-on-lagging
    """
    from .. import report as rpt
    from .. import views

    tol = check_tolerance(tolerance)
    fmt = fmt or rpt.guess_format(output)
    if fmt == "xlsx" and not output:
        raise BadInput(_("xlsx is binary; give --output PATH.xlsx"))
    ledger = open_ledger(db_path)
    scope = views.scope(ledger, year, as_of, owner=owner)
    lang = pick_lang(lang)
    if not output:
        rep = rpt.build(ledger, scope, tol)
        click.echo(rpt.render_report(rep, fmt, lang).decode("utf-8"), nl=False)
    else:
        path = rpt.expand_output(output, scope.as_of)
        with rpt.output_lock(path):
            # build inside the lock: runs queued on the same file see each other's report runs
            rep = rpt.build(ledger, scope, tol, output)
            rpt.write_atomic(path, rpt.render_report(rep, fmt, lang))
            try:
                ledger.record_report_run(
                    {"generated_at": rep.generated_at, "year": scope.year, "as_of": scope.as_of.isoformat(),
                     "format": fmt, "output": output, "last_update_id": rep.last_update_id}
                )  # fmt: skip
            except QdtrackError as err:
                click.echo(_("Warning: the report was written but its run was not recorded: {error}").format(error=err), err=True)
    if fail_on_lagging and rep.any_lagging:
        ctx.exit(4)


@click.command("import", cls=TrCommand)
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help=N_("Check every row and show what would be recorded; write nothing."))
@click.option("--by", help=N_("Who records these (default: your login name)."))
@year_option
@db_option
def import_cmd(file: str, dry_run: bool, by: str | None, year: int | None, db_path: str | None) -> None:
    """Record many updates from a .csv, .xlsx or .json file, all or nothing.

    One row per update, with columns id, quarter, value, metric, note (or
    序号, 季度, 数值, 指标, 进展情况); optional status, correction, as_of,
    unit, 本季度新增 (an increment), 填报单位 (who reported it; else --by) and
    时间节点 (milestones: 6月底前…；年底前…) columns; other columns are
    ignored. Title rows above the header are skipped; a csv may use commas,
    semicolons or tabs. Every row is checked exactly like 'qdtrack update'
    (and against the rows above it) before anything is written; bad rows
    (up to 20) are each named by row and column and nothing is recorded.
    Rows count as a spreadsheet shows them: the header is row 1.

    A file made by 'qdtrack export' keeps each entry's original recorder and
    time, and rows the ledger already has (same uid) are skipped: importing
    it twice adds nothing the second time. Each import is recorded.

    \b
    Examples:
        qdtrack import q2.csv --dry-run
        qdtrack import 二季度进展.xlsx --by 市发改委
        qdtrack import history.json --db fresh.db
    """
    from .. import exchange

    try:
        result = exchange.import_file(open_ledger(db_path), file, year, by, dry_run)
    except exchange.ImportErrors as e:
        for line in e.problems:
            click.echo("  " + line, err=True)
        raise
    if dry_run:
        for line in exchange.describe(result.added):
            click.echo(line)
    for line in exchange.summary(result, file, dry_run):
        click.echo(line, err=True)


@click.command("export", cls=TrCommand)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS, case_sensitive=False), help=N_("csv (default), xlsx or json."))
@click.option("--output", help=N_("Write to this file instead of stdout ({date} becomes today's date). xlsx needs it."))
@click.option("--template", is_flag=True, help=N_("The quarter's blank 台账 (xlsx) for units to fill in and send back for import."))
@click.option("--quarter", help=N_("With --template: the quarter the 台账 asks for, e.g. 2025Q2."))
@owner_option
@year_option
@db_option
def export_cmd(fmt: str | None, output: str | None, template: bool, quarter: str | None, owner: str | None,
               year: int | None, db_path: str | None) -> None:  # fmt: skip
    """The plan and the full history, in a form 'qdtrack import' reads back.

    csv: the entries only (id, quarter, value, metric, note, status,
    correction, then uid, recorder, time and any withdrawal). json: {"year",
    "tasks", "updates", "plan_changes", "milestones"}. xlsx: sheets 计划 (the
    plan), 更新 (the entries), 计划变更 (changes to the plan) and 时间节点
    (milestones). Import a json or xlsx export into a fresh ledger (qdtrack
    init) to move the history with its recorders and times; rows the ledger
    already has are skipped. --template writes the quarter's blank 台账
    instead (序号, 事项内容, 责任单位, 目标, 上次填报数, 进展情况, 本季度累计).

    \b
    Examples:
        qdtrack export --output backup/{date}.csv
        qdtrack export --format json > history.json
        qdtrack export --output history.xlsx
        qdtrack export --template --quarter 2025Q2 --owner 市交通运输局 --output 台账.xlsx
    """
    from .. import exchange
    from .. import report as rpt

    fmt = fmt or {"markdown": "csv", "html": "csv"}.get(rpt.guess_format(output), rpt.guess_format(output))
    if template:
        if quarter is None:
            raise BadInput(_("--template needs --quarter, e.g. --quarter 2025Q2"))
        fmt = "xlsx"
    elif quarter is not None:
        raise BadInput(_("--quarter goes with --template (the blank 台账 of a quarter)"))
    if fmt == "xlsx" and not output:
        raise BadInput(_("xlsx is binary; give --output PATH.xlsx"))
    ledger = open_ledger(db_path)
    data: bytes | Iterator[bytes]
    if template:
        from ..exchange_template import template_xlsx

        made, data = template_xlsx(ledger, quarter or "", year, owner)
    elif fmt == "csv":  # streamed: memory flat however long the history
        from ..exchange_export import export_csv_chunks

        made, data = export_csv_chunks(ledger, year, owner)
    else:
        made, data = exchange.export(ledger, year, fmt, owner)
    if not output:
        for chunk in [data] if isinstance(data, bytes) else data:
            click.echo(chunk, nl=False)  # bytes: written as they are (click strips escapes from text)
        return
    path = rpt.expand_output(output, made)
    with rpt.output_lock(path):
        rpt.write_atomic(path, data)

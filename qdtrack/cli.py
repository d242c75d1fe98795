"""qdtrack's command line: parse options, call the library, render. No SQL here."""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import BadInput, EnvironmentFault, QdtrackError

FORMATS = ("table", "json", "csv", "markdown")
EXIT_CODES = """\b
Exit codes: 0 ok, 1 environment (ledger unusable, disk, permissions),
2 bad input, 3 busy (another writer; try again), 4 something lags
(report --fail-on-lagging), 5 the ledger check found problems."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class QdtrackGroup(click.Group):
    """Turns every failure into one line on stderr and a documented exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        self.argv = list(sys.argv[1:] if args is None else args)  # recorded as an update's source
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.UsageError as e:
            where = e.ctx.command_path if e.ctx else "qdtrack"
            click.echo(f"Error: {_one_line(e.format_message())} (see '{where} --help')", err=True)
            sys.exit(2)
        except click.ClickException as e:
            click.echo(f"Error: {_one_line(e.format_message())}", err=True)
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except QdtrackError as e:
            click.echo(f"Error: {_one_line(e)}", err=True)
            sys.exit(e.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as e:  # a bug: still one line, never a traceback
            if os.environ.get("QDTRACK_DEBUG"):
                raise
            import sqlite3

            if isinstance(e, sqlite3.Error):
                click.echo(f"Error: the ledger could not be used: {_one_line(e)}", err=True)
            else:
                click.echo(
                    f"Error: internal error ({type(e).__name__}: {_one_line(e)}); "
                    "set QDTRACK_DEBUG=1 for details and report it",
                    err=True,
                )
            sys.exit(1)
        if isinstance(rv, int) and rv:
            sys.exit(rv)
        sys.exit(0) if standalone_mode else None
        return rv


def db_option(f):
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=str),
        help="The ledger file. Default: $QDTRACK_DB, else $XDG_DATA_HOME/qdtrack/ledger.db.",
    )(f)


def year_option(f):
    return click.option("--year", type=int, help="Plan year (default: the latest in the ledger).")(f)


def lang_option(f):
    return click.option(
        "--lang",
        type=click.Choice(["en", "zh"], case_sensitive=False),
        help="Headers and status words: en or zh (default: zh when LANG is zh_*).",
    )(f)


def format_option(choices=FORMATS, default="table"):
    def deco(f):
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices, case_sensitive=False),
            default=default,
            show_default=True,
            help="Output format.",
        )(f)

    return deco


def as_of_option(f):
    return click.option(
        "--as-of",
        "as_of",
        help="2025Q2, Q2, 2025-06-30 or 2025年6月30日 (default: end of the latest quarter with an update).",
    )(f)


def tolerance_option(f):
    return click.option(
        "--tolerance",
        type=float,
        default=0.0,
        show_default=True,
        help="Points of % either side of pace that still count as on track.",
    )(f)


def pick_lang(lang):
    if lang:
        return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        val = os.environ.get(var)
        if val:
            return "zh" if val.lower().startswith("zh") else "en"
    return "en"


def use_colour() -> bool:
    if "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()


def open_ledger(db_path, create=True):
    """The ledger at --db / $QDTRACK_DB / the default path, closed when the command ends."""
    from .ledger import Ledger, default_path

    path = db_path if db_path else default_path()
    ledger, created = Ledger.open(path, create=create)
    click.get_current_context().call_on_close(ledger.close)
    if created:
        click.echo(f"Created a new ledger at {path} from the bundled 2025 seed.", err=True)
    return ledger


def check_tolerance(tolerance):
    import math

    if not math.isfinite(tolerance) or tolerance < 0 or tolerance > 100:
        raise BadInput(f"--tolerance {tolerance} is out of range; give points between 0 and 100")


def check_area(ledger, year, area) -> dict:
    """The year's areas by number; BadInput when ``area`` is given and not one of them."""
    areas = {a["no"]: a for a in ledger.areas(year)}
    if area is not None and area not in areas:
        raise BadInput(f"no area {area} in {year}; areas are {min(areas)}-{max(areas)} (qdtrack areas lists them)")
    return areas


def resolve_as_of(ledger, year, as_of_text):
    from .periods import parse_as_of
    from .progress import default_as_of

    if as_of_text is None:
        return default_as_of(ledger.latest_quarter(year), year)
    d = parse_as_of(as_of_text, default_year=year)
    if d.year != year:
        raise BadInput(f"--as-of {as_of_text} is outside the plan year {year}; give a date in {year}")
    return d


@click.group(cls=QdtrackGroup, epilog=EXIT_CODES)
@click.version_option(__version__, "--version")
def cli():
    """Track the targets of Qingdao's government work report in a local ledger.

    \b
    Examples:
        qdtrack status --area 9
        qdtrack update 21 --value 4 --quarter 2025Q1
        qdtrack lagging
        qdtrack report --format html --output reports/{date}.html
    """


@cli.command()
@click.option("--force", is_flag=True, help="Replace an existing ledger (its history is lost).")
@db_option
def init(force, db_path):
    """Create the ledger from the bundled 2025 seed.

    \b
    Examples:
        qdtrack init
        qdtrack init --db /srv/qdtrack/ledger.db
        qdtrack init --force      # start again from the seed
    """
    import pathlib

    from .ledger import Ledger, default_path

    path = pathlib.Path(db_path) if db_path else default_path()
    if path.exists() and path.stat().st_size > 0:
        if not force:
            raise BadInput(f"a ledger already exists at {path}; add --force to replace it with the seed")
        ledger, _ = Ledger.open(path)
        ledger.reseed()
        click.echo(f"Replaced the ledger at {path} with the bundled 2025 seed.", err=True)
        return
    Ledger.open(path)
    click.echo(f"Created a new ledger at {path} from the bundled 2025 seed.", err=True)


@cli.command()
@click.argument("item_id", metavar="ID")
@year_option
@format_option(("table", "json"))
@lang_option
@db_option
def show(item_id, year, fmt, lang, db_path):
    """Show one task: its area, targets and every update, oldest first.

    \b
    Examples:
        qdtrack show 36
        qdtrack show 9.2.4 --format json
    """
    from . import render
    from .ledger import find_task
    from .progress import default_as_of, judge_task

    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    tasks = ledger.plan(year)
    task = find_task(tasks, item_id)
    as_of = default_as_of(ledger.latest_quarter(year), year)
    verdict = judge_task(task, as_of, year)
    lang = pick_lang(lang)
    click.echo(render.render_show(fmt, year, as_of, verdict, tasks, lang, use_colour()), nl=False)


@cli.command()
@click.option("--area", type=int, help="Only this area (0-10).")
@click.option("--item", "item_id", help="Only this task (listed number or bullet ID).")
@click.option("--listed", is_flag=True, help="Only the publicly listed items (挂牌事项).")
@year_option
@as_of_option
@tolerance_option
@format_option()
@lang_option
@db_option
def status(area, item_id, listed, year, as_of, tolerance, fmt, lang, db_path):
    """Every task with its year-to-date figure, % of target, pace and status.

    \b
    Examples:
        qdtrack status --area 9
        qdtrack status --item 21 --format json
        qdtrack status --listed --as-of 2025Q2
    """
    from . import render
    from .ledger import find_task
    from .progress import judge_task

    check_tolerance(tolerance)
    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    when = resolve_as_of(ledger, year, as_of)
    areas = check_area(ledger, year, area)
    tasks = ledger.plan(year)
    if item_id is not None:
        task = find_task(tasks, item_id)
        chosen = [task] if not task["covered_by_parts"] else [t for t in tasks if t["parent_id"] == task["id"]]
    else:
        chosen = [t for t in tasks if not t["covered_by_parts"]]
    if area is not None:
        chosen = [t for t in chosen if t["area_no"] == area]
    if listed:
        chosen = [t for t in chosen if t["listed"]]
    groups = {}
    for t in chosen:
        groups.setdefault(t["area_no"], []).append(judge_task(t, when, year, tolerance))
    grouped = [(areas[no], vs) for no, vs in groups.items()]
    click.echo(render.render_status(fmt, year, when, grouped, pick_lang(lang), use_colour()), nl=False)


@cli.command()
@click.argument("item_id", metavar="ID")
@click.option("--value", help="Year-to-date figure at the quarter's end: 4, 278.17万, 3.2万人, 479.9亿元.")
@click.option("--add", help="This quarter's increment instead (cumulative metrics).")
@click.option("--metric", help="Which metric, by name or position, when the task has several.")
@click.option("--quarter", help="2025Q2 or Q2 (default: this quarter, when today is in the plan year).")
@click.option("--note", help="Progress text (进展情况).")
@click.option("--status", "set_status", help="done, ahead, on_track or lagging (tasks without numeric targets).")
@click.option("--correct", is_flag=True, help="Allow a year-to-date figure below an earlier quarter's.")
@click.option("--by", help="Who records this (default: your login name).")
@year_option
@lang_option
@db_option
def update(item_id, value, add, metric, quarter, note, set_status, correct, by, year, lang, db_path):
    """Record a figure, a note or a status for a task.

    \b
    Examples:
        qdtrack update 21 --value 4 --quarter 2025Q1
        qdtrack update 36 --value 278.17万 --note "一季度新增绿色建筑278.17万平方米"
        qdtrack update 3 --metric 完成投资 --value 1200亿元 --quarter 2025Q2
        qdtrack update 21 --add 3 --quarter 2025Q2
    """
    from . import render
    from .progress import judge_task
    from .recording import Change, plan_update

    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    tasks = ledger.plan(year)
    change = Change(
        ref=item_id,
        value=value,
        add=add,
        metric=metric,
        quarter=quarter,
        note=note,
        status=set_status,
        correct=correct,
        by=by,
        source=command_line(),
    )
    task, rows = plan_update(tasks, year, change)
    ledger.insert_updates(rows)
    tasks = ledger.plan(year)
    task = next(t for t in tasks if t["id"] == task["id"])
    from .progress import default_as_of

    as_of = default_as_of(ledger.latest_quarter(year), year)
    verdict = judge_task(task, as_of, year)
    click.echo(render.status_line(verdict, as_of, pick_lang(lang), use_colour()))


def command_line() -> str:
    import shlex

    root = click.get_current_context().find_root().command
    return "qdtrack " + shlex.join(getattr(root, "argv", sys.argv[1:]))


@cli.command()
@click.option("--area", type=int, help="Only this area (0-10).")
@year_option
@as_of_option
@tolerance_option
@format_option()
@lang_option
@db_option
def lagging(area, year, as_of, tolerance, fmt, lang, db_path):
    """Metrics behind the pace of the year, worst first, and listed items not updated.

    \b
    Examples:
        qdtrack lagging
        qdtrack lagging --as-of 2025Q2 --tolerance 5
        qdtrack lagging --format json
    """
    from . import render
    from .progress import judge_all
    from .progress import lagging as find_lagging
    from .progress import stale as find_stale

    check_tolerance(tolerance)
    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    when = resolve_as_of(ledger, year, as_of)
    check_area(ledger, year, area)
    tasks = [t for t in ledger.plan(year) if not t["covered_by_parts"]]
    if area is not None:
        tasks = [t for t in tasks if t["area_no"] == area]
    verdicts = judge_all(tasks, when, year, tolerance)
    items = find_lagging(verdicts, when, year)
    stale = find_stale(verdicts, when)
    click.echo(render.render_lagging(fmt, year, when, items, stale, pick_lang(lang), use_colour()), nl=False)


@cli.command()
@year_option
@as_of_option
@format_option()
@lang_option
@db_option
def areas(year, as_of, fmt, lang, db_path):
    """The areas of work with their tasks counted by status.

    \b
    Examples:
        qdtrack areas
        qdtrack areas --as-of 2025Q2 --format json
    """
    from . import render
    from .progress import judge_all

    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    when = resolve_as_of(ledger, year, as_of)
    tasks = [t for t in ledger.plan(year) if not t["covered_by_parts"]]
    verdicts = judge_all(tasks, when, year)
    groups = [(a, [v for v in verdicts if v.task["area_no"] == a["no"]]) for a in ledger.areas(year)]
    click.echo(render.render_areas(fmt, year, when, groups, pick_lang(lang)), nl=False)


def main():  # pragma: no cover - the console script
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["cli", "EnvironmentFault"]


# -- commands defined in other modules ------------------------------------------
from .cli_admin import backup_cmd, check_cmd, log_cmd  # noqa: E402

cli.add_command(log_cmd, "log")
cli.add_command(check_cmd, "check")
cli.add_command(backup_cmd, "backup")
from .cli_reports import export_cmd, import_cmd, report_cmd  # noqa: E402

cli.add_command(report_cmd, "report")
cli.add_command(import_cmd, "import")
cli.add_command(export_cmd, "export")

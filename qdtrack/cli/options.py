"""The shared options of every command, opening the ledger, and the error edge.

Every failure becomes one line on stderr and a documented exit code here (``QdtrackGroup``).
Command modules import from this module only, never from each other."""

from __future__ import annotations

import os
import sys

import click

from ..errors import BadInput, QdtrackError

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
    from ..ledger import Ledger, default_path

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
    from ..periods import parse_as_of
    from ..progress import default_as_of

    if as_of_text is None:
        return default_as_of(ledger.latest_quarter(year), year)
    d = parse_as_of(as_of_text, default_year=year)
    if d.year != year:
        raise BadInput(f"--as-of {as_of_text} is outside the plan year {year}; give a date in {year}")
    return d



def command_line() -> str:
    import shlex

    root = click.get_current_context().find_root().command
    return "qdtrack " + shlex.join(getattr(root, "argv", sys.argv[1:]))



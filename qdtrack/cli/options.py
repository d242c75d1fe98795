"""The shared options of every command, opening the ledger, and the error edge.

Every failure becomes one line on stderr and a documented exit code here (``QdtrackGroup``).
Command modules import from this module only, never from each other."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..ledger import Ledger


from ..errors import BadInput, EnvironmentFault, QdtrackError
from ..i18n import N_, TrGroup, TrPath, _, activate, choose_language, current_language, scan_lang, translate_click_words

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "csv", "markdown")
EXIT_CODES = N_("""\b
Exit codes: 0 ok, 1 environment (ledger unusable, disk, permissions),
2 bad input, 3 busy (another writer; try again), 4 something lags
(report --fail-on-lagging), 5 the ledger check found problems.""")


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _can_show_chinese() -> bool:
    for stream in (sys.stdout, sys.stderr):
        try:
            "中文".encode(getattr(stream, "encoding", None) or "utf-8")
        except (UnicodeEncodeError, LookupError):
            return False
    return True


CANNOT_SHOW_CHINESE = (
    "this terminal cannot show Chinese text; use a UTF-8 locale "
    "(e.g. LANG=zh_CN.UTF-8 or LANG=C.UTF-8) or --lang en"
)
UNENCODABLE = "Error: " + CANNOT_SHOW_CHINESE


def start_language(argv: list[str]) -> str:
    """Activate this run's language before click parses anything (its errors, the help).

    --lang, else the config file, else the locale, else en. Where stdout/stderr cannot
    encode Chinese (LANG=C with an ASCII stream), a language from the config or the locale
    falls back to English, and an explicit --lang zh is one clear line (exit 1). A bad
    config file raises after the locale's language is active, so its error is in that."""
    option = scan_lang(argv)
    activate(choose_language(option)[0])
    if option is None:
        from ..config import setting

        lang = setting("lang").value
        activate("en" if lang == "zh" and not _can_show_chinese() else lang)
    elif option == "zh" and not _can_show_chinese():
        activate("en")
        raise EnvironmentFault(CANNOT_SHOW_CHINESE)
    return current_language()


def _not_utf8(e: UnicodeEncodeError) -> bool:
    """Undecodable bytes from argv or a file name (surrogate escapes that are not UTF-8 either);
    valid UTF-8 read under an ASCII locale (LANG=C) is the terminal's problem instead."""
    if "surrogates" not in str(e.reason) or not isinstance(e.object, str):
        return False
    try:
        e.object.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return True
    return False


class QdtrackGroup(TrGroup):
    """Turns every failure into one line on stderr and a documented exit code."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            return self._main(args, prog_name, complete_var, standalone_mode, **extra)
        except UnicodeEncodeError:  # printing an error message failed too
            sys.stderr.write(UNENCODABLE + "\n")
            sys.exit(1)

    def _main(self, args: Any, prog_name: str | None, complete_var: str | None, standalone_mode: bool, **extra: Any) -> Any:
        self.argv = list(sys.argv[1:] if args is None else args)  # recorded as an update's source
        try:
            start_language(self.argv)
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.exceptions.NoArgsIsHelpError as e:  # "qdtrack" or "qdtrack plan" alone: the help, as click shows it
            click.echo(e.format_message(), err=True)
            sys.exit(2)
        except click.UsageError as e:
            where = e.ctx.command_path if e.ctx else "qdtrack"
            message = _("{message} (see '{command} --help')").format(message=translate_click_words(_one_line(e.format_message())), command=where)
            click.echo(_("Error: {message}").format(message=message), err=True)
            sys.exit(2)
        except click.ClickException as e:
            click.echo(_("Error: {message}").format(message=translate_click_words(_one_line(e.format_message()))), err=True)
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo(_("Aborted!"), err=True)
            sys.exit(1)
        except QdtrackError as e:
            click.echo(_("Error: {message}").format(message=_one_line(e)), err=True)
            sys.exit(e.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except UnicodeEncodeError as e:
            if _not_utf8(e):  # bytes that are not UTF-8, from an argument or a file name
                message = _("an argument is not valid UTF-8 text; retype it (or rename the file) in UTF-8")
                click.echo(_("Error: {message}").format(message=message), err=True)
                sys.exit(2)
            click.echo(UNENCODABLE, err=True)  # ASCII stdout (LANG=C) and Chinese text
            sys.exit(1)
        except OverflowError:  # a number argument beyond SQLite's 64-bit integers
            message = _("a number given is too large; no ID, count or limit in qdtrack exceeds 9223372036854775807")
            click.echo(_("Error: {message}").format(message=message), err=True)
            sys.exit(2)
        except OSError as e:  # writing stdout failed: a full disk, an I/O error
            reason = e.strerror or type(e).__name__
            click.echo(_("Error: {message}").format(message=_("cannot write the output: {reason}").format(reason=reason)), err=True)
            sys.exit(1)
        except Exception as e:  # a bug: still one line, never a traceback
            if os.environ.get("QDTRACK_DEBUG"):
                raise
            import sqlite3

            if isinstance(e, sqlite3.Error):
                message = _("the ledger could not be used: {reason}").format(reason=_one_line(e))
                click.echo(_("Error: {message}").format(message=message), err=True)
            else:
                message = _("internal error ({error}); set QDTRACK_DEBUG=1 for details and report it").format(
                    error=f"{type(e).__name__}: {_one_line(e)}"
                )
                click.echo(_("Error: {message}").format(message=message), err=True)
            sys.exit(1)
        if isinstance(rv, int) and rv:
            sys.exit(rv)
        sys.exit(0) if standalone_mode else None
        return rv


def db_option(f: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=TrPath(dir_okay=False, path_type=str),
        metavar="FILE",
        help=N_("The ledger file. Default: $QDTRACK_DB, else the config file's db, else $XDG_DATA_HOME/qdtrack/ledger.db."),
    )(f)


def year_option(f: F) -> F:
    return click.option("--year", type=int, help=N_("Plan year (default: the one containing today, else the latest in the ledger)."))(f)


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["en", "zh"], case_sensitive=False),
        help=N_("Language of the output: en or zh (default: the config file's lang, else zh when LANG is zh_*)."),
    )(f)


def format_option(choices: tuple[str, ...] = FORMATS, default: str = "table") -> Callable[[F], F]:
    def deco(f: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices, case_sensitive=False),
            default=default,
            show_default=True,
            help=N_("Output format."),
        )(f)

    return deco


def as_of_option(f: F) -> F:
    return click.option(
        "--as-of",
        "as_of",
        help=N_("2025Q2 (its last day), 2025-06-30 or 2025年6月30日 (default: today while the plan year runs, else its last reporting date)."),
    )(f)


def tolerance_option(f: F) -> F:
    return click.option(
        "--tolerance",
        type=float,
        default=None,
        help=N_("Points of % either side of pace that still count as on track (cumulative and level targets; default: the config file's tolerance, else 0)."),
    )(f)


def owner_option(f: F) -> F:
    return click.option(
        "--owner",
        metavar="UNIT",
        help=N_("Only the tasks this responsible unit (责任单位) shares in, as lead or partner unit."),
    )(f)


def view_options(f: F) -> F:
    """The options every view of progress takes: --year, --as-of, --owner, --tolerance, --format, --lang, --db."""
    for option in (db_option, lang_option, format_option(), tolerance_option, owner_option, as_of_option, year_option):
        f = option(f)
    return f


def pick_lang(lang: str | None) -> str:
    """The language of this run: --lang, else the one ``start_language`` chose (config
    file, locale, English) and activated when the group started."""
    if lang:
        activate(lang.lower())
        return lang.lower()
    return current_language()


def use_colour() -> bool:
    if "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()


def open_ledger(db_path: str | None, create: bool = True) -> Ledger:
    """The ledger at --db / $QDTRACK_DB / the config file's db / the default location.

    Only the default location is created on first use: a path the user named must exist
    (``qdtrack init --db PATH`` makes it), so a mistyped path never receives a figure.
    The ledger is closed when the command ends.
    """
    from ..dbfile import default_location, explicit_path
    from ..ledger import Ledger

    named = explicit_path(db_path)
    ledger = Ledger.open(named, create=False) if named is not None else Ledger.open(default_location(), create=create)
    click.get_current_context().call_on_close(ledger.close)
    if ledger.created:
        click.echo(_("Created a new ledger at {path} from the bundled 2025 seed.").format(path=ledger.path), err=True)
    return ledger


def check_tolerance(tolerance: float | None) -> float:
    """--tolerance, else the config file's, else 0; BadInput when out of range."""
    import math

    if tolerance is None:
        from ..config import config_value

        configured = config_value("tolerance")
        tolerance = float(configured) if configured is not None else 0.0
    if not math.isfinite(tolerance) or tolerance < 0 or tolerance > 100:
        raise BadInput(_("--tolerance {value} is out of range; give points between 0 and 100").format(value=tolerance))
    return tolerance


def command_line() -> str:
    import shlex

    root = click.get_current_context().find_root().command
    return "qdtrack " + shlex.join(getattr(root, "argv", sys.argv[1:]))



"""Commands that record progress: init, update, void (the views are in ``view``).

Each parses its options, makes one call to the library (``views`` or ``actions``) and renders.
"""

from __future__ import annotations

import click

from ..errors import BadInput
from ..i18n import N_, TrCommand, _, format_date, format_quarter
from .options import (
    command_line,
    db_option,
    lang_option,
    open_ledger,
    pick_lang,
    use_colour,
    year_option,
)


@click.command(cls=TrCommand)
@click.option("--force", is_flag=True, help=N_("Replace an existing ledger (a dated backup is kept beside it)."))
@db_option
def init(force: bool, db_path: str | None) -> None:
    """Create the ledger from the bundled 2025 seed.

    \b
    Examples:
        qdtrack init
        qdtrack init --db /srv/qdtrack/ledger.db
        qdtrack init --force      # start again from the seed
    """
    from ..admin import init_ledger

    message = init_ledger(db_path, force)
    click.echo(message, err=True)


@click.command(cls=TrCommand)
@click.argument("item_id", metavar="ID")
@click.option("--value", help=N_("Year-to-date figure: 4, 278.17万, 3.2万人, 479.9亿元 (with 万/亿 where the target has them)."))
@click.option("--add", help=N_("An increment added to the figure in force (cumulative targets)."))
@click.option("--metric", help=N_("Which metric, by name or position, when the task has several."))
@click.option("--quarter", help=N_("The figure is the quarter's year-to-date return: 2025Q1 (true at the quarter's end)."))
@click.option("--on", "on_date", help=N_("The figure is true on this day: 2025-05-31 (截至5月底). Default: today."))
@click.option("--note", help=N_("Progress text (进展情况)."))
@click.option("--status", "set_status", help=N_("done, ahead, on_track or lagging (tasks without numeric targets)."))
@click.option("--milestone", type=int, help=N_("With --done: report this milestone (时间节点) of the task done."))
@click.option("--done", is_flag=True, help=N_("With --milestone N: the milestone is done (as of --on, --quarter or today)."))
@click.option("--correct", is_flag=True, help=N_("Allow a year-to-date figure below one already recorded (a correction)."))
@click.option("--by", help=N_("Who records this (default: the config file's by, else your login name)."))
@year_option
@lang_option
@db_option
def update(item_id: str, value: str | None, add: str | None, metric: str | None, quarter: str | None, on_date: str | None,
           note: str | None, set_status: str | None, milestone: int | None, done: bool, correct: bool, by: str | None,
           year: int | None, lang: str | None, db_path: str | None) -> None:  # fmt: skip
    """Record a figure, a note, a status or a milestone done for a task.

    \b
    Examples:
        qdtrack update 21 --value 4 --quarter 2025Q1
        qdtrack update 36 --value 278.17万 --note "一季度新增绿色建筑278.17万平方米"
        qdtrack update 3 --metric 完成投资 --value 1200亿元 --on 2025-05-31
        qdtrack update 21 --add 3 --quarter 2025Q2
        qdtrack update 5.1.1 --milestone 1 --done --on 2025-06-20
    """
    from .. import actions
    from ..recording import Change
    from ..render_views import recorded_line, status_line

    ledger, out = open_ledger(db_path), pick_lang(lang)
    if milestone is not None or done:
        if milestone is None or not done or value is not None or add is not None:
            raise BadInput(_("report a milestone as --milestone N --done (with --on, --quarter or --note), no figure"))
        task, m, day = actions.milestone_done(ledger, item_id, milestone, quarter, on_date, note, year, by, command_line())
        click.echo(_("{ref} milestone {n} done as of {date}").format(ref=task.ref, n=m.n, date=format_date(day, out)))
        return
    change = Change(ref=item_id, value=value, add=add, metric=metric, quarter=quarter, on=on_date, note=note,
                    status=set_status, correct=correct, by=by, source=command_line())  # fmt: skip
    done_ = actions.update(ledger, change, year)
    click.echo(recorded_line(str(done_.quarter), done_.as_of, done_.entry_id, out))
    click.echo(status_line(done_.verdict, done_.view_as_of, out, use_colour()))
    if done_.hint is not None:
        hint = done_.hint
        msg = _("Hint: if this is the return for {quarter}, withdraw it (qdtrack void {entry} --reason ...) "
                "and record it with --quarter {hint}")
        click.echo(msg.format(quarter=format_quarter(hint, out), entry=done_.entry_id, hint=hint), err=True)


@click.command(cls=TrCommand)
@click.argument("entry_id", metavar="ENTRY", type=int)
@click.option("--reason", required=True, help=N_("Why the entry is withdrawn (kept in the history)."))
@click.option("--by", help=N_("Who withdraws it (default: the config file's by, else your login name)."))
@lang_option
@db_option
def void(entry_id: int, reason: str, by: str | None, lang: str | None, db_path: str | None) -> None:
    """Withdraw an entry recorded on the wrong task, metric or date; history keeps both.

    Entries are numbered in 'qdtrack show' and 'qdtrack log'. Views ignore a withdrawn entry.

    \b
    Examples:
        qdtrack void 71 --reason "recorded on item 21 instead of 22"
    """
    from .. import actions

    entry = actions.void(open_ledger(db_path), entry_id, reason, by, command_line())
    pick_lang(lang)
    click.echo(_("withdrew #{entry} ({ref}, {quarter})").format(entry=entry.id, ref=entry.ref, quarter=format_quarter(entry.quarter)))

"""Commands that show progress: status, show, lagging, areas (recording is in ``track``).

Each parses its options, makes one call to the library (``views`` or ``actions``) and renders.
"""

from __future__ import annotations

import click

from ..i18n import N_, TrCommand
from .options import (
    as_of_option,
    check_tolerance,
    db_option,
    format_option,
    lang_option,
    open_ledger,
    pick_lang,
    use_colour,
    view_options,
    year_option,
)


@click.command(cls=TrCommand)
@click.option("--area", type=int, help=N_("Only this area (0-10)."))
@click.option("--item", "item_id", help=N_("Only this task (listed number or bullet ID)."))
@click.option("--listed", is_flag=True, help=N_("Only the publicly listed items (挂牌事项)."))
@view_options
def status(area: int | None, item_id: str | None, listed: bool, year: int | None, as_of: str | None, owner: str | None,
           tolerance: float | None, fmt: str, lang: str | None, db_path: str | None) -> None:  # fmt: skip
    """Every task with its year-to-date figure, % of target, pace and status.

    \b
    Examples:
        qdtrack status --area 9
        qdtrack status --item 21 --format json
        qdtrack status --listed --as-of 2025Q2
    """
    from .. import views

    tol = check_tolerance(tolerance)
    view = views.status(open_ledger(db_path), year, as_of, area=area, item=item_id, listed=listed, owner=owner, tolerance=tol)
    out = pick_lang(lang)
    if fmt == "json":  # JSON alone: not the tables' modules (bench/startup.py)
        from ..render_json import status_json

        click.echo(status_json(view), nl=False)
        return
    from ..render_views import status_view

    click.echo(status_view(fmt, view, out, use_colour()), nl=False)


@click.command(cls=TrCommand)
@click.argument("item_id", metavar="ID")
@click.option("--all", "show_all", is_flag=True, help=N_("Every entry, not only the newest 20."))
@year_option
@format_option(("table", "json"))
@lang_option
@db_option
def show(item_id: str, show_all: bool, year: int | None, fmt: str, lang: str | None, db_path: str | None) -> None:
    """Show one task: its area, targets, milestones and its entries (newest 20; --all for every one).

    \b
    Examples:
        qdtrack show 36
        qdtrack show 9.2.4 --format json
    """
    from .. import views

    view = views.show(open_ledger(db_path), item_id, year, limit=None if show_all else 20)
    out = pick_lang(lang)
    if fmt == "json":
        from ..render_json import show_json

        click.echo(show_json(view), nl=False)
        return
    from ..render_views import show_view

    click.echo(show_view(fmt, view, out, use_colour()), nl=False)


@click.command(cls=TrCommand)
@click.option("--area", type=int, help=N_("Only this area (0-10)."))
@click.option("--due-within", type=click.IntRange(0, 366), help=N_("Also list milestones due within this many days."))
@view_options
def lagging(area: int | None, due_within: int | None, year: int | None, as_of: str | None, owner: str | None,
            tolerance: float | None, fmt: str, lang: str | None, db_path: str | None) -> None:  # fmt: skip
    """Metrics behind the pace of the year, worst first; overdue milestones; listed items not reported.

    \b
    Examples:
        qdtrack lagging
        qdtrack lagging --as-of 2025Q2 --tolerance 5
        qdtrack lagging --due-within 30 --format json
    """
    from .. import views

    tol = check_tolerance(tolerance)
    view = views.lagging(open_ledger(db_path), year, as_of, area=area, owner=owner, tolerance=tol, due_within=due_within)
    out = pick_lang(lang)
    if fmt == "json":
        from ..render_json import lagging_json

        click.echo(lagging_json(view), nl=False)
        return
    from ..render_views import lagging_view

    click.echo(lagging_view(fmt, view, out), nl=False)


@click.command(cls=TrCommand)
@year_option
@as_of_option
@format_option()
@lang_option
@db_option
def areas(year: int | None, as_of: str | None, fmt: str, lang: str | None, db_path: str | None) -> None:
    """The areas of work with their tasks counted by status.

    \b
    Examples:
        qdtrack areas
        qdtrack areas --as-of 2025Q2 --format json
    """
    from .. import views

    view = views.areas(open_ledger(db_path), year, as_of)
    out = pick_lang(lang)
    if fmt == "json":
        from ..render_json import areas_json

        click.echo(areas_json(view), nl=False)
        return
    from ..render_views import areas_view

    click.echo(areas_view(fmt, view, out), nl=False)

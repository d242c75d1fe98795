"""qdtrack's command line: the group, and the commands of each job added to it.

Each command module (``track``, ``admin``, ``reports``) imports only from ``options``;
none imports another. Commands parse, call the library, render.
"""

from __future__ import annotations

import click

from .. import __version__
from . import admin, plan, reports, settings, track
from .options import EXIT_CODES, QdtrackGroup


@click.group(cls=QdtrackGroup, epilog=EXIT_CODES)
@click.version_option(__version__, "--version")
def cli() -> None:
    """Track the targets of Qingdao's government work report in a local ledger.

    \b
    Examples:
        qdtrack status --area 9
        qdtrack update 21 --value 4 --quarter 2025Q1
        qdtrack lagging
        qdtrack report --format html --output reports/{date}.html
    """




for _command in (
    track.init,
    track.show,
    track.status,
    track.update,
    track.lagging,
    track.areas,
    track.void,
    plan.plan,
    admin.log_cmd,
    admin.check_cmd,
    admin.backup_cmd,
    reports.report_cmd,
    reports.import_cmd,
    reports.export_cmd,
    settings.config_cmd,
):
    cli.add_command(_command)

__all__ = ["cli"]

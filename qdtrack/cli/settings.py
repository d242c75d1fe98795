"""``qdtrack config``: the effective settings and where each came from."""

from __future__ import annotations

import json
import os

import click

from ..i18n import N_, TrCommand, _
from .options import db_option, format_option, lang_option, pick_lang

SOURCES = {
    "option": N_("command-line option {detail}"),
    "environment": N_("environment variable {detail}"),
    "config": N_("config file"),
    "default": N_("default"),
}
NAMES = {
    "lang": N_("language"),
    "db": N_("ledger file"),
    "tolerance": N_("tolerance, points of %"),
    "by": N_("recorded by"),
}


def _width(text: str) -> int:
    from ..render import text_width  # the tables' own widths (unicodedata), not wcwidth

    return max(text_width(text), len(text))


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        cells = [cell + " " * (widths[j] - _width(cell)) for j, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


@click.command("config", cls=TrCommand)
@format_option(choices=("table", "json"))
@lang_option
@db_option
def config_cmd(fmt: str, lang: str | None, db_path: str | None) -> None:
    """Show the effective settings and where each came from.

    \b
    The config file is $XDG_CONFIG_HOME/qdtrack/config.toml (default
    ~/.config/qdtrack/config.toml), for example:
        lang = "zh"
        db = "~/qdtrack/ledger.db"
        tolerance = 2.5
        by = "市发改委"
    Each value comes from the command-line option, else the environment
    (QDTRACK_DB; LC_ALL, LC_MESSAGES, LANG for the language, which come after
    the file), else the config file, else the default.

    \b
    Examples:
        qdtrack config
        qdtrack config --format json
    """
    from ..config import config_path, effective_settings

    pick_lang(lang)
    settings = effective_settings({"lang": lang.lower() if lang else None, "db": db_path})
    path = config_path()
    if fmt.lower() == "json":
        data = {
            "config_file": str(path),
            "config_file_exists": os.path.isfile(path),
            "settings": {s.name: {"value": s.value, "source": s.source, "detail": s.detail} for s in settings},
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    state = _("found") if os.path.isfile(path) else _("not found")
    click.echo(_("Config file: {path} ({state})").format(path=path, state=state))
    rows: list[tuple[str, ...]] = [(_("key"), _("setting"), _("value"), _("from"))]
    for s in settings:
        source = str(SOURCES[s.source]).format(detail=s.detail)
        rows.append((s.name, str(NAMES[s.name]), str(s.value), source))
    click.echo(_table(rows), nl=False)

"""qdtrack's command line: the group, and the commands of each job added to it.

Each command module (``track``, ``admin``, ``reports`` ...) imports only from ``options``;
none imports another. Commands parse, call the library, render.

A command's module is imported when the command is used (``COMMANDS`` names where each
lives), so ``qdtrack status`` never imports what ``report``, ``import`` or ``config`` need:
start-up stays near the cost of Python, click and sqlite3 (bench/startup.py measures it,
tests/test_startup.py guards it). ``cli.commands`` still reads as the full mapping.
"""

from __future__ import annotations

import importlib
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from typing import Any

import click

from .. import __version__
from ..i18n import N_
from .options import EXIT_CODES, QdtrackGroup, lang_option

#: Every command: its name → (module of this package, attribute).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("track", "init"),
    "show": ("view", "show"),
    "status": ("view", "status"),
    "update": ("track", "update"),
    "lagging": ("view", "lagging"),
    "areas": ("view", "areas"),
    "void": ("track", "void"),
    "plan": ("plan", "plan"),
    "log": ("admin", "log_cmd"),
    "check": ("admin", "check_cmd"),
    "backup": ("admin", "backup_cmd"),
    "restore": ("admin", "restore_cmd"),
    "report": ("reports", "report_cmd"),
    "import": ("reports", "import_cmd"),
    "ingest": ("cycle", "ingest_cmd"),
    "export": ("reports", "export_cmd"),
    "config": ("settings", "config_cmd"),
}


class LazyCommands(dict[str, click.Command]):
    """The group's commands; each one's module is imported on first look-up of its name."""

    def __init__(self, names: dict[str, tuple[str, str]]) -> None:
        super().__init__()
        self._pending = dict(names)

    def _load(self, name: object) -> None:
        where = self._pending.pop(name, None) if isinstance(name, str) else None
        if where is not None:
            module = importlib.import_module(f"{__name__}.{where[0]}")
            super().__setitem__(name, getattr(module, where[1]))  # type: ignore[index]

    def _load_all(self) -> None:
        for name in list(self._pending):
            self._load(name)

    def __getitem__(self, name: str) -> click.Command:
        self._load(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._load(name)
        return super().get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._pending or super().__contains__(name)

    def pop(self, name: str, *default: Any) -> Any:
        self._load(name)
        return super().pop(name, *default)

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return super().__iter__()

    def __len__(self) -> int:
        self._load_all()
        return super().__len__()

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        self._load_all()
        return super().keys()

    def values(self) -> ValuesView[click.Command]:  # type: ignore[override]
        self._load_all()
        return super().values()

    def items(self) -> ItemsView[str, click.Command]:  # type: ignore[override]
        self._load_all()
        return super().items()


@click.group(cls=QdtrackGroup, epilog=EXIT_CODES)
@click.version_option(__version__, "--version", message=N_("%(prog)s, version %(version)s"))  # translated when shown
@lang_option
def cli(lang: str | None) -> None:
    """Track the targets of Qingdao's government work report in a local ledger.

    \b
    Examples:
        qdtrack status --area 9
        qdtrack update 21 --value 4 --quarter 2025Q1
        qdtrack lagging
        qdtrack report --format html --output reports/{date}.html
    """
    # --lang before the command (qdtrack --lang zh init) is read before click parses: start_language


cli.commands = LazyCommands(COMMANDS)

__all__ = ["cli", "COMMANDS"]

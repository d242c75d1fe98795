"""Commands that look after the ledger: log (the audit trail), check (is it sound), backup and restore."""

from __future__ import annotations

import click

from ..i18n import N_, TrCommand, _
from .options import db_option, lang_option, open_ledger, pick_lang, year_option

#: ``qdtrack check`` exits with this when it finds a problem.
CHECK_FAILED = 5


@click.command("log", cls=TrCommand)
@click.option("--item", "item_id", help=N_("Only this task (listed number or bullet ID)."))
@click.option("--since", help=N_("Only changes recorded on or after this date: 2025-04-01, 2025年4月1日."))
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help=N_("The newest N entries."))
@click.option("--all", "show_all", is_flag=True, help=N_("Every entry (no --limit)."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"], case_sensitive=False), default="table", show_default=True,
              help=N_("Output format."))
@year_option
@lang_option
@db_option
def log_cmd(item_id: str | None, since: str | None, limit: int, show_all: bool, fmt: str, year: int | None,
            lang: str | None, db_path: str | None) -> None:  # fmt: skip
    """Every recorded change, newest first: entries, withdrawals and plan changes, who and from where.

    \b
    Examples:
        qdtrack log
        qdtrack log --item 21 --since 2025-04-01
        qdtrack log --all --format json
    """
    from .. import admin
    from ..render_views import log_view

    entries, changes = admin.log(open_ledger(db_path), year, item_id, since, None if show_all else limit)
    click.echo(log_view(fmt.lower(), entries, changes, pick_lang(lang)), nl=False)


@click.command("check", cls=TrCommand)
@click.option("--head", "heads", multiple=True, metavar="HEX",
              help=N_("A history head printed on a report (history 1a2b3c4d5e6f): check that the history it pinned is still the ledger's."))  # fmt: skip
@db_option
@click.pass_context
def check_cmd(ctx: click.Context, heads: tuple[str, ...], db_path: str | None) -> None:
    """Check the ledger: SQLite's integrity and foreign keys, qdtrack's own rules, the history chain.

    The history chain shows rows changed, deleted or added outside qdtrack, and triggers or
    tables altered. Prints "ok" and exits 0, or prints each problem and exits 5.

    \b
    Examples:
        qdtrack check
        qdtrack check --db /srv/qdtrack/ledger.db
        qdtrack check --head 1a2b3c4d5e6f
    """
    from .. import admin
    from ..render import one_line

    wanted = admin.parse_heads(heads)
    problems = admin.check(open_ledger(db_path, create=False), wanted)
    if problems:
        for p in problems:
            click.echo(one_line(p))
        ctx.exit(CHECK_FAILED)
    click.echo(_("ok"))


@click.command("backup", cls=TrCommand)
@click.argument("target", metavar="PATH", type=click.Path(path_type=str))
@click.option("--force", is_flag=True, help=N_("Replace PATH if it exists."))
@db_option
def backup_cmd(target: str, force: bool, db_path: str | None) -> None:
    """Copy the ledger to PATH, consistently, even while others write to it.

    The copy is written beside PATH and moved into place when complete.

    \b
    Examples:
        qdtrack backup backups/ledger-2025-06-30.db
        qdtrack backup /mnt/usb/ledger.db --force
    """
    from .. import admin

    ledger = open_ledger(db_path, create=False)
    admin.backup(ledger, target, force)
    click.echo(_("Backed up {ledger} to {target}.").format(ledger=ledger.path, target=target), err=True)


@click.command("restore", cls=TrCommand)
@click.argument("backup_file", metavar="BACKUP", type=click.Path(path_type=str))
@db_option
def restore_cmd(backup_file: str, db_path: str | None) -> None:
    """Replace the ledger with the backup BACKUP, keeping the current ledger beside it.

    The backup is checked first (SQLite's integrity check, a qdtrack ledger's schema); the
    current ledger is kept as ledger.db.YYYYMMDD-HHMMSS.bak, and the backup's content is
    installed under the writers' lock, so a -wal left by a crash is not replayed onto it.

    \b
    Examples:
        qdtrack restore backups/ledger-2025-06-30.db
        qdtrack restore /mnt/usb/ledger.db --db /srv/qdtrack/ledger.db
    """
    from .. import admin

    path, keep = admin.restore(backup_file, db_path)
    if keep is None:
        click.echo(_("Restored the ledger at {path} from {backup}.").format(path=path, backup=backup_file), err=True)
    else:
        message = _("Restored the ledger at {path} from {backup}; the ledger it replaced is kept at {keep}.")
        click.echo(message.format(path=path, backup=backup_file, keep=keep), err=True)

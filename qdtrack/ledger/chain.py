"""Tamper evidence: the history as a hash chain, and the checks that recompute it.

Every history row (entries, withdrawals, plan changes, milestone reports, imports) gets one link
in the ``chain`` table: ``hash = SHA-256(previous link's hash + the row's content)``, in the order
recorded. Whenever the plan tables (targets, baselines, kinds, owners, milestones ...) change, a
``plan`` link records a digest of them. Links are made at the end of every write transaction
(``Ledger.write`` calls ``chain_pending`` before ``COMMIT``), so every write path is covered,
whichever mixin wrote the rows.

``check`` recomputes the chain and reports the first broken link (a row rewritten with
``REPLACE INTO``, deleted, or inserted outside qdtrack), plan tables that differ from the last
``plan`` link, and triggers or tables that differ from a fresh ledger's schema. Anyone with the
file can recompute a whole chain; the head printed on reports (``chain_head``) pins it.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from ..i18n import N_, _
from .common import LedgerBase

#: Link kind → the append-only table whose rows it covers, in the order a transaction's rows are linked.
KINDS = {
    "plan_change": "plan_changes",
    "entry": "updates",
    "void": "voids",
    "milestone_done": "milestone_done",
    "import": "imports",
}
#: What each kind of link is called in check's messages.
KIND_WORDS = {
    "plan_change": N_("plan change"),
    "entry": N_("entry"),
    "void": N_("withdrawal"),
    "milestone_done": N_("milestone report"),
    "import": N_("import record"),
    "plan": N_("plan digest"),
}
#: The tables a ``plan`` link's digest covers (the plan: what statuses are judged against).
PLAN_TABLES = ("years", "documents", "areas", "sections", "tasks", "metrics", "owners", "milestones")
#: The link before the first.
GENESIS = "0" * 64
#: Columns holding a date or a date-time, checked to parse.
DATE_COLUMNS = {"on_date", "done_on", "due", "published"}
DATETIME_COLUMNS = {"recorded_at"}
#: The metric columns a plan change may set (baseline, and ``plan set``'s fields).
METRIC_FIELDS = ("baseline", "target", "comparator", "kind", "target_text")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: ``json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, made once (not per row).
_CONTENT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content(kind: str, row: dict[str, Any]) -> str:
    """A row's canonical text: its non-NULL stored columns, sorted (a column added later as NULL changes nothing)."""
    kept = {k: v for k, v in row.items() if v is not None}
    return _CONTENT.encode([kind, kept])


def link_hash(previous: str, text: str) -> str:
    import hashlib  # here, not at the top: loading OpenSSL is kept off the start-up of commands that only read

    return hashlib.sha256((previous + "\n" + text).encode("utf-8")).hexdigest()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_xinfo({_q(table)})") if r[6] == 0]


def _rows(conn: sqlite3.Connection, table: str, after: int = 0) -> Iterator[dict[str, Any]]:
    cols = _columns(conn, table)
    sql = f"SELECT {', '.join(_q(c) for c in cols)} FROM {_q(table)} WHERE id > ? ORDER BY id"  # noqa: S608 - names quoted
    for r in conn.execute(sql, [after]):
        yield dict(zip(cols, r, strict=True))


def plan_digest(conn: sqlite3.Connection) -> str:
    """SHA-256 over the plan tables' rows (order-free: each table's rows sorted as text)."""
    import hashlib

    h = hashlib.sha256()
    present = _tables(conn)
    for table in PLAN_TABLES:
        if table not in present:
            continue
        cols = _columns(conn, table)
        sql = f"SELECT {', '.join(_q(c) for c in cols)} FROM {_q(table)}"  # noqa: S608 - names quoted
        texts = sorted(content(table, dict(zip(cols, r, strict=True))) for r in conn.execute(sql))
        h.update(f"{table}:{len(texts)}\n".encode())
        for text in texts:
            h.update(text.encode("utf-8") + b"\n")
    return h.hexdigest()


def _head(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT n, hash FROM chain ORDER BY n DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def _last_digest(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT digest FROM chain WHERE kind = 'plan' ORDER BY row_id DESC LIMIT 1").fetchone()
    return str(row[0]) if row else None


def _unlinked(conn: sqlite3.Connection, present: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """History rows after each kind's last linked row, in the order they are to be linked (streamed)."""
    for kind, table in KINDS.items():
        if table in present:
            last = conn.execute("SELECT coalesce(max(row_id), 0) FROM chain WHERE kind = ?", [kind]).fetchone()[0]
            yield from ((kind, row) for row in _rows(conn, table, int(last)))


def _plan_may_have_changed(conn: sqlite3.Connection, kinds: set[str], last: str | None, always: bool) -> bool:
    """Whether to digest the plan tables: every plan edit qdtrack makes is logged with a plan change
    (or comes with a milestone report or an import), so a transaction of entries and withdrawals
    only (``update``, ``void``: the busy path) skips the ~10 ms digest. An empty plan is not linked."""
    if conn.execute("SELECT 1 FROM years LIMIT 1").fetchone() is None:
        return False
    return always or last is None or bool(kinds - {"entry", "void"})


def link_pending(conn: sqlite3.Connection, *, by_time: bool = False) -> int:
    """Link every history row not yet in the chain, then the plan if it changed; the number of links made.

    Inside the caller's write transaction. ``by_time`` orders the rows by ``recorded_at`` first
    (the migration, linking a whole existing history); otherwise by kind, then id.
    """
    present = _tables(conn)
    if "chain" not in present:
        return 0
    n, previous = _head(conn)
    start = n
    pending: Iterable[tuple[str, dict[str, Any]]] = _unlinked(conn, present)
    if by_time:
        rank = {kind: i for i, kind in enumerate(KINDS)}
        pending = sorted(pending, key=lambda p: (str(p[1].get("recorded_at") or ""), rank[p[0]], int(p[1]["id"])))
    links: list[tuple[int, str, int, str | None, str]] = []
    kinds: set[str] = set()
    per = max(1, min(BATCH, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 5))
    for kind, row in pending:  # streamed: links are written a batch at a time (a large import's rows are never all held)
        previous = link_hash(previous, content(kind, row))
        n += 1
        links.append((n, kind, int(row["id"]), None, previous))
        kinds.add(kind)
        if len(links) >= per:
            _insert_links(conn, links)
            links = []
    last_digest = _last_digest(conn)
    if _plan_may_have_changed(conn, kinds, last_digest, by_time):
        digest = plan_digest(conn)
        if digest != last_digest:
            previous = link_hash(previous, content("plan", {"digest": digest}))
            n += 1
            links.append((n, "plan", n, digest, previous))
    _insert_links(conn, links)
    return n - start


def _insert_links(conn: sqlite3.Connection, links: list[tuple[int, str, int, str | None, str]]) -> None:
    """Links in one multi-row INSERT (a third cheaper than a statement per link)."""
    if links:
        rows = ", ".join(["(?, ?, ?, ?, ?)"] * len(links))
        conn.execute(f"INSERT INTO chain (n, kind, row_id, digest, hash) VALUES {rows}", [v for link in links for v in link])  # noqa: S608 - placeholders only


def _parses(column: str, value: Any) -> bool:
    try:
        if column in DATE_COLUMNS:
            datetime.date.fromisoformat(value)
        elif column in DATETIME_COLUMNS:
            datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def kind_word(kind: str) -> str:
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind


def row_problems(kind: str, row: dict[str, Any]) -> list[str]:
    """Dates that do not parse and values of the wrong type in one history row."""
    problems = []
    for column, value in row.items():
        if value is not None and (column in DATE_COLUMNS or column in DATETIME_COLUMNS) and not _parses(column, value):
            problems.append(_("{kind} #{id}: {column} {value!r} is not a date").format(kind=kind_word(kind), id=row["id"], column=column, value=value))
    value = row.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        problems.append(_("{kind} #{id}: value {value!r} is not a number").format(kind=kind_word(kind), id=row["id"], value=value))
    return problems


#: Rows fetched at a time by check's streaming passes.
BATCH = 2000
#: Link kinds in the order check reports rows with bad dates or values (that of ``KINDS``).
_RANK = {kind: i for i, kind in enumerate(KINDS)}


def _joined(conn: sqlite3.Connection, present: set[str]) -> tuple[str, list[str], dict[str, tuple[int, list[str]]]]:
    """The chain in link order, each link LEFT JOINed to its row by primary key: the SQL, its
    parameters, and per kind where its table's columns start in a result row and their names."""
    select, joins, params = ["c.n", "c.kind", "c.row_id", "c.digest", "c.hash"], [], []
    spans: dict[str, tuple[int, list[str]]] = {}
    for i, (kind, table) in enumerate(KINDS.items()):
        if table not in present:
            continue
        cols = _columns(conn, table)
        spans[kind] = (len(select), cols)
        select += [f"t{i}.{_q(c)}" for c in cols]
        joins.append(f"LEFT JOIN {_q(table)} t{i} ON c.kind = ? AND t{i}.id = c.row_id")
        params.append(kind)
    return f"SELECT {', '.join(select)} FROM chain c {' '.join(joins)} ORDER BY c.n", params, spans  # noqa: S608 - names quoted


class _Walk:
    """check's walk of the chain: what it found so far, one link (or unlinked row) at a time."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.broken: list[int] = []
        self.last_digest: str | None = None
        self.bad_rows: list[tuple[int, int, list[str]]] = []  # (kind's rank, row id, problems)

    def _row(self, kind: str, row: dict[str, Any]) -> None:
        found = row_problems(kind, row)
        if found:
            self.bad_rows.append((_RANK[kind], int(row["id"]), found))

    def links(self, conn: sqlite3.Connection, present: set[str]) -> None:
        """Every link in order, its hash recomputed from the previous link's and its row's content."""
        sql, params, spans = _joined(conn, present)
        cursor = conn.execute(sql, params)
        previous, expected_n = GENESIS, 1
        while batch := cursor.fetchmany(BATCH):
            for r in batch:
                n, kind, row_id, digest, stored = int(r[0]), r[1], int(r[2]), r[3], r[4]
                if n != expected_n:
                    self.problems.append(_("history chain links {first}-{last} are missing (removed outside qdtrack)").format(first=expected_n, last=n - 1))
                expected_n = n + 1
                if kind == "plan":
                    self.last_digest = digest
                    text = content("plan", {"digest": digest})
                else:
                    start, cols = spans.get(kind, (0, []))
                    row = dict(zip(cols, r[start : start + len(cols)], strict=True))
                    if row.get("id") is None:
                        message = _("history chain link {n}: {kind} #{id} is gone (deleted outside qdtrack)")
                        self.problems.append(message.format(n=n, kind=kind_word(kind), id=row_id))
                        previous = stored
                        continue
                    self._row(kind, row)
                    text = content(kind, row)
                if link_hash(previous, text) != stored:
                    self._broken(n, kind, row_id)
                previous = stored
        if len(self.broken) > 1:
            self.problems.append(_("{count} more history chain links do not match their rows (links {links})").format(
                count=len(self.broken) - 1, links=", ".join(map(str, self.broken[1:6])) + (" ..." if len(self.broken) > 6 else "")))

    def _broken(self, n: int, kind: str, row_id: int) -> None:
        self.broken.append(n)
        if len(self.broken) == 1:
            message = _("the history chain breaks at link {n} ({kind} #{id}): the row was changed outside qdtrack")
            self.problems.append(message.format(n=n, kind=kind_word(kind), id=row_id))

    def unlinked(self, conn: sqlite3.Connection, present: set[str]) -> None:
        """History rows no link names (the chain's unique (kind, row_id) index answers each)."""
        for kind in sorted(KINDS):
            if KINDS[kind] not in present:
                continue
            cols = _columns(conn, KINDS[kind])
            sql = (f"SELECT {', '.join('h.' + _q(c) for c in cols)} FROM {_q(KINDS[kind])} h "  # noqa: S608 - names quoted
                   "WHERE NOT EXISTS (SELECT 1 FROM chain c WHERE c.kind = ? AND c.row_id = h.id) ORDER BY h.id")
            cursor = conn.execute(sql, [kind])
            while batch := cursor.fetchmany(BATCH):
                for r in batch:
                    row = dict(zip(cols, r, strict=True))
                    self.problems.append(_("{kind} #{id} is not in the history chain (added outside qdtrack)").format(kind=kind_word(kind), id=row["id"]))
                    self._row(kind, row)


class ChainMixin(LedgerBase):
    """The chain's reads and the links made at the end of each write."""

    def chain_pending(self) -> int:
        """Link what this transaction wrote (called by ``Ledger.write`` before ``COMMIT``)."""
        return link_pending(self.conn)

    def chain_head(self) -> str | None:
        """The last link's hash (the ledger's whole history in 64 hex digits), None before m005_chain."""
        if "chain" not in _tables(self.conn):
            return None
        n, head = _head(self.conn)
        return head if n else None

    def chain_link_of(self, head: str) -> int | None:
        """The number of the link whose hash starts with ``head`` (lower-case hex), else None."""
        if "chain" not in _tables(self.conn):
            return None
        rows = self._all("SELECT n FROM chain WHERE substr(hash, 1, ?) = ? ORDER BY n LIMIT 1", [len(head), head])
        return int(rows[0][0]) if rows else None

    def chain_links(self) -> list[tuple[int, str, int, str | None, str]]:
        """Every link in order, in memory (for tests and tools; ``chain_problems`` streams)."""
        return [(int(r[0]), r[1], int(r[2]), r[3], r[4]) for r in self._all("SELECT n, kind, row_id, digest, hash FROM chain ORDER BY n")]

    def history_rows(self) -> dict[tuple[str, int], dict[str, Any]]:
        """Every history row by (kind, id), in memory (for tests and tools; ``chain_problems`` streams)."""
        present = _tables(self.conn)
        return {(k, int(r["id"])): r for k, t in KINDS.items() if t in present for r in _rows(self.conn, t)}

    def current_plan_digest(self) -> str:
        return plan_digest(self.conn)

    def schema_objects(self) -> dict[tuple[str, str], str]:
        """{(type, name): SQL} of the ledger's tables, indexes, views and triggers."""
        sql = "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        return {(r[0], r[1]): " ".join(str(r[2]).split()) for r in self._all(sql)}

    def chain_problems(self) -> list[str]:
        """The chain recomputed: its first broken link, links without their row, rows without a link,
        plan tables changed since the last ``plan`` link, and dates or values of the wrong type.

        One streaming pass over the links in order, each joined to its row (memory flat in the
        history's length), then one indexed pass per table for rows without a link."""
        present = _tables(self.conn)
        if "chain" not in present:
            return [_("the history chain is missing, so the history cannot be verified (restore a backup, see README: Data safety)")]
        walk = _Walk()
        walk.links(self.conn, present)
        walk.unlinked(self.conn, present)
        problems = walk.problems
        if walk.last_digest is not None and walk.last_digest != plan_digest(self.conn):
            problems.append(_("the plan tables (targets, baselines, units, milestones ...) were changed outside qdtrack"))
        for _rank, _id, found in sorted(walk.bad_rows, key=lambda b: (b[0], b[1])):
            problems += found
        return problems

    def plan_disagreements(self) -> list[str]:
        """Metric fields, owners and milestones that differ from what the latest plan change of each says."""
        return self._metric_disagreements() + self._owner_disagreements() + self._milestone_disagreements()

    def _metric_disagreements(self) -> list[str]:
        sql = f"""SELECT p.metric_id, p.field, p.new FROM plan_changes p WHERE p.metric_id IS NOT NULL
                  AND p.field IN ({", ".join("?" * len(METRIC_FIELDS))}) AND p.id = (SELECT max(p2.id) FROM plan_changes p2
                  WHERE p2.metric_id = p.metric_id AND p2.field = p.field)"""  # noqa: S608 - placeholders only
        metrics = {int(r[0]): r for r in self._all("SELECT id, name, baseline, target, comparator, kind, target_text FROM metrics")}
        problems = []
        for metric_id, field, new in self._all(sql, METRIC_FIELDS):
            m = metrics.get(int(metric_id))
            if m is None:
                continue  # a foreign key problem, reported by foreign_key_check
            actual = m[METRIC_FIELDS.index(field) + 2]
            expected: Any = new
            if field in ("baseline", "target"):
                try:
                    expected = float(new) if new else None
                except ValueError:
                    expected = new
            if actual != expected:
                message = _("metric #{id} {name}: {field} is {value}, but the latest plan change set {logged}")
                problems.append(message.format(id=metric_id, name=m[1], field=field, value=actual, logged=new))
        return problems

    def _owner_disagreements(self) -> list[str]:
        sql = """SELECT p.task_id, p.new FROM plan_changes p WHERE p.field = 'owners' AND p.task_id IS NOT NULL
                 AND p.id = (SELECT max(p2.id) FROM plan_changes p2 WHERE p2.task_id = p.task_id AND p2.field = 'owners')"""
        owners: dict[int, list[str]] = {}
        for task_id, unit in self._all("SELECT task_id, unit FROM owners ORDER BY task_id, pos"):
            owners.setdefault(int(task_id), []).append(unit)
        problems = []
        for task_id, new in self._all(sql):
            actual = "、".join(owners.get(int(task_id), [])) or None
            if actual != new:
                message = _("task #{id}: responsible units {value} differ from the latest plan change ({logged})")
                problems.append(message.format(id=task_id, value=actual, logged=new))
        return problems

    def _milestone_disagreements(self) -> list[str]:
        sql = """SELECT ms.id, ms.n, ms.due, ms.text, ms.removed, p.new FROM milestones ms JOIN plan_changes p
                 ON p.id = (SELECT max(p2.id) FROM plan_changes p2 WHERE p2.task_id = ms.task_id AND p2.field = 'milestone ' || ms.n)"""
        problems = []
        for ms_id, n, due, text, removed, logged in self._all(sql):
            expected = (1, None) if logged is None else (0, logged)
            if (removed, None if removed else f"{due} {text}") != expected:
                message = _("milestone #{id} ({n}): {due} {text} (removed: {removed}) differs from the latest plan change")
                problems.append(message.format(id=ms_id, n=n, due=due, text=text, removed=removed))
        return problems

"""The ledger's side of ``plan load``: what a plan year already holds, clearing it, writing a new one."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from .common import LedgerBase

if TYPE_CHECKING:  # annotations only: the drafts' dataclasses stay off every command's start-up
    from ..planload_drafts import PlanRows, TaskRow

_LEADING_YEAR = r"\s*(\d{4})(?!\d)"


class PlanLoadMixin(LedgerBase):
    """Writing a whole plan year; the caller holds ``Ledger.write()`` for the writes."""

    def year_for(self, year: int | None, quarter: str | None, on: str | None) -> int | None:
        """The plan year an entry belongs to: ``year`` when given, else the year its --quarter or --on
        names when the ledger holds that plan year (2025Q4 returns after 2026's plan is loaded),
        else None (the caller's default: the year containing today, else the latest)."""
        if year is not None:
            return year
        for text in (quarter, on):
            m = re.match(_LEADING_YEAR, unicodedata.normalize("NFKC", text or ""))
            if m and self._all("SELECT 1 FROM years WHERE year = ?", [int(m.group(1))]):
                return int(m.group(1))
        return None

    def year_use(self, year: int) -> tuple[int, int, int]:
        """(entries, milestone reports, plan changes tied to a task or metric) of a plan year."""
        sql = """
            SELECT (SELECT count(*) FROM updates u JOIN tasks t ON t.id = u.task_id WHERE t.year = :y),
                   (SELECT count(*) FROM milestone_done d JOIN milestones m ON m.id = d.milestone_id
                      JOIN tasks t ON t.id = m.task_id WHERE t.year = :y),
                   (SELECT count(*) FROM plan_changes WHERE year = :y AND (task_id IS NOT NULL OR metric_id IS NOT NULL))
        """
        row = self._all(sql, {"y": year})[0]
        return int(row[0]), int(row[1]), int(row[2])

    def clear_plan_year(self, year: int) -> None:
        """Remove a plan year's documents, areas, sections, tasks, metrics and milestones (not the year)."""
        for sql in (
            "DELETE FROM owners WHERE task_id IN (SELECT id FROM tasks WHERE year = ?)",
            "DELETE FROM milestones WHERE task_id IN (SELECT id FROM tasks WHERE year = ?)",
            "DELETE FROM metrics WHERE task_id IN (SELECT id FROM tasks WHERE year = ?)",
            "DELETE FROM tasks WHERE year = ? AND parent_id IS NOT NULL",
            "DELETE FROM tasks WHERE year = ?",
            "DELETE FROM sections WHERE year = ?",
            "DELETE FROM areas WHERE year = ?",
            "DELETE FROM documents WHERE year = ?",
        ):
            self.conn.execute(sql, [year])

    def _document_id(self, stem: str, year: int) -> str:
        taken = self._all("SELECT year FROM documents WHERE id = ?", [stem])
        return stem if not taken or taken[0][0] == year else f"{stem}@{year}"

    def insert_plan_year(self, rows: PlanRows, change: str, at: str, by: str, source: str) -> None:
        """Write a plan year (its row kept when it exists) and log ``change`` as a plan change."""
        y = rows.year
        if self._all("SELECT 1 FROM years WHERE year = ?", [y]):
            self.conn.execute("UPDATE years SET title = ? WHERE year = ?", [rows.title, y])
        else:
            self.conn.execute("INSERT INTO years (year, title) VALUES (?, ?)", [y, rows.title])
        for d in rows.documents:
            self.conn.execute(
                "INSERT INTO documents (id, year, title, published, front_matter) VALUES (?, ?, ?, ?, ?)",
                [self._document_id(d.stem, y), y, d.title, d.published, d.front_matter],
            )
        self.conn.executemany(
            "INSERT INTO areas (year, no, title) VALUES (?, ?, ?)", [(y, n, t) for n, t in rows.areas]
        )
        section_id: dict[tuple[int, int], int] = {}
        for area, no, title in rows.sections:
            cur = self.conn.execute(
                "INSERT INTO sections (year, area_no, no, title) VALUES (?, ?, ?, ?)", [y, area, no, title]
            )
            section_id[(area, no)] = int(cur.lastrowid or 0)
        task_id: dict[str, int] = {}
        for t in rows.tasks:
            section = section_id.get((t.area_no, t.section_no)) if t.section_no is not None else None
            tid = self._insert_task(y, t, section, task_id.get(t.parent) if t.parent else None)
            if t.bullet:
                task_id[t.bullet] = tid
        sql = "INSERT INTO plan_changes (year, task_id, metric_id, field, old, new, recorded_at, recorded_by, source) VALUES (?, NULL, NULL, 'plan', NULL, ?, ?, ?, ?)"
        self.conn.execute(sql, [y, change, at, by, source])

    def _insert_task(self, year: int, t: TaskRow, section: int | None, parent: int | None) -> int:
        cur = self.conn.execute(
            """INSERT INTO tasks (year, area_no, section_id, seq, bullet, listed_no, text, listed_text, parent_id,
               covered_by_parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [year, t.area_no, section, t.seq, t.bullet, t.listed_no, t.text, t.listed_text, parent,
             1 if t.covered_by_parts else 0],
        )  # fmt: skip
        tid = int(cur.lastrowid or 0)
        self.conn.executemany(
            """INSERT INTO metrics (task_id, pos, name, target, unit, comparator, kind, target_text)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [(tid, m.pos, m.name, m.value, m.unit, m.comparator, m.kind, m.target_text) for m in t.metrics],
        )
        self.conn.executemany(
            "INSERT INTO owners (task_id, pos, unit) VALUES (?, ?, ?)",
            [(tid, pos, unit) for pos, unit in enumerate(dict.fromkeys(t.owners), 1)],
        )
        self.conn.executemany(
            "INSERT INTO milestones (task_id, n, due, text) VALUES (?, ?, ?, ?)",
            [(tid, n, due.isoformat(), text) for n, (due, text) in enumerate(t.milestones, 1)],
        )
        return tid

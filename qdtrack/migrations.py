"""The ledger's schema, as sqlite-utils ``Migrations`` steps.

Each step runs inside a transaction together with the record of it having
been applied (see ``sqlite_utils.migrations``). Never edit a step that has
shipped: add a new one.
"""

from typing import Any

from sqlite_utils.migrations import Migrations

migrations = Migrations("qdtrack")

SCHEMA_V1 = """
CREATE TABLE years (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    title TEXT NOT NULL CHECK (title <> '')
);

-- The source documents, with the lines that are neither area, section nor task
-- (their mastheads and column headings), verbatim.
CREATE TABLE documents (
    id TEXT PRIMARY KEY CHECK (id <> ''),
    year INTEGER NOT NULL REFERENCES years(year),
    title TEXT NOT NULL CHECK (title <> ''),
    published TEXT CHECK (published IS NULL OR date(published) = published),
    front_matter TEXT NOT NULL
);

-- The ten areas of work (聚力攻坚), numbered as in the report; area 0 holds
-- the headline targets, which the report states before its ten areas.
CREATE TABLE areas (
    year INTEGER NOT NULL REFERENCES years(year),
    no INTEGER NOT NULL CHECK (no BETWEEN 0 AND 99),
    title TEXT NOT NULL CHECK (title <> ''),
    PRIMARY KEY (year, no)
);

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    area_no INTEGER NOT NULL,
    no INTEGER NOT NULL CHECK (no >= 1),
    title TEXT NOT NULL CHECK (title <> ''),
    UNIQUE (year, area_no, no),
    FOREIGN KEY (year, area_no) REFERENCES areas(year, no)
);

-- A task is a report bullet, a publicly listed item (挂牌事项), or both at once
-- when the listed item is that bullet. A listed item that is only part of a
-- bullet is its own task with parent_id pointing at the bullet.
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    area_no INTEGER NOT NULL,
    section_id INTEGER REFERENCES sections(id),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    bullet TEXT CHECK (bullet IS NULL OR bullet GLOB '[0-9]*.[0-9]*.[0-9]*'),
    listed_no INTEGER CHECK (listed_no IS NULL OR listed_no >= 1),
    text TEXT CHECK (text IS NULL OR text <> ''),
    listed_text TEXT CHECK (listed_text IS NULL OR listed_text <> ''),
    parent_id INTEGER REFERENCES tasks(id),
    covered_by_parts INTEGER NOT NULL DEFAULT 0 CHECK (covered_by_parts IN (0, 1)),
    UNIQUE (year, seq),
    UNIQUE (year, bullet),
    UNIQUE (year, listed_no),
    CHECK (bullet IS NOT NULL OR listed_no IS NOT NULL),
    CHECK ((bullet IS NULL) = (text IS NULL)),
    CHECK ((listed_no IS NULL) = (listed_text IS NULL)),
    FOREIGN KEY (year, area_no) REFERENCES areas(year, no)
);

-- A numeric target of a task. target_text is the fragment of the task's text
-- the target was read from, verbatim.
CREATE TABLE metrics (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    pos INTEGER NOT NULL CHECK (pos >= 1),
    name TEXT NOT NULL CHECK (name <> ''),
    target REAL NOT NULL CHECK (typeof(target) IN ('real', 'integer') AND abs(target) < 1e15),
    unit TEXT NOT NULL CHECK (unit <> ''),
    comparator TEXT NOT NULL CHECK (comparator IN ('at_least', 'about', 'reach', 'at_most', 'plain')),
    kind TEXT NOT NULL CHECK (kind IN ('cumulative', 'level', 'rate', 'total')),
    target_text TEXT NOT NULL CHECK (target_text <> ''),
    baseline REAL CHECK (baseline IS NULL OR abs(baseline) < 1e15),
    UNIQUE (task_id, pos),
    UNIQUE (task_id, name)
);

-- Append-only history: one row per recorded figure, note or status. A
-- correction is a newer row; nothing is updated or deleted.
CREATE TABLE updates (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    metric_id INTEGER REFERENCES metrics(id),
    quarter TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]Q[1-4]'),
    value REAL CHECK (value IS NULL OR (typeof(value) IN ('real', 'integer') AND abs(value) < 1e15)),
    note TEXT CHECK (note IS NULL OR note <> ''),
    status TEXT CHECK (status IS NULL OR status IN ('done', 'ahead', 'on_track', 'lagging')),
    correction INTEGER NOT NULL DEFAULT 0 CHECK (correction IN (0, 1)),
    recorded_at TEXT NOT NULL CHECK (recorded_at <> ''),
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    source TEXT NOT NULL CHECK (source <> ''),
    CHECK (value IS NOT NULL OR note IS NOT NULL OR status IS NOT NULL),
    CHECK ((metric_id IS NULL) = (value IS NULL))
);
CREATE INDEX updates_metric ON updates(metric_id, quarter);
CREATE INDEX updates_task ON updates(task_id, quarter);

CREATE TRIGGER updates_metric_of_task BEFORE INSERT ON updates
WHEN NEW.metric_id IS NOT NULL
 AND (SELECT task_id FROM metrics WHERE id = NEW.metric_id) IS NOT NEW.task_id
BEGIN
    SELECT RAISE(ABORT, 'metric does not belong to task');
END;
CREATE TRIGGER updates_quarter_in_year BEFORE INSERT ON updates
WHEN CAST(substr(NEW.quarter, 1, 4) AS INTEGER)
     IS NOT (SELECT year FROM tasks WHERE id = NEW.task_id)
BEGIN
    SELECT RAISE(ABORT, 'quarter is outside the task''s plan year');
END;
CREATE TRIGGER updates_no_update BEFORE UPDATE ON updates
BEGIN
    SELECT RAISE(ABORT, 'updates are append-only: record a correction instead');
END;
CREATE TRIGGER updates_no_delete BEFORE DELETE ON updates
BEGIN
    SELECT RAISE(ABORT, 'updates are append-only: record a correction instead');
END;

-- Every report run, so the next report can say what changed since.
CREATE TABLE report_runs (
    id INTEGER PRIMARY KEY,
    generated_at TEXT NOT NULL,
    year INTEGER NOT NULL REFERENCES years(year),
    as_of TEXT NOT NULL CHECK (date(as_of) = as_of),
    format TEXT NOT NULL,
    output TEXT,
    last_update_id INTEGER NOT NULL DEFAULT 0
);
"""


@migrations()
def m001_ledger(db: Any) -> None:
    db.executescript(SCHEMA_V1)


# A figure is true as of a date (issue: the year's rules). ``on_date`` is the day given with
# ``--on`` (or today's date for an entry made without a quarter); ``as_of`` is derived, never
# stored twice: that day, else the quarter's last day. History rows are not rewritten.
SCHEMA_V2 = """
ALTER TABLE updates ADD COLUMN on_date TEXT
    CHECK (on_date IS NULL OR (date(on_date) = on_date
           AND CAST(substr(on_date, 1, 4) AS INTEGER) = CAST(substr(quarter, 1, 4) AS INTEGER)
           AND (CAST(substr(on_date, 6, 2) AS INTEGER) + 2) / 3 = CAST(substr(quarter, 6, 1) AS INTEGER)));
ALTER TABLE updates ADD COLUMN as_of TEXT GENERATED ALWAYS AS (
    coalesce(on_date, date(substr(quarter, 1, 4) || '-' || printf('%02d', 3 * CAST(substr(quarter, 6, 1) AS INTEGER))
                           || '-01', '+1 month', '-1 day'))
) VIRTUAL;
CREATE INDEX updates_metric_as_of ON updates(metric_id, as_of, id);
CREATE INDEX updates_task_as_of ON updates(task_id, as_of, id);
CREATE INDEX updates_task_note ON updates(task_id, as_of, id) WHERE note IS NOT NULL;
CREATE INDEX updates_task_status ON updates(task_id, as_of, id) WHERE status IS NOT NULL;

-- Withdrawing an entry: history keeps both the entry and its withdrawal.
CREATE TABLE voids (
    id INTEGER PRIMARY KEY,
    update_id INTEGER NOT NULL UNIQUE REFERENCES updates(id),
    reason TEXT NOT NULL CHECK (reason <> ''),
    recorded_at TEXT NOT NULL CHECK (recorded_at <> ''),
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    source TEXT NOT NULL CHECK (source <> '')
);
CREATE TRIGGER voids_no_update BEFORE UPDATE ON voids
BEGIN
    SELECT RAISE(ABORT, 'withdrawals are append-only');
END;
CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids
BEGIN
    SELECT RAISE(ABORT, 'withdrawals are append-only');
END;

-- Changes to the plan itself (baselines, targets, owners, milestones): who, when, what.
CREATE TABLE plan_changes (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES years(year),
    task_id INTEGER REFERENCES tasks(id),
    metric_id INTEGER REFERENCES metrics(id),
    field TEXT NOT NULL CHECK (field <> ''),
    old TEXT,
    new TEXT,
    recorded_at TEXT NOT NULL CHECK (recorded_at <> ''),
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    source TEXT NOT NULL CHECK (source <> '')
);
CREATE TRIGGER plan_changes_no_update BEFORE UPDATE ON plan_changes
BEGIN
    SELECT RAISE(ABORT, 'plan changes are append-only');
END;
CREATE TRIGGER plan_changes_no_delete BEFORE DELETE ON plan_changes
BEGIN
    SELECT RAISE(ABORT, 'plan changes are append-only');
END;

-- Milestones (节点) of a task: a due date and what is due; numbered per task as added.
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    n INTEGER NOT NULL CHECK (n >= 1),
    due TEXT NOT NULL CHECK (date(due) = due),
    text TEXT NOT NULL CHECK (text <> ''),
    removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
    UNIQUE (task_id, n)
);
-- A milestone reported done: as of a date, like a figure.
CREATE TABLE milestone_done (
    id INTEGER PRIMARY KEY,
    milestone_id INTEGER NOT NULL UNIQUE REFERENCES milestones(id),
    done_on TEXT NOT NULL CHECK (date(done_on) = done_on),
    note TEXT,
    recorded_at TEXT NOT NULL CHECK (recorded_at <> ''),
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    source TEXT NOT NULL CHECK (source <> '')
);
CREATE TRIGGER milestone_done_no_update BEFORE UPDATE ON milestone_done
BEGIN
    SELECT RAISE(ABORT, 'milestone reports are append-only');
END;
CREATE TRIGGER milestone_done_no_delete BEFORE DELETE ON milestone_done
BEGIN
    SELECT RAISE(ABORT, 'milestone reports are append-only');
END;
"""


@migrations()
def m002_dated_figures(db: Any) -> None:
    db.executescript(SCHEMA_V2)


# Views for Datasette and sqlite3 users (issue 12). ``progress``: per metric and ended quarter
# (its end on or before today in Qingdao, UTC+8) the figure in force at the quarter's end, chosen
# by the ledger's one rule for "the latest figure as of a date" (``ledger.common.figure_in_force``,
# the subquery ``Ledger.facts`` uses: latest non-withdrawn entry dated on or before it); percent as the rules compute it (of the way
# from a level's baseline), null for rates. No status column: statuses follow rules in Python.
# ``history``: every entry with the task's display ID and the value in its metric's unit.
SCHEMA_V3_VIEWS = """
CREATE VIEW progress AS
SELECT e.year AS year,
       coalesce(CAST(t.listed_no AS TEXT), t.bullet) AS task,
       t.area_no AS area,
       coalesce(t.listed_text, t.text) AS title,
       m.name AS metric, m.unit AS unit, m.target AS target, m.comparator AS comparator, m.kind AS kind,
       e.year || 'Q' || e.q AS quarter,
       u.as_of AS as_of,
       u.value AS actual,
       CASE WHEN u.value IS NULL OR m.kind = 'rate' THEN NULL
            WHEN m.kind = 'level' AND m.baseline IS NOT NULL THEN
                 CASE WHEN m.target > m.baseline THEN 100.0 * (u.value - m.baseline) / (m.target - m.baseline) END
            WHEN m.target > 0 THEN 100.0 * u.value / m.target
       END AS percent
FROM metrics m
JOIN tasks t ON t.id = m.task_id
JOIN (SELECT y.year AS year, q.n AS q,
             date(y.year || '-' || printf('%02d', 3 * q.n) || '-01', '+1 month', '-1 day') AS quarter_end
      FROM years y, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) q) e ON e.year = t.year
LEFT JOIN updates u ON u.id = (FIGURE_IN_FORCE)
WHERE e.quarter_end <= date('now', '+8 hours');

CREATE VIEW history AS
SELECT u.id AS entry, t.year AS year,
       coalesce(CAST(t.listed_no AS TEXT), t.bullet) AS task,
       t.area_no AS area, m.name AS metric, u.value AS value, m.unit AS unit,
       u.quarter AS quarter, u.as_of AS as_of, u.note AS note, u.status AS status, u.correction AS correction,
       u.recorded_at AS recorded_at, u.recorded_by AS recorded_by, u.source AS source,
       v.reason AS withdrawn
FROM updates u JOIN tasks t ON t.id = u.task_id
LEFT JOIN metrics m ON m.id = u.metric_id
LEFT JOIN voids v ON v.update_id = u.id;
"""


@migrations()
def m003_views(db: Any) -> None:
    from .ledger.common import figure_in_force  # the ledger's one rule, not a copy of it

    db.executescript(SCHEMA_V3_VIEWS.replace("FIGURE_IN_FORCE", figure_in_force("m.id", "e.quarter_end")))


# The yearly cycle (issue 11): responsible units, a stable identity per entry, and a record of
# every import. ``uid`` is filled for existing rows here (``qdtrack.uids``); the no-update rule
# is re-made per column so a row's uid can be set once, from NULL, and never changed.
SCHEMA_V4_CYCLE = """
CREATE TABLE owners (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    pos INTEGER NOT NULL CHECK (pos >= 1),  -- 1 = 牵头单位 (lead unit), then 配合单位
    unit TEXT NOT NULL CHECK (unit <> '' AND length(unit) <= 100),
    PRIMARY KEY (task_id, pos),
    UNIQUE (task_id, unit)
);
CREATE INDEX owners_unit ON owners(unit);

ALTER TABLE updates ADD COLUMN uid TEXT CHECK (uid IS NULL OR length(uid) = 64);
CREATE UNIQUE INDEX updates_uid ON updates(uid) WHERE uid IS NOT NULL;
CREATE TRIGGER updates_uid_once BEFORE UPDATE OF uid ON updates
WHEN OLD.uid IS NOT NULL OR NEW.uid IS NULL
BEGIN
    SELECT RAISE(ABORT, 'an entry''s uid is set once and never changed');
END;

-- Every import: who ran it, when, from which file, and what it added or skipped.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES years(year),
    file TEXT NOT NULL CHECK (file <> ''),
    added INTEGER NOT NULL CHECK (added >= 0),
    skipped INTEGER NOT NULL CHECK (skipped >= 0),
    plan_added INTEGER NOT NULL DEFAULT 0 CHECK (plan_added >= 0),
    recorded_at TEXT NOT NULL CHECK (recorded_at <> ''),
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    source TEXT NOT NULL CHECK (source <> '')
);
CREATE TRIGGER imports_no_update BEFORE UPDATE ON imports
BEGIN
    SELECT RAISE(ABORT, 'the import record is append-only');
END;
CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports
BEGIN
    SELECT RAISE(ABORT, 'the import record is append-only');
END;
"""

_UIDLESS_ROWS = """
SELECT u.id, coalesce(CAST(t.listed_no AS TEXT), t.bullet), m.name, u.as_of, u.value, u.note, u.status, u.correction,
       u.recorded_by, u.recorded_at
FROM updates u JOIN tasks t ON t.id = u.task_id LEFT JOIN metrics m ON m.id = u.metric_id
WHERE u.uid IS NULL ORDER BY u.id
"""


def fill_uids(conn: Any) -> int:
    """Give every entry without a uid its uid (``qdtrack.uids``), in the order recorded."""
    from .uids import entry_key, uid_of

    taken = {r[0] for r in conn.execute("SELECT uid FROM updates WHERE uid IS NOT NULL")}
    rows = conn.execute(_UIDLESS_ROWS).fetchall()
    pairs = []
    for r in rows:
        uid = uid_of(entry_key(*r[1:]), taken)
        taken.add(uid)
        pairs.append((uid, r[0]))
    conn.executemany("UPDATE updates SET uid = ? WHERE id = ?", pairs)
    return len(pairs)


@migrations()
def m004_cycle(db: Any) -> None:
    conn = db.conn
    db.executescript(SCHEMA_V4_CYCLE)
    # the no-update rule, per column, so that only a NULL uid may be set
    columns = [r[1] for r in conn.execute("PRAGMA table_xinfo(updates)") if r[6] == 0 and r[1] != "uid"]
    quoted = ['"' + c.replace('"', '""') + '"' for c in columns]
    conn.execute("DROP TRIGGER updates_no_update")
    conn.execute(
        f"CREATE TRIGGER updates_no_update BEFORE UPDATE OF {', '.join(quoted)} ON updates BEGIN "
        "SELECT RAISE(ABORT, 'updates are append-only: record a correction instead'); END"
    )
    fill_uids(conn)


SCHEMA_CHAIN = """
-- Tamper evidence: one link per history row (kind, row id) and one per change of the plan tables
-- (kind 'plan', row_id = n, digest of the plan tables); hash = SHA-256 of the previous link's hash
-- and the row's content (qdtrack.ledger.chain).
CREATE TABLE chain (
    n INTEGER PRIMARY KEY CHECK (n >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('plan_change', 'entry', 'void', 'milestone_done', 'import', 'plan')),
    row_id INTEGER NOT NULL CHECK (row_id >= 0),
    digest TEXT CHECK (digest IS NULL OR length(digest) = 64),
    hash TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    CHECK ((kind = 'plan') = (digest IS NOT NULL)),
    CHECK (kind <> 'plan' OR row_id = n),
    UNIQUE (kind, row_id)
);
CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain
BEGIN
    SELECT RAISE(ABORT, 'the history chain is append-only');
END;
CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain
BEGIN
    SELECT RAISE(ABORT, 'the history chain is append-only');
END;
"""


# Tamper evidence (issue 13): the ``chain`` table, and every existing history row linked into it
# in the order recorded, then the plan's digest (``qdtrack.ledger.chain``).
@migrations()
def m005_chain(db: Any) -> None:
    from .ledger.chain import link_pending

    db.executescript(SCHEMA_CHAIN)
    link_pending(db.conn, by_time=True)

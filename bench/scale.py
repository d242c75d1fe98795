"""Scale benchmark: every everyday command on ledgers with 10k, 100k and 1M updates in 2025.

    python bench/scale.py [--sizes 10000,100000,1000000] [--runs 3] [--cache DIR] [--import-rows 100000]

Builds each ledger once through qdtrack's own code (``qdtrack init``, then
``Ledger.open`` and ``insert_entry`` inside one ``Ledger.write()`` transaction) and keeps it
under the cache directory (default ``$XDG_CACHE_HOME/qdtrack-bench``), keyed by size and
schema. A variant ("+ other years") puts most of its rows in ten other plan years
(2015-2024, copies of the 2025 plan) and 10% in 2025. Then runs every everyday command on
each ledger in alternation with the freshly seeded one (median of ``--runs`` pairs) and
prints per command: the wall time, its ratio to the seeded ledger, the peak memory of the
process (``os.wait4``'s ``ru_maxrss``) and the growth of the time per ×10 rows. Last it
times ``qdtrack import`` of a generated csv (``--import-rows``) on a seeded ledger.

Like bench/startup.py this is a benchmark to run by hand, not a test: read the ratios.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import os
import pathlib
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from typing import Any

YEAR = 2025
OTHER_YEARS = range(2015, 2025)
#: Part of the cache key: change it when generated_rows or copy_plan change what they write.
GENERATOR = "rows-v2"
#: Seconds above which a command's warm-up run on the big ledger counts as its first run.
SLOW = 5.0
FLOOR_ROW = "check's floor"
COMMANDS: list[tuple[str, list[str]]] = [
    ("status", ["status"]),
    ("status --format json", ["status", "--format", "json"]),
    ("lagging", ["lagging"]),
    ("areas", ["areas"]),
    ("show 21", ["show", "21"]),
    ("report --format html", ["report", "--format", "html", "--output", "{tmp}/report.html"]),
    ("update (on a copy)", ["update", "21", "--value", "1000", "--quarter", "2025Q4", "--by", "bench"]),
    ("export --output f", ["export", "--output", "{tmp}/export.csv"]),
    ("check", ["check"]),
    (FLOOR_ROW, ["{python}", "-c", "{floor}"]),
]

#: ``check``'s yardstick (issue 14): SQLite's own checks plus the history chain's verification
#: alone, through the ledger's methods, none of qdtrack's per-year rules.
CHECK_FLOOR = """
import os
from qdtrack.ledger import Ledger
with Ledger.open(os.environ["QDTRACK_DB"], create=False) as ledger:
    ledger.integrity_problems()
    getattr(ledger, "chain_problems", list)()
"""


def qdtrack() -> str:
    here = pathlib.Path(sys.executable).parent / "qdtrack"
    found = here if here.exists() else shutil.which("qdtrack")
    if not found:
        sys.exit("qdtrack is not installed in this environment; pip install -e . first")
    return str(found)


#: A small launcher that forks and execs the command and reports its wall time and peak RSS.
#: Measured from here, not from this process: on Linux a child's ru_maxrss starts at its
#: parent's size (fork copies it), and this process holds the ledgers it built.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
sys.stderr.write(f"\\nBENCH {wall!r} {usage.ru_maxrss * 1024}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS in bytes of one process running ``cmd``."""
    r = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *cmd], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)  # fmt: skip
    last = r.stderr.rstrip().splitlines()[-1] if r.stderr.strip() else ""
    if r.returncode not in (0, 4) or not last.startswith("BENCH "):  # 4: something lags (report)
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    _, wall, rss = last.split()
    return float(wall), int(rss)


# -- building the ledgers ------------------------------------------------------------------


def figure_slots(tasks: Sequence[Any]) -> list[tuple[Any, Any]]:
    """(task, metric or None) to cycle through: every metric, and every task without one."""
    slots: list[tuple[Any, Any]] = []
    for t in tasks:
        if t.covered_by_parts:
            continue
        slots += [(t, m) for m in t.metrics] or [(t, None)]
    return slots


def generated_rows(tasks: Sequence[Any], year: int, n: int, base: dict[int, float] | None = None) -> Iterator[dict[str, Any]]:
    """``n`` history rows spread evenly from April to December (after the seed's first quarter),
    each metric's figures rising from ``base`` (its figure in force before April)."""
    slots = figure_slots(tasks)
    base = base or {}
    start = datetime.date(year, 4, 1)
    days = (datetime.date(year, 12, 31) - start).days + 1
    for i in range(n):
        day = start + datetime.timedelta(days=i * days // n)
        task, metric = slots[i % len(slots)]
        row: dict[str, Any] = {
            "task_id": task.id, "metric_id": None, "quarter": f"{year}Q{(day.month + 2) // 3}",
            "on_date": day.isoformat(), "value": None, "note": None, "status": None, "correction": 0,
            "recorded_at": f"{day.isoformat()}T09:00:00+08:00", "recorded_by": "bench", "source": "bench/scale.py",
        }  # fmt: skip
        if metric is not None and i % 10:
            rise = abs(metric.target) * 1.2 * (i + 1) / n
            row["metric_id"], row["value"] = metric.id, round(base.get(metric.id, 0.0) + rise, 4)
        elif metric is None and i % 20 == 0:
            row["status"] = "on_track"
        else:
            row["note"] = f"bench note {i}: 进展顺利，按计划推进"
        yield row


def copy_plan(path: pathlib.Path, src: int, dst: int) -> None:
    """A copy of the ``src`` plan as year ``dst`` (a bench fixture: ``plan load`` needs a plan document per
    year). The copied plan is linked into the history chain as qdtrack links a plan it loads, else
    ``check`` rightly reports plan tables changed outside qdtrack."""
    from qdtrack.ledger.chain import link_pending

    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    con.execute("INSERT INTO years SELECT ?, replace(title, ?, ?) FROM years WHERE year = ?", [dst, str(src), str(dst), src])
    con.execute("INSERT INTO areas SELECT ?, no, title FROM areas WHERE year = ?", [dst, src])
    con.execute("INSERT INTO sections (year, area_no, no, title) SELECT ?, area_no, no, title FROM sections WHERE year = ?", [dst, src])
    con.execute(
        """INSERT INTO tasks (year, area_no, section_id, seq, bullet, listed_no, text, listed_text, covered_by_parts)
           SELECT ?, t.area_no, (SELECT s2.id FROM sections s1 JOIN sections s2 ON s2.year = ? AND s2.area_no = s1.area_no
                  AND s2.no = s1.no WHERE s1.id = t.section_id), t.seq, t.bullet, t.listed_no, t.text, t.listed_text, t.covered_by_parts
           FROM tasks t WHERE t.year = ? ORDER BY t.seq""",
        [dst, dst, src],
    )
    con.execute(
        """INSERT INTO metrics (task_id, pos, name, target, unit, comparator, kind, target_text, baseline)
           SELECT t2.id, m.pos, m.name, m.target, m.unit, m.comparator, m.kind, m.target_text, m.baseline
           FROM metrics m JOIN tasks t1 ON t1.id = m.task_id JOIN tasks t2 ON t2.year = ? AND t2.seq = t1.seq
           WHERE t1.year = ?""",
        [dst, src],
    )
    link_pending(con, by_time=True)  # by_time: digest the plan tables even though no history row is new
    con.execute("COMMIT")
    con.close()


def fill(path: pathlib.Path, plan: dict[int, int]) -> None:
    """Append the generated rows through the ledger's own insert, one transaction per ledger."""
    from qdtrack.ledger import Ledger

    with Ledger.open(path, create=False) as ledger, ledger.write():
        bulk = getattr(ledger, "insert_entries", None)
        for year, n in plan.items():
            before = ledger.facts(year, datetime.date(year, 3, 31)).figures
            rows = generated_rows(ledger.plan(year), year, n, {k: f.value for k, f in before.items()})
            if bulk is not None:  # the ledger's own batch insert, then its uids (fill_uids)
                bulk(rows)
                getattr(ledger, "fill_uids", lambda: 0)()
            else:
                for row in rows:
                    ledger.insert_entry(row)


def cache_key() -> str:
    if os.environ.get("QDTRACK_BENCH_KEY"):  # reuse ledgers built by an earlier run of the same series
        return os.environ["QDTRACK_BENCH_KEY"]
    import qdtrack.migrations
    from qdtrack import dbfile

    # a migration step edited in development means a new ledger, not an upgraded stale one
    steps = pathlib.Path(qdtrack.migrations.__file__).read_text(encoding="utf-8")
    return hashlib.sha256((dbfile.seed_sql() + GENERATOR + steps).encode()).hexdigest()[:12]


def upgraded(path: pathlib.Path) -> pathlib.Path:
    """A cached ledger brought to this qdtrack's schema (its own migrations, on open), once."""
    from qdtrack.ledger import Ledger

    start = time.perf_counter()
    Ledger.open(path, create=False).close()
    if time.perf_counter() - start > 1:
        print(f"upgraded {path.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def build(cache: pathlib.Path, label: str, plan: dict[int, int], env: dict[str, str]) -> pathlib.Path:
    path = cache / f"{label}-{cache_key()}.db"
    if path.exists():
        return upgraded(path)
    tmp = path.with_suffix(".building")
    for p in (tmp, pathlib.Path(f"{tmp}-wal"), pathlib.Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run([qdtrack(), "init", "--db", str(tmp)], env=env, check=True, capture_output=True)
    for year in plan:
        if year != YEAR:
            copy_plan(tmp, YEAR, year)
    fill(tmp, plan)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    tmp.rename(path)
    print(f"built {label}: {sum(plan.values()):,} rows in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


# -- measuring -----------------------------------------------------------------------------


def command_line(args: list[str], tmp: pathlib.Path) -> list[str]:
    if args[0] == "{python}":
        return [sys.executable, *(CHECK_FLOOR if a == "{floor}" else a for a in args[1:])]
    return [qdtrack(), *(a.replace("{tmp}", str(tmp)) for a in args)]


def measure(name: str, args: list[str], seeded: pathlib.Path, big: pathlib.Path, runs: int,
            base_env: dict[str, str], tmp: pathlib.Path) -> dict[str, float]:  # fmt: skip
    """Alternate the command on the seeded ledger and on ``big``: medians, pair ratio, peak."""
    if name.startswith("update"):  # a write: on copies, never on the cached ledgers
        seeded, big = (copy_of(p, tmp) for p in (seeded, big))
    cmd = command_line(args, tmp)
    a_env, b_env = {**base_env, "QDTRACK_DB": str(seeded)}, {**base_env, "QDTRACK_DB": str(big)}
    run(cmd, a_env)  # warm-up: page cache and .pyc files
    first, peak = run(cmd, b_env)
    a: list[float] = []
    b: list[float] = []
    if first > SLOW:  # a slow command's first run is a run like the others (the file is cached by now)
        a.append(run(cmd, a_env)[0])
        b.append(first)
        runs -= 1
    for _ in range(runs):
        a.append(run(cmd, a_env)[0])
        tb, rss = run(cmd, b_env)
        b.append(tb)
        peak = max(peak, rss)
    ratios = [y / x for x, y in zip(a, b, strict=True)]
    return {"seeded": statistics.median(a), "big": statistics.median(b), "ratio": statistics.median(ratios), "peak": peak}


def copy_of(path: pathlib.Path, tmp: pathlib.Path) -> pathlib.Path:
    target = tmp / f"copy-{path.name}"
    if not target.exists():
        shutil.copyfile(path, target)
    return target


def import_csv(path: pathlib.Path, n: int) -> None:
    """``n`` rows in import's own columns: listed items' figures, dated through the year."""
    from qdtrack.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        seeded = pathlib.Path(tmp) / "seed.db"
        subprocess.run([qdtrack(), "init", "--db", str(seeded)], check=True, capture_output=True)
        with Ledger.open(seeded, create=False) as ledger:
            tasks = [t for t in ledger.plan(YEAR) if t.listed_no is not None and len(t.metrics) == 1]
            base = {k: f.value for k, f in ledger.facts(YEAR, datetime.date(YEAR, 3, 31)).figures.items()}
    ref = {t.id: (str(t.listed_no), t.metrics[0].unit) for t in tasks}
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "quarter", "as_of", "value", "unit", "note"])
        for r in generated_rows(tasks, YEAR, n, base):
            item, unit = ref[r["task_id"]]
            value = "" if r["value"] is None else repr(r["value"])
            w.writerow([item, r["quarter"], r["on_date"], value, unit if value else "", r["note"] or ""])


def time_import(n: int, base_env: dict[str, str], tmp: pathlib.Path) -> tuple[float, int]:
    data = tmp / f"import-{n}.csv"
    import_csv(data, n)
    db = tmp / "import.db"
    env = {**base_env, "QDTRACK_DB": str(db)}
    subprocess.run([qdtrack(), "init", "--db", str(db)], env=env, check=True, capture_output=True)
    return run([qdtrack(), "import", str(data), "--by", "bench"], env)


def table(results: dict[str, dict[str, dict[str, float]]], labels: list[str], sizes: dict[str, int]) -> str:
    head = ["command", "seeded ms"] + [f"{lab} ms (×seeded, peak MiB)" for lab in labels] + ["growth per ×10"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in results.items():
        cells = [name, f"{row[labels[0]]['seeded'] * 1000:.0f}"]
        for lab in labels:
            r = row[lab]
            cells.append(f"{r['big'] * 1000:.0f} (×{r['ratio']:.2f}, {r['peak'] / 2**20:.0f})")
        plain = [lab for lab in labels if "other" not in lab]
        growth = [row[b]["big"] / row[a]["big"] for a, b in zip(plain, plain[1:], strict=False)
                  if sizes[b] == 10 * sizes[a]]  # fmt: skip
        cells.append(", ".join(f"×{g:.2f}" for g in growth) or "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="updates in 2025, comma-separated")
    p.add_argument("--other-years", type=int, default=1_000_000, help="total rows of the other-years variant (0: none)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--import-rows", type=int, default=100_000, help="rows of the import timing (0: skip)")
    p.add_argument("--only", help="comma-separated command names to run (default: all)")
    default_cache = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "qdtrack-bench"
    p.add_argument("--cache", type=pathlib.Path, default=default_cache)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        env = {k: v for k, v in os.environ.items() if k != "QDTRACK_DB"}
        env.update({"NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp / "config")})
        seeded = tmp / "seeded.db"
        subprocess.run([qdtrack(), "init", "--db", str(seeded)], env=env, check=True, capture_output=True)
        ledgers: dict[str, pathlib.Path] = {}
        sizes: dict[str, int] = {}
        for n in (int(s) for s in args.sizes.split(",") if s):
            label = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
            ledgers[label], sizes[label] = build(args.cache, label, {YEAR: n}, env), n
        if args.other_years:
            total = args.other_years
            plan = {YEAR: total // 10, **{y: total * 9 // 10 // len(OTHER_YEARS) for y in OTHER_YEARS}}
            label = f"{total // 10 // 1000}k + {total * 9 // 10 // 1000}k other years"
            ledgers[label], sizes[label] = build(args.cache, f"years-{total}", plan, env), total // 10
        only = set(args.only.split(",")) if args.only else None
        results: dict[str, dict[str, dict[str, float]]] = {}
        for name, cmd in COMMANDS:
            if only and name.split()[0] not in only and name not in only:
                continue
            results[name] = {lab: measure(name, cmd, seeded, p, args.runs, env, tmp) for lab, p in ledgers.items()}
            print(f"  {name}: seeded {next(iter(results[name].values()))['seeded'] * 1000:.0f} ms; "
                  + ", ".join(f"{lab} {r['big'] * 1000:.0f} ms ×{r['ratio']:.2f} {r['peak'] / 2**20:.0f} MiB"
                                             for lab, r in results[name].items()), file=sys.stderr)  # fmt: skip
        print(table(results, list(ledgers), sizes))
        if "check" in results and FLOOR_ROW in results:
            ratios = [f"{lab} ×{results['check'][lab]['big'] / results[FLOOR_ROW][lab]['big']:.2f}" for lab in ledgers]
            print("\ncheck / its floor (integrity_check + chain alone): " + ", ".join(ratios))
        if args.import_rows:
            wall, rss = time_import(args.import_rows, env, tmp)
            print(f"\nqdtrack import of {args.import_rows:,} csv rows: {wall:.1f} s, peak {rss / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()

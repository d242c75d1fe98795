"""Start-up benchmark: every everyday command against the import floor.

    python bench/startup.py [--runs 21] [--only status,lagging]

The yardstick is the floor a Python command line with click and sqlite3 cannot go under:
``python -c "import click, json, sqlite3"``. Each command runs alternately with the floor
on the same freshly seeded ledger (a copy for ``update``), and the table shows each one's
median wall time and the median of the per-pair ratios (command / floor). Targets (issue
14): ``status --area 9`` at most 1.3, ``status --format json`` at most 1.2, with and without
a config file. Then the import cost of the libraries the tables once used (tabulate and
wcwidth) against the standard library's ``unicodedata``, as medians of fresh processes.

A benchmark to run by hand, not a test: machines differ and are noisy, so read the ratios.
``--instructions`` counts the instructions each command executes under valgrind instead: one
run each, the same on a loaded machine as on a quiet one.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

FLOOR = [sys.executable, "-c", "import click, json, sqlite3"]
TARGETS = {"status --area 9": 1.3, "status --format json": 1.2}
COMMANDS: list[tuple[str, list[str]]] = [
    ("status --area 9", ["status", "--area", "9"]),
    ("status --format json", ["status", "--format", "json"]),
    ("status", ["status"]),
    ("lagging", ["lagging"]),
    ("areas", ["areas"]),
    ("show 21", ["show", "21"]),
    ("log", ["log"]),
    ("update", ["update", "21", "--note", "bench", "--quarter", "2025Q2", "--by", "bench"]),
    ("report --format html", ["report", "--format", "html", "--output", "{tmp}/report.html"]),
    ("export --output f", ["export", "--output", "{tmp}/export.csv"]),
    ("check", ["check"]),
]
CONFIG = 'lang = "zh"\nby = "王芳"\ntolerance = 2\n'


def tool(name: str) -> str:
    here = pathlib.Path(sys.executable).parent / name
    found = here if here.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed in this environment; pip install . first")
    return str(found)


def timed(cmd: Sequence[str], env: dict[str, str], cpu: bool = False) -> float:
    """Wall seconds of one run; with ``cpu``, its CPU seconds (user + system, from wait4) instead:
    steadier than wall time on a machine other work is loading."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 4):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return usage.ru_utime + usage.ru_stime if cpu else wall


def instructions(cmd: Sequence[str], env: dict[str, str]) -> float:
    """Instructions one run executes (valgrind's callgrind, no output file): the same count on every
    run, however loaded the machine is, where wall and CPU times swing by tens of per cent on a
    shared VM. The count misses what it costs to wait for memory, so read it beside the times."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        sys.exit("--instructions needs valgrind (apt-get install valgrind)")
    proc = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode not in (0, 4) or not found:
        sys.exit(f"{' '.join(cmd)} failed under valgrind ({proc.returncode})")
    return float(found.group(1))


def pairs(cmd: Sequence[str], env: dict[str, str], runs: int, cpu: bool = False) -> tuple[float, float, float]:
    """Median of the command, of the floor, and of the per-pair ratios."""
    timed(cmd, env), timed(FLOOR, env)  # warm-up: page cache and .pyc files
    a, b = [], []
    for _ in range(runs):
        a.append(timed(cmd, env, cpu))
        b.append(timed(FLOOR, env, cpu))
    return statistics.median(a), statistics.median(b), statistics.median(x / y for x, y in zip(a, b, strict=True))


def import_costs(runs: int) -> list[tuple[str, float]]:
    """Median extra wall time of importing each module on top of the floor, in fresh processes
    (modules not installed here, such as tabulate and wcwidth since qdtrack dropped them, are skipped)."""
    import importlib.util

    out = []
    for module in ("tabulate", "wcwidth", "importlib.metadata", "unicodedata", "sqlite_utils", "jinja2"):
        if importlib.util.find_spec(module) is None:
            print(f"{module}: not installed here (pip install {module} to measure it)", file=sys.stderr)
            continue
        cmd = [sys.executable, "-c", f"import click, json, sqlite3, {module}"]
        extra = [timed(cmd, dict(os.environ)) - timed(FLOOR, dict(os.environ)) for _ in range(runs)]
        out.append((module, statistics.median(extra)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--only", help="comma-separated command names (default: all)")
    parser.add_argument("--cpu", action="store_true", help="compare CPU time (user + system) instead of wall time")
    parser.add_argument("--instructions", action="store_true",
                        help="compare instructions executed (valgrind; one run each: the count does not vary)")  # fmt: skip
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        ledger = tmp / "ledger.db"
        base = {k: v for k, v in os.environ.items() if k != "QDTRACK_DB"}
        env = {**base, "QDTRACK_DB": str(ledger), "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp / "none")}
        subprocess.run([tool("qdtrack"), "init", "--db", str(ledger)], env=env, check=True, capture_output=True)
        (tmp / "cfg" / "qdtrack").mkdir(parents=True)
        (tmp / "cfg" / "qdtrack" / "config.toml").write_text(CONFIG, encoding="utf-8")
        with_config = {**env, "XDG_CONFIG_HOME": str(tmp / "cfg")}
        runs = [(name, argv, env, "") for name, argv in COMMANDS]
        runs += [(name, argv, with_config, " (config file)") for name, argv in COMMANDS if name in TARGETS]
        what = "CPU" if args.cpu else "wall"
        if args.instructions:
            print("| command | instructions (M) | floor (M) | × floor | target |")
        else:
            print(f"| command | {what} median ms | floor ms | × floor (median of {args.runs} pairs) | target |")
        print("|---|---|---|---|---|")
        for name, argv, e, note in runs:
            if only and name not in only and name.split()[0] not in only:
                continue
            if name == "update":  # a write: on a copy of the seed
                copy = tmp / "update.db"
                shutil.copyfile(ledger, copy)
                e = {**e, "QDTRACK_DB": str(copy)}
            cmd = [tool("qdtrack"), *(a.replace("{tmp}", str(tmp)) for a in argv)]
            target = f"≤ {TARGETS[name]}" if name in TARGETS else ""
            if args.instructions:
                if name == "update":
                    shutil.copyfile(ledger, e["QDTRACK_DB"])  # each measured run writes the same entry
                ours, floor = instructions(cmd, e), instructions(FLOOR, e)
                print(f"| {name}{note} | {ours / 1e6:.1f} | {floor / 1e6:.1f} | {ours / floor:.3f} | {target} |", flush=True)
                continue
            ours, floor, ratio = pairs(cmd, e, args.runs, args.cpu)
            print(f"| {name}{note} | {ours * 1000:.1f} | {floor * 1000:.1f} | {ratio:.2f} | {target} |", flush=True)
    if args.instructions:
        return
    print("\nimport cost on top of the floor (median of fresh processes):")
    for module, extra in import_costs(max(5, args.runs // 2)):
        print(f"  {module:20s} {extra * 1000:+.1f} ms")


if __name__ == "__main__":
    main()

"""Start-up benchmark: `qdtrack status --area 9` against sqlite-utils' own CLI.

    python bench/startup.py [--runs 21]

Runs the two commands alternately on the same freshly seeded ledger and
prints each one's median wall time and the median of the per-pair ratios
(qdtrack / sqlite-utils). The goal is 0.8 or below. This is a benchmark to
run by hand, not a test: machines differ and are noisy, so read the ratio,
not the absolute times. Measure from a regular (non-editable) install:
an editable install adds an import hook to every Python process.
"""

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def tool(name):
    here = pathlib.Path(sys.executable).parent / name
    found = here if here.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed in this environment; pip install . first")
    return str(found)


def timed(cmd, env):
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = os.path.join(tmp, "ledger.db")
        env = {**os.environ, "QDTRACK_DB": ledger, "NO_COLOR": "1"}
        subprocess.run([tool("qdtrack"), "init"], env=env, check=True, stderr=subprocess.DEVNULL)
        ours = [tool("qdtrack"), "status", "--area", "9"]
        ref = [tool("sqlite-utils"), "query", ledger, "select type, name from sqlite_master", "--table"]
        for cmd in (ours, ref):  # warm-up: page cache and .pyc files
            timed(cmd, env)
        a, b = [], []
        for _ in range(args.runs):
            a.append(timed(ours, env))
            b.append(timed(ref, env))
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    print(f"qdtrack status --area 9   median {statistics.median(a) * 1000:.1f} ms")
    print(f"sqlite-utils query        median {statistics.median(b) * 1000:.1f} ms")
    print(f"ratio (median of {args.runs} pairs): {statistics.median(ratios):.3f}   goal: <= 0.8")


if __name__ == "__main__":
    main()

"""Scale: export streams the history a batch at a time and writes the same bytes (issue 14).

The times and peak memory are bench/scale.py's business; this checks the streamed path
is the export people already had, and that it really comes in batches.
"""

from __future__ import annotations

import subprocess
import sys

from qdtrack.exchange_export import export, export_csv_chunks
from qdtrack.ledger import Ledger


def _ledger(tmp_path):
    path = tmp_path / "ledger.db"
    subprocess.run([sys.executable, "-m", "qdtrack", "init", "--db", str(path)], check=True, capture_output=True)
    with Ledger.open(path, create=False) as ledger, ledger.write():
        task = next(t for t in ledger.plan(2025) if t.ref == "21")
        for i in range(30):
            ledger.insert_entry({"task_id": task.id, "quarter": "2025Q2", "on_date": f"2025-05-{i + 1:02d}",
                                 "note": f"第{i}条 进展, \"quoted\"\nsecond line", "correction": 0,
                                 "recorded_at": f"2025-05-{i + 1:02d}T09:00:00+08:00", "recorded_by": "t",
                                 "source": "test"})  # fmt: skip
    subprocess.run([sys.executable, "-m", "qdtrack", "void", "3", "--reason", "wrong", "--by", "t", "--db", str(path)],
                   check=True, capture_output=True)  # fmt: skip
    return path


def test_streamed_csv_is_the_export(tmp_path):
    with Ledger.open(_ledger(tmp_path), create=False) as ledger:
        whole = export(ledger, None, "csv")[1]
        streamed = b"".join(export_csv_chunks(ledger, None)[1])
    assert streamed == whole
    assert whole.startswith(b"\xef\xbb\xbfid,") and b"wrong" in whole  # BOM, header once, the withdrawal


def test_entries_come_in_batches_oldest_first(tmp_path):
    with Ledger.open(_ledger(tmp_path), create=False) as ledger:
        batches = list(ledger.iter_entries(2025, batch=7))
    ids = [e.id for b in batches for e, _ in b]
    assert max(len(b) for b in batches) == 7 and len(batches) > 2
    assert ids == sorted(ids) and all(uid for b in batches for _, uid in b)


def test_export_to_a_file_writes_the_streamed_bytes(tmp_path):
    path = _ledger(tmp_path)
    out = tmp_path / "e.csv"
    subprocess.run([sys.executable, "-m", "qdtrack", "export", "--output", str(out), "--db", str(path)], check=True)
    shown = subprocess.run([sys.executable, "-m", "qdtrack", "export", "--db", str(path)], check=True, capture_output=True)
    with Ledger.open(path, create=False) as ledger:
        assert out.read_bytes() == export(ledger, None, "csv")[1] == shown.stdout

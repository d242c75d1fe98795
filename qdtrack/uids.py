"""Stable identities of history rows: the same entry has the same ``uid`` in every ledger.

An entry's uid is the SHA-256 (hex) of its content — the task's display ID, the metric's
name, the date it is true at, value, note, status, correction — with its recorder and the
time it was recorded. The bundled seed's rows therefore carry the same uids in every
ledger, and an export imported elsewhere is recognised row by row. Two entries identical in
all of these (recorded in the same second) get ``#2``, ``#3`` … appended before hashing,
in the order they were recorded. Leaf module: no qdtrack imports, no SQL.
"""

from __future__ import annotations

import json
import math
from collections.abc import Container

_KEY = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # as json.dumps with these options, made once
_quoted = json.encoder.encode_basestring  # how _KEY writes a string (ensure_ascii=False)


def _value(value: float | None) -> float | None:
    return None if value is None else float(value)


def entry_key(ref: str, metric: str | None, as_of: str, value: float | None, note: str | None, status: str | None,
              correction: bool, recorded_by: str, recorded_at: str) -> str:  # fmt: skip
    """The text an entry's uid is the hash of (canonical JSON of its fields).

    Written out as ``_KEY.encode`` writes it (strings by the encoder's own escaping, a finite
    float by ``repr``) without building an encoder per call; anything else goes to ``_KEY``."""
    number = _value(value)
    if (number is not None and not math.isfinite(number)) or not (type(ref) is str and type(as_of) is str and type(recorded_by) is str
                                                               and type(recorded_at) is str and _text(metric) and _text(note) and _text(status)):  # fmt: skip
        return _KEY.encode([ref, metric, as_of, number, note, status, bool(correction), recorded_by, recorded_at])
    q = _quoted
    return (f"[{q(ref)},{'null' if metric is None else q(metric)},{q(as_of)},{'null' if number is None else float.__repr__(number)},"
            f"{'null' if note is None else q(note)},{'null' if status is None else q(status)},{'true' if correction else 'false'},"
            f"{q(recorded_by)},{q(recorded_at)}]")  # fmt: skip


def _text(text: object) -> bool:
    return text is None or type(text) is str


def uid_of(key: str, taken: Container[str] = (), seen: dict[str, int] | None = None) -> str:
    """The first hash of ``key`` (then ``key#2``, ``key#3`` …) not in ``taken``; ``seen`` remembers
    how far each key got, so many identical entries cost one hash each."""
    import hashlib  # here, not at the top: loading OpenSSL is kept off the start-up of commands that only read

    n = seen.get(key, 1) if seen is not None else 1
    while True:
        uid = hashlib.sha256((key if n == 1 else f"{key}#{n}").encode("utf-8")).hexdigest()
        if uid not in taken:
            if seen is not None and n > 1:
                seen[key] = n  # (a key met once is not kept: the next one like it costs one more hash)
            return uid
        n += 1


def change_key(*fields: object) -> str:
    """The identity of a plan change, a milestone or a withdrawal: a hash of its fields."""
    import hashlib

    text = json.dumps([None if f is None else str(f) for f in fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""The text documents ``plan load`` and ``ingest`` read: bounded, regular files, one encoding.

A document is UTF-8 (with or without a BOM) or GB18030, as Word and WPS save plain text in
China. UTF-8 Chinese also decodes as GB18030 (into other characters), so the encoding is
decided line by line and a file whose lines disagree is refused: mojibake is never read
into a plan. Anything else (a folder, FIFO or device, binary data, UTF-16, an oversized
file) is one line of ``BadInput``.
"""

from __future__ import annotations

import os
import pathlib

from qdtrack.errors import BadInput
from qdtrack.i18n import _, os_reason

MAX_DOCUMENT_BYTES = 5_000_000


def _too_large(name: str, size: int, limit: int) -> BadInput:
    return BadInput(_("{name} is {size:,} bytes, over the {limit:,} byte limit for a document; check that it is "
                      "the right file").format(name=name, size=size, limit=limit))  # fmt: skip


def _kind(file: str, name: str, limit: int) -> None:
    """Refuse what is not a regular file before anything opens it (a FIFO would block)."""
    from qdtrack.files import kind_of

    try:
        st = os.stat(file)
    except (FileNotFoundError, NotADirectoryError):
        raise BadInput(_("cannot read {name}: no such file; check the path").format(name=name)) from None
    except OSError as e:
        raise BadInput(_("cannot read {name}: {reason}").format(name=name, reason=os_reason(e))) from None
    except ValueError:
        raise BadInput(_("cannot read {name}: the name holds a NUL character").format(name=name)) from None
    kind = kind_of(st.st_mode)
    if kind:
        raise BadInput(_("cannot read {name}: it is {kind}, not a document file; give the file itself").format(
            name=name, kind=kind))  # fmt: skip
    if st.st_size > limit:
        raise _too_large(name, st.st_size, limit)


def read_data(file: str, limit: int = MAX_DOCUMENT_BYTES) -> tuple[str, bytes]:
    """(the name to show, the file's bytes) of a regular file within the size bound."""
    from qdtrack.sheets import read_bytes, shown

    name = shown(file)
    _kind(file, name, limit)
    data = read_bytes(file)
    if len(data) > limit:  # grown since the stat
        raise _too_large(name, len(data), limit)
    return name, data


def _line_encoding(line: bytes) -> str | None:
    """"utf-8", "gb18030", or None for a line that reads the same in both; UnicodeDecodeError for neither."""
    if line.isascii():
        return None
    try:
        line.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        line.decode("gb18030")
        return "gb18030"


def decode_document(data: bytes, name: str) -> str:
    """The text of a document in ONE encoding (UTF-8 or GB18030), decided line by line."""
    plain = _("save the document as plain text (UTF-8)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise BadInput(_("{name} is not a text file (UTF-8 or GB18030); {fix}").format(name=name, fix=plain))
    bom = data.startswith(b"\xef\xbb\xbf")
    data = data.removeprefix(b"\xef\xbb\xbf")
    first: dict[str, int] = {}
    for n, line in enumerate(data.split(b"\n"), 1):  # b"\n" is never part of a GB18030 character
        try:
            enc = _line_encoding(line)
        except UnicodeDecodeError:
            raise BadInput(_("{name} is not a text file: line {n} is neither UTF-8 nor GB18030; {fix}").format(
                name=name, n=n, fix=plain)) from None  # fmt: skip
        if enc:
            first.setdefault(enc, n)
    if len(first) > 1 or (bom and "gb18030" in first):
        raise BadInput(_("{name} mixes encodings: line {line} is GB18030, the rest UTF-8; {fix}").format(
            name=name, line=first["gb18030"], fix=plain))  # fmt: skip
    text = data.decode("gb18030" if "gb18030" in first else "utf-8").replace("\ufeff", "")  # BOMs of joined files
    if not text.strip():
        raise BadInput(_("{name} is empty; give the document's text").format(name=name))
    return text


def read_document(file: str) -> str:
    """A text document (UTF-8, else GB18030), bounded in size; one line of BadInput otherwise."""
    name, data = read_data(file)
    return decode_document(data, name)


def stem(file: str) -> str:
    return pathlib.PurePath(file).stem or "document"

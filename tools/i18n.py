"""The qdtrack catalogue: extract, compile and check with Babel's Python API (no GNU gettext).

    python tools/i18n.py extract   # source -> every .po (translations kept, new msgids empty)
    python tools/i18n.py compile   # every .po -> its .mo (package data, checked in)
    python tools/i18n.py check     # exit 1, with a list, when a .po is stale or incomplete,
                                   # a .mo does not match its .po, or a click msgid is gone

What is extracted: ``_()``, ``ngettext()`` and ``N_()`` in the files babel.cfg maps (N_ msgids
cleaned like docstrings, as ``qdtrack.i18n.N_`` does at run time); the docstrings of commands
declared with a translating class (``cls=TrCommand``/``TrGroup``/``QdtrackGroup``); and the
click messages qdtrack users can meet (``CLICK_MESSAGES``), which must exist in the
installed click (its version is pinned in setup.cfg for that reason).
"""

from __future__ import annotations

import ast
import io
import pathlib
import string
import sys
from collections.abc import Iterator
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qdtrack.i18n import DOMAIN, help_msgid  # noqa: E402

LOCALES = ("zh_CN",)
KEYWORDS: dict[str, Any] = {"_": None, "ngettext": (1, 2), "N_": None}
TRANSLATING_CLASSES = {"TrCommand", "TrGroup", "QdtrackGroup"}
METHODS = {"python": "python", "jinja2": "jinja2.ext:babel_extract"}
CLICK_TAG = "click (msgid must match the pinned click version)"

#: Click's messages that a qdtrack user can meet (help pages, usage errors, --version).
CLICK_MESSAGES: list[str | tuple[str, str]] = [
    "Usage:",
    "Options",
    "Commands",
    "Positional arguments",
    "Show this message and exit.",
    "Show the version and exit.",
    "%(prog)s, version %(version)s",
    "default: {default}",
    "env var: {var}",
    "required",
    "(dynamic)",
    "Aborted!",
    "Missing command.",
    "No such command {name!r}.",
    "No such option {name!r}.",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    "Option {name!r} does not take a value.",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "Invalid value: {message}",
    "Invalid value for {param_hint}: {message}",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    "Choose from:\n\t{choices}",
    "{value!r} is not a valid {number_type}.",
    "{value} is not in the range {range}.",
    "file",
    "directory",
    "path",
    "{name} {filename!r} does not exist.",
    "{name} {filename!r} is a file.",
    "{name} {filename!r} is a directory.",
    "{name} {filename!r} is not readable.",
    "{name} {filename!r} is not writable.",
    "Error: {message}",
    "Error: invalid input",
    "Do you want to continue?",
]


def _key(msgid: Any) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _source_files() -> Iterator[tuple[pathlib.Path, str, dict[str, Any]]]:
    with open(REPO / "babel.cfg", encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp, "babel.cfg")
    for path in sorted(REPO.rglob("*")):
        rel = path.relative_to(REPO).as_posix()
        if not path.is_file() or "/__pycache__/" in rel:
            continue
        for pattern, method in method_map:
            if pathmatch(pattern, rel):
                yield path, METHODS.get(method, method), options_map.get(pattern, {})
                break


def _code_messages(path: pathlib.Path, method: str, options: dict[str, Any]) -> Iterator[tuple[Any, int]]:
    data = path.read_bytes()
    marked = set()
    if method == "python":  # N_ msgids are cleaned at run time (qdtrack.i18n.N_): clean them here too
        for lineno, message, _comments, _ctx in extract("python", io.BytesIO(data), {"N_": None}):
            marked.add((lineno, message))
    for lineno, message, _comments, _ctx in extract(method, io.BytesIO(data), KEYWORDS, options=options):
        yield (help_msgid(message) if isinstance(message, str) and (lineno, message) in marked else message), lineno


def _docstrings(path: pathlib.Path) -> Iterator[tuple[str, int]]:
    """Docstrings of ``@x.command(..., cls=<translating class>)`` functions."""
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if not isinstance(node, ast.FunctionDef):
            continue
        for deco in node.decorator_list:
            if isinstance(deco, ast.Call) and _translating(deco):
                doc = ast.get_docstring(node, clean=False)
                if doc and help_msgid(doc):
                    yield help_msgid(doc), node.lineno
                break


def _translating(call: ast.Call) -> bool:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if name not in ("command", "group"):
        return False
    for kw in call.keywords:
        if kw.arg == "cls":
            value = kw.value
            cls = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")
            return cls in TRANSLATING_CLASSES
    return False


def template() -> Catalog:
    """Every msgid in the source, in file order, then click's."""
    cat = Catalog(project="qdtrack", domain=DOMAIN, fuzzy=False)
    for path, method, options in _source_files():
        rel = path.relative_to(REPO).as_posix()
        for message, lineno in _code_messages(path, method, options):
            cat.add(message, locations=[(rel, lineno)], flags=("python-brace-format",) if "{" in _key(message) else ())
        if method == "python":
            for doc, lineno in _docstrings(path):
                cat.add(doc, locations=[(rel, lineno)], auto_comments=["command help (docstring)"])
    for message in CLICK_MESSAGES:
        cat.add(message, auto_comments=[CLICK_TAG])
    return cat


def po_path(locale: str) -> pathlib.Path:
    return REPO / "qdtrack" / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read_po(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, project="qdtrack", fuzzy=False)
    with open(path, "rb") as fp:
        return read_po(fp, locale=locale, domain=DOMAIN)


def cmd_extract() -> int:
    tmpl = template()
    for locale in LOCALES:
        cat = _read_po(locale)
        tmpl.creation_date = cat.creation_date  # no header churn from re-extracting
        cat.update(tmpl, update_header_comment=False)
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        write_po(buf, cat, width=100, include_lineno=False, ignore_obsolete=True)
        path.write_bytes(buf.getvalue())
        todo = sum(1 for m in cat if m.id and (m.fuzzy or not _complete(m)))
        print(f"{path.relative_to(REPO)}: {len(cat)} messages, {todo} to translate")
    return 0


def _complete(message: Any) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return all(strings) and bool(strings)


def _mo_bytes(cat: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, cat)
    return buf.getvalue()


def cmd_compile() -> int:
    for locale in LOCALES:
        mo = po_path(locale).with_suffix(".mo")
        data = _mo_bytes(_read_po(locale))
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
        print(f"{mo.relative_to(REPO)}: compiled")
    return 0


def _fields(text: str) -> set[str]:
    try:
        return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return set()


def _translations(cat: Catalog) -> dict[tuple[str, str | None], Any]:
    return {
        (_key(m.id), m.context): m.string if isinstance(m.string, str) else tuple(m.string or ())
        for m in cat
        if m.id and not m.fuzzy and _complete(m)
    }


def _rel(path: pathlib.Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)


def problems_of(locale: str, tmpl: Catalog) -> list[str]:
    rel = _rel(po_path(locale))
    if not po_path(locale).exists():
        return [f"{rel}: missing; run python tools/i18n.py extract"]
    cat = _read_po(locale)
    out = []
    source = {(_key(m.id), m.context) for m in tmpl if m.id}
    in_po = {(_key(m.id), m.context) for m in cat if m.id}
    out += [f"{rel}: stale, not in the .po: {k[0]!r}" for k in sorted(source - in_po, key=str)]
    out += [f"{rel}: stale, no longer in the source: {k[0]!r}" for k in sorted(in_po - source, key=str)]
    for m in cat:
        if not m.id:
            continue
        if m.fuzzy or not _complete(m):
            out.append(f"{rel}: {'fuzzy' if m.fuzzy else 'untranslated'}: {_key(m.id)!r}")
            continue
        ids: list[str] = [m.id] if isinstance(m.id, str) else list(m.id)
        strings: list[str] = [m.string] if isinstance(m.string, str) else list(m.string or ())
        docstring = "command help (docstring)" in m.auto_comments  # shown as is, never .format()ed
        if "python-brace-format" in m.flags and not docstring and any(_fields(s) != _fields(ids[-1]) for s in strings):
            out.append(f"{rel}: placeholders differ from the msgid: {_key(m.id)!r}")
    mo = po_path(locale).with_suffix(".mo")
    if not mo.exists():
        out.append(f"{_rel(mo)}: missing; run python tools/i18n.py compile")
    else:
        with open(mo, "rb") as fp:
            if _translations(read_mo(fp)) != _translations(cat):
                out.append(f"{_rel(mo)}: does not match its .po; run python tools/i18n.py compile")
    return out


def click_problems() -> list[str]:
    """CLICK_MESSAGES that the installed click no longer has (its msgids changed)."""
    import click

    found: set[str] = set()
    for path in pathlib.Path(click.__file__).parent.glob("*.py"):
        with open(path, "rb") as fp:
            found |= {_key(m) for _l, m, _c, _x in extract("python", fp, {"_": None, "ngettext": (1, 2)})}
    found |= _DYNAMIC_CLICK_MESSAGES
    return [f"click: msgid not in the installed click: {_key(m)!r}" for m in CLICK_MESSAGES if _key(m) not in found]


#: Messages click translates through a variable, which the extractor cannot see: click 8.5.1
#: writes ``extra["required"] = "required"`` and shows ``_(extra["required"])`` (core.py).
_DYNAMIC_CLICK_MESSAGES = {"required"}


def cmd_check() -> int:
    tmpl = template()
    out = click_problems()
    for locale in LOCALES:
        out += problems_of(locale, tmpl)
    for line in out:
        print(line)
    if out:
        print(f"{len(out)} problem(s); fix with: python tools/i18n.py extract, translate, python tools/i18n.py compile")
        return 1
    print("catalogue complete and compiled")
    return 0


def main(argv: list[str]) -> int:
    commands = {"extract": cmd_extract, "update": cmd_extract, "compile": cmd_compile, "check": cmd_check}
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Translation: one gettext catalogue (``qdtrack``) for everything a person reads.

English is the source language; ``qdtrack/locale/zh_CN/LC_MESSAGES/qdtrack.mo`` (package
data, compiled from the ``.po`` beside it by ``python tools/i18n.py compile``) holds Chinese.
Text is translated when it is SHOWN, never at import, so two runs in one process may use
two languages: ``activate(lang)`` switches the catalogue for everything that follows.

How to use it
-------------
* A message built at run time::

      from ..i18n import _, ngettext
      raise BadInput(_("no area {area} in {year}").format(area=area, year=year))
      ngettext("{n} task", "{n} tasks", n).format(n=n)

  Put the placeholders inside the msgid and call ``.format`` after ``_``, never before.
* Text defined at import (module constants, table headers): ``N_("Lagging")`` marks it for
  extraction and returns a ``LazyText`` whose ``str()`` / f-string translates when used.
* Command help (the one-liner): give the command ``cls=TrCommand`` (a group ``cls=TrGroup``;
  ``QdtrackGroup`` already is one) and mark each option's help ``help=N_("...")``::

      @click.command("status", cls=TrCommand)
      @click.option("--area", type=int, help=N_("Only this area of work."))
      def status(...):
          \"\"\"Progress of every task against the time-elapsed pace.\"\"\"

  The docstring (cleaned like ``inspect.cleandoc``, up to a ``\\f``) is the msgid;
  ``tools/i18n.py extract`` collects docstrings of commands declared with one of these
  classes. The class translates the command's help, short help, epilog and every
  parameter's help (click's own "Show this message and exit." included) when shown.
* Click's own messages ("No such command", "Usage:", "Options", "Invalid value" …) use
  ``gettext.gettext``/``ngettext`` bound at click's import; ``activate`` rebinds those
  names in the loaded ``click.*`` modules to this module's functions, so the same
  catalogue translates them (the click msgids are listed in ``tools/i18n.py``; click's
  version is pinned in setup.cfg because the msgids must match).

Language choice (``choose_language``): the command's ``--lang``; else the config file's
``lang``; else ``LC_ALL``/``LC_MESSAGES``/``LANG`` (``zh_*`` means zh); else English.
"""

from __future__ import annotations

import contextlib
import datetime
import gettext as _gettext
import inspect
import os
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

import click

from . import cjkwrap
from .cjkwrap import TrContext

LANGS = ("en", "zh")
DOMAIN = "qdtrack"
_LOCALE_DIRS = {"zh": "zh_CN"}
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

_catalogues: dict[str, _gettext.NullTranslations] = {}
_active: _gettext.NullTranslations = _gettext.NullTranslations()
_active_lang = "en"
_STDLIB = (_gettext.gettext, _gettext.ngettext)


class MoCatalogue(_gettext.NullTranslations):
    """A compiled catalogue (.mo), each message looked up when it is shown.

    ``gettext.GNUTranslations`` decodes all 633 messages on opening (10M instructions, a third of
    a command's start-up beyond the import floor with a Chinese config). This reads the two
    tables with one ``struct`` call each and finds a message by binary search in the original
    strings, which the .mo format keeps sorted (GNU gettext manual, "The Format of GNU MO Files").
    The same answers as ``GNUTranslations`` (tests/test_i18n.py checks every message); UTF-8
    catalogues, as tools/i18n.py writes them.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__()
        import operator
        import struct

        magic = data[:4]
        order = "<" if magic == b"\xde\x12\x04\x95" else ">" if magic == b"\x95\x04\x12\xde" else ""
        if not order:
            raise ValueError("not a compiled gettext catalogue")
        try:
            version, self._n, originals, translations = struct.unpack_from(f"{order}4I", data, 4)
            if version >> 16 > 1:
                raise ValueError(f"unknown .mo major version {version >> 16}")
            self._from = struct.unpack_from(f"{order}{2 * self._n}I", data, originals)
            self._to = struct.unpack_from(f"{order}{2 * self._n}I", data, translations)
        except struct.error as e:
            raise ValueError(f"a truncated catalogue: {e}") from None
        size = len(data)  # every string inside the file, as GNUTranslations checks: else English, not blanks
        for table in (self._from, self._to):  # lengths at even places, offsets at odd ones
            if max(map(operator.add, table[0::2], table[1::2]), default=0) > size:
                raise ValueError("a catalogue string lies beyond the end of the file")
        self._data = data
        self._plural: Any = lambda count: int(count != 1)
        for line in (self._translated(b"") or "").splitlines():
            if line.lower().startswith("plural-forms:") and "plural=" in line:
                self._plural = _gettext.c2py(line.split("plural=", 1)[1].strip().rstrip(";"))

    def _original(self, i: int) -> bytes:
        length, offset = self._from[2 * i], self._from[2 * i + 1]
        return self._data[offset : offset + length]

    def _find(self, key: bytes) -> int:
        """The position of the first original string not below ``key``."""
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if self._original(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _translated(self, key: bytes, *, plural_of: bool = False) -> str | None:
        """The translation of ``key``; with ``plural_of``, of the plural message whose singular it is."""
        i = self._find(key + b"\0" if plural_of else key)
        if i >= self._n:
            return None
        found = self._original(i)
        if found != key and not (plural_of and found.startswith(key + b"\0")):
            return None
        length, offset = self._to[2 * i], self._to[2 * i + 1]
        try:
            return self._data[offset : offset + length].decode("utf-8")
        except UnicodeDecodeError:  # one damaged translation: that message in English
            return None

    def _form(self, forms: str, n: int) -> str:
        parts = forms.split("\0")
        return parts[min(int(self._plural(n)), len(parts) - 1)]

    def gettext(self, message: str) -> str:
        key = message.encode("utf-8")
        found = self._translated(key)
        if found is not None:
            return found
        forms = self._translated(key, plural_of=True)  # gettext(singular): its form for 1, as GNUTranslations gives
        return message if forms is None else self._form(forms, 1)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._translated(f"{msgid1}\0{msgid2}".encode())
        if found is None:
            return msgid1 if n == 1 else msgid2
        return self._form(found, n)


def _catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (package data), loaded once per process."""
    if lang not in _catalogues:
        translations: _gettext.NullTranslations = _gettext.NullTranslations()
        if lang in _LOCALE_DIRS:
            # Package data beside this module (importlib.resources would import pathlib, zipfile
            # and tempfile: 10 ms of start-up).
            mo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale", _LOCALE_DIRS[lang], "LC_MESSAGES", f"{DOMAIN}.mo")
            try:
                with open(mo, "rb") as fp:
                    translations = MoCatalogue(fp.read())
            except (OSError, ValueError):  # a broken install: English rather than a crash
                pass
        _catalogues[lang] = translations
    return _catalogues[lang]


def _(message: str | LazyText) -> str:
    """``message`` in the active language."""
    text = message.msgid if isinstance(message, LazyText) else message
    return _active.gettext(text) if text else text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the active language."""
    return _active.ngettext(singular, plural, n)


class LazyText(str):
    """A msgid (its ``str`` value) translated each time it is shown: ``str()``, f-strings,
    ``format``, ``+``. ``", ".join`` and slicing see the msgid: call ``str()`` first."""

    __slots__ = ()

    @property
    def msgid(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return _unmark(_active.gettext(self.msgid))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"N_({self.msgid!r})"

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __mod__(self, values: Any) -> str:
        return str(self) % values


def N_(message: str) -> LazyText:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction; translated when shown.

    The msgid is cleaned like a docstring (``help_msgid``), so it can stand where click
    expects a help ``str``; ``TrCommand`` translates it when the help is shown."""
    return LazyText(help_msgid(message))


# --- choosing and activating a language -------------------------------------------


def locale_language(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(lang, "VAR=value") from the first set locale variable, or None when none is set."""
    env = os.environ if environ is None else environ
    for var in LOCALE_VARS:
        value = env.get(var)
        if value:
            return ("zh" if value.lower().startswith("zh") else "en"), f"{var}={value}"
    return None


def choose_language(option: str | None = None, configured: str | None = None) -> tuple[str, str]:
    """(lang, source): --lang, else the config file's ``lang``, else the locale, else en.

    ``source`` is ``"option"``, ``"config"``, ``"VAR=value"`` (the locale variable that
    decided) or ``"default"``."""
    if option:
        return option.lower(), "option"
    if configured:
        return configured, "config"
    return locale_language() or ("en", "default")


def activate(lang: str) -> None:
    """Use ``lang``'s catalogue for everything shown from now on, click's messages too."""
    global _active, _active_lang
    if lang not in LANGS:
        lang = "en"
    _active, _active_lang = _catalogue(lang), lang
    cjkwrap.chinese = lang == "zh"
    _rebind_click()


def current_language() -> str:
    return _active_lang


def _rebind_click() -> None:
    """Point the ``_``/``ngettext`` that click's modules imported from gettext at ours."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "click" or name.startswith("click.")):
            continue
        if getattr(module, "_", None) is _STDLIB[0]:
            module._ = _  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is _STDLIB[1]:
            module.ngettext = ngettext  # type: ignore[attr-defined]


# At import already: click translates some texts while the commands are being defined (the
# --version help), and the standard library's gettext searches the disk for a catalogue on
# every call (and imports locale), where ours is a dictionary look-up.
_rebind_click()


def scan_lang(args: list[str]) -> str | None:
    """The ``--lang`` value in a command line before click parses it (None if absent/invalid).

    Click's own errors and the group's help come before any command runs, so the
    language must be known first."""
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None and value.lower() in LANGS:
            found = value.lower()
    return found


# --- dates and quarters ------------------------------------------------------------


class _QuarterLike(Protocol):
    @property
    def year(self) -> int: ...

    @property
    def q(self) -> int: ...


_CN_QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}
_QUARTER_TEXT = r"([0-9]{4})Q([1-4])"


def format_date(d: datetime.date, lang: str | None = None) -> str:
    """``2025年6月30日`` in Chinese, ``2025-06-30`` in English."""
    if (lang or _active_lang) == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def format_quarter(q: _QuarterLike | str, lang: str | None = None) -> str:
    """``2025年二季度`` in Chinese, ``2025Q2`` in English (``q`` a Quarter or its text ``2025Q2``;
    text of another form is returned as it is)."""
    if isinstance(q, str):
        m = re.fullmatch(_QUARTER_TEXT, q)
        if m is None:
            return q
        year, n = int(m.group(1)), int(m.group(2))
    else:
        year, n = q.year, q.q
    if (lang or _active_lang) == "zh":
        return f"{year}年{_CN_QUARTERS[n]}季度"
    return f"{year}Q{n}"


# --- click help translated when shown ------------------------------------------------


def help_msgid(text: str) -> str:
    """The msgid of a help text: cleaned like ``inspect.cleandoc``, up to a ``\\f``.

    Click's no-rewrap marker (a backspace line) becomes the two characters ``\\b`` so that
    the .po shows it and translators keep it; ``_unmark`` puts the backspace back."""
    return inspect.cleandoc(text).partition("\f")[0].replace("\b", "\\b")


def _unmark(text: str) -> str:
    return text.replace("\\b", "\b")


def translate_help(text: Any) -> Any:
    if not text:
        return text
    msgid = text.msgid if isinstance(text, LazyText) else str(text)
    return _unmark(_active.gettext(help_msgid(msgid)))


@contextlib.contextmanager
def _translated(command: click.Command, ctx: click.Context | None) -> Iterator[None]:
    """Swap the command's (and its parameters') help for the translation while shown."""
    targets: list[Any] = [command]
    if ctx is not None:
        targets += command.get_params(ctx)
    saved = [(obj, attr, getattr(obj, attr, None)) for obj in targets for attr in ("help", "short_help", "epilog")]
    try:
        for obj, attr, text in saved:
            if text:
                setattr(obj, attr, translate_help(text))
        yield
    finally:
        for obj, attr, text in saved:
            if hasattr(obj, attr):
                setattr(obj, attr, text)


def _short_help(command: click.Command, limit: int, default: str) -> str:
    """Click shortens by words and periods; Chinese has neither: cut at the first 。."""
    if _active_lang != "zh" or command.short_help or not command.help:
        return default
    text = " ".join(help_msgid(str(command.help)).partition("\n\n")[0].replace("\b", "").split())
    text = text.partition("。")[0]
    width = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    if width <= limit:
        return text
    cut = ""
    for c in text:
        if sum(2 if ord(x) > 0x2E7F else 1 for x in cut + c) > limit - 2:
            break
        cut += c
    return cut + "…"


class _TranslatedHelp(click.Command):
    """Help (docstring, epilog, option help) translated when shown, not frozen at import;
    Chinese wrapped by its display width (``cjkwrap``)."""

    context_class = TrContext

    def get_help(self, ctx: click.Context) -> str:
        with _translated(self, ctx):
            return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self, None):
            return _short_help(self, limit, super().get_short_help_str(limit))


class TrCommand(_TranslatedHelp):
    """A command whose help is translated when shown."""


class TrGroup(_TranslatedHelp, click.Group):
    """A group whose help is translated when shown."""


# --- operating-system errors ----------------------------------------------------------

_OS_REASONS = {
    "ENOENT": N_("no such file or folder"),
    "ENOTDIR": N_("a part of the path is a file, not a folder"),
    "EISDIR": N_("it is a folder"),
    "EACCES": N_("permission denied"),
    "EPERM": N_("operation not permitted"),
    "EROFS": N_("the file system is read-only"),
    "ENOSPC": N_("the disk is full"),
    "EEXIST": N_("it already exists"),
    "ENAMETOOLONG": N_("the file name is too long"),
    "ELOOP": N_("too many symbolic links"),
    "EBUSY": N_("the file is busy"),
}


def os_reason(err: OSError) -> str:
    """The reason of an OS error in the active language (the C library's text is English)."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    if name in _OS_REASONS:
        return _(_OS_REASONS[name])
    return err.strerror or str(err) or type(err).__name__


# --- click's type names ----------------------------------------------------------------

#: Click names its types in plain English (``"integer"``, and ``Path``'s "file" frozen at import);
#: its messages put those names into translated sentences ("'x' 不是有效的integer。").
_CLICK_TYPE_NAMES = {
    "integer range": N_("integer range"), "integer": N_("integer"), "float range": N_("float range"),
    "float": N_("float"), "boolean": N_("boolean"), "File": N_("file"), "Directory": N_("directory"),
    "Path": N_("path"),
}  # fmt: skip
_CLICK_TYPE_WORDS = r"\b(integer range|integer|float range|float|boolean|File|Directory|Path)\b"


def translate_click_words(message: str) -> str:
    """A click usage message with its English type names in the active language."""
    if _active_lang == "en":
        return message
    message = re.sub(_CLICK_TYPE_WORDS, lambda m: str(_CLICK_TYPE_NAMES[m.group(1)]), message)
    return message[:-1] + "。" if message.endswith(".") else message  # click ends some with a bare "."


class TrPath(click.Path):
    """``click.Path`` whose name ("file", "directory", "path") in its messages is translated
    when shown; click's own freezes it in the language active when the option is declared."""

    @property
    def name(self) -> str:
        if self.file_okay and not self.dir_okay:
            return _("file")
        if self.dir_okay and not self.file_okay:
            return _("directory")
        return _("path")

    @name.setter
    def name(self, value: str) -> None:  # click.Path.__init__ sets it; the getter decides
        pass

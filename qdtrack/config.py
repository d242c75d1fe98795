"""Settings a cron job keeps: ``$XDG_CONFIG_HOME/qdtrack/config.toml``.

Keys (all optional)::

    lang = "zh"                        # zh or en
    db = "~/qdtrack/ledger.db"         # ~ expanded; a relative path is from this file's folder
    tolerance = 2.5                    # points of % either side of pace, 0-100
    by = "市发改委"                    # the default recorder name

Precedence for each value: the command-line option, then the environment variable
(``QDTRACK_DB`` for ``db``; the locale variables for ``lang``, which come AFTER the file),
then this file, then the default. The file is read only when a value is needed, parsed
once per change (cached on its path, size and modification time).
"""

import math
import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from .errors import EnvironmentFault
from .i18n import _, choose_language

KEYS = ("lang", "db", "tolerance", "by")
ENV_VARS = {"db": "QDTRACK_DB"}

_cache: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
StrPath = str | os.PathLike[str]


class ConfigError(EnvironmentFault):
    """The config file cannot be read or holds a bad value (exit 1)."""


class Setting(NamedTuple):
    """One effective value and where it came from.

    ``source`` is ``"option"``, ``"environment"``, ``"config"`` or ``"default"``;
    ``detail`` names it: ``--db``, ``QDTRACK_DB``, ``LANG=zh_CN.UTF-8``, the file's path."""

    name: str
    value: Any
    source: str
    detail: str = ""


def config_path() -> str:
    """``$XDG_CONFIG_HOME/qdtrack/config.toml`` (default ``~/.config/qdtrack/config.toml``).

    Paths on the read path are plain strings: importing pathlib costs 4 ms of start-up."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "qdtrack", "config.toml")


def default_db_path() -> str:
    """``$XDG_DATA_HOME/qdtrack/ledger.db`` (default ``~/.local/share/qdtrack/ledger.db``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "qdtrack", "ledger.db")


def load_config(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The checked values of the config file; ``{}`` when there is none.

    Raises ``ConfigError`` (one line naming the file, and the line for bad TOML)."""
    path = path or config_path()
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise ConfigError(_("cannot read the config file {path}: {error}").format(path=path, error=e.strerror)) from e
    key = (st.st_size, st.st_mtime_ns)
    cached = _cache.get(str(path))
    if cached and cached[0] == key:
        return cached[1]
    values = _check(_parse(path), path)
    _cache[str(path)] = (key, values)
    return values


#: One line of the plainest TOML: ``key = "text without escapes"`` or ``key = 2`` / ``2.5``, with
#: an optional comment. Files made only of such lines (and blank or comment lines) are read
#: without importing tomllib (3 ms of start-up); anything else goes to tomllib, which also
#: words every error. tests/test_config.py checks the two agree.
_PLAIN_LINE = r'([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?))[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?'


def plain_toml(text: str) -> dict[str, Any] | None:
    """``text`` read as the plainest TOML (see ``_PLAIN_LINE``), or None to leave it to tomllib."""
    import re

    values: dict[str, Any] = {}
    *lines, last = text.split("\n")
    for raw in [line[:-1] if line.endswith("\r") else line for line in lines] + [last]:  # \r only before \n
        line = raw.strip(" \t")
        if not line or (line.startswith("#") and re.fullmatch(r"#[^\x00-\x08\x0a-\x1f\x7f]*", line)):
            continue
        m = re.fullmatch(_PLAIN_LINE, line)
        if m is None or m.group(1) in values:
            return None
        key, string, number = m.groups()
        values[key] = string if string is not None else (float(number) if "." in number else int(number))
    return values


def _parse(path: StrPath) -> dict[str, Any]:
    try:
        with open(path, "rb") as fp:
            data = fp.read()
        plain = plain_toml(data.decode("utf-8"))
        if plain is not None:
            return plain
        import tomllib

        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ConfigError(_("the config file {path} is not UTF-8 text; save it as UTF-8").format(path=path)) from e
    except OSError as e:
        raise ConfigError(_("cannot read the config file {path}: {error}").format(path=path, error=e.strerror)) from e
    except ValueError as e:  # tomllib.TOMLDecodeError, without importing tomllib to name it
        line, reason = _where(str(e), path)
        raise ConfigError(
            _("the config file {path}, line {line}: not valid TOML ({error}); correct it or remove it").format(
                path=path, line=line, error=reason
            )
        ) from e


def _where(message: str, path: StrPath) -> tuple[int, str]:
    """(line, reason) from tomllib's "reason (at line 3, column 7)" / "(at end of document)"."""
    import re

    found = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if found:
        return int(found.group(1)), message[: found.start()]
    reason = re.sub(r"\s*\(at end of document\)$", "", message)
    try:
        with open(path, "rb") as fp:
            last = len(fp.read().splitlines()) or 1
    except OSError:
        last = 1
    return last, reason


def _bad(path: StrPath, key: str, want: str, value: object) -> ConfigError:
    return ConfigError(
        _("the config file {path}: {key} = {value!r} is not valid; give {want}").format(
            path=path, key=key, value=value, want=want
        )
    )


def _check(raw: dict[str, Any], path: StrPath) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise ConfigError(
            _("the config file {path} has unknown keys: {unknown}; the keys are {keys}").format(
                path=path, unknown=", ".join(unknown), keys=", ".join(KEYS)
            )
        )
    values: dict[str, Any] = {}
    if "lang" in raw:
        lang = raw["lang"]
        if not isinstance(lang, str) or lang.lower() not in ("zh", "en"):
            raise _bad(path, "lang", '"zh" or "en"', lang)
        values["lang"] = lang.lower()
    if "tolerance" in raw:
        tol = raw["tolerance"]
        if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not math.isfinite(tol) or not 0 <= tol <= 100:
            raise _bad(path, "tolerance", _("a number of points from 0 to 100"), tol)
        values["tolerance"] = float(tol)
    for key in ("db", "by"):
        if key in raw:
            text = raw[key]
            if not isinstance(text, str) or not text.strip() or any(ord(c) < 32 for c in text):
                raise _bad(path, key, _("a non-empty text in quotes"), text)
            values[key] = text.strip()
    if "db" in values:
        db = os.path.expanduser(values["db"])
        values["db"] = db if os.path.isabs(db) else os.path.join(os.path.dirname(os.fspath(path)), db)
    return values


def config_value(key: str) -> Any:
    """The config file's value for ``key`` (``lang``, ``db``, ``tolerance``, ``by``), else None."""
    if key not in KEYS:
        raise KeyError(key)
    return load_config().get(key)


def _default_by() -> str:
    import getpass

    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def setting(key: str, option: Any = None) -> Setting:
    """The effective value of ``key`` given the command-line ``option`` (None if not given)."""
    if key == "lang":
        lang, source = choose_language(option, None if option else config_value("lang"))
        if source in ("option", "config", "default"):
            detail = {"option": "--lang", "config": str(config_path()), "default": ""}[source]
            return Setting(key, lang, source, detail)
        return Setting(key, lang, "environment", source)
    if option is not None:
        return Setting(key, option, "option", f"--{key}")
    env = ENV_VARS.get(key)
    if env and os.environ.get(env):
        return Setting(key, os.environ[env], "environment", env)
    value = config_value(key)
    if value is not None:
        return Setting(key, value, "config", str(config_path()))
    default: Any = {"db": lambda: str(default_db_path()), "tolerance": lambda: 0.0, "by": _default_by}[key]()
    return Setting(key, default, "default")


def effective_settings(options: Mapping[str, Any] | None = None) -> list[Setting]:
    """Every setting, in ``KEYS`` order, with where it came from."""
    options = options or {}
    return [setting(key, options.get(key)) for key in KEYS]

"""Parse and format Chinese quantities such as ``35万人以上`` or ``增长8%左右``.

Only the standard library is imported here so that the command line starts fast.
Values are computed with :class:`decimal.Decimal` on the digits as typed and
converted to ``float`` once, at the end, so ``278.17万`` is exactly ``2781700.0``.
"""

import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from qdtrack.errors import BadInput
from qdtrack.i18n import N_, _

if TYPE_CHECKING:  # decimal is imported where a number is parsed or formatted (1.5 ms of start-up)
    pass

AT_LEAST, ABOUT, REACH, AT_MOST, PLAIN = "at_least", "about", "reach", "at_most", "plain"

MONEY = "亿元"

# alias -> (canonical unit, power of ten that turns a value in the alias into the canonical unit)
_UNITS: dict[str, tuple[str, int]] = {}


def _add(canonical: str, *aliases: str, shift: int = 0) -> None:
    for name in (canonical, *aliases):
        _UNITS[name] = (canonical, shift)


_add("人", "名")
_add("平方米", "㎡", "m2", "m²", "平米")
_add("平方公里", "km²", "km2")
_add("公里", "km")
_add("千瓦", "kw")
_add("亩")
_add("%", "％")
_add(MONEY)
_UNITS["万元"] = (MONEY, -4)
_UNITS["元"] = (MONEY, -8)
for _word in ("个", "家", "条", "项", "场", "户", "所", "处", "套", "座", "台", "辆", "次", "人次", "批"):
    _add(_word)
_UNITS["场次"] = ("场", 0)
del _word

CANONICAL_UNITS: tuple[str, ...] = tuple(dict.fromkeys(c for c, _ in _UNITS.values()))

_MULTIPLIERS = (("万亿", 12), ("万", 4), ("亿", 8))
_PREFIXES = (("不超过", AT_MOST), ("达到", REACH), ("增长", None), ("上升", None), ("下降", None))
_SUFFIXES = (("以上", AT_LEAST), ("左右", ABOUT), ("以下", AT_MOST), ("以内", AT_MOST))

# Patterns as text, compiled on first use (re's own cache): compiling them at import cost start-up.
_NUMBER = r"[+\-\u2212]?[0-9]+(?:\.[0-9]+)?"
_THOUSANDS = r"(?<=[0-9]),(?=[0-9])"
_NONFINITE = r"(?i)[+\-\u2212]?\s*(nan|infinity|inf)(?![a-z])"
_EXPONENT = r"(?i)e[+\-]?[0-9]"

MAX_SIGNIFICANT_DIGITS = 17  # enough for any float's shortest repr, so format -> parse is exact
MAX_MAGNITUDE = 10**15

_EXAMPLES = N_("type a figure such as 4, 3.2万 or 278.17万平方米")
_SOME_UNITS = "人, 平方米, 平方公里, 公里, 千瓦, 亩, %, 亿元, 万元, 个, 家, 条, 项, 场"


class QuantityError(BadInput):
    """A quantity that cannot be parsed, converted or formatted."""


class Quantity(NamedTuple):
    value: float
    unit: str | None
    comparator: str = PLAIN
    growth: bool = False
    text: str = ""  # as written; part of equality
    multiplied: bool = False  # written with 万/亿 and no unit: a count of the metric's base unit
    falling: bool = False  # written as 下降X (a reduction) rather than 增长X / 上升X

    def __str__(self) -> str:
        return self.text or format_quantity(self.value, self.unit)


def _lookup(unit: str) -> tuple[str, int] | None:
    return _UNITS.get(unicodedata.normalize("NFKC", unit).strip().lower()) or _UNITS.get(unit)


def canonical_unit(unit: str) -> str:
    """Return the canonical spelling of ``unit`` (``㎡`` -> ``平方米``, ``万元`` -> ``亿元``)."""
    found = _lookup(unit) if isinstance(unit, str) else None
    if found is None:
        raise QuantityError(_("unknown unit {unit!r}; use one of {units}").format(unit=unit, units=_SOME_UNITS))
    return found[0]


def _split_unit(rest: str) -> tuple[int, str | None, int] | None:
    """Split what follows the number into (multiplier power, canonical unit, unit shift)."""
    if rest == "":
        return 0, None, 0
    found = _lookup(rest)
    if found is not None:
        return 0, found[0], found[1]
    for word, power in _MULTIPLIERS:
        if rest.startswith(word):
            tail = rest[len(word) :].strip()
            if tail == "":
                return power, None, 0
            found = _lookup(tail)
            if found is not None:
                return power, found[0], found[1]
    return None


def parse_quantity(text: str) -> Quantity:
    """Parse one quantity such as ``35万人以上``, ``增长8%左右`` or ``5000万元``."""
    if not isinstance(text, str):
        raise QuantityError(_("{text!r} is not a number; {examples}").format(text=text, examples=_EXAMPLES))
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise QuantityError(_("no quantity given; {examples}").format(examples=_EXAMPLES))
    s = re.sub(_THOUSANDS, "", s)

    comparator = PLAIN
    growth = falling = False
    for word, comp in _PREFIXES:
        if s.startswith(word):
            s = s[len(word) :].lstrip()
            if comp is None:
                growth = True
                falling = word == "下降"
            else:
                comparator = comp
            break

    for word, comp in _SUFFIXES:
        if s.endswith(word):
            s = s[: -len(word)].rstrip()
            if comparator not in (PLAIN, REACH, comp):
                raise QuantityError(_("{text!r} says both 不超过 and {word}; keep only one of them").format(text=text, word=word))
            comparator = comp
            break

    if re.match(_NONFINITE, s):
        raise QuantityError(_("{text!r} is not a finite number; {examples}").format(text=text, examples=_EXAMPLES))
    m = re.match(_NUMBER, s)
    if m is None:
        raise QuantityError(_("{text!r} is not a number; {examples}").format(text=text, examples=_EXAMPLES))
    digits = m.group().replace("\u2212", "-")
    rest = s[m.end() :].strip()
    if re.match(_NUMBER, rest) or rest.startswith("."):
        raise QuantityError(_("{text!r} is not a single number; {examples}").format(text=text, examples=_EXAMPLES))
    if re.match(_EXPONENT, rest):
        raise QuantityError(_("{text!r} uses an exponent; write the figure out, e.g. 3.2万").format(text=text))
    split = _split_unit(rest)
    if split is None:
        raise QuantityError(_("{text!r} has an unknown unit {unit!r}; use one of {units}").format(text=text, unit=rest, units=_SOME_UNITS))
    power, unit, shift = split

    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        raise QuantityError(_("{text!r} is not a number; {examples}").format(text=text, examples=_EXAMPLES)) from None
    if number and len(number.normalize().as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise QuantityError(_("{text!r} has more than {n} significant digits; round it").format(text=text, n=MAX_SIGNIFICANT_DIGITS))
    typed = number.scaleb(power)
    value = typed.scaleb(shift)
    if abs(typed) >= MAX_MAGNITUDE or abs(value) >= MAX_MAGNITUDE:
        raise QuantityError(_("{text!r} is too large; give a figure below 10^15").format(text=text))
    return Quantity(float(value), unit, comparator, growth, text, multiplied=power > 0 and unit is None, falling=falling)


def convert(q: Quantity, unit: str) -> float:
    """Return ``q``'s value in ``unit`` (a metric's unit); a bare number is taken as is."""
    target = canonical_unit(unit)
    if q.unit is None and q.multiplied:
        # 500亿 counts 元: 500 亿元 (never multiplied twice); 1.2万 of 家 is 12,000 家
        from decimal import Decimal

        return float(Decimal(repr(q.value)).scaleb(_UNITS["元"][1])) if target == MONEY else q.value
    if q.unit is None or q.unit == target:
        return q.value
    shown = q.text or format_quantity(q.value, q.unit)
    if q.unit == MONEY:
        raise QuantityError(_("{shown!r} is money, but this metric counts {target}; give a figure in {target}").format(shown=shown, target=target))
    if target == MONEY:
        raise QuantityError(_("{shown!r} is in {unit}, but this metric is money; give a figure in 亿元 or 万元").format(shown=shown, unit=q.unit))
    raise QuantityError(_("{shown!r} is in {unit}, but this metric counts {target}; give a figure in {target}").format(shown=shown, unit=q.unit, target=target))


def decimal_digits(value: float) -> tuple[bool, int, int]:
    """The float as people write it, exactly: ``(negative, digits, exponent)`` with value =
    ±digits × 10^exponent, from its shortest repr (``56.25`` → ``(False, 5625, -2)``), as
    ``decimal.Decimal(repr(value))`` holds it. Display needs only this (decimal costs 1.8 ms of
    start-up); tests/test_quantity.py holds every use to decimal's answer."""
    text = repr(float(value))
    negative = text.startswith("-")
    mantissa, _e, exponent = text.lstrip("-").partition("e")
    whole, _dot, fraction = mantissa.partition(".")
    if not (whole + fraction).isdigit():
        raise QuantityError(_("{value!r} is not a finite number").format(value=value))
    return negative, int(whole + fraction), int(exponent or 0) - len(fraction)


def plain_decimal(negative: bool, digits: int, exponent: int) -> str:
    """``±digits × 10^exponent`` written out without trailing zeros or exponent: ``2781700``, ``0.05``, ``-3.2``."""
    if digits == 0:
        return "0"
    while digits % 10 == 0:
        digits, exponent = digits // 10, exponent + 1
    text = str(digits)
    if exponent >= 0:
        text += "0" * exponent
    elif len(text) > -exponent:
        text = f"{text[:exponent]}.{text[exponent:]}"
    else:
        text = "0." + text.rjust(-exponent, "0")
    return "-" + text if negative else text


def round_half_up(value: float, places: int = 1) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, as written (``56.25`` → ``56.3``,
    ``-0.04`` → ``-0.0``): ``Decimal(repr(value)).quantize(…, ROUND_HALF_UP)`` without decimal."""
    negative, digits, exponent = decimal_digits(value)
    shift = exponent + places
    if shift >= 0:
        n = digits * 10**shift
    else:
        n, rest = divmod(digits, 10**-shift)
        n += 2 * rest >= 10**-shift
    text = str(n).rjust(places + 1, "0")
    if places:
        text = f"{text[:-places]}.{text[-places:]}"
    return "-" + text if negative else text


def format_quantity(value: float, unit: str | None) -> str:
    """Human Chinese form of ``value`` in canonical ``unit``: ``35万人``, ``8%``, ``2450亿元``."""
    if unit is not None:
        canon = canonical_unit(unit)
        found = _lookup(unit)
        if found is not None and found[1] != 0:
            raise QuantityError(_("money values are kept in 亿元, not {unit!r}; format in 亿元").format(unit=unit))
        unit = canon
    try:
        negative, digits, exponent = decimal_digits(value)
    except (TypeError, ValueError, OverflowError):
        raise QuantityError(_("{value!r} is not a number").format(value=value)) from None
    small = digits * 10**exponent < 10000 if exponent >= 0 else digits < 10000 * 10**-exponent  # |value| < 1万, exactly
    if unit in ("%", MONEY) or small:
        return plain_decimal(negative, digits, exponent) + (unit or "")
    return plain_decimal(negative, digits, exponent - 4) + "万" + (unit or "")

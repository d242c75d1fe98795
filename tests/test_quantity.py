from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qdtrack import quantity
from qdtrack.errors import BadInput
from qdtrack.quantity import (
    ABOUT,
    AT_LEAST,
    AT_MOST,
    CANONICAL_UNITS,
    PLAIN,
    REACH,
    Quantity,
    QuantityError,
    canonical_unit,
    convert,
    format_quantity,
    parse_quantity,
)

PARSES = [
    # text, value, unit, comparator, growth[, extra fields: multiplied (万/亿 with no unit), falling (下降X)]
    ("35万人", 350000.0, "人", PLAIN, False),
    ("35万人以上", 350000.0, "人", AT_LEAST, False),
    ("1000万平方米", 10000000.0, "平方米", PLAIN, False),
    ("2450亿元以上", 2450.0, "亿元", AT_LEAST, False),
    ("479.9亿元", 479.9, "亿元", PLAIN, False),
    ("1.08亿元", 1.08, "亿元", PLAIN, False),
    ("5000万元", 0.5, "亿元", PLAIN, False),
    ("100元", 0.000001, "亿元", PLAIN, False),
    ("1万亿元", 10000.0, "亿元", PLAIN, False),
    ("3.2万", 32000.0, None, PLAIN, False, {"multiplied": True}),
    ("3.2万人", 32000.0, "人", PLAIN, False),
    ("1.5万家", 15000.0, "家", PLAIN, False),
    ("达到1.5万家", 15000.0, "家", REACH, False),
    ("8%", 8.0, "%", PLAIN, False),
    ("-1.2%", -1.2, "%", PLAIN, False),
    ("增长8%以上", 8.0, "%", AT_LEAST, True),
    ("增长5.5%左右", 5.5, "%", ABOUT, True),
    ("增长 -1.2 %", -1.2, "%", PLAIN, True),
    ("278.17万", 2781700.0, None, PLAIN, False, {"multiplied": True}),
    ("1.2345678万", 12345.678, None, PLAIN, False, {"multiplied": True}),
    ("４", 4.0, None, PLAIN, False),
    ("３．２万", 32000.0, None, PLAIN, False, {"multiplied": True}),
    ("１２％", 12.0, "%", PLAIN, False),
    ("700万千瓦", 7000000.0, "千瓦", PLAIN, False),
    ("213.522万千瓦", 2135220.0, "千瓦", PLAIN, False),
    ("达到700万千瓦", 7000000.0, "千瓦", REACH, False),
    ("500kW", 500.0, "千瓦", PLAIN, False),
    ("500 KW", 500.0, "千瓦", PLAIN, False),
    ("50平方公里", 50.0, "平方公里", PLAIN, False),
    ("50km²", 50.0, "平方公里", PLAIN, False),
    ("6万亩", 60000.0, "亩", PLAIN, False),
    ("2万场以上", 20000.0, "场", AT_LEAST, False),
    ("738场次", 738.0, "场", PLAIN, False),
    ("1,247公里", 1247.0, "公里", PLAIN, False),
    ("120㎡", 120.0, "平方米", PLAIN, False),
    ("120平米", 120.0, "平方米", PLAIN, False),
    ("3万人次", 30000.0, "人次", PLAIN, False),
    ("200名", 200.0, "人", PLAIN, False),
    ("4条", 4.0, "条", PLAIN, False),
    ("  4 条 ", 4.0, "条", PLAIN, False),
    ("10个以内", 10.0, "个", AT_MOST, False),
    ("5%以下", 5.0, "%", AT_MOST, False),
    ("不超过3%", 3.0, "%", AT_MOST, False),
    ("500亿", 50000000000.0, None, PLAIN, False, {"multiplied": True}),
    ("上升3%", 3.0, "%", PLAIN, True),
    ("下降5%", 5.0, "%", PLAIN, True, {"falling": True}),
    ("下降5%以上", 5.0, "%", AT_LEAST, True, {"falling": True}),
]


@pytest.mark.parametrize("row", PARSES, ids=[row[0] for row in PARSES])
def test_parse_examples(row):
    text, value, unit, comparator, growth, *rest = row
    extra = rest[0] if rest else {}
    q = parse_quantity(text)
    assert q == Quantity(value, unit, comparator, growth, text=text, **extra)
    assert q.multiplied is extra.get("multiplied", False)
    assert q.falling is extra.get("falling", False)
    assert q.text == text


def test_sentence_is_not_a_quantity():
    with pytest.raises(QuantityError):
        parse_quantity("城镇新增就业35万人以上")


BAD = [
    "",
    "   ",
    "abc",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "+infinity",
    "1e999",
    "4 5",
    "4条条",
    "4xyz",
    "10000000000000000",
    "1.2.3",
    "万",
    "%",
    "4.",
    ".5",
    "以上",
    "不超过3%以上",
    "1000000000000000000亿元",
    "1.000000000000000001",
]


@pytest.mark.parametrize("text", BAD)
def test_parse_refuses(text):
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert isinstance(info.value, BadInput)
    assert "\n" not in str(info.value)


def test_error_message_for_word():
    with pytest.raises(QuantityError, match="'abc' is not a number; type a figure"):
        parse_quantity("abc")


def test_convert():
    assert convert(parse_quantity("278.17万"), "平方米") == 2781700.0
    assert convert(parse_quantity("35万人"), "人") == 350000.0
    assert convert(parse_quantity("5000万元"), "亿元") == 0.5
    assert convert(parse_quantity("5000万元"), "万元") == 0.5  # unit is canonicalised
    # 万/亿 with no unit counts the metric's base unit: 500亿 of 亿元 is 500亿元, never multiplied twice
    assert convert(parse_quantity("500亿"), "亿元") == 500.0
    assert convert(parse_quantity("5000万"), "亿元") == 0.5
    assert convert(parse_quantity("1.2万"), "家") == 12000.0
    assert convert(parse_quantity("1200"), "亿元") == 1200.0
    with pytest.raises(QuantityError, match="'5亿元' is money, but this metric counts 条"):
        convert(parse_quantity("5亿元"), "条")
    with pytest.raises(QuantityError):
        convert(parse_quantity("4个"), "条")
    with pytest.raises(QuantityError):
        convert(parse_quantity("4条"), "亿元")
    with pytest.raises(QuantityError):
        convert(parse_quantity("4条"), "furlongs")


def test_canonical_unit():
    assert canonical_unit("㎡") == "平方米"
    assert canonical_unit("m2") == "平方米"
    assert canonical_unit("KW") == "千瓦"
    assert canonical_unit("万元") == "亿元"
    assert canonical_unit("场次") == "场"
    assert canonical_unit("％") == "%"
    with pytest.raises(QuantityError):
        canonical_unit("斤")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (8, "%", "8%"),
        (5.5, "%", "5.5%"),
        (-1.2, "%", "-1.2%"),
        (2450, "亿元", "2450亿元"),
        (479.9, "亿元", "479.9亿元"),
        (350000, "人", "35万人"),
        (2781700, "平方米", "278.17万平方米"),
        (7000000, "千瓦", "700万千瓦"),
        (15000, "家", "1.5万家"),
        (12345.678, "人", "1.2345678万人"),
        (4, "条", "4条"),
        (1247, "公里", "1247公里"),
        (0.5, "亩", "0.5亩"),
        (100, None, "100"),
        (32000, None, "3.2万"),
        (1e-05, None, "0.00001"),
        (-0.0, None, "0"),
    ],
)
def test_format_examples(value, unit, text):
    assert format_quantity(value, unit) == text


def test_format_refuses():
    with pytest.raises(QuantityError):
        format_quantity(float("nan"), "人")
    with pytest.raises(QuantityError):
        format_quantity(5, "万元")
    with pytest.raises(QuantityError):
        format_quantity(5, "斤")


decimals_up_to_6_places = st.builds(
    lambda n, k: float(Decimal(n) / 10**k),
    st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1),
    st.integers(min_value=0, max_value=6),
).filter(lambda v: abs(v) < 1e12)


@given(decimals_up_to_6_places, st.sampled_from([None, *CANONICAL_UNITS]))
def test_format_parse_round_trip(value, unit):
    q = parse_quantity(format_quantity(value, unit))
    assert q.value == value
    assert q.unit == unit


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_round_trip_any_float(value):
    assert parse_quantity(format_quantity(value, "人")).value == value


@given(st.text())
def test_parse_never_crashes(text):
    try:
        q = parse_quantity(text)
    except QuantityError:
        return
    assert isinstance(q, Quantity)


@given(st.text(alphabet="0123456789.,-+ 万亿元人%以上左右达到增长千瓦平方米公里个eE\uff10\uff15"))
def test_parse_never_crashes_on_near_misses(text):
    try:
        parse_quantity(text)
    except QuantityError:
        pass


# -- display without decimal: the same text as decimal gives ------------------------------------
def _decimal_plain(d):
    return "0" if d == 0 else format(d.normalize(), "f")


def _decimal_format(value, unit):
    """format_quantity as it was written with decimal (the reference)."""
    from decimal import Decimal

    d = Decimal(repr(float(value)))
    unit = canonical_unit(unit) if unit is not None else None
    if unit in ("%", "亿元") or abs(d) < 10000:
        return _decimal_plain(d) + (unit or "")
    return _decimal_plain(d.scaleb(-4)) + "万" + (unit or "")


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
typed_figures = st.decimals(min_value=-10**9, max_value=10**9, places=4).map(float)


@given(st.one_of(finite, typed_figures), st.sampled_from([None, "%", "亿元", "人", "平方米", "个"]))
@example(2781700.0, "平方米")
@example(10000.0, "人")
@example(9999.999, "人")
@example(-0.0, None)
@example(1e-07, "%")
@example(1e15 - 1, "个")
def test_format_quantity_writes_what_decimal_wrote(value, unit):
    assert format_quantity(value, unit) == _decimal_format(value, unit)


@given(st.one_of(finite, typed_figures), st.integers(min_value=0, max_value=3))
@example(56.25, 1)
@example(0.05, 1)
@example(-0.04, 1)
@example(-0.05, 1)
@example(2.675, 2)
@example(1e-07, 1)
@example(99.95, 1)
def test_round_half_up_rounds_as_decimal_does(value, places):
    from decimal import ROUND_HALF_UP, Decimal

    expected = str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    assert quantity.round_half_up(value, places) == expected


def test_display_needs_no_decimal():
    import subprocess
    import sys

    code = (
        "import sys; from qdtrack.render import fmt_pct, fmt_points, fmt_value; "
        "print(fmt_pct(56.25), fmt_points(0.4), fmt_points(-0.04), fmt_value(2781700.0, '平方米'), 'decimal' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["56.3", "+0.4", "-0.0", "278.17万平方米", "False"]

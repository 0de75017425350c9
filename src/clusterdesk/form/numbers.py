"""One rule for numbers, everywhere: how a number box holds 无, and how typed text becomes a number.

The 填报说明 (第2条) say: 各必填栏目不得空缺，无相关情况时应填写“无”. A number box is a required
box like any other, so it may hold 无. The decision:

- **Stored**: 无 in a number box is stored as the string ``"无"`` (the JSON the form keeps), and
  read into the typed form as ``NONE_NUMBER`` (a ``Decimal`` 0) or ``NONE_COUNT`` (an ``int`` 0).
  These markers are *answers*: the required rule is satisfied, and the range and decimals rules
  have nothing to check.
- **Counted as 0**: the markers are 0 in every formula (sums, shares, criteria, the 2025 targets),
  because "no such thing" is zero of it; no formula needs to know about 无.
- **Printed 无**: everything that shows a value (the web form, the self-check, the Word/PDF form)
  prints 无, never 0 (``form.display.show``).
- **Typed or imported**: the same function reads what a person typed into a number box, in the web
  form and in a Word cell: full-width digits, thousands separators, a unit typed after the number
  (``108.6亿元``, ``36.8%``; 亿元/万元 converted to the box's unit) and 无 (also written ``/``,
  ``—``, ``-``). It returns the value and the list of what it changed, which the web form shows at
  the box and the import lists in its report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

NONE_WORD = "无"
# What people write for 无 in a number cell; all are read as 无.
NONE_WORDS = frozenset({NONE_WORD, "/", "—", "——", "-", "--", "－"})


class NoneDecimal(Decimal):
    """无 in a decimal box: 0 in arithmetic (results are plain Decimals), 无 when shown."""

    __slots__ = ()

    def __new__(cls, value: Any = 0) -> NoneDecimal:
        return super().__new__(cls, 0)

    def __repr__(self) -> str:
        return "NONE_NUMBER"

    def __reduce__(self) -> tuple[Any, ...]:
        return (NoneDecimal, ())

    def __copy__(self) -> NoneDecimal:
        return self

    def __deepcopy__(self, memo: Any) -> NoneDecimal:
        return self


class NoneCount(int):
    """无 in a count box: 0 in arithmetic, 无 when shown."""

    __slots__ = ()

    def __new__(cls, value: Any = 0) -> NoneCount:
        return super().__new__(cls, 0)

    def __repr__(self) -> str:
        return "NONE_COUNT"

    def __reduce__(self) -> tuple[Any, ...]:
        return (NoneCount, ())


NONE_NUMBER = NoneDecimal()
NONE_COUNT = NoneCount()


def is_none_word(value: Any) -> bool:
    """Whether ``value`` is 无 in a number box: the marker, or the word as typed or stored."""
    if isinstance(value, NoneDecimal | NoneCount):
        return True
    return isinstance(value, str) and unicodedata.normalize("NFKC", value).strip() == NONE_WORD


# --- reading what was typed ---------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "－": "-", "﹣": "-", "＋": "+"})
_NUMBER_RE = re.compile(r"^([+-]?)(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(.*)$")
_SCALE = {"亿元": Decimal(10000), "万元": Decimal(1), "元": Decimal("0.0001")}
KNOWN_UNITS = frozenset(
    {
        "亿元",
        "万元",
        "元",
        "%",
        "个",
        "家",
        "人",
        "项",
        "件",
        "万吨",
        "吨",
        "平方公里",
        "km2",
        "km²",
        "吨二氧化碳/万元",
        "吨/万元",
        "吨标准煤/万元",
        "件/万人",
    }
)


def _plain(value: Decimal) -> Decimal:
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


@dataclass
class NumberReading:
    """A number read from typed text: the value (None when blank or unreadable), what was changed
    to read it (Chinese, for the officer), and ``ok`` False when the text is no number at all."""

    value: Decimal | int | None = None
    why: list[str] = field(default_factory=list)
    ok: bool = True
    text: str = ""  # the number as the form stores it ("108.6", "无"); "" when blank or unreadable


def read_number(
    raw: str, unit: str | None = None, *, integer: bool = False, printed: str | None = None
) -> NumberReading:
    """A Decimal (or int for counts) from what was typed into a number box; never rounded.

    ``unit`` is the box's unit (亿元 → 万元 are converted); ``printed`` a unit the form itself
    prints in the cell (“  个”), which is no interpretation when it is typed there.
    """
    text = raw.strip()
    reading = NumberReading()
    if not text:
        return reading
    half = _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_MINUS)
    if half != _SPACE.sub("", text) and half not in NONE_WORDS:
        reading.why.append("全角数字或符号转换为半角")
    if half in NONE_WORDS or text in NONE_WORDS:
        reading.value = NONE_COUNT if integer else NONE_NUMBER
        reading.text = NONE_WORD
        if half != NONE_WORD:
            reading.why.append(f"“{text}”视为“{NONE_WORD}”")
        return reading
    match = _NUMBER_RE.match(half)
    if not match:
        return NumberReading(None, [f"“{text}”无法识别为数值"], ok=False)
    sign, digits, rest = match.groups()
    if "," in digits:
        reading.why.append("去掉千位分隔符")
        digits = digits.replace(",", "")
    value = Decimal(sign + digits)
    rest = rest.strip()
    if rest:
        if rest not in KNOWN_UNITS and rest.removesuffix("以上") not in KNOWN_UNITS:
            return NumberReading(None, [f"“{text}”含无法识别的内容“{rest}”"], ok=False)
        if rest == printed:
            pass
        elif unit in _SCALE and rest in _SCALE and rest != unit:
            # 0.5亿元 is 5000万元, not 5000.0: the conversion adds no digits of its own.
            value = _plain(value * _SCALE[rest] / _SCALE[unit])
            reading.why.append(f"单位{rest}换算为{unit}")
        else:
            reading.why.append(f"去掉单位{rest}")
    if integer:
        if value != value.to_integral_value():
            return NumberReading(None, [f"“{text}”应为整数"], ok=False)
        reading.value = int(value)
    else:
        reading.value = value
    reading.text = str(reading.value) if integer else format(reading.value, "f")
    return reading

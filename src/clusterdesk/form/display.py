"""Values as the form shows them, for every message, summary and page that prints a value.

One formatter, so that the self-check, the criteria details, the findings and the documents print
a value the same way, and never as Python writes it (``{'2020': Decimal('3.12')}``, ``None``,
``True``):

- a number with two decimals (填报说明 2: 3.1 → 3.10; digits beyond the second are kept, never
  rounded away, so the decimals rule's finding stays visible); a count whole;
- 无 in a number box (``numbers.NONE_NUMBER``/``NONE_COUNT``) as 无, never 0;
- a year column as ``2020年 3.12；2021年 4.00；2022年 未填写``;
- a chosen option as the printed box ``☑ 是``; a tick as ``☑ 已勾选`` / ``☐ 未勾选``;
- a date as ``2023年4月10日``; an empty box as 未填写.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .numbers import NONE_WORD, NoneCount, NoneDecimal

EMPTY = "未填写"
TICKED = "☑"
UNTICKED = "☐"


def number_text(value: Decimal | int, *, integer: bool = False) -> str:
    """A number as printed: 无 for the 无 marker, counts whole, others with two decimals."""
    if isinstance(value, NoneDecimal | NoneCount):
        return NONE_WORD
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not value.is_finite():
        return str(value)
    if integer and value == value.to_integral_value():
        return str(int(value))
    if _beyond_cents(value):
        return format(value, "f")  # more than two decimals: shown as typed, for its finding
    # Not quantize: it raises past the context's 28 digits (a 30-digit number typed in a box).
    return format(value, ".2f")


def _beyond_cents(value: Decimal) -> bool:
    """Whether a digit after the second decimal is not 0 (read off the digits: no arithmetic)."""
    _sign, digits, exponent = value.as_tuple()
    return isinstance(exponent, int) and any(digits[max(0, len(digits) + exponent + 2) :])


def show(
    value: Any, *, integer: bool = False, unit: str | None = None, choice: bool = False
) -> str:
    """``value`` as the form shows it (see the module's docstring). ``unit`` follows a number
    (not 无); ``choice`` prints a text as the ticked box of a printed option."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    if isinstance(value, bool):
        return f"{TICKED} 已勾选" if value else f"{UNTICKED} 未勾选"
    if isinstance(value, NoneDecimal | NoneCount):
        return NONE_WORD
    if isinstance(value, Decimal | int | float):
        number = Decimal(str(value)) if isinstance(value, float) else value
        text = number_text(number, integer=integer)
        return f"{text}{unit}" if unit else text
    if isinstance(value, Mapping):
        return "；".join(
            f"{_key(key)} {show(item, integer=integer, unit=unit, choice=choice)}"
            for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        if not value:
            return NONE_WORD
        return "、".join(show(item, integer=integer, unit=unit, choice=choice) for item in value)
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if choice:
        return f"{TICKED} {value}"
    return str(value)


def _key(key: Any) -> str:
    text = str(key)
    return f"{text}年" if text.isdigit() and len(text) == 4 else text

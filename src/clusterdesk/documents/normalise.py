"""Reading what people type into the form: labels, numbers, ticks and dates, each with the reason
why a value had to be interpreted (去掉单位、全角数字转换、√视为勾选 …) for the import report.

Pure functions on strings; nothing here knows about Word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from clusterdesk.form.display import number_text
from clusterdesk.form.numbers import read_number

# Marks people use for a ticked box. ☑ is what the system prints; the others are interpreted.
TICK_MARKS = frozenset("☑☒✓✔√■▇█✅")
# Empty boxes: printed before every option, ticked or not.
BOXES = frozenset("□☐▢◻⬜")
MARK_NAMES = {"✓": "✓", "✔": "✓", "√": "√", "■": "■", "▇": "■", "█": "■", "☒": "☒", "✅": "✓"}

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]"})
_QUOTE_RE = re.compile("[“”‘’〔〕]")
_SPACE_RE = re.compile(r"\s+")


def norm(text: str) -> str:
    """A label for comparison: NFKC (full-width → half-width), no white space, quotes alike."""
    return _quotes_alike(_SPACE_RE.sub("", unicodedata.normalize("NFKC", text)))


@lru_cache(maxsize=4096)  # the labels and options are few; the paragraphs searched are many
def option_pattern(option: str) -> re.Pattern[str]:
    """Finds an option's text in NFKC text even with spaces or line breaks typed inside it."""
    chars = [re.escape(char) for char in norm(option)]
    return re.compile(r"\s*".join(chars))


def soft(text: str) -> str:
    """NFKC with quotes alike but white space kept: the text option patterns search in."""
    return _quotes_alike(unicodedata.normalize("NFKC", text))


def _quotes_alike(text: str) -> str:
    # str.translate looks every character up in a dict, slow on long Chinese text in which
    # these quotes are rare; the regex tells at C speed whether there is any.
    return text.translate(_QUOTES) if _QUOTE_RE.search(text) else text


@dataclass
class Reading:
    """A value read from a cell, with why it is not simply the text (empty when it is)."""

    value: object = None
    why: list[str] = field(default_factory=list)
    ok: bool = True  # False: the text could not be read as this kind of value


# ---------------------------------------------------------------- numbers

# The rules (units, separators, 无) are the core's, shared with the web form: form.numbers.


def parse_number(
    raw: str, unit: str | None = None, *, integer: bool = False, printed: str | None = None
) -> Reading:
    """A Decimal (or int for counts) from what was typed; never rounded.

    The web form reads a number box with the same function (``form.numbers.read_number``):
    full-width digits, units typed into the cell, thousands separators and 无 (kept as 无,
    counted as 0; see ``form.numbers``). ``printed`` is a unit the form itself prints in the
    cell (“  个”): not an interpretation.
    """
    number = read_number(raw, unit, integer=integer, printed=printed)
    if not number.ok:
        return Reading(None, [f"{why}，留空" for why in number.why], ok=False)
    return Reading(number.value, number.why)


def format_number(value: Decimal | int | None, *, integer: bool = False) -> str:
    """A number as the form prints it (``form.display.number_text``: two decimals, counts whole,
    无 as 无, extra decimals kept for the validator's finding); blank when empty."""
    return "" if value is None else number_text(value, integer=integer)


# ---------------------------------------------------------------- dates

_DATE_RE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")


def format_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def parse_date(raw: str) -> Reading:
    half = unicodedata.normalize("NFKC", raw)
    match = _DATE_RE.search(half)
    if not match:
        return Reading(None, [] if not norm(raw).strip("年月日") else ["无法识别日期，留空"])
    try:
        value = date(*(int(part) for part in match.groups()))
    except ValueError:
        return Reading(None, [f"“{raw.strip()}”不是有效日期，留空"], ok=False)
    why = [] if "年" in half and "月" in half else ["日期格式转换"]
    return Reading(value, why)


# ---------------------------------------------------------------- ticks


@dataclass(frozen=True)
class Tick:
    ticked: bool
    why: str | None = None  # set when the mark was not the printed ☑


def find_options(text: str, options: list[str]) -> dict[int, Tick]:
    """Which of ``options`` are ticked in ``text``, by index; options not present are absent.

    A mark belongs to an option when it stands right before it (☑是, □√是, √ 是) or right after
    it, before a space or the next box (是√ □否). Longer options are found first so one option
    inside another cannot steal its text.
    """
    text = soft(text)
    spans: list[tuple[int, int, int]] = []  # (start, end, option index)
    taken = [False] * len(text)
    for index in sorted(range(len(options)), key=lambda i: -len(options[i])):
        for match in option_pattern(options[index]).finditer(text):
            start, end = match.span()
            if end > start and not any(taken[start:end]):
                spans.append((start, end, index))
                taken[start:end] = [True] * (end - start)
                break
    spans.sort()
    has_boxes = any(char in BOXES or char in TICK_MARKS for char in text)
    result: dict[int, Tick] = {}
    previous_end = 0
    suffixes: dict[int, str] = {}
    for number, (start, end, index) in enumerate(spans):
        gap = text[previous_end:start]
        if number > 0:
            suffix, gap = _split_gap(gap)
            suffixes[spans[number - 1][2]] = suffix
        prefix = _trailing_marks(gap)
        result[index] = _judge(prefix, "")
        previous_end = end
    if spans:
        suffixes[spans[-1][2]] = _leading_marks(text[previous_end:])
    for index, suffix in suffixes.items():
        if not result[index].ticked and suffix:
            name = MARK_NAMES.get(suffix[0], suffix[0])
            result[index] = Tick(True, f"选项后的{name}视为勾选")
    if not has_boxes and spans:  # boxes deleted: the options left standing are the chosen ones
        result = {index: Tick(True, "未见勾选框，保留的选项视为选中") for _, _, index in spans}
    return result


def _split_gap(gap: str) -> tuple[str, str]:
    """Marks glued to the end of the previous option, and the rest (the next one's prefix)."""
    marks = _leading_marks(gap)
    rest = gap[len(marks) :]
    if marks and (not rest or rest[0].isspace() or rest[0] in BOXES):
        return marks, rest
    return "", gap


def _leading_marks(text: str) -> str:
    length = 0
    while length < len(text) and text[length] in TICK_MARKS:
        length += 1
    return text[:length]


def _trailing_marks(text: str) -> str:
    start = len(text)
    while start > 0 and (
        text[start - 1] in TICK_MARKS or text[start - 1] in BOXES or text[start - 1] in " \t\u3000"
    ):
        start -= 1
    return text[start:]


def _judge(prefix: str, suffix: str) -> Tick:
    marks = [char for char in prefix + suffix if char in TICK_MARKS]
    if not marks:
        return Tick(False)
    mark = marks[0]
    if mark == "☑":
        return Tick(True)
    name = MARK_NAMES.get(mark, mark)
    if any(char in BOXES for char in prefix):
        return Tick(True, f"□旁写{name}视为勾选")
    return Tick(True, f"{name}视为勾选")

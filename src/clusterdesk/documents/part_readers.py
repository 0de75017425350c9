"""Reading the rows of parts 一–七: find a row by its label, read its value cells by kind."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from ..form.fields import Kind
from ..form.schema.innovation import CATEGORY_FIELDS
from . import deadline
from .docx_read import Cell, Row
from .import_report import Collector
from .layout import VALUE_UNITS, YEAR_LABELS, YEARS, Box, RowKind, hints
from .layout import Row as LayoutRow
from .normalise import find_options, norm, option_pattern, parse_date, parse_number, soft

_YEAR_KEYS = {norm(label): year for label, year in zip(YEAR_LABELS, YEARS, strict=True)}
_BARE_YEARS = {year: year for year in YEARS}  # “2020” as a column title, never as a value


def _score(cell: Cell, keys: tuple[str, ...]) -> int:
    text = cell.norm
    if text in keys:
        return 4 if text == keys[0] else 3
    if any(text.startswith(key) for key in keys):
        return 2
    return 1 if any(0 < text.find(key) <= 4 for key in keys) else 0


@lru_cache(maxsize=512)
def _near_start(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Matches exactly the texts ``_score`` rates above 0 (a key within the first five
    characters), in the regex engine: most cells hold none, and each label is looked for in
    every cell of a part."""
    return re.compile(".{0,4}(?:" + "|".join(map(re.escape, keys)) + ")", re.DOTALL)


def find(row: LayoutRow, rows: list[Row]) -> tuple[Row, int] | None:
    """The best unused table row holding the label, and the index of the label's cell."""
    best: tuple[int, Row, int] | None = None
    keys = row.keys
    near_start = _near_start(keys).match
    for candidate in rows:
        if candidate.used:
            continue
        deadline.check()  # the import's slowest loop: every label against every row
        for index, cell in enumerate(candidate.cells):
            score = _score(cell, keys) if near_start(cell.norm) else 0
            if score and (best is None or score > best[0]):
                best = (score, candidate, index)
                if score == 4:
                    return candidate, index
    return (best[1], best[2]) if best else None


def _rest_of(cell: Cell, row: LayoutRow, box: Box | None = None) -> str:
    """Text typed into the label cell itself, after the label and its note."""
    text = soft(cell.text)
    for label in (row.label, row.box.spec.label) if box is None else (box.spec.label,):
        match = option_pattern(label).search(text)
        if match:
            return re.sub(r"^\s*[:：]", "", text[match.end() :]).strip()
    return ""


def value_cells(row: Row, index: int, layout: LayoutRow) -> str:
    after = [cell.text.strip() for cell in row.cells[index + 1 :]]
    if not after:
        return _rest_of(row.cells[index], layout)
    filled = [text for text in after if text]
    return "\n".join(filled)


@lru_cache(maxsize=1)
def _hint_pattern() -> re.Pattern[str]:
    """Any of the template's hints, with white space typed inside and either width of
    brackets and colons (WPS and LibreOffice keep them; people retype them)."""
    alternatives = []
    for hint in hints():
        chars = []
        for char in norm(hint):
            same = {char, unicodedata.normalize("NFKC", char)} | _WIDE.get(char, set())
            chars.append("[" + "".join(re.escape(c) for c in sorted(same)) + "]")
        alternatives.append(r"\s*".join(chars))
    return re.compile("|".join(alternatives))


_WIDE = {"(": {"（"}, ")": {"）"}, ":": {"："}, ",": {"，"}}


def without_hints(out: Collector, path: str, raw: str) -> str:
    """``raw`` without the template's hints left in the cell, each removal reported.

    Only the hint goes: what the officer typed stays as typed (full-width punctuation too)."""
    found = [match.group(0) for match in _hint_pattern().finditer(raw)]
    if not found:
        return raw
    kept = _hint_pattern().sub("", raw)
    kept = re.sub(r"[ \t\u3000]*\n(?:[ \t\u3000]*\n)+", "\n", kept).strip()
    for hint in found:
        out.report.change(path, raw.strip(), kept, f"去掉模板提示文字“{hint.strip()}”")
    return kept


def read_value(out: Collector, box: Box, raw: str, path: str | None = None) -> Any:
    """A cell's text as the box's kind of value, noting every interpretation."""
    path = path or box.path
    raw = without_hints(out, path, raw)
    kind = box.spec.kind
    if kind in (Kind.TEXT, Kind.NARRATIVE):
        return raw.strip() or None
    if kind == Kind.DATE:
        reading = parse_date(raw)
    else:
        printed = box.spec.unit if box.spec.unit in VALUE_UNITS else None
        reading = parse_number(raw, box.spec.unit, integer=box.integer, printed=printed)
    out.whys(path, raw, reading.value, reading.why)
    return reading.value


def read_row(out: Collector, row: LayoutRow, rows: list[Row], everywhere: list[Row]) -> None:
    found = find(row, rows) or find(row, everywhere)
    box = row.box
    if found is None:
        out.report.missing(box.path, box.spec.label)
        if row.second is not None:
            out.report.missing(row.second.path, row.second.spec.label)
        return
    table_row, index = found
    table_row.used = True
    if row.kind in (RowKind.YEARS, RowKind.YEARS_HEADED, RowKind.YEARS_DOWN):
        _read_years(out, row, table_row, index, rows or everywhere)
    elif row.kind == RowKind.STANDARDS:
        _read_standards(out, row, table_row, index, rows or everywhere)
    elif row.kind in (RowKind.CHOICE, RowKind.TICKS):
        text = value_cells(table_row, index, row) if not row.inline else table_row.cells[index].text
        _read_options(out, row, text)
    elif row.kind == RowKind.PLATFORM:
        _read_platform(out, row, value_cells(table_row, index, row))
    elif row.kind == RowKind.PAIR and row.second is not None:
        cells = table_row.cells[index + 1 :]
        first = cells[0].text if cells else ""
        out.put(box.path, read_value(out, box, first))
        out.report.add_read(box.path, box.spec.label, first.strip())
        second_key = norm(row.second.spec.label)
        at = next((i for i, c in enumerate(cells) if c.norm.startswith(second_key)), None)
        if at is None:
            out.report.missing(row.second.path, row.second.spec.label)
            return
        raw = cells[at + 1].text if at + 1 < len(cells) else _rest_of(cells[at], row, row.second)
        out.put(row.second.path, read_value(out, row.second, raw))
        out.report.add_read(row.second.path, row.second.spec.label, raw.strip())
    else:
        raw = value_cells(table_row, index, row)
        out.put(box.path, read_value(out, box, raw))
        out.report.add_read(box.path, box.spec.label, raw)


def _year_of(cell: Cell, *, header: bool = False) -> str | None:
    return _YEAR_KEYS.get(cell.norm) or (_BARE_YEARS.get(cell.norm) if header else None)


def _following(row: Row, rows: list[Row]) -> list[Row]:
    at = next((i for i, r in enumerate(rows) if r is row), len(rows))
    return [r for r in rows[at + 1 :] if r.table == row.table]


def _years_from_header(row: Row, rows: list[Row], count: int) -> list[str]:
    """The year of each value column, from the nearest header row above in the same table."""
    above = [r for r in rows if r.table == row.table and r.index < row.index]
    for header in reversed(above):
        years = [year for cell in header.cells if (year := _year_of(cell, header=True))]
        if len(years) == count:
            return years
    return list(YEARS[:count])


def _read_years(out: Collector, row: LayoutRow, table_row: Row, index: int, rows: list[Row]):
    box, label_cell = row.box, table_row.cells[index]
    after = table_row.cells[index + 1 :]
    pairs: list[tuple[str, str]] = []
    if after and all(_year_of(cell) for cell in after):  # years in this row, values below
        below = _following(table_row, rows)
        if below:
            below[0].used = True
            values = [c for c in below[0].cells if c is not label_cell]
            values = values[-len(after) :] if len(values) > len(after) else values
            pairs = [(_year_of(y) or "", v.text) for y, v in zip(after, values, strict=False)]
    elif any(_year_of(cell) for cell in after):  # one row per year, years down a column
        group = [table_row]
        for nxt in _following(table_row, rows):
            if nxt.cells and (nxt.cells[0] is label_cell or not nxt.cells[0].norm):
                nxt.used = True
                group.append(nxt)
            else:
                break
        for member in group:
            cells = [c for c in member.cells if c is not label_cell]
            for at, cell in enumerate(cells):
                year = _year_of(cell)
                if year and at + 1 < len(cells):
                    pairs.append((year, cells[at + 1].text))
    else:
        merged = _merged_years(table_row, rows, after)
        if merged is not None:
            _read_merged(out, box, merged)
            return
        years = _years_from_header(table_row, rows, len(after))
        pairs = list(zip(years, (cell.text for cell in after), strict=False))
    values: dict[str, Any] = {}
    for year, raw in pairs:
        path = f"{box.path}.{year}"
        out.report.add_read(path, f"{box.spec.label}（{year}年）", raw.strip())
        if raw.strip():
            values[year] = read_value(out, box, raw, path)
    out.put(box.path, values)


def _merged_years(
    row: Row, rows: list[Row], after: list[Cell]
) -> list[tuple[list[str], Cell]] | None:
    """The years each value cell spans, by grid column under the table's year header, when one
    cell spans more than one year (the officer merged the year cells and typed one value)."""
    above = [r for r in rows if r.table == row.table and r.index < row.index]
    for header in reversed(above):
        columns = [(cell, year) for cell in header.cells if (year := _year_of(cell, header=True))]
        if len(columns) < 2:
            continue
        spans = []
        for cell in after:
            end = cell.column + cell.span
            years = [y for c, y in columns if c.column < end and cell.column < c.column + c.span]
            spans.append((years, cell))
        return spans if any(len(years) > 1 for years, _ in spans) else None
    return None


def _read_merged(out: Collector, box: Box, spans: list[tuple[list[str], Cell]]) -> None:
    """A value in a cell merged across years goes to every year it spans, marked 需核对."""
    values: dict[str, Any] = {}
    for years, cell in spans:
        raw = cell.text
        for year in years:
            path = f"{box.path}.{year}"
            out.report.add_read(path, f"{box.spec.label}（{year}年）", raw.strip())
            if not raw.strip():
                continue
            values[year] = read_value(out, box, raw, path)
            if len(years) > 1:
                first, last = years[0], years[-1]
                out.report.interpret(
                    path,
                    raw.strip(),
                    values[year],
                    f"{CHECK}填在{first}年至{last}年合并的单元格中，已填入每一年，请核对各年数值",
                )
    out.put(box.path, values)


CHECK = "需核对："


def _read_standards(out: Collector, row: LayoutRow, table_row: Row, index: int, rows: list[Row]):
    label_cell = table_row.cells[index]
    years = list(YEARS)
    table: dict[str, dict[str, dict[str, Any]]] = {}
    categories = {norm(name): field for name, field in CATEGORY_FIELDS.items()}
    for member in [table_row, *_following(table_row, rows)]:
        cells = [c for c in member.cells if c is not label_cell]
        if (
            member is not table_row
            and member.cells[0] is not label_cell
            and not any(c.norm in categories for c in cells)
        ):
            break
        member.used = True
        found_years = [year for cell in cells if (year := _year_of(cell))]
        if len(found_years) == len(YEARS):
            years = found_years
        group = 0
        for at, cell in enumerate(cells):
            if cell.norm not in categories or group >= len(years):
                continue
            year = years[group]
            group += 1
            counts = {}
            for role, offset in (("led", 1), ("joined", 2)):
                raw = cells[at + offset].text if at + offset < len(cells) else ""
                path = f"{row.box.path}.{year}.{categories[cell.norm]}.{role}"
                out.report.add_read(path, f"{cell.text.strip()}·{year}年·{role}", raw.strip())
                reading = parse_number(raw, "项", integer=True)
                out.whys(path, raw, reading.value, reading.why)
                counts[role] = reading.value
            if any(value is not None for value in counts.values()):
                table.setdefault(year, {})[categories[cell.norm]] = counts
    out.put(row.box.path, table)


def _read_options(out: Collector, row: LayoutRow, text: str) -> None:
    box = row.box
    options = [label for _, label in box.options]
    ticks = find_options(text, options)
    if row.kind == RowKind.TICKS:
        values: dict[str, bool] = {}
        for number, (name, label) in enumerate(box.options):
            path = f"{box.path}.{name}"
            tick = ticks.get(number)
            values[name] = bool(tick and tick.ticked)
            out.report.add_read(path, label, _line_of(text, label))
            if tick is None:
                out.report.interpret(path, "", False, "未找到该选项，视为未勾选")
            elif tick.why:
                out.report.interpret(path, _line_of(text, label), True, tick.why)
        out.put(box.path, values)
        return
    chosen = [number for number, tick in sorted(ticks.items()) if tick.ticked]
    out.report.add_read(box.path, box.spec.label, text.strip())
    value = box.options[chosen[0]][0] if len(chosen) == 1 else None
    if len(chosen) > 1:
        names = "、".join(options[number] for number in chosen)
        out.report.interpret(box.path, text.strip(), None, f"勾选了多个选项（{names}），未采用")
    elif chosen and ticks[chosen[0]].why:
        out.report.interpret(box.path, text.strip(), value, ticks[chosen[0]].why or "")
    out.put(box.path, value)


def _line_of(text: str, option: str) -> str:
    key = norm(option)
    return next((line.strip() for line in text.splitlines() if key in norm(line)), "")


def _read_platform(out: Collector, row: LayoutRow, text: str) -> None:
    box = row.box
    half = unicodedata.normalize("NFKC", text)
    count_match = re.search(r"数\s*量\s*:?\s*([^\n]*?)\s*(?:名\s*称|\n|$)", half)
    raw_count = count_match.group(1) if count_match else half.split("\n", 1)[0]
    reading = parse_number(raw_count.strip(), "个", integer=True, printed="个")
    out.whys(f"{box.path}.count", raw_count, reading.value, reading.why)
    # The names as typed: only the label's colon is looked at, a “：” inside a name stays.
    names_match = re.search(r"名\s*称\s*[:：]?(.*)$", text, re.S)
    names = []
    if names_match:
        names = [n.strip() for n in re.split(r"[；;\n]", names_match.group(1)) if n.strip()]
    if names == ["无"]:
        names = []
    value: dict[str, Any] = {"count": reading.value, "names": names}
    out.put(box.path, value)
    out.report.add_read(box.path, box.spec.label, text.strip())

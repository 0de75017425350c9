"""The rows of a 清单 table as HTML: {% load form_lists %}.

A 清单 can hold hundreds of rows (the patents list of a real cluster, ~400), each with a box per
column. Including a template per cell cost most of the page's rendering time, so the cells are
written here, with the per-column markup prepared once per table and only the value escaped per
cell. The markup is what autosave.js reads (``tr.list-item``, ``td.index``, ``[data-col]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

REMOVE = '<button type="button" class="remove-row"{label}>删除</button>'


class _Cell:
    """One column's box, ready to take a value: the markup around the value is built once."""

    def __init__(self, column: dict[str, Any], editable: bool) -> None:
        key, title = escape(column["key"]), escape(column["title"])
        disabled = "" if editable else " disabled"
        self.select = column["widget"] == "select"
        if self.select:
            self.head = f'<select data-col="{key}" aria-label="{title}"{disabled}>'
            self.head += '<option value=""></option>'
            self.tail = "</select>"
            options = [escape(option) for option in column["options"]]
            # The options as printed with nothing selected, and with each one selected.
            self.unselected = "".join(_option(option, False) for option in options)
            self.selected = {
                raw: "".join(_option(option, option == chosen) for option in options)
                for raw, chosen in zip(column["options"], options, strict=True)
            }
        else:
            numeric = ' inputmode="numeric"'
            numeric = numeric if column["widget"] == "number" else ""
            self.head = f'<input type="text" data-col="{key}"{numeric} value="'
            self.tail = f'" aria-label="{title}"{disabled}>'

    def html(self, value: str) -> str:
        if self.select:
            return f"{self.head}{self.selected.get(value, self.unselected)}{self.tail}"
        return f"{self.head}{escape(value)}{self.tail}"


def _option(option: str, selected: bool) -> str:
    return f'<option value="{option}"{" selected" if selected else ""}>{option}</option>'


def _row(cells: Iterable[str], index: int | None, editable: bool) -> str:
    number = "" if index is None else str(index)
    tools = ""
    if editable:
        label = "" if index is None else f' aria-label="删除第{index}行"'
        tools = f'<td class="row-tools">{REMOVE.format(label=label)}</td>'
    boxes = "".join(f"<td>{cell}</td>" for cell in cells)
    return f'<tr class="list-item"><td class="index">{number}</td>{boxes}{tools}</tr>'


@register.filter
def single_quoted(text: str) -> SafeString:
    """``text`` for an attribute in single quotes: JSON's many double quotes stay as they are
    (as &quot; they made a 400-row list's data-original a third larger)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return mark_safe(escaped.replace("'", "&#x27;"))  # & < > ' escaped: safe in '…'


LONG_LIST = 30  # editable rows the server writes; longer lists are built by the page's script


def _text_row(values: Iterable[tuple[dict[str, Any], str]], index: int) -> str:
    cells = "".join(f"<td>{escape(value)}</td>" for _column, value in values)
    return f'<tr class="list-item"><td class="index">{index}</td>{cells}</tr>'


@register.simple_tag
def list_rows(row: Any, editable: bool) -> SafeString:
    """The filled rows of ``row`` (a ``list`` row of the form page).

    Read-only, a row is its values as text. Editable, a list longer than ``LONG_LIST`` comes
    without rows: autosave.js builds them from the table's ``data-original`` (which the page
    carries anyway) with the cells of 添加一行 — 400 patents as boxes were 0.4 MB of the page.
    """
    values_of = row.extra["rows"]
    if not editable:
        return mark_safe(
            "\n".join(_text_row(values, index) for index, values in enumerate(values_of, 1))
        )
    if len(values_of) > LONG_LIST:
        return mark_safe("")
    cells = {column["key"]: _Cell(column, editable) for column in row.extra["columns"]}
    lines = [
        _row((cells[column["key"]].html(value) for column, value in values), index, editable)
        for index, values in enumerate(row.extra["rows"], start=1)
    ]
    return mark_safe("\n".join(lines))  # every value went through escape() in _Cell


@register.simple_tag
def list_blank_row(row: Any) -> SafeString:
    """The empty row that "添加一行" and pasting copy (only on an editable page)."""
    cells = [_Cell(column, editable=True).html("") for column in row.extra["columns"]]
    return mark_safe(_row(cells, None, editable=True))  # escaped in _Cell

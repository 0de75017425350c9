"""The 填报说明 rules Attachment 2 makes special, beyond its field metadata.

集群成立时间 is free text that must read as a year, and the two counts that need a 清单 must
agree with their lists. They run in ``check_rules`` as the definition's ``rules``, after the
field-by-field pass, so their findings keep their place in the form's order.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..definition import FormDefinition
from ..fields import spec_of
from ..findings import Finding, Level
from ..rules import DATE_FORMAT, DATE_RANGE, LIST_COUNT, UNKNOWN_YEAR, year_span
from .application import Application
from .innovation import CATEGORY_FIELDS, ROLE_FIELDS, Innovation, StandardRoleCounts

_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_ESTABLISHED = "attachment1.established"


def _error(path: str, label: str, rule: str, message: str, **values: Any) -> Finding:
    return Finding(path, label, Level.ERROR, rule, message, values)


def established(definition: FormDefinition, application: Application) -> list[Finding]:
    """集群成立时间 is free text on the form, but it must read as a year or a year-month."""
    value = application.attachment1.established
    if value is None or not value.strip():
        return []  # the required rule has said so
    label = spec_of(type(application.attachment1), "established").label
    match = _YEAR_MONTH.match(value.strip())
    if match is None or (match[2] is not None and not 1 <= int(match[2]) <= 12):
        message = f"「{label}」应填写年份或年月（如 2005 或 2005-03），现为“{value}”"
        return [_error(_ESTABLISHED, label, DATE_FORMAT, message, value=value)]
    limit = definition.version.reference_date.year
    if int(match[1]) > limit:
        message = (
            f"「{label}」为{value.strip()}，晚于本轮申报的数据截止年度{limit}年（填报说明第6条）"
        )
        return [_error(_ESTABLISHED, label, DATE_RANGE, message, value=value, limit=limit)]
    return []


def lists(definition: FormDefinition, application: Application) -> list[Finding]:
    """The counts that the form says need a 清单 (需提供清单) must agree with their lists."""
    out = []
    innovation = application.part3
    declared = innovation.patents
    if declared is not None and declared != len(innovation.patents_list):
        label = spec_of(Innovation, "patents").label
        listed = len(innovation.patents_list)
        list_label = spec_of(Innovation, "patents_list").label
        message = (
            f"「{label}」为{declared}个，需提供清单（{list_label}为空）"
            if listed == 0
            else f"「{label}」为{declared}个，{list_label}列出{listed}项，两者应一致"
        )
        out.append(
            _error("part3.patents", label, LIST_COUNT, message, declared=declared, listed=listed)
        )
    return out + _standards(definition, innovation)


def _standards(definition: FormDefinition, innovation: Innovation) -> list[Finding]:
    out = []
    list_label = spec_of(Innovation, "standards_list").label
    listed: Counter[tuple[str, str, str]] = Counter()
    for index, item in enumerate(innovation.standards_list):
        year = str(item.year)
        listed[year, item.category, item.role] += 1
        if year not in definition.year_keys:
            message = (
                f"{list_label}第{index + 1}项「{item.name}」的年度为{year}年，"
                f"不在本轮申报的数据年度（{year_span(definition)}）内"
            )
            path = f"part3.standards_list.{index}.year"
            out.append(_error(path, list_label, UNKNOWN_YEAR, message, year=item.year))
    table = spec_of(Innovation, "standards").label
    for year in definition.year_keys:
        cell = innovation.standards.get(year)
        if cell is None:
            continue  # the required rule reports the missing boxes
        for category, category_field in CATEGORY_FIELDS.items():
            counts = getattr(cell, category_field)
            for role, role_field in ROLE_FIELDS.items():
                declared = getattr(counts, role_field)
                found = listed[year, category, role]
                if declared is None or declared == found:
                    continue
                label = spec_of(StandardRoleCounts, role_field).label
                where = f"{table}·{year}年·{category}·{label}"
                message = (
                    f"「{where}」为{declared}项，{list_label}中{year}年{category}标准"
                    f"（{role}）有{found}项，两者应一致" + ("（需提供清单）" if found == 0 else "")
                )
                path = f"part3.standards.{year}.{category_field}.{role_field}"
                out.append(
                    _error(path, label, LIST_COUNT, message, declared=declared, listed=found)
                )
    return out

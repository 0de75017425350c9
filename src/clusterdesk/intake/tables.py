"""The inbox's table (django-tables2): sortable columns, 50 rows a page.

The table pages a list without any column read out of the form's JSON (``desk.inbox_list``):
the name, industry and latest submission time of the 50 rows shown are fetched together, in one
query, the first time a row asks (``desk.page_columns``)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from clusterdesk.intake.domain.desk import (
    PageColumns,
    order_by_name,
    order_by_submitted,
    page_columns,
)

PER_PAGE = 50
NOTHING = PageColumns(None, None, None)


class InboxTable(tables.Table):
    select = tables.CheckBoxColumn(accessor="pk")
    name = tables.Column(verbose_name="集群名称", accessor="pk", empty_values=())
    organisation = tables.Column(
        verbose_name="申报单位",
        accessor="organisation",
        order_by=("organisation__position", "organisation"),
    )
    state = tables.Column(verbose_name="状态", accessor="state", order_by=("state", "pk"))
    industry = tables.Column(
        verbose_name="主导产业所属产业类型", accessor="pk", orderable=False, empty_values=()
    )
    submitted_at = tables.Column(verbose_name="最近提交时间", accessor="pk", empty_values=())
    # From the pre-check digest stored at submission (one join): no form is read for the list.
    aspects_failed = tables.Column(
        verbose_name="未达标方面",
        accessor="aspects_failed",
        order_by=("aspects_failed", "pk"),
        default="—",
        attrs={"th": {"title": "最近一次提交时认定标准预检未达标的方面数"}},
    )
    open_warnings = tables.Column(
        verbose_name="一致性提醒",
        accessor="open_warnings",
        order_by=("open_warnings", "pk"),
        default="—",
        attrs={"th": {"title": "最近一次提交时的一致性提醒数"}},
    )

    class Meta:
        attrs = {"class": "list inbox"}  # noqa: RUF012 - django-tables2 reads a dict here
        empty_text = "没有符合条件的申报。"
        order_by = ("organisation", "pk")

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def _columns(self, record) -> PageColumns:
        # The page's rows are read together the first time one is asked (one query).
        found = getattr(self, "_page_columns", None)
        if found is None:
            ids = [row.record.pk for row in self.page.object_list]
            found = self._page_columns = page_columns(self.user, ids)
        return found.get(record.pk, NOTHING)

    def render_select(self, record):
        label = f"选择“{self._columns(record).name or record.pk}”"
        return format_html(
            '<input type="checkbox" name="ids" value="{}" aria-label="{}">', record.pk, label
        )

    def render_name(self, record):
        url = reverse("intake:application", args=[record.pk])
        return format_html(
            '<a href="{}">{}</a>', url, self._columns(record).name or "（未填集群名称）"
        )

    def order_name(self, queryset, is_descending):
        return order_by_name(queryset, is_descending), True

    def render_state(self, record):
        return format_html(
            '<span class="state state-{}">{}</span>', record.state, record.get_state_display()
        )

    def render_organisation(self, record):
        return str(record.organisation)

    def render_aspects_failed(self, record):
        return "—" if record.aspects_failed is None else record.aspects_failed

    def render_open_warnings(self, record):
        return "—" if record.open_warnings is None else record.open_warnings

    def lines(self) -> list[list[object]]:
        """The page's rows as their cells, in column order: what ``paginated_rows`` renders,
        without django-tables2's work per cell (an accessor resolved and a signature inspected
        for each: ~2 ms a row, most of the page's time); every column has a ``render_*``."""
        renders = [getattr(self, f"render_{column.name}") for column in self.columns]
        records = [row.record for row in self.page.object_list]
        return [[render(record) for render in renders] for record in records]

    def render_industry(self, record):
        return self._columns(record).industry or "—"

    def render_submitted_at(self, record):
        at = self._columns(record).submitted_at
        return f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else "—"

    def order_submitted_at(self, queryset, is_descending):
        return order_by_submitted(queryset, is_descending), True

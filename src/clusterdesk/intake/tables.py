"""The inbox's table (django-tables2): sortable columns, 50 rows a page."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from clusterdesk.declarations.domain.forms import application_summaries

PER_PAGE = 50


class InboxTable(tables.Table):
    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "input": {"name": "ids"},
            "td__input": {"aria-label": lambda record: f"选择“{record.name or record.pk}”"},
        },
    )
    name = tables.Column(verbose_name="集群名称", accessor="name", order_by=("name", "pk"))
    organisation = tables.Column(
        verbose_name="申报单位",
        accessor="organisation",
        order_by=("organisation__position", "organisation"),
    )
    state = tables.Column(verbose_name="状态", accessor="state", order_by=("state", "pk"))
    industry = tables.Column(
        verbose_name="主导产业所属产业类型", accessor="industry", orderable=False
    )
    submitted_at = tables.DateTimeColumn(
        verbose_name="最近提交时间",
        accessor="submitted_at",
        format="Y-m-d H:i",
        order_by=("submitted_at", "pk"),
    )
    # From the summaries kept by data version: not in the database, so not sortable.
    errors = tables.Column(verbose_name="错误", accessor="pk", orderable=False, empty_values=())
    warnings = tables.Column(verbose_name="提示", accessor="pk", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "list inbox"}  # noqa: RUF012 - django-tables2 reads a dict here
        empty_text = "没有符合条件的申报。"
        order_by = ("organisation", "pk")

    def render_name(self, value, record):
        url = reverse("intake:application", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value or "（未填集群名称）")

    def render_state(self, value, record):
        return format_html(
            '<span class="state state-{}">{}</span>', value, record.get_state_display()
        )

    def _summary(self, record):
        # The page's rows are summarised together the first time one is asked (one lookup).
        summaries = getattr(self, "_summaries", None)
        if summaries is None:
            records = [row.record for row in self.page.object_list]
            summaries = self._summaries = application_summaries(records)
        return summaries.get(record.pk)

    def render_errors(self, record):
        summary = self._summary(record)
        return summary.errors if summary else "—"

    def render_warnings(self, record):
        summary = self._summary(record)
        return summary.warnings if summary else "—"

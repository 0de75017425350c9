"""The inbox's filters (django-filter): unit, state, leading industry, cluster name, paper set
received, the pre-check outcome and open consistency warnings (from the stored digest: one join,
no form read)."""

from __future__ import annotations

from typing import get_args

import django_filters
from django.db.models import Q, QuerySet

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS
from clusterdesk.accounts.models import Organisation
from clusterdesk.declarations.domain.comments import unanswered_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.form.schema.common import IndustryType
from clusterdesk.intake.domain.desk import ACCEPTED_STATES, INDUSTRY, NAME
from clusterdesk.intake.models import PaperReceipt

State = ApplicationState
ACCEPTED = "accepted"  # the desk's 已受理 column: under review and what follows it

STATE_CHOICES = [
    (State.DRAFT.value, State.DRAFT.label),
    (State.SUBMITTED.value, State.SUBMITTED.label),
    (State.RETURNED.value, State.RETURNED.label),
    (ACCEPTED, "已受理（审核中及以后）"),
    *((state.value, state.label) for state in ACCEPTED_STATES),
]


YES_NO = (("yes", "是"), ("no", "否"))


class InboxFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label="申报单位",
        queryset=Organisation.objects.filter(kind__in=sorted(COUNTY_LEVEL_KINDS)),
        empty_label="全部单位",
    )
    state = django_filters.ChoiceFilter(
        label="状态", choices=STATE_CHOICES, method="filter_state", empty_label="全部状态"
    )
    industry = django_filters.ChoiceFilter(
        label="主导产业所属产业类型",
        choices=[(value, value) for value in get_args(IndustryType)],
        method="filter_industry",
        empty_label="全部",
    )
    name = django_filters.CharFilter(label="集群名称", method="filter_name", max_length=100)
    paper = django_filters.ChoiceFilter(
        label="纸质材料已收到",
        choices=YES_NO,
        method="filter_paper",
        empty_label="全部",
    )
    comments = django_filters.ChoiceFilter(
        label="有未处理的审核意见",
        choices=YES_NO,
        method="filter_comments",
        empty_label="全部",
    )
    precheck = django_filters.ChoiceFilter(
        label="认定标准预检",
        choices=[("pass", "全部达标"), ("fail", "有未达标方面")],
        method="filter_precheck",
        empty_label="全部",
    )
    warnings = django_filters.ChoiceFilter(
        label="一致性提醒",
        choices=[("yes", "有"), ("no", "无")],
        method="filter_warnings",
        empty_label="全部",
    )

    def filter_state(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        if value == ACCEPTED:
            return queryset.filter(state__in=ACCEPTED_STATES)
        return queryset.filter(state=value)

    def filter_industry(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(**{INDUSTRY: value})

    def filter_paper(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        received = Q(pk__in=PaperReceipt.objects.values("application_id"))
        return queryset.filter(received) if value == "yes" else queryset.exclude(received)

    def filter_name(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(**{f"{NAME}__icontains": value}) if value else queryset

    # Applications never submitted have no digest: they are in neither choice of the two below.
    def filter_precheck(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        if value == "fail":
            return queryset.filter(precheck_digest__aspects_failed__gt=0)
        return queryset.filter(precheck_digest__aspects_failed=0)

    def filter_warnings(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(precheck_digest__warnings__gt=0)
        return queryset.filter(precheck_digest__warnings=0)

    def filter_comments(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        # One subquery: comments sent with a return that the county has not answered yet.
        unanswered = Q(pk__in=unanswered_applications())
        return queryset.filter(unanswered) if value == "yes" else queryset.exclude(unanswered)

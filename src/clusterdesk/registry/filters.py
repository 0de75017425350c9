"""The registry's filters (django-filter): round, unit, 产业类型, 主导产业, name, status."""

from __future__ import annotations

from typing import get_args

import django_filters
from django.db.models import QuerySet

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS
from clusterdesk.accounts.models import Organisation
from clusterdesk.form.schema.common import IndustryType
from clusterdesk.registry.domain.registry import Status
from clusterdesk.rounds.domain import reviewed_rounds


class RegistryFilter(django_filters.FilterSet):
    round = django_filters.ModelChoiceFilter(
        label="认定批次",
        queryset=reviewed_rounds().order_by("-reference_date", "-pk"),
        field_name="application__round",
        empty_label="全部批次",
    )
    organisation = django_filters.ModelChoiceFilter(
        label="所在地区",
        queryset=Organisation.objects.filter(kind__in=sorted(COUNTY_LEVEL_KINDS)),
        field_name="application__organisation",
        empty_label="全部地区",
    )
    industry = django_filters.ChoiceFilter(
        label="主导产业所属产业类型",
        choices=[(value, value) for value in get_args(IndustryType)],
        field_name="application__listed_industry",
        empty_label="全部",
    )
    leading = django_filters.CharFilter(label="主导产业", method="filter_leading", max_length=50)
    name = django_filters.CharFilter(label="集群名称", method="filter_name", max_length=100)
    status = django_filters.ChoiceFilter(
        label="状态", choices=Status.CHOICES, field_name="status", empty_label="全部状态"
    )

    def filter_leading(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(leading_industry__icontains=value) if value else queryset

    def filter_name(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(application__listed_name__icontains=value) if value else queryset

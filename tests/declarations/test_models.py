import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusterdesk.declarations.models import Application
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import make_application, make_city_bureau, make_round

pytestmark = pytest.mark.django_db


def test_round_data_years_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_round(first_data_year=2023, last_data_year=2022)


def test_round_county_limit_is_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_round(county_limit=0)


def test_round_reference_date_within_last_data_year():
    round_ = make_round()
    round_.reference_date = dt.date(2023, 3, 1)
    with pytest.raises(ValidationError, match="数据基准日"):
        round_.full_clean()


def test_round_facts():
    round_ = make_round()
    assert round_.is_open
    assert list(round_.data_years) == [2020, 2021, 2022]


def test_application_must_belong_to_a_county_level_unit():
    application = make_application()
    application.organisation = make_city_bureau()
    with pytest.raises(ValidationError, match="申报单位必须是"):
        application.full_clean()


def test_application_state_refused_by_database_when_unknown():
    application = make_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(state="published")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({"part1": {"cluster_name": "鄞州区汽车零部件产业集群"}}, "鄞州区汽车零部件产业集群"),
        ({}, ""),
        ({"part1": None}, ""),
        ({"part1": "garbage"}, ""),
        ({"part1": {"cluster_name": 42}}, ""),
    ],
)
def test_cluster_name_reads_part_one_defensively(data, name):
    assert Application(data=data).cluster_name == name


def test_unnamed_application_str():
    application = make_application(cluster_name="")
    assert str(application).endswith("的申报（未命名）")


def test_events_are_append_only():
    event = make_application().events.get()
    event.reason = "改写历史"
    with pytest.raises(AppendOnlyError, match="只能新增"):
        event.save()
    with pytest.raises(AppendOnlyError, match="不能删除"):
        event.delete()
    assert str(event) == "新建 → 草稿"

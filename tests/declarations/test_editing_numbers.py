"""Editing a stored number through the editing door: the store keeps 108.6 as a JSON number, the
page shows it with the form's 2 decimals ("108.60") and sends that back as the value the editor
saw. The two are the same value, so the editor's change is applied, never reported as a conflict
(the browser test covers the same path through the page)."""

from decimal import Decimal

import pytest

from clusterdesk.declarations.domain.editing import Change, Conflict, save_changes
from clusterdesk.declarations.domain.values import same
from clusterdesk.declarations.models import Application
from tests.factories import make_application

pytestmark = pytest.mark.django_db

PATH = "part2.total_output.2021"


def with_output(officer):
    """A draft whose 集群总产值 2021 is stored as the number 108.6."""
    data = {"part1": {"cluster_name": "测试产业集群"}, "part2": {"total_output": {"2021": 108.6}}}
    application = make_application(officer=officer, data=data)
    assert stored_output(application) == 108.6
    return application


def stored_output(application):
    return Application.objects.get(pk=application.pk).data["part2"]["total_output"]["2021"]


def test_a_number_shown_with_two_decimals_is_changed_without_a_conflict(county_officer):
    application = with_output(county_officer)
    result = save_changes(application, [Change(PATH, "109.25", "108.60")], county_officer)
    assert result.conflicts == []
    assert result.applied == [PATH]
    assert stored_output(application) == 109.25


def test_saving_the_shown_value_again_changes_nothing(county_officer):
    # The page sends a box as it shows it, e.g. after a blur without typing.
    application = with_output(county_officer)
    version = application.version
    result = save_changes(application, [Change(PATH, "108.60", "108.60")], county_officer)
    assert (result.applied, result.conflicts) == ([PATH], [])
    assert result.version == version  # no new version, no revision
    assert stored_output(application) == 108.6


def test_another_value_than_the_stored_one_is_still_a_conflict(county_officer):
    # The comparison is by value, not lenient: 108.50 is not what is stored.
    application = with_output(county_officer)
    result = save_changes(application, [Change(PATH, "109.25", "108.50")], county_officer)
    assert result.applied == []
    assert result.conflicts == [Conflict(PATH, "109.25", 108.6)]
    assert stored_output(application) == 108.6


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (108.6, "108.60"),
        ("108.60", "108.6"),
        (108.6, Decimal("108.600")),
        (120, "120.00"),
        ("-0.50", -0.5),
    ],
)
def test_same_number_in_other_spellings(a, b):
    assert same(a, b)
    assert same(b, a)


@pytest.mark.parametrize(("a", "b"), [(108.6, "108.61"), (108.6, "1086"), (108.6, None)])
def test_different_numbers(a, b):
    assert not same(a, b)

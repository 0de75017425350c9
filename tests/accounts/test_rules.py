import pytest

from clusterdesk.accounts.enums import OrganisationKind as Kind
from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.rules import organisation_problem


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.COUNTY_OFFICER, Kind.COUNTY),
        (Role.COUNTY_OFFICER, Kind.COMMITTEE),
        (Role.CITY_OFFICER, Kind.CITY_BUREAU),
        (Role.EXPERT, Kind.EXPERT_POOL),
        (Role.EXPERT, None),
        (Role.ADMIN, None),
        (Role.ADMIN, Kind.CITY_BUREAU),
    ],
)
def test_allowed(role, kind):
    assert organisation_problem(role, kind) is None


@pytest.mark.parametrize(
    ("role", "kind", "message"),
    [
        (Role.COUNTY_OFFICER, None, "“区县经信部门”用户必须指定所属单位。"),
        (Role.CITY_OFFICER, None, "“市经信局”用户必须指定所属单位。"),
        (Role.COUNTY_OFFICER, Kind.CITY_BUREAU, "所属单位必须是"),
        (Role.COUNTY_OFFICER, Kind.EXPERT_POOL, "所属单位必须是"),
        (Role.CITY_OFFICER, Kind.COUNTY, "所属单位必须是：市经信局"),
        (Role.EXPERT, Kind.COUNTY, "所属单位必须是：专家库"),
        ("minister", None, "未知角色"),
    ],
)
def test_refused_with_a_chinese_reason(role, kind, message):
    problem = organisation_problem(role, kind)
    assert problem is not None
    assert message in problem

"""Every rule of accounts.permissions for every kind of user, generated from one table.

``EXPECTED`` says, per rule and object, who may; the test walks every declared rule (a rule
without a row here fails) and every role, plus the users that must always be refused (signed out,
deactivated). The SQL twin of ``application.view``,
``visible_applications``, must select exactly what the rule allows.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from clusterdesk.accounts.permissions import RULES, may, refusal
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState as S
from tests.factories import (
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
)
from tests.roles import ROLES, user_for

pytestmark = pytest.mark.django_db

EVERYONE_SIGNED_IN = {"county", "other_county", "city", "expert", "admin"}
# rule → object → the roles that may. Objects: None, or an application of ``county``'s unit.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "application.view": {"draft": {"county", "city", "admin"}},
    "application.create": {"none": {"county", "other_county"}},
    "application.edit": {
        "draft": {"county"},
        "returned": {"county"},
        "submitted": set(),
        "deleted": set(),
    },
    "application.delete": {"draft": {"county"}, "returned": set(), "deleted": set()},
    "application.restore": {"none": {"city"}, "deleted": {"city"}, "draft": set()},
    "county.work": {"none": {"county", "other_county"}},
    "county.dashboard": {"none": EVERYONE_SIGNED_IN - {"expert"}},
    "round.manage": {"none": {"city", "admin"}},
    "intake.desk": {"none": {"city", "admin"}},
    "intake.decide": {"none": {"city"}},
    "comment.write": {"submitted": {"city"}, "draft": set(), "returned": set()},
    "comment.reply": {"returned": {"county"}, "submitted": set(), "draft": set()},
    "comment.close": {"submitted": {"city"}, "returned": {"city"}},
    "intake.overlap_dismiss": {"none": {"city"}},
    "exports.use": {"none": {"city", "admin"}},
    "round.thresholds": {"none": {"city"}},
    "notification.list": {"none": EVERYONE_SIGNED_IN},
    "scoring.expert": {"none": {"expert"}},
    "scoring.view": {"none": {"city", "admin"}},
    "scoring.manage": {"none": {"city"}},
    # The expert review: the city bureau manages; an expert needs a profile in the pool, which
    # the plain expert user here lacks (tests/review check an expert with one).
    "review.manage": {"none": {"city"}},
    "review.expert": {"none": set()},
    # The registry: the city bureau and admins read it; 发文 and 择优推荐 are the city's acts.
    "registry.view": {"none": {"city", "admin"}},
    "registry.manage": {"none": {"city"}},
    # 撤销认定: the city decides, admins read; one revocation's 通报 (the object the revoked
    # application) also the county whose cluster it was.
    "revocation.view": {"none": {"city", "admin"}},
    "revocation.manage": {"none": {"city"}},
    "revocation.notice": {"draft": {"county", "city", "admin"}},
    # 年度报告: a county its own clusters' reports (scoped in the queries), the city reviews,
    # admins read.
    "monitoring.county": {"none": {"county", "other_county"}},
    "monitoring.view": {"none": {"city", "admin"}},
    "monitoring.manage": {"none": {"city"}},
    # 现场答辩 and 实地走访: the city arranges and records, admins read; a county its own slots,
    # an expert the slots of their open assignments (both scoped in the queries).
    "hearings.view": {"none": {"city", "admin"}},
    "hearings.manage": {"none": {"city"}},
    "hearings.county": {"none": {"county", "other_county"}},
    "hearings.expert": {"none": {"expert"}},
    # 会审与公示: the city decides, starts the 公示 and handles objections; admins read.
    "publicity.read": {"none": {"city", "admin"}},
    "publicity.decide": {"none": {"city"}},
    # 复核: the city opens it and decides 限期整改 / 撤销; admins read.
    "recheck.view": {"none": {"city", "admin"}},
    "recheck.manage": {"none": {"city"}},
    # 目标跟踪: the city's dashboard, lagging list and report (admins read), thresholds the
    # city's; one cluster's page also its county (scoped in the query); a county's overview.
    "tracking.view": {"none": {"city", "admin"}},
    "tracking.manage": {"none": {"city"}},
    "tracking.cluster": {"none": {"county", "other_county", "city", "admin"}},
    "tracking.county": {"none": {"county", "other_county"}},
}


@pytest.fixture
def world():
    home = make_county_officer().organisation
    users = {role: user_for(role, home) or AnonymousUser() for role in ROLES}
    applications = {
        "draft": make_application(officer=users["county"]),
        "returned": make_application(officer=users["county"], path=(S.SUBMITTED, S.RETURNED)),
        "submitted": make_application(officer=users["county"], path=(S.SUBMITTED,)),
        "deleted": make_application(officer=users["county"], path=(S.DELETED,)),
        "none": None,
    }
    return users, applications


def test_every_rule_has_expectations():
    assert set(RULES) == set(EXPECTED)


@pytest.mark.parametrize("rule_name", sorted(EXPECTED))
def test_each_rule_for_each_role(world, rule_name):
    users, applications = world
    for obj_name, allowed in EXPECTED[rule_name].items():
        for role in ROLES:
            user, obj = users[role], applications[obj_name]
            if role == "anonymous" and rule_name not in (
                "application.view",
                "round.manage",
                "round.thresholds",
            ):
                continue  # the views send the signed-out to the login page before asking
            answer = refusal(rule_name, user, obj)
            assert (answer is None) == (role in allowed), (rule_name, obj_name, role, answer)
            if answer is not None:
                assert any("\u4e00" <= char <= "\u9fff" for char in answer)  # said in Chinese


@pytest.mark.parametrize("rule_name", sorted(EXPECTED))
def test_deactivated_users_are_refused(world, rule_name):
    _, applications = world
    obj = next(iter(applications[name] for name in EXPECTED[rule_name]))
    for user in (
        make_county_officer(is_active=False),
        make_city_officer(is_active=False),
        make_admin(is_active=False),
    ):
        assert refusal(rule_name, user, obj) == "您的账户已停用。"


def test_the_refusal_says_the_first_reason(world):
    users, applications = world
    assert refusal("application.edit", users["other_county"], applications["submitted"]) == (
        "只有本单位的区县经信部门可以修改该申报。"
    )
    assert refusal("application.edit", users["county"], applications["submitted"]) == (
        "申报当前为“已提交”，不能修改；被退回后方可修改。"
    )


def test_visible_applications_selects_what_the_view_rule_allows(world):
    users, applications = world
    other = make_application(officer=users["other_county"])
    every = [*(app for app in applications.values() if app), other]
    for role in ROLES:
        user = users[role]
        by_rule = {app.pk for app in every if may("application.view", user, app)}
        by_query = set(visible_applications(user).values_list("pk", flat=True))
        assert by_query == by_rule, role


def test_templates_ask_the_same_rules(world):
    users, _ = world
    template = Template('{% load permissions %}{% may "county.work" as ok %}{{ ok|yesno:"y,n" }}')
    assert template.render(Context({"user": users["county"]})) == "y"
    assert template.render(Context({"user": users["city"]})) == "n"
    assert template.render(Context({"user": AnonymousUser()})) == "n"

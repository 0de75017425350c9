"""What each role finds of the review chain in the demo (issue 11, "Demo data"), read through the
pages as they would: the experts' tasks on /scoring/ (the conflicted expert kept out and refused
by hand), the ranking with its disagreement flag, the defences and the site visits, the 公示
running today with its objections, the public pages, and the registry of the 2022 round."""

import datetime as dt
import re

import pytest
from django.test import Client

from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.demo import chain, earlier
from clusterdesk.demo.experts import CONFLICT_COUNTERPART, CONFLICTED, EXPERTS
from clusterdesk.demo.seed import DEMO_APPLICATIONS, DEMO_PASSWORD, DemoApplication
from clusterdesk.demo.timeline import earlier_shift
from clusterdesk.hearings.models import DefenceSlot, SiteVisit
from clusterdesk.publicity.models import Objection, Publicity
from clusterdesk.registry.models import Certification
from clusterdesk.review.enums import AssignmentStatus, PhaseStatus
from clusterdesk.review.models import Assignment, ExpertProfile, ReviewPhase
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.models import ScoreSheet

pytestmark = pytest.mark.django_db

FIRST = {county: DemoApplication(county).cluster_name for county, *_ in chain.FIRST_BATCH}
SECOND = {
    county: next(d for d in DEMO_APPLICATIONS if d.county == county).cluster_name
    for county in chain.SECOND_BATCH
}
PROPOSED = [FIRST[county] for county, _, proposed in chain.FIRST_BATCH if proposed]
REFUSED = [FIRST[county] for county, _, proposed in chain.FIRST_BATCH if not proposed]
EARLIER = [demo.cluster_name for demo, _ in earlier.CLUSTERS]


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


def text(html: str) -> str:
    """The page as read: tags dropped, white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rounds() -> tuple[Round, Round]:
    return Round.objects.get(name="2023年度"), Round.objects.get(name=earlier.ROUND_NAME)


def second_phase() -> ReviewPhase:
    return ReviewPhase.objects.get(name=chain.SECOND_PHASE_NAME)


def test_eight_experts_in_the_pool_with_their_fields_and_one_declared_conflict(world):
    listed = text(page(logged_in("city"), "/review/experts/"))
    for expert in EXPERTS:
        assert expert.name in listed
        assert expert.organisation in listed
    assert f"{CONFLICT_COUNTERPART}（顾问，至今）" in listed
    own = text(page(logged_in(CONFLICTED), "/review/conflicts/"))  # the expert's register
    assert CONFLICT_COUNTERPART in own
    profile = ExpertProfile.objects.get(user__username=CONFLICTED)
    (declared,) = profile.conflicts.all()
    assert (declared.counterpart, declared.relation, declared.ended_on) == (
        CONFLICT_COUNTERPART,
        "顾问",
        None,
    )


def test_an_expert_lands_on_their_tasks_of_the_open_phase(world):
    response = Client().post(
        "/accounts/login/", {"username": "expert1", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/scoring/"
    tasks = text(response.content.decode())
    assert "评审任务" in tasks
    for name in SECOND.values():
        assert name in tasks  # expert1 reviews both applications of the second batch
    assert chain.SECOND_PHASE_NAME in tasks
    for name in [*FIRST.values(), *EARLIER]:
        assert name not in tasks  # closed phases: nothing to see
    assert "草稿" in tasks or "已保存" in tasks  # the sheet expert1 began


def test_an_expert_sees_the_application_beside_the_sheet_but_no_other_experts_scores(world):
    mine = Assignment.objects.filter(
        phase=second_phase(), expert__username="expert1", status=AssignmentStatus.ACTIVE
    ).first()
    html = page(logged_in("expert1"), f"/scoring/sheets/{mine.pk}/")
    assert mine.application.cluster_name in html
    submitted = ScoreSheet.objects.filter(
        assignment__phase=second_phase(), status="submitted"
    ).exclude(assignment__expert__username="expert1")
    assert submitted.exists()  # others have submitted — and expert1 does not see by whom
    for sheet in submitted:
        assert sheet.assignment.expert.expert_profile.name not in html


def test_the_conflicted_expert_is_kept_out_of_fenghua_and_refused_by_hand(world):
    fenghua = Application.objects.get(listed_name=SECOND["奉化区"])
    phase = second_phase()
    conflicted = User.objects.get(username=CONFLICTED)
    assert not Assignment.objects.filter(phase=phase, application=fenghua, expert=conflicted)
    assert (
        Assignment.objects.filter(
            phase=phase, application=fenghua, status=AssignmentStatus.ACTIVE
        ).count()
        == 5
    )
    # The city tries to add them by hand: refused, with the reason.
    response = logged_in("city").post(
        f"/review/phases/{phase.pk}/assignments/add/",
        {"application": fenghua.pk, "expert": conflicted.pk, "reason": "补充模具领域专家"},
        follow=True,
    )
    refused = text(response.content.decode())
    assert "须回避" in refused
    assert CONFLICT_COUNTERPART in refused
    assert not Assignment.objects.filter(phase=phase, application=fenghua, expert=conflicted)
    # The expert has no way to it: no task on /scoring/.
    assert SECOND["奉化区"] not in text(page(logged_in(CONFLICTED), "/scoring/"))


def test_one_expert_recused_and_was_replaced(world):
    yinzhou = Application.objects.get(listed_name=SECOND["鄞州区"])
    assignments = Assignment.objects.filter(phase=second_phase(), application=yinzhou)
    (recused,) = assignments.filter(status=AssignmentStatus.RECUSED)
    assert recused.recusal_reason == chain.RECUSAL_REASON
    assert assignments.filter(status=AssignmentStatus.ACTIVE).count() == 5
    assert assignments.filter(why__startswith="补充分配").count() == 1
    board = text(page(logged_in("city"), f"/review/phases/{second_phase().pk}/assignments/"))
    assert "已回避" in board


def test_the_ranking_shows_the_trimmed_mean_and_the_disagreement_flag(world):
    round_, _ = rounds()
    html = page(logged_in("city"), f"/scoring/rounds/{round_.pk}/ranking/")
    ranking = text(html)
    positions = [ranking.index(name) for name in FIRST.values()]
    assert positions == sorted(positions)  # in the batch's order of levels
    flagged = re.findall(r'<tr class="disagreement-row">.*?</tr>', html, re.S)
    assert len(flagged) == 1
    assert FIRST[chain.DISSENT_COUNTY] in flagged[0]
    assert "专家意见分歧" in ranking
    assert "实地走访：部分属实" in ranking  # the 大榭 visit
    for name in SECOND.values():
        assert name not in ranking  # still being scored


def test_defences_held_and_scheduled_and_a_county_sees_its_own(world):
    round_, _ = rounds()
    held = DefenceSlot.objects.filter(phase__round=round_, record__isnull=False)
    assert held.count() == len(chain.FIRST_BATCH)
    coming = DefenceSlot.objects.filter(phase=second_phase())
    assert coming.count() == 2
    assert all(slot.starts_at.date() > dt.date(2023, 4, 10) for slot in coming)
    schedule = text(page(logged_in("city"), f"/hearings/rounds/{round_.pk}/"))
    for name in [*FIRST.values(), *SECOND.values()]:
        assert name in schedule
    own = text(page(logged_in("yinzhou"), "/hearings/my/"))
    assert SECOND["鄞州区"] in own
    assert SECOND["奉化区"] not in own


def test_site_visits_recorded_with_their_conclusions(world):
    visits = {
        visit.application.cluster_name: visit.get_conclusion_display()
        for visit in SiteVisit.objects.select_related("application")
    }
    assert visits == {FIRST["余姚市"]: "属实", FIRST["宁波大榭开发区"]: "部分属实"}


def test_the_decision_proposed_three_and_the_county_reads_why_the_fourth_was_refused(world):
    states = {name: Application.objects.get(listed_name=name).state for name in FIRST.values()}
    assert states == {
        name: S.PROPOSED if name in PROPOSED else S.REJECTED for name in FIRST.values()
    }
    (refused,) = REFUSED
    application = Application.objects.get(listed_name=refused)
    timeline = text(page(logged_in("dongqianhu"), f"/applications/{application.pk}/timeline/"))
    assert chain.REJECT_REASON in timeline
    assert "专家意见分歧" not in timeline  # a county never sees scores or flags


def test_the_gongshi_runs_over_today_on_the_public_page_with_its_objections(world):
    round_, _ = rounds()
    publicity = Publicity.objects.get(round=round_)
    assert publicity.starts_on <= dt.date(2023, 4, 10) <= publicity.ends_on  # the tests' today
    public = text(page(Client(), "/gongshi/"))
    for name in PROPOSED:
        assert name in public
    for name in [*REFUSED, *SECOND.values()]:
        assert name not in public
    assert chain.PUBLICITY_CONTACT in public
    assert "林国栋" not in public  # objections are the city's, not the public page's
    signed, anonymous = Objection.objects.order_by("-signed", "pk")
    assert signed.signed
    assert signed.steps.count() == 1  # investigation notes, no outcome yet
    assert not anonymous.signed
    assert "匿名" in anonymous.not_accepted_reason
    detail = text(page(logged_in("city"), f"/publicity/{publicity.pk}/"))
    assert "林国栋" in detail
    assert "不予受理" in detail


def test_the_earlier_round_is_closed_and_its_clusters_are_certified(world):
    _, previous = rounds()
    assert previous.status == RoundStatus.CLOSED
    certified = Certification.objects.select_related("publication", "application")
    assert sorted(c.application.cluster_name for c in certified) == sorted(EARLIER)
    for certification in certified:
        assert certification.publication.document_number == earlier.DOCUMENT_NUMBER
        assert certification.valid_until.year == certification.valid_from.year + 3
    assert all(phase.status == PhaseStatus.CLOSED for phase in previous.review_phases.all())
    public = text(page(Client(), "/certified/"))
    for name in EARLIER:
        assert name in public
    assert earlier.DOCUMENT_NUMBER in public


def test_the_registry_lists_the_2022_clusters_and_filters_them(world):
    city = logged_in("city")
    everything = text(page(city, "/registry/"))
    for name in EARLIER:
        assert name in everything
    assert "有效" in everything
    cixi = User.objects.get(username="cixi").organisation
    one = text(page(city, f"/registry/?organisation={cixi.pk}"))
    assert EARLIER[2] in one
    assert EARLIER[0] not in one
    by_industry = text(page(city, "/registry/?leading=家电模具"))
    assert EARLIER[2] in by_industry
    assert EARLIER[1] not in by_industry
    assert EARLIER[0] not in text(page(city, "/registry/?status=due"))


def test_a_demo_seeded_late_moves_the_earlier_round_so_its_clusters_stay_valid():
    assert earlier_shift(dt.date(2023, 4, 10)) == 0  # the official dates
    # 2024: two years before, valid to 2027-09-25 (due for 复核 within the coming year)
    assert earlier_shift(dt.date(2026, 12, 1)) == 2
    assert earlier_shift(dt.date(2026, 9, 26)) == 2
    assert earlier_shift(dt.date(2026, 9, 25)) == 1  # a day short of two years after 2024's

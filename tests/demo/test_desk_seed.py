"""The demo shows the city's desk at work: an application accepted with its paper set and
formal check, one returned, corrected and resubmitted (a diff to read), one returned with comments
at two fields and the county's replies, a paper set received and one missing, and a pair of
applications sharing a copied passage — and nothing else flagged."""

import datetime as dt

import pytest

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.comments import comments_of, open_counts
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, CommentStatus, Submission
from clusterdesk.demo.seed import (
    COMMENT_REASON,
    COPIED_PATH,
    COPY_SOURCE,
    DEMO_APPLICATIONS,
    FIELD_COMMENTS,
    PLAN_PASSAGE,
    RECEIVED_BY,
    RESUBMIT_CORRECTIONS,
    RESUBMIT_REASON,
    ROUND_NAME,
    _place,
)
from clusterdesk.form.diff import diff_forms
from clusterdesk.form.overlap import FlagKind, OverlapIndex
from clusterdesk.intake.domain.desk import desk
from clusterdesk.intake.domain.formal import DEFAULT_ITEMS
from clusterdesk.intake.domain.overlap_flags import flags_for, of_round
from clusterdesk.intake.models import FormalCheck, OverlapFlag, PaperReceipt
from clusterdesk.rounds.models import Round

pytestmark = pytest.mark.django_db

COPIER = "宁波杭州湾新区"
COMMENTED = "宁波国家高新区"


def _app(county: str) -> Application:
    """The 2023 round's desk application of ``county`` (``DEMO_APPLICATIONS``)."""
    demo = next(d for d in DEMO_APPLICATIONS if d.county == county)
    return Application.objects.get(round__name=ROUND_NAME, listed_name=demo.cluster_name)


def _submissions(application: Application) -> list[Submission]:
    return list(application.submissions.order_by("submitted_at", "pk"))


@pytest.fixture
def seeded(world):
    return User.objects.get(username="city")


def _every_demo_application_in_its_state():
    states = {demo.county: _app(demo.county).state for demo in DEMO_APPLICATIONS}
    assert states == {
        "海曙区": S.DRAFT,
        "江北区": S.SUBMITTED,
        "镇海区": S.RETURNED,
        "鄞州区": S.UNDER_REVIEW,
        "奉化区": S.UNDER_REVIEW,
        "慈溪市": S.SUBMITTED,
        COPIER: S.SUBMITTED,
        COMMENTED: S.RETURNED,
    }
    assert len(states) == len(DEMO_APPLICATIONS)
    for application in Application.objects.all():
        assert application.events.last().to_state == application.state


def _accepted_with_its_paper_set_received_and_its_formal_check_passed():
    app = _app(COPY_SOURCE)
    (submission,) = _submissions(app)
    receipt = PaperReceipt.objects.get(application=app)
    assert (receipt.originals, receipt.copies, receipt.received_by) == (2, 3, RECEIVED_BY)
    assert receipt.submission == submission
    assert receipt.matches is True
    assert receipt.package_sha256 == submission.data_sha256
    check = FormalCheck.objects.get(application=app)
    assert check.passed
    assert [item["id"] for item in check.items] == [item["id"] for item in DEFAULT_ITEMS]
    assert all(item["passed"] and item["explanation"] for item in check.items)
    assert check.submission == submission
    accepted = app.events.get(to_state=S.UNDER_REVIEW)
    assert accepted.actor.role == Role.CITY_OFFICER
    assert accepted.reason.startswith("形式审查：通过")
    assert receipt.at <= check.at  # the test's clock stands still: equal here


def _resubmitted_after_a_return_with_both_corrections_in_the_diff():
    app = _app("慈溪市")
    history = list(app.events.order_by("pk").values_list("to_state", "actor__role", "reason"))
    assert history == [
        (S.DRAFT, Role.COUNTY_OFFICER, ""),
        (S.SUBMITTED, Role.COUNTY_OFFICER, ""),
        (S.RETURNED, Role.CITY_OFFICER, RESUBMIT_REASON),
        (S.SUBMITTED, Role.COUNTY_OFFICER, ""),
    ]
    returned, resubmitted = _submissions(app)
    assert returned.data_sha256 != resubmitted.data_sha256
    diff = diff_forms(returned.data, resubmitted.data, form_definition(app))
    assert [change.path for change in diff.changes] == [p for p, _ in RESUBMIT_CORRECTIONS]
    for change, (_, value) in zip(diff.changes, RESUBMIT_CORRECTIONS, strict=True):
        assert change.kind == "修改"
        assert change.old
        assert change.new != change.old
        assert str(value).rstrip("0") in change.new.replace(",", "")
    assert not PaperReceipt.objects.filter(application=app).exists()


def _one_paper_set_received_and_one_missing_after_the_deadline(seeded, clock_at):
    round_ = Round.objects.get(name=ROUND_NAME)
    lines = {line.unit.county: line for line in desk(seeded, round_).lines}
    assert (lines[COPY_SOURCE].paper_due, lines[COPY_SOURCE].paper_received) == (1, 1)
    assert (lines["慈溪市"].paper_due, lines["慈溪市"].paper_missing) == (1, 1)
    assert lines[COPY_SOURCE].accepted == 1
    # Before the deadline nothing is late: the flag waits for it.
    before = desk(seeded, round_)
    assert not any(before.paper_missing(line) for line in before.lines)
    clock_at(round_.submission_deadline + dt.timedelta(days=1))
    after = desk(seeded, round_)
    flagged = {line.unit.county for line in after.lines if after.paper_missing(line)}
    assert "慈溪市" in flagged
    assert COPY_SOURCE not in flagged


def _only_the_copied_passage_is_flagged_by_the_core_index():
    """The demo's applications, indexed as submitted, raise one flag: the copied 发展规划
    passage between the pair (no shared patent, standard, enterprise or platform)."""
    index = OverlapIndex()
    for app in Application.objects.exclude(state=S.DRAFT).order_by("pk"):
        index.add(str(app.pk), app.organisation.county, _submissions(app)[-1].data)
    (flag,) = index.flags
    assert flag.kind == FlagKind.TEXT
    assert (flag.earlier.label, flag.later.label) == (COPY_SOURCE, COPIER)
    assert flag.earlier.place == flag.later.place
    assert "发展规划" in flag.earlier.place
    source = _app(COPY_SOURCE).data
    assert COPIED_PATH == "part8.key_tasks"
    assert PLAN_PASSAGE.format(place=_place(COPY_SOURCE)) in source["part8"]["key_tasks"]
    assert flag.later.place.endswith("重点任务")
    assert len(flag.later.text) >= 100
    assert "共建共享五轴加工" in flag.later.text


def _returned_with_two_field_comments_and_the_countys_replies():
    app = _app(COMMENTED)
    officer = User.objects.get(organisation=app.organisation)
    assert app.events.last().reason == COMMENT_REASON
    # What the county reads: both comments, published with the return, at their fields.
    comments = comments_of(app, officer)
    assert [c.path for c in comments] == [path for path, *_ in FIELD_COMMENTS]
    for comment, (_, text, answer, answered, value) in zip(comments, FIELD_COMMENTS, strict=True):
        assert comment.text == text
        assert comment.returned_with == app.events.last()
        assert comment.place  # the official label, never the path
        assert comment.path not in comment.place
        (written,) = comment.replies.all()
        assert (written.text, written.answered, written.author) == (answer, answered, officer)
        assert comment.status == (CommentStatus.ANSWERED if answered else CommentStatus.OPEN)
        if value is not None:  # the county corrected the field it answered
            assert app.data["part8"]["safeguards"] == value
    assert open_counts([app.pk]) == {app.pk: 1}  # one still waits for the county
    # No other county sees them.
    stranger = User.objects.get(username="jiangbei")
    assert comments_of(app, stranger) == []


def _the_desks_cross_check_holds_the_copied_pair_and_nothing_else(city):
    round_ = Round.objects.get(name=ROUND_NAME)
    (flag,) = of_round(flags_for(city), round_)
    assert flag.kind == FlagKind.TEXT.value
    assert (flag.earlier, flag.later) == (_app(COPY_SOURCE), _app(COPIER))
    assert "发展规划" in flag.later_place
    assert "共建共享五轴加工" in flag.later_text
    assert OverlapFlag.objects.count() == 1
    # A county sees no flag (the desk is the city's).
    assert not flags_for(User.objects.get(username="fenghua")).exists()


# The seed takes a while (every application's evidence is uploaded and checked like an
# officer's), so one seeded database serves each group of checks.


def test_the_desk_at_work_in_the_demo(seeded, clock_at):
    _every_demo_application_in_its_state()
    _accepted_with_its_paper_set_received_and_its_formal_check_passed()
    _resubmitted_after_a_return_with_both_corrections_in_the_diff()
    _returned_with_two_field_comments_and_the_countys_replies()
    _one_paper_set_received_and_one_missing_after_the_deadline(seeded, clock_at)  # moves the clock


def test_only_the_copied_pair_is_flagged_across_the_demo(seeded):
    _only_the_copied_passage_is_flagged_by_the_core_index()
    _the_desks_cross_check_holds_the_copied_pair_and_nothing_else(seeded)

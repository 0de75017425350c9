"""Every URL of the project for every role: who gets what, and that no county sees another's data.

The table ``ACCESS`` has one entry per URL name; ``test_every_url_is_in_the_table`` walks the
URL resolver and fails, naming it, for any URL without an entry (only Django's admin, which has
its own permission checks and gets one request per role below, is left out). Each entry says how
to build its URL from ``World`` — two counties, each with an application and evidence on file —
and the outcome for each role on GET and, where the view takes POST, on POST.

Beyond the status code, every answer is read (HTML, JSON, and the text inside .docx/.xlsx/.zip
downloads and their file names) and must not contain another county's cluster name or evidence
file name; lists (``shows=MINE``) must show the caller's own; a refused request, and any GET,
must leave the database as it was. The per-feature tests go deeper into each view; this one
guarantees that no view is forgotten.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clusterdesk.county.domain import documents as county_documents
from clusterdesk.county.domain.imports import import_word
from clusterdesk.declarations.domain.comments import add_comment
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Comment, CommentReply, SummaryHeader
from clusterdesk.declarations.permissions import EDITABLE_STATES
from clusterdesk.declarations.workflow import transition
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.exports.domain import jobs as export_jobs
from clusterdesk.exports.models import Export, ExportKind
from clusterdesk.form.example import example_application
from clusterdesk.form.overlap import FlagKind
from clusterdesk.form.schema import Application as FormApplication
from clusterdesk.hearings.domain import schedule as hearings_schedule
from clusterdesk.intake.models import OverlapFlag
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round
from tests.declarations.county_world import World as CountyWorld
from tests.declarations.county_world import make_world
from tests.evidence import samples
from tests.factories import PASSWORD, make_application, make_round
from tests.hearings.world import hearings_for
from tests.monitoring.world import certification_of, major_change_case, submitted_report
from tests.publicity.world import publicity_world
from tests.recheck.world import matrix_world as recheck_matrix_world
from tests.registry.world import certify, recommended
from tests.review.world import review_world
from tests.revocation.world import revoked
from tests.rounds.test_views import edit_post, valid_post
from tests.scoring.world import full_sheet as full_score_sheet
from tests.scoring.world import matrix_world as scoring_matrix_world
from tests.scoring.world import rubric_post as scoring_rubric_post

pytestmark = pytest.mark.django_db

# Django's admin checks is_staff itself (see test_the_admin_site_is_for_admins_only); static
# files are not views of ours. The open API takes a token, not a session: its own matrix,
# tests/api/test_access.py, reads every route from the ninja API and checks it for every role.
EXCLUDED_PREFIXES = ("admin/", "api/", settings.STATIC_URL.lstrip("/"))
EVIDENCE_PATH = "part2.chain_map"
# The evidence each county uploads, by the cluster name ``make_world`` gives its application.
EVIDENCE_NAMES = {
    "本县模具产业集群": "本县产业链图谱.pdf",
    "他县纺织产业集群": "他县产业链图谱.png",
}

# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    county: CountyWorld  # round, users per role, ``application`` (own) and ``other_application``
    own_sha: str  # evidence on file for the own county's application
    closed_round: Round
    docx: bytes  # a filled Attachment 2, for the Word import

    @property
    def own(self) -> Application:
        return self.county.application

    def markers(self, application: Application) -> tuple[str, ...]:
        """Text that only a page or document showing ``application``'s data contains: its
        cluster name and the name of the evidence file uploaded for it."""
        return (application.cluster_name, EVIDENCE_NAMES[application.cluster_name])


@pytest.fixture(scope="module")
def docx() -> bytes:
    return render_attachment2(example_application())


@pytest.fixture
def world(settings, tmp_path, monkeypatch, docx) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLUSTERDESK_EXPORT_DIR = tmp_path / "exports"
    # Access, not LibreOffice, is under test here (tests/documents cover the conversion).
    monkeypatch.setattr(county_documents, "attachment2_pdf", lambda application: b"%PDF-1.4\n")
    monkeypatch.setattr(hearings_schedule, "schedule_pdf", lambda round_: b"%PDF-1.4\n")
    county = make_world()
    own, other = county.application, county.other_application
    for application, content, user in (
        (own, samples.PDF, county.own),
        (other, samples.png(), county.other_county),
    ):
        name = EVIDENCE_NAMES[application.cluster_name]
        upload_evidence(application, EVIDENCE_PATH, [_file(name, content)], user)
    return World(
        county=county,
        own_sha=hashlib.sha256(samples.PDF).hexdigest(),
        closed_round=make_round(status=RoundStatus.CLOSED),
        docx=docx,
    )


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- expected outcomes -------------------------------------------------------------------------

LOGIN = "login"  # a redirect to the login page, with ?next=
Outcome = int | str
REFUSALS = (LOGIN, 401, 403, 404, 405)

# What the page shows, checked on a 200: the target application (the own county's), or the
# caller's own applications (a county: its own; the city bureau and admins: every county's).
# Checked on GET (a POST may rename the application).
TARGET = "target"
MINE = "mine"


@dataclass(frozen=True)
class By:
    """One outcome per role, in the order of the table's header comment."""

    anonymous: Outcome
    own: Outcome  # an officer of the county the target application belongs to
    other_county: Outcome  # an officer of another county
    city: Outcome  # the city bureau
    expert: Outcome
    admin: Outcome


ROLES = tuple(field.name for field in fields(By))


def _none(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Entry:
    get: By
    post: By | None = None  # None: the view does not take POST
    kwargs: Callable[[World], dict[str, Any]] = _none  # the URL's arguments
    body: Callable[[World], dict[str, Any]] = _none  # keyword arguments of client.post
    shows: str | None = None  # TARGET or MINE


def _application(world: World) -> dict[str, Any]:
    return {"pk": world.own.pk}


def _submission(world: World) -> dict[str, Any]:
    """The own application submitted, and its snapshot (once: some tests build every row's URL
    on one world)."""
    world.own.refresh_from_db()
    if world.own.state != ApplicationState.SUBMITTED:
        transition(world.own, ApplicationState.SUBMITTED, world.county.own)
    return {"pk": world.own.pk, "submission_id": world.own.submissions.latest("pk").pk}


def _deleted(world: World) -> dict[str, Any]:
    """A draft of the own county, deleted by it (a second one: the own application may already
    have moved on when several rows share one world)."""
    draft = make_application(
        round_=world.county.round,
        officer=world.county.own,
        cluster_name="本县模具产业集群",
        path=(ApplicationState.DELETED,),
    )
    return {"pk": draft.pk}


def _notification(world: World) -> dict[str, Any]:
    """A notification to the own county's officer about its application."""
    notice = Notification.objects.create(
        recipient=world.county.own,
        kind=NotificationKind.ACCEPTED,
        application=world.own,
        title=f"申报“{world.own.cluster_name}”已受理审核",
    )
    return {"pk": notice.pk}


def _overlap_flag(world: World) -> int:
    """A flag between the own and the other county's application (a patent claimed by both;
    once: some tests build every row's URL on one world)."""
    flag = OverlapFlag.objects.filter(earlier=world.own).first()
    if flag is None:
        flag = OverlapFlag.objects.create(
            kind=FlagKind.PATENT,
            value="202010123456.7",
            earlier=world.own,
            later=world.county.other_application,
            earlier_place="三、创新能力情况 · 有效发明专利清单 · 第1行",
            earlier_text="ZL202010123456.7",
            later_place="三、创新能力情况 · 有效发明专利清单 · 第2行",
            later_text="ZL 2020 1 0123456.7",
            signature="0" * 64,
            found_at=timezone.now(),
        )
    return flag.pk


def _published_comment(world: World) -> dict[str, Any]:
    """A comment of the city on the own application, sent to the county with a return."""
    _submission(world)
    comment = add_comment(world.own, world.county.city, EVIDENCE_PATH, "请补充产业链图谱的出处")
    transition(world.own, ApplicationState.RETURNED, world.county.city, reason="请按批注修改")
    return {"pk": comment.pk}


def _evidence(world: World) -> dict[str, Any]:
    return {"application_id": world.own.pk}


def _export(world: World) -> dict[str, Any]:
    """A finished export of the city officer's (the inbox list, built as the worker would)."""
    export = Export.objects.create(
        user=world.county.city,
        round=world.county.round,
        kind=ExportKind.INBOX_XLSX,
        file_name="收件箱.xlsx",
    )
    export_jobs.run(export.pk)
    return {"pk": export.pk}


def _form(data: dict[str, Any]) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"data": data}


def _imported(world: World) -> dict[str, Any]:
    """The own application after a Word import into it: the version to restore from (the
    application as it is when it may no longer be edited, e.g. deleted by another row's setup)."""
    if world.own.state in EDITABLE_STATES:
        own_form = render_attachment2(FormApplication.model_validate(world.own.data))
        import_word(own_form, world.county.own, application=world.own)
    return {"pk": world.own.pk, "version": world.own.version}


def _import(world: World) -> dict[str, Any]:
    target = f"new-{world.county.round.pk}"
    return {"data": {"target": target, "file": _file("申报表.docx", world.docx)}}


def _autosave(world: World) -> dict[str, Any]:
    original = world.own.data["part1"]["operator"]
    change = {"path": "part1.operator", "value": "宁波某园区管委会", "original": original}
    return {"data": json.dumps({"changes": [change]}), "content_type": "application/json"}


def _widget(data: Callable[[World], dict[str, Any]]) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"data": data(world), "headers": {"X-Evidence-Widget": "1"}}


def _hearings(world: World):
    """A defence phase with slots for both applications and a visit of the own (once)."""
    county = world.county
    return hearings_for(county.application, county.other_application, county.city)


def _certified(world: World) -> dict[str, Any]:
    """The own application certified after its 公示 (once), for the registry's lists."""
    certify(world.own, world.county.city)
    return {}


def _recommendation(world: World) -> dict[str, Any]:
    """A recommendation of the own application, certified first (once)."""
    return {"pk": recommended(world.own, world.county.city).pk}


def _certification(world: World) -> dict[str, Any]:
    """The own application certified (once): the revoke form's certification."""
    return {"pk": certify(world.own, world.county.city).pk}


def _revoked(world: World) -> dict[str, Any]:
    """The own application certified and revoked (once)."""
    return {"pk": revoked(world.own, world.county.city).pk}


def _report_certification(world: World) -> dict[str, Any]:
    """The own application certified, the 2023 annual round open (once)."""
    return {"certification_id": certification_of(world.own, world.county.city).pk}


def _annual_report(world: World) -> dict[str, Any]:
    """The own certified cluster's 2023 report, submitted (once)."""
    return {"pk": submitted_report(world.own, world.county.city).pk}


def _change_case(world: World) -> dict[str, Any]:
    """A major change case on the own cluster's report (once)."""
    return {"pk": major_change_case(world.own, world.county.city).pk}


HEARING_SLOT = {"date": "2023-05-17", "start": "10:00", "end": "10:40", "place": "会议室B"}


def _publicity(world: World):
    """A 公示 running now, of a third county's proposed cluster, with one objection (once)."""
    return publicity_world(world.county.round, world.county.city)


def _review(world: World):
    """The world's expert in the pool, with a declaration and an open assignment (once)."""
    county = world.county
    return review_world(county.round, county.expert, county.city)


def _round_pk(world: World) -> dict[str, Any]:
    return {"pk": world.county.round.pk}


def _scoring(world: World):
    """An open scored assignment of the world's expert and a closed phase's sheet (once)."""
    county = world.county
    return scoring_matrix_world(county.round, county.expert, county.city)


def _score_sheet(world: World) -> dict[str, Any]:
    return {"pk": _scoring(world).open_assignment.pk}


def _score_evidence(world: World) -> dict[str, Any]:
    # The own county's evidence through the expert's assignment to another cluster: no match.
    return {"pk": _scoring(world).open_assignment.pk, "sha256": world.own_sha}


def _closed_sheet(world: World) -> dict[str, Any]:
    return {"pk": world.county.round.pk, "sheet_pk": _scoring(world).closed_sheet.pk}


def _scored_application(world: World) -> dict[str, Any]:
    sheet = _scoring(world).closed_sheet
    return {"pk": world.county.round.pk, "application_pk": sheet.assignment.application_id}


def _autosave_scores(world: World) -> dict[str, Any]:
    sheet = getattr(_scoring(world).open_assignment, "score_sheet", None)
    body = {"version": sheet.version if sheet else 0, "scores": {"digital": "7"}}
    return {"data": json.dumps(body), "content_type": "application/json"}


def _submit_scores(world: World) -> dict[str, Any]:
    data = full_score_sheet("8")
    post = {"version": "0", "opinion": data["opinion"], "opinion_reason": ""}
    post.update({f"score-{key}": value for key, value in data["scores"].items()})
    post.update({f"comment-{key}": value for key, value in data["comments"].items()})
    return {"data": post}


def _recheck(world: World):
    """A third county's cluster under 复核, with a report and the world's expert assigned (once)."""
    return recheck_matrix_world(world.county.expert, world.county.city)


def _recheck_case(world: World) -> dict[str, Any]:
    return {"pk": _recheck(world).case.pk}


def _recheck_material(world: World) -> dict[str, Any]:
    matrix = _recheck(world)
    return {"pk": matrix.assignment.pk, "report": matrix.report.application_id}


DECISION_POST = {"held_on": "2023-04-07", "members": "张三", "minutes": "会审纪要"}

NEW_PASSWORD = "Ningbo-cluster-2024"

# fmt: off
ACCESS: dict[str, Entry] = {
    #                           anonymous  own  other_county  city  expert  admin
    "portal:home": Entry(
        get=By(200,   200, 200, 200, 200, 200)),
    # Probes of the load balancer (web.health): public, read-only, no session; POST is refused.
    "healthz": Entry(
        get=By(200,   200, 200, 200, 200, 200),
        post=By(405,  405, 405, 405, 405, 405)),
    "readyz": Entry(
        get=By(200,   200, 200, 200, 200, 200),
        post=By(405,  405, 405, 405, 405, 405)),
    "login": Entry(
        get=By(200,   200, 200, 200, 200, 200),
        post=By(200,  200, 200, 200, 200, 200),  # wrong password: the form again
        body=_form({"username": "nobody", "password": "wrong"})),
    "logout": Entry(
        get=By(405,   405, 405, 405, 405, 405),
        post=By(302,  302, 302, 302, 302, 302)),
    "password_change": Entry(
        get=By(LOGIN, 200, 200, 200, 200, 200),
        post=By(LOGIN, 302, 302, 302, 302, 302),
        body=_form({"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD})),
    "password_change_done": Entry(
        get=By(LOGIN, 200, 200, 200, 200, 200)),
    # Rounds: the city bureau's.
    "rounds:list": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "rounds:create": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(LOGIN, 403, 403, 302, 403, 302),
        body=_form(valid_post())),
    "rounds:edit": Entry(
        kwargs=lambda world: {"pk": world.county.round.pk},
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(LOGIN, 403, 403, 302, 403, 302),
        body=lambda world: {"data": edit_post(world.county.round, county_limit="3")}),
    # The thresholds the round's profile leaves unset: the city bureau's decision only.
    "rounds:thresholds": Entry(
        kwargs=lambda world: {"pk": world.county.round.pk},
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"4.rd_growth": "5"})),
    "rounds:open": Entry(
        kwargs=lambda world: {"pk": world.closed_round.pk},
        get=By(LOGIN, 403, 403, 405, 403, 405),
        post=By(LOGIN, 403, 403, 302, 403, 302)),
    "rounds:close": Entry(
        kwargs=lambda world: {"pk": world.county.round.pk},
        get=By(LOGIN, 403, 403, 405, 403, 405),
        post=By(LOGIN, 403, 403, 302, 403, 302)),
    # The county's pages: its dashboard, drafts, submission, documents and imports.
    "county:dashboard": Entry(
        get=By(LOGIN, 200, 200, 302, 403, 302), shows=MINE),  # city, admin: to 审核工作台
    "county:new": Entry(
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 302, 302, 403, 403, 403),
        body=lambda world: {"data": {"round": world.county.round.pk}}),
    "county:header": Entry(
        kwargs=lambda world: {"round_id": world.county.round.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 302, 302, 403, 403, 403),
        body=_form({"department": "经信局中小企业处", "contact": "张三", "mobile": "13800000000"})),
    "county:check": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET),
    "county:submit": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 403, 403, 403), shows=TARGET,
        post=By(LOGIN, 302, 404, 403, 403, 403)),
    "county:a2_docx": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET),
    "county:a2_pdf": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 200, 404, 200)),
    "county:submission_docx": Entry(
        kwargs=_submission,
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET),
    # Drafts: the county deletes its own; the city bureau lists and restores deleted ones.
    "county:delete": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 403, 403, 403), shows=TARGET,
        post=By(LOGIN, 302, 404, 403, 403, 403)),
    "county:deleted": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(405,  405, 405, 405, 405, 405)),
    "county:restore": Entry(
        kwargs=_deleted,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason": "误删，恢复"})),
    "county:import_into": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 403, 403, 403), shows=TARGET,
        post=By(LOGIN, 200, 404, 403, 403, 403),
        body=lambda world: {"data": {"file": _file("申报表.docx", world.docx)}}),
    "county:summary_docx": Entry(
        get=By(LOGIN, 200, 200, 403, 403, 403), shows=MINE),
    "county:summary_xlsx": Entry(
        get=By(LOGIN, 200, 200, 403, 403, 403), shows=MINE),
    "county:package": Entry(
        get=By(LOGIN, 200, 200, 403, 403, 403), shows=MINE),
    "county:import": Entry(
        get=By(LOGIN, 200, 200, 403, 403, 403), shows=MINE,
        post=By(LOGIN, 200, 200, 403, 403, 403),
        body=_import),
    # Confirming a previewed import: with no preview pending in the session, the own county
    # is told to upload again (400); another county's application is not found.
    "county:import_confirm": Entry(
        kwargs=_application,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 400, 404, 403, 403, 403),
        body=_form({"token": "forged"})),
    # The city's intake desk: the city bureau (admins read); a county never sees it.
    "intake:desk": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "intake:inbox": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=MINE),
    "intake:bulk_accept": Entry(
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=lambda world: {"data": {"round": world.county.round.pk, "ids": [world.own.pk]}}),
    "intake:application": Entry(
        kwargs=_application,
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=TARGET),
    "intake:accept": Entry(
        kwargs=_application,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "intake:return": Entry(
        kwargs=_application,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason": "请补充佐证材料"})),
    # Recording the paper set of the own county's submitted application: the city bureau only.
    "intake:receipt": Entry(
        kwargs=lambda world: {"pk": _submission(world)["pk"]},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"received_on": "2023-04-10", "received_by": "王科员",
                    "originals": "2", "copies": "3"})),
    # Recording the formal check (形式审查) of the own county's submission: the city bureau only.
    "intake:formal_check": Entry(
        kwargs=lambda world: {"pk": _submission(world)["pk"]},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"item": ["sealed"]})),
    # Exports (导出文件): the city bureau and admins; each sees only the exports they started
    # (the one here is the city officer's, so the admin is told it does not exist).
    "exports:list": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(405,  405, 405, 405, 405, 405)),
    "exports:start": Entry(
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 302),
        body=lambda world: {"data": {"round": world.county.round.pk, "kind": "inbox_xlsx"}}),
    "exports:status": Entry(
        kwargs=_export,
        get=By(LOGIN, 403, 403, 200, 403, 404)),
    "exports:download": Entry(
        kwargs=_export,
        get=By(LOGIN, 403, 403, 200, 403, 404)),
    "exports:retry": Entry(
        kwargs=_export,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 404)),
    # Cross-application checks (交叉比对): the city bureau and admins read; only the city
    # bureau dismisses a flag (already dismissed by an earlier row: refused, still a redirect).
    "intake:overlap": Entry(
        kwargs=lambda world: _overlap_flag(world) and {},  # a flag to list: both sides shown
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=MINE),
    "intake:overlap_dismiss": Entry(
        kwargs=lambda world: {"pk": _overlap_flag(world)},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason": "同一龙头企业的公开资料"})),
    # The web form.
    "form:start": Entry(
        kwargs=_application,
        get=By(LOGIN, 302, 404, 302, 404, 302)),
    "form:page": Entry(
        kwargs=lambda world: {"pk": world.own.pk, "page": "part2"},
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET),
    "form:autosave": Entry(
        kwargs=_application,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(401,  200, 404, 403, 404, 403),
        body=_autosave),
    "form:history": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET,
        post=By(LOGIN, 405, 405, 405, 405, 405)),
    # 恢复到此版本之前: only who may edit the application (the city and admins read only).
    "form:restore_import": Entry(
        kwargs=_imported,
        get=By(LOGIN, 405, 405, 405, 405, 405),
        post=By(LOGIN, 302, 404, 403, 404, 403)),
    "form:timeline": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET,
        post=By(LOGIN, 405, 405, 405, 405, 405)),
    # 审核意见: the city comments on a submitted application; the county answers a published
    # comment on its own; only the city closes one. The revision diff: whoever sees it.
    "form:diff": Entry(
        kwargs=_application,
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET,
        post=By(LOGIN, 405, 405, 405, 405, 405)),
    "form:comment_new": Entry(
        kwargs=lambda world: {"pk": _submission(world)["pk"]},
        get=By(LOGIN, 403, 404, 200, 404, 403), shows=TARGET,
        post=By(LOGIN, 403, 404, 302, 404, 403),
        body=_form({"path": EVIDENCE_PATH, "text": "请补充产业链图谱的出处"})),
    "form:comment_reply": Entry(
        kwargs=_published_comment,
        get=By(LOGIN, 405, 405, 405, 405, 405),
        post=By(LOGIN, 302, 404, 403, 404, 403),
        body=_form({"text": "已补充", "answered": "1"})),
    "form:comment_close": Entry(
        kwargs=_published_comment,
        get=By(LOGIN, 405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 404, 302, 404, 403)),
    # Evidence.
    "evidence:list": Entry(
        kwargs=_evidence,
        get=By(LOGIN, 200, 404, 200, 404, 200), shows=TARGET),
    "evidence:upload": Entry(
        kwargs=_evidence,
        get=By(LOGIN, 405, 405, 405, 405, 405),
        post=By(LOGIN, 200, 404, 403, 404, 403),
        body=_widget(lambda world: {"path": EVIDENCE_PATH,
                                    "file": _file("补充材料.xlsx", samples.xlsx_bytes())})),
    "evidence:remove": Entry(
        kwargs=_evidence,
        get=By(LOGIN, 405, 405, 405, 405, 405),
        post=By(LOGIN, 200, 404, 403, 404, 403),
        body=_widget(lambda world: {"path": EVIDENCE_PATH, "sha256": world.own_sha})),
    "evidence:download": Entry(
        kwargs=lambda world: {"application_id": world.own.pk, "sha256": world.own_sha},
        get=By(LOGIN, 200, 404, 200, 404, 200)),
    # Notifications: everyone signed in has their own; another's is not found.
    "notifications:list": Entry(
        get=By(LOGIN, 200, 200, 200, 200, 200),
        post=By(405,  405, 405, 405, 405, 405)),
    "notifications:read": Entry(
        kwargs=_notification,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 302, 404, 404, 404, 404)),
    "notifications:read_all": Entry(
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 302, 302, 302, 302, 302)),
    # 现场答辩 and 实地走访: the city arranges and records (admins read); a county sees its own
    # slots only, an expert only those of their open assignments (none here). The own
    # application is not under review, so the city's posts that schedule are refused (400).
    "hearings:index": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "hearings:round": Entry(
        kwargs=lambda world: {"pk": _hearings(world).phase.round_id},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "hearings:schedule_docx": Entry(
        kwargs=lambda world: {"pk": _hearings(world).phase.round_id},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "hearings:schedule_pdf": Entry(
        kwargs=lambda world: {"pk": _hearings(world).phase.round_id},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "hearings:slot_new": Entry(
        kwargs=lambda world: {"pk": _hearings(world).phase.pk},
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 400, 403, 403),
        body=lambda world: {"data": {**HEARING_SLOT, "application": world.own.pk}}),
    "hearings:slot_auto": Entry(  # nothing under review to schedule: refused, back to the page
        kwargs=lambda world: {"pk": _hearings(world).phase.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"date": "2023-05-18", "first_start": "09:00", "minutes": "30", "gap": "10",
                    "place": "会议室C"})),
    "hearings:slot_edit": Entry(
        kwargs=lambda world: {"pk": _hearings(world).slot.pk},
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 400, 403, 403),
        body=_form(HEARING_SLOT)),
    "hearings:slot_delete": Entry(
        kwargs=lambda world: {"pk": _hearings(world).slot.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason": "时间调整"})),
    "hearings:slot_record": Entry(
        kwargs=lambda world: {"pk": _hearings(world).slot.pk},
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 400, 403, 403),  # not yet held: refused
        body=_form({"attended": "yes", "attendees": "张三", "question": ["问"], "answer": ["答"]})),
    "hearings:my": Entry(
        kwargs=lambda world: _hearings(world) and {},
        get=By(LOGIN, 200, 200, 403, 403, 403), shows=MINE),
    "hearings:expert": Entry(
        kwargs=lambda world: _hearings(world) and {},
        get=By(LOGIN, 403, 403, 403, 200, 403)),
    "hearings:visit_new": Entry(
        kwargs=lambda world: {"pk": _hearings(world).phase.round_id},
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 400, 403, 403),
        body=lambda world: {"data": {"application": world.own.pk, "planned_on": "2023-05-20",
                                     "members": "市经信局 王科长"}}),
    "hearings:visit": Entry(
        kwargs=lambda world: {"pk": _hearings(world).visit.pk},
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=TARGET),
    "hearings:visit_record": Entry(
        kwargs=lambda world: {"pk": _hearings(world).visit.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"conclusion": "true", "finding_innovation": "研发投入属实"})),
    "hearings:visit_upload": Entry(
        kwargs=lambda world: {"pk": _hearings(world).visit.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=lambda world: {"data": {"file": _file("走访照片.pdf", samples.PDF)}}),
    "hearings:visit_file": Entry(
        kwargs=lambda world: {"pk": _hearings(world).visit.pk,
                              "file_pk": _hearings(world).file.pk},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    # 会审与公示: the city decides, starts the 公示, records and handles objections (admins
    # read). Nothing of the matrix's own round is under review, so the city's decision is
    # refused (400); the 公示 is of a third county's cluster.
    "publicity:home": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "publicity:decision": Entry(
        kwargs=_round_pk,
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(LOGIN, 403, 403, 400, 403, 403),
        body=_form(DECISION_POST)),
    "publicity:start": Entry(
        kwargs=_round_pk,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"starts_on": "2023-04-10", "contact": "中小企业处 0574-89180000"})),
    "publicity:detail": Entry(
        kwargs=lambda world: {"pk": _publicity(world).publicity.pk},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "publicity:notice": Entry(
        kwargs=lambda world: {"pk": _publicity(world).publicity.pk, "fmt": "docx"},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "publicity:objection_new": Entry(
        kwargs=lambda world: {"pk": _publicity(world).publicity.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=lambda world: {"data": {"application": _publicity(world).application.pk,
                                     "name": "王五", "contact": "13800000000",
                                     "content": "异议", "received_on": "2023-04-10"}}),
    "publicity:objection_handle": Entry(
        kwargs=lambda world: {"pk": _publicity(world).objection.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"notes": "已核实", "outcome": "dismissed"})),
    "publicity:reject": Entry(
        kwargs=lambda world: {"pk": _publicity(world).publicity.pk,
                              "application_id": _publicity(world).application.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason": "异议成立"})),
    # The public 公示 (no login): only what a 公示 shows, to everyone.
    "gongshi:current": Entry(
        kwargs=lambda world: _publicity(world) and {},
        get=By(200,   200, 200, 200, 200, 200)),
    "gongshi:notice": Entry(
        kwargs=lambda world: {"pk": _publicity(world).publicity.pk, "fmt": "docx"},
        get=By(200,   200, 200, 200, 200, 200)),
    # The registry (认定名录) and 择优推荐: the city bureau, admins read; 发文 and recommending
    # are the city's (a draft cannot be certified, no cluster picked: refused, a redirect).
    "registry:list": Entry(
        kwargs=_certified,
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=TARGET),
    "registry:export": Entry(
        kwargs=_certified,
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "registry:publish": Entry(
        kwargs=lambda world: {"pk": world.county.round.pk},
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=lambda world: {"data": {"ids": [world.own.pk], "issued_on": "2023-04-10",
                                     "document_number": "甬经信中小〔2023〕9号"}}),
    "registry:settings": Entry(
        kwargs=lambda world: {"pk": world.county.round.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"validity_years": "3", "recommendation_quota": "2",
                    "document_prefix": "甬经信中小"})),
    "registry:recommend": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=lambda world: {"data": {"round": world.county.round.pk, "issued_on": "2023-04-10"}}),
    "registry:package": Entry(
        kwargs=_recommendation,
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    # 复核: the city opens rounds for the due clusters and decides 限期整改 / 撤销 (a POST
    # without the fields is refused with a message: a redirect); admins read; an expert reads a
    # 复核's annual reports through their own assignment only.
    "recheck:home": Entry(
        kwargs=lambda world: _recheck(world) and {},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "recheck:open": Entry(
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "recheck:case": Entry(
        kwargs=_recheck_case,
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "recheck:rectify": Entry(
        kwargs=_recheck_case,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "recheck:follow_up": Entry(
        kwargs=_recheck_case,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "recheck:revoke": Entry(
        kwargs=_recheck_case,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "recheck:material": Entry(
        kwargs=_recheck_material,
        get=By(LOGIN, 403, 403, 403, 200, 403)),
    # 目标跟踪: the city's dashboard, lagging list (Excel) and monitoring report, admins read;
    # thresholds the city's (a bad value is refused with a message: a redirect); one cluster's
    # page the city, admins and its own county (another county: 404); a county's overview.
    "tracking:dashboard": Entry(
        kwargs=lambda world: _certified(world) and {},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "tracking:lagging": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "tracking:lagging_export": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "tracking:report": Entry(
        kwargs=lambda world: _certified(world) or {"year": 2023},
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "tracking:settings": Entry(
        kwargs=lambda world: {"pk": world.county.round.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"lagging": "5", "serious": "15"})),
    "tracking:cluster": Entry(
        kwargs=_certification,
        get=By(LOGIN, 200, 404, 200, 403, 200), shows=TARGET),
    "tracking:county": Entry(
        kwargs=lambda world: _certified(world) and {},
        get=By(LOGIN, 200, 200, 403, 403, 403)),
    # The public certified list: no login, what the 认定 document published (the own cluster,
    # certified: another county may see it, as anyone may).
    "certified:list": Entry(
        get=By(200,   200, 200, 200, 200, 200)),
    "certified:docx": Entry(
        get=By(200,   200, 200, 200, 200, 200)),
    "certified:xlsx": Entry(
        get=By(200,   200, 200, 200, 200, 200)),
    # 年度报告: a county its own certified clusters (another county's: 404), the city reviews,
    # admins read; the year's round is opened by the city.
    "monitoring:county": Entry(
        kwargs=lambda world: _report_certification(world) and {},
        get=By(LOGIN, 200, 200, 403, 403, 403)),
    "monitoring:start": Entry(
        kwargs=_report_certification,
        get=By(LOGIN, 405, 405, 403, 403, 403),
        post=By(LOGIN, 302, 404, 403, 403, 403),
        body=_form({"year": "2023"})),
    "monitoring:city": Entry(
        kwargs=lambda world: _annual_report(world) and {},
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=TARGET),
    "monitoring:open_round": Entry(
        get=By(LOGIN, 403, 403, 405, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"year": "2024"})),
    "monitoring:window": Entry(
        kwargs=lambda world: {"pk": certification_of(world.own, world.county.city) and
                              Round.objects.get(name="2023年度发展情况报告").pk},
        get=By(LOGIN, 403, 403, 405, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"opens_on": "2023-01-01", "closes_on": "2024-03-31"})),
    "monitoring:report": Entry(
        kwargs=_annual_report,
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=TARGET),
    "monitoring:accept": Entry(
        kwargs=_annual_report,
        get=By(LOGIN, 403, 403, 405, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "monitoring:return": Entry(
        kwargs=_annual_report,
        get=By(LOGIN, 403, 403, 405, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason": "请补充佐证"})),
    "monitoring:comment": Entry(
        kwargs=_annual_report,
        get=By(LOGIN, 403, 403, 405, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"path": "basics.contact", "text": "请核实联系人"})),
    "monitoring:changes": Entry(
        kwargs=lambda world: _change_case(world) and {},
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=TARGET),
    "monitoring:change": Entry(
        kwargs=_change_case,
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"decision": "accept", "note": "变更合理"})),
    # 撤销认定: the city revokes from a registry row (admins read the list); one revocation and
    # its 通报: the city, admins and the county whose cluster it was (another county: 404).
    "revocation:list": Entry(
        kwargs=lambda world: _revoked(world) and {},
        get=By(LOGIN, 403, 403, 200, 403, 200), shows=TARGET),
    "revocation:new": Entry(
        kwargs=_certification,
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason_class": "major_incident", "reason": "发生重大安全生产事故",
                    "document_number": "甬经信中小〔2023〕31号", "decided_on": "2023-04-07"})),
    "revocation:detail": Entry(
        kwargs=_revoked,
        get=By(LOGIN, 200, 404, 200, 403, 200), shows=TARGET),
    "revocation:notice": Entry(
        kwargs=lambda world: {**_revoked(world), "fmt": "docx"},
        get=By(LOGIN, 200, 404, 200, 403, 200), shows=TARGET),
    # The expert review (专家评审): the city bureau manages the pool, phases and assignments;
    # an expert of the pool declares conflicts and sees only their own open assignments (here
    # a third county's cluster, never the own or the other county's); counties see nothing.
    "review:overview": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 403)),
    "review:experts": Entry(
        kwargs=lambda world: _review(world) and {},
        get=By(LOGIN, 403, 403, 200, 403, 403)),
    "review:expert_create": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"username": "matrix-new", "password": "Zhuanjia-pingshen-2023",
                    "name": "新专家", "organisation_name": "宁波大学", "fields": "模具"})),
    "review:expert_edit": Entry(
        kwargs=lambda world: {"pk": _review(world).colleague.pk},
        get=By(LOGIN, 403, 403, 200, 403, 403),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"name": "同组专家", "organisation_name": "宁波工程学院", "fields": "家电"})),
    "review:expert_active": Entry(
        kwargs=lambda world: {"pk": _review(world).colleague.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"active": "0", "reason": "退休"})),
    "review:conflicts": Entry(
        kwargs=lambda world: _review(world) and {},
        get=By(LOGIN, 403, 403, 403, 200, 403),
        post=By(LOGIN, 403, 403, 403, 302, 403),
        body=_form({"counterpart": "宁波某园区管委会", "relation": "任职"})),
    "review:conflict_end": Entry(
        kwargs=lambda world: {"pk": _review(world).declaration.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 403, 302, 403),
        body=_form({"ended_on": "2023-03-31"})),
    "review:round": Entry(
        kwargs=_round_pk,
        get=By(LOGIN, 403, 403, 200, 403, 403)),
    "review:settings": Entry(
        kwargs=_round_pk,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"experts_per_application": "3", "conflict_years": "3"})),
    "review:phase_add": Entry(
        kwargs=_round_pk,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "review:phase_edit": Entry(
        kwargs=lambda world: {"pk": _review(world).phase.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=lambda world: {"data": {f"p{_review(world).phase.pk}-name": "矩阵评审"}}),
    "review:phase_open": Entry(
        kwargs=lambda world: {"pk": _review(world).phase.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),  # already open: refused, still a redirect
    "review:phase_close": Entry(
        kwargs=lambda world: {"pk": _review(world).phase.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "review:phase_remove": Entry(
        kwargs=lambda world: {"pk": _review(world).phase.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),  # has assignments: refused, a redirect
    "review:assignments": Entry(
        kwargs=lambda world: {"pk": _review(world).phase.pk},
        get=By(LOGIN, 403, 403, 200, 403, 403)),
    "review:auto_assign": Entry(
        kwargs=lambda world: {"pk": _review(world).phase.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),
    "review:assignment_add": Entry(
        kwargs=lambda world: {"pk": _review(world).phase.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=lambda world: {"data": {"application": _review(world).assignment.application_id,
                                     "expert": _review(world).colleague.user_id,
                                     "reason": "熟悉该领域"}}),
    "review:my_assignments": Entry(
        kwargs=lambda world: _review(world) and {},
        get=By(LOGIN, 403, 403, 403, 200, 403)),
    "review:recuse": Entry(
        kwargs=lambda world: {"pk": _review(world).assignment.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 403, 302, 403),
        body=_form({"reason": "曾任该集群企业顾问"})),
    "review:assignment_remove": Entry(
        kwargs=lambda world: {"pk": _review(world).assignment.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form({"reason": "时间冲突"})),
    "review:assignment_replace": Entry(
        kwargs=lambda world: {"pk": _review(world).assignment.pk},
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403)),  # still active: refused, a redirect
    # 专家评分: an expert scores only their own open assignments (here a third county's cluster);
    # the city sees progress, the ranking, the sheets behind it and the documents (admins read
    # only); counties never see scores or experts' names.
    "scoring:home": Entry(
        get=By(LOGIN, 403, 403, 403, 200, 403)),
    "scoring:sheet": Entry(
        kwargs=_score_sheet,
        get=By(LOGIN, 403, 403, 403, 200, 403)),
    "scoring:save": Entry(
        kwargs=_score_sheet,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 403, 200, 403),
        body=_autosave_scores),
    "scoring:submit": Entry(
        kwargs=_score_sheet,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 403, 302, 403),
        body=_submit_scores),
    "scoring:evidence": Entry(
        kwargs=_score_evidence,
        get=By(LOGIN, 403, 403, 403, 404, 403)),
    "scoring:sheet_docx": Entry(
        kwargs=_score_sheet,
        get=By(LOGIN, 403, 403, 403, 200, 403)),
    "scoring:sheet_pdf": Entry(
        kwargs=_score_sheet,
        get=By(LOGIN, 403, 403, 403, 200, 403)),
    "scoring:rounds": Entry(
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:round": Entry(
        kwargs=lambda world: _scoring(world) and _round_pk(world),
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:rubric": Entry(
        kwargs=_round_pk,
        get=By(LOGIN, 403, 403, 200, 403, 200),
        post=By(LOGIN, 403, 403, 302, 403, 403),
        body=_form(scoring_rubric_post())),
    "scoring:ranking": Entry(
        kwargs=lambda world: _scoring(world) and _round_pk(world),
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:ranking_docx": Entry(
        kwargs=lambda world: _scoring(world) and _round_pk(world),
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:ranking_xlsx": Entry(
        kwargs=lambda world: _scoring(world) and _round_pk(world),
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:application": Entry(
        kwargs=_scored_application,
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:city_sheet_docx": Entry(
        kwargs=_closed_sheet,
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:city_sheet_pdf": Entry(
        kwargs=_closed_sheet,
        get=By(LOGIN, 403, 403, 200, 403, 200)),
    "scoring:reopen": Entry(
        kwargs=_closed_sheet,
        get=By(405,   405, 405, 405, 405, 405),
        post=By(LOGIN, 403, 403, 302, 403, 403),  # phase closed: refused, a redirect
        body=_form({"reason": "请复核"})),
}
# fmt: on


# --- the resolver against the table ------------------------------------------------------------


def project_urls() -> dict[str, str]:
    """Every URL pattern of the project (name → route), but the excluded prefixes."""

    def walk(patterns: list[Any], route: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            full = route + str(pattern.pattern)
            if full.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, full, inner)
            elif isinstance(pattern, URLPattern):
                yield (f"{namespace}{pattern.name}" if pattern.name else full), full

    return dict(walk(get_resolver().url_patterns, "", ""))


def test_every_url_is_in_the_table():
    urls = project_urls()
    missing = sorted(set(urls) - set(ACCESS))
    assert not missing, "URLs without an entry in ACCESS (add one for every role): " + ", ".join(
        f"{name} (/{urls[name]})" for name in missing
    )
    stale = sorted(set(ACCESS) - set(urls))
    assert not stale, f"ACCESS names URLs that no longer exist: {', '.join(stale)}"


# --- one request per URL, method and role ------------------------------------------------------

CASES = [
    pytest.param(name, method, role, id=f"{name}-{method}-{role}")
    for name, entry in ACCESS.items()
    for method in ("get", "post")
    if method == "get" or entry.post is not None
    for role in ROLES
]


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_access(client, world, name, method, role):
    entry = ACCESS[name]
    expected = getattr(entry.get if method == "get" else entry.post, role)
    user = None if role == "anonymous" else getattr(world.county, role)
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=entry.kwargs(world))
    before = database_state()

    response = client.get(url) if method == "get" else client.post(url, **entry.body(world))

    where = f"{role} {method.upper()} {url}"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}, not a login redirect"
        assert response.url.startswith(f"{reverse('login')}?next="), f"{where}: {response.url}"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code} != {expected}"
    if method == "get" or expected in REFUSALS:
        assert database_state() == before, f"{where} changed the database"

    text = readable(response)
    for application in foreign(world, role):
        for marker in world.markers(application):
            assert marker not in text, f"{where} shows another county's “{marker}”"
    if method == "get" and response.status_code == 200 and entry.shows:
        wanted = [world.own] if entry.shows == TARGET else own_applications(world, role)
        for application in wanted:
            assert application.cluster_name in text, f"{where} lacks “{application}”"


def foreign(world: World, role: str) -> list[Application]:
    """The applications whose data ``role`` must never see."""
    county = world.county
    return {
        "own": [county.other_application],
        "other_county": [county.application],
        "city": [],
        "admin": [],
    }.get(role, [county.application, county.other_application])


def own_applications(world: World, role: str) -> list[Application]:
    county = world.county
    return {
        "own": [county.application],
        "other_county": [county.other_application],
        "city": [county.application, county.other_application],
        "admin": [county.application, county.other_application],
    }[role]


def database_state() -> tuple[Any, ...]:
    """What a refused request must not change."""
    return (
        sorted(Application.objects.values_list("pk", "state", "version")),
        sorted(Round.objects.values_list("pk", "status", "name", "county_limit")),
        sorted(SummaryHeader.objects.values_list("pk", "department", "contact", "mobile")),
        sorted(get_user_model().objects.values_list("pk", "password")),
        sorted(Comment.objects.values_list("pk", "status")),
        CommentReply.objects.count(),
    )


def readable(response) -> str:
    """All the text a person could read in the answer, including inside Office files and zips."""
    disposition = unquote(response.get("Content-Disposition", ""))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):
        return disposition + json.dumps(json.loads(content), ensure_ascii=False)
    if content.startswith(b"PK"):
        return disposition + _zip_text(content)
    return disposition + html.unescape(content.decode("utf-8", errors="replace"))


def _zip_text(content: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            member = archive.read(info)
            parts.append(info.filename)
            if member.startswith(b"PK"):  # a .docx inside the package
                parts.append(_zip_text(member))
            else:  # openpyxl writes Chinese as character references (&#26412;)
                parts.append(html.unescape(member.decode("utf-8", errors="replace")))
    return "\n".join(parts)


# --- Django's admin ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_site_is_for_admins_only(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world.county, role))
    response = client.get(reverse("admin:index"))
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

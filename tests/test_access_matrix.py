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
from clusterdesk.intake.models import OverlapFlag
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round
from tests.declarations.county_world import World as CountyWorld
from tests.declarations.county_world import make_world
from tests.evidence import samples
from tests.factories import PASSWORD, make_application, make_round
from tests.rounds.test_views import edit_post, valid_post

pytestmark = pytest.mark.django_db

# Django's admin checks is_staff itself (see test_the_admin_site_is_for_admins_only); static
# files are not views of ours.
EXCLUDED_PREFIXES = ("admin/", settings.STATIC_URL.lstrip("/"))
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


NEW_PASSWORD = "Ningbo-cluster-2024"

# fmt: off
ACCESS: dict[str, Entry] = {
    #                           anonymous  own  other_county  city  expert  admin
    "portal:home": Entry(
        get=By(200,   200, 200, 200, 200, 200)),
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

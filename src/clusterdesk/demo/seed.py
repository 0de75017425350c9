"""Demo data: the Ningbo units, one user per role and unit, the 2023 round, a few applications.

Idempotent: everything is looked up by its natural key (unit name, username, round name, cluster
name) and only created when missing; nothing that exists is changed, not even a password.
Applications are moved through ``workflow.transition`` so that their history is real, and their
evidence files (small generated PDFs, ``demo.evidence``) are uploaded through the evidence domain
like an officer's, so that every download, preview and package of the demo works.

Beside the county's side, the demo shows the city's desk at work (``STORIES``): an application
accepted with its paper set received and its formal check passed, one returned, corrected and
resubmitted, one returned with comments at two fields answered by the county, and one whose
发展规划 copies a passage of another county's. Each is played through the same domain functions
the desk's pages call (receipts, formal check, accept, return, comments, the overlap index).

The review chain of issue 11 follows (``demo.experts``: the expert pool; ``demo.chain``: the
2023 round's review, a first batch up to its 公示 running today and a second batch being scored
now; ``demo.earlier``: the closed 2022年度 round with its certified clusters), played through
the review, scoring, hearings, publicity and registry apps' doors at the dates of
``demo.timeline``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from clusterdesk.accounts.enums import OrganisationKind, Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.domain.comments import add_comment, reply
from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.domain.values import get_path, with_value
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.demo import chain, timeline
from clusterdesk.demo.evidence import demo_pdf
from clusterdesk.demo.experts import USERNAMES as EXPERT_USERNAMES
from clusterdesk.demo.experts import seed_profiles
from clusterdesk.documents.appendix import evidence_labels
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.example import example_application
from clusterdesk.form.fields import Kind
from clusterdesk.form.overlap import folded
from clusterdesk.form.versions import FORM_2023
from clusterdesk.form.walk import walk_model
from clusterdesk.intake.domain import overlap
from clusterdesk.intake.domain.desk import accept, send_back
from clusterdesk.intake.domain.formal import checklist, is_auto, record_check
from clusterdesk.intake.domain.paper import ReceiptForm, latest_submission, record_receipt
from clusterdesk.intake.models import COPIES_REQUIRED, ORIGINALS_REQUIRED
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round

# Shared by every demo account and printed with them: demo data is for trying the system out.
DEMO_PASSWORD = "Ningbo-2023"

CITY_BUREAU = "宁波市经济和信息化局"
EXPERT_POOL = "宁波市中小企业特色产业集群评审专家库"
ROUND_NAME = "2023年度"

# (county, username) in the official order of the districts, counties and cities.
COUNTIES: tuple[tuple[str, str], ...] = (
    ("海曙区", "haishu"),
    ("江北区", "jiangbei"),
    ("镇海区", "zhenhai"),
    ("北仑区", "beilun"),
    ("鄞州区", "yinzhou"),
    ("奉化区", "fenghua"),
    ("余姚市", "yuyao"),
    ("慈溪市", "cixi"),
    ("宁海县", "ninghai"),
    ("象山县", "xiangshan"),
)

# (organisation name, short name used as its "county", username): committees applying in their
# own right, addressed by the notice as "各管委会经信部门".
COMMITTEES: tuple[tuple[str, str, str], ...] = (
    ("宁波国家高新区管委会", "宁波国家高新区", "gaoxin"),
    ("宁波杭州湾新区管委会", "宁波杭州湾新区", "hangzhouwan"),
    ("宁波保税区管委会", "宁波保税区", "baoshui"),
    ("宁波大榭开发区管委会", "宁波大榭开发区", "daxie"),
    ("宁波东钱湖旅游度假区管委会", "宁波东钱湖旅游度假区", "dongqianhu"),
)

EXPERTS: tuple[str, ...] = EXPERT_USERNAMES  # demo.experts: the pool, with their profiles

RETURN_REASON = "请补充近三年研发经费投入的佐证材料，并核对规上企业数与中小企业数。"


# Desk stories (``STORIES``) played after an application is created, beside its plain ``path``.
ACCEPTED = "accepted"  # paper set received, formal check passed, 受理
RESUBMITTED = "resubmitted"  # returned, corrected, resubmitted: a diff to read, no paper set yet
COPIED = "copied"  # submitted with a 发展规划 passage copied from COPY_SOURCE's
COMMENTED = "commented"  # returned with comments at two fields, both answered by the county


@dataclass(frozen=True)
class DemoApplication:
    county: str  # the unit's county ("XX区", "XX市", or a committee's short name)
    path: tuple[ApplicationState, ...] = ()  # states to move through after the draft is created
    story: str = ""  # a desk story (``STORIES``), played after ``path``
    # A second cluster of a unit (another round): its own name, the town it lies in (which its
    # enterprises, operator and platforms are named after) and its 主导产业 if not 模具.
    name: str = ""
    town: str = ""
    leading_industry: str = ""

    @property
    def cluster_name(self) -> str:
        return self.name or f"宁波{_place(self.county)}模具中小企业特色产业集群（模具产业）"

    def form_data(self) -> dict[str, Any]:
        data = demo_form_data(self.county, self.cluster_name, town=self.town)
        if self.leading_industry:
            data["attachment1"]["leading_industry"] = self.leading_industry
        return data


COPY_SOURCE = "奉化区"

DEMO_APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication("海曙区"),
    DemoApplication("江北区", (ApplicationState.SUBMITTED,)),
    DemoApplication("镇海区", (ApplicationState.SUBMITTED, ApplicationState.RETURNED)),
    DemoApplication("鄞州区", (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)),
    # The desk at work, in units no other demo or browser test uses. COPY_SOURCE is submitted
    # before the application that copies it, as a copy comes after its original.
    DemoApplication(COPY_SOURCE, (ApplicationState.SUBMITTED,), ACCEPTED),
    DemoApplication("慈溪市", (ApplicationState.SUBMITTED,), RESUBMITTED),
    DemoApplication("宁波杭州湾新区", (ApplicationState.SUBMITTED,), COPIED),
    DemoApplication("宁波国家高新区", (ApplicationState.SUBMITTED,), COMMENTED),
)


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    organisation: str
    password: str = DEMO_PASSWORD


@dataclass
class SeedReport:
    organisations_created: int = 0
    users_created: int = 0
    rounds_created: int = 0
    applications_created: int = 0
    experts_created: int = 0  # profiles in the expert pool
    reports_created: int = 0  # annual reports of certified clusters (demo.cultivation)
    logins: list[Login] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the seed could not add, and why

    @property
    def created_anything(self) -> bool:
        return any(
            (
                self.organisations_created,
                self.users_created,
                self.rounds_created,
                self.applications_created,
                self.experts_created,
                self.reports_created,
            )
        )


def seed_demo() -> SeedReport:
    """Create whatever demo data is missing; return what was created and the demo logins."""
    report = SeedReport()
    with transaction.atomic():
        city = _organisation(report, CITY_BUREAU, OrganisationKind.CITY_BUREAU, "", 0)
        pool = _organisation(report, EXPERT_POOL, OrganisationKind.EXPERT_POOL, "", 900)
        _user(report, "admin", Role.ADMIN, None, superuser=True)
        city_officer = _user(report, "city", Role.CITY_OFFICER, city)
        officers: dict[str, tuple[Organisation, User]] = {}
        for position, (county, username) in enumerate(COUNTIES, start=10):
            unit = _organisation(
                report, f"{county}经济和信息化局", OrganisationKind.COUNTY, county, position
            )
            officers[county] = (unit, _user(report, username, Role.COUNTY_OFFICER, unit))
        for position, (name, county, username) in enumerate(COMMITTEES, start=100):
            unit = _organisation(report, name, OrganisationKind.COMMITTEE, county, position)
            officers[county] = (unit, _user(report, username, Role.COUNTY_OFFICER, unit))
        experts = [_user(report, username, Role.EXPERT, pool) for username in EXPERTS]
        report.experts_created += seed_profiles(city_officer)
        round_ = _round(report)
        first_batch = _first_batch(report, round_, officers, city_officer, experts)
        for demo in DEMO_APPLICATIONS:
            unit, officer = officers[demo.county]
            _application(
                report,
                round_=round_,
                demo=demo,
                organisation=unit,
                officer=officer,
                city_officer=city_officer,
            )
        second = _second_batch_applications(round_, officers)
        if first_batch and all(
            app is not None and app.state == ApplicationState.UNDER_REVIEW
            for app in second.values()
        ):
            accepted = max(
                app.events.filter(to_state=ApplicationState.UNDER_REVIEW).latest("at").at
                for app in second.values()
            )
            chain.play_second_batch(round_, second, city_officer, experts, accepted)
        # The earlier round's module builds on this one's applications (imported here).
        from clusterdesk.demo import earlier  # noqa: PLC0415

        earlier.seed_earlier_round(report, officers, city_officer, experts)
        # Its clusters' cultivation since: annual reports, 复核, revocation (issue 12).
        from clusterdesk.demo import cultivation  # noqa: PLC0415

        cultivation.seed_cultivation(report, officers, city_officer)
        if report.applications_created:
            # The workflow's hook queues each submission for the background worker to index
            # once the seed commits; rebuilt here as well, the demo's 交叉比对 holds the copied
            # passage at once, worker or not (and inside a test's transaction, which never
            # commits).
            overlap.rebuild()
    return report


def _first_batch(
    report: SeedReport,
    round_: Round,
    officers: dict[str, tuple[Organisation, User]],
    city_officer: User,
    experts: list[User],
) -> bool:
    """The 2023 round's first batch (``chain``), created and played up to its 公示 when it is
    missing and can be told; whether it was."""
    wanted = [DemoApplication(county) for county, *_ in chain.FIRST_BATCH]
    if any(find_application(round_, officers[d.county][0], d) for d in wanted):
        return False
    if not chain.first_batch_wanted(round_):
        report.notes.append(
            "此演示数据库早于评审演示创建，未添加2023年度的评审过程演示；"
            "如需完整演示，请删除 var/clusterdesk.sqlite3 后重新运行 make run。"
        )
        return False
    applications = {}
    for demo in wanted:
        unit, officer = officers[demo.county]
        with clock.frozen(chain.Calendar(timeline.today()).created):
            applications[demo.county] = create_demo_application(
                round_, unit, officer, demo.form_data()
            )
        report.applications_created += 1
    report.notes += chain.play_first_batch(
        round_, applications, officers, city_officer, experts, accept_with_paper=accept_with_paper
    )
    return True


def _second_batch_applications(
    round_: Round, officers: dict[str, tuple[Organisation, User]]
) -> dict[str, Application | None]:
    found = {}
    for county in chain.SECOND_BATCH:
        demo = next(d for d in DEMO_APPLICATIONS if d.county == county)
        found[county] = find_application(round_, officers[county][0], demo)
    return found


def _organisation(
    report: SeedReport, name: str, kind: str, county: str, position: int
) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "county": county, "position": position}
    )
    report.organisations_created += created
    return organisation


def _user(
    report: SeedReport,
    username: str,
    role: Role,
    organisation: Organisation | None,
    *,
    superuser: bool = False,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            role=role,
            organisation=organisation,
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.password = _demo_password_hash()
        user.full_clean()
        user.save()
        report.users_created += 1
    # Report the account as it is, in case someone edited it since the first run.
    unit = user.organisation.name if user.organisation else "—"
    report.logins.append(Login(user.username, user.get_role_display(), unit))
    return user


@cache
def _demo_password_hash() -> str:
    """One hash of the shared password for every demo account (each made with a hash of its own
    took a quarter of a second, most of the seed's time for the accounts)."""
    return make_password(DEMO_PASSWORD)


# The notice's deadline. A demo seeded after it gets a deadline a month ahead instead, so that
# whoever tries the system can still create and submit applications.
OFFICIAL_DEADLINE = dt.datetime(2023, 4, 14, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai"))
DEMO_EXTENSION = dt.timedelta(days=30)


def demo_deadline() -> dt.datetime:
    now = clock.now()
    if now < OFFICIAL_DEADLINE:
        return OFFICIAL_DEADLINE
    later = (now + DEMO_EXTENSION).astimezone(OFFICIAL_DEADLINE.tzinfo)
    return later.replace(hour=23, minute=59, second=0, microsecond=0)


def _round(report: SeedReport) -> Round:
    round_, created = Round.objects.get_or_create(
        name=ROUND_NAME,
        defaults={
            "first_data_year": 2020,
            "last_data_year": 2022,
            "reference_date": dt.date(2022, 12, 31),
            "submission_deadline": demo_deadline(),
            "notice_deadline": OFFICIAL_DEADLINE,  # pages mark the deadline 演示 if it differs
            "county_limit": 2,
            "form_version": "2023",
            "criteria_profile": "ningbo-2023",
            "status": RoundStatus.OPEN,
        },
    )
    report.rounds_created += created
    return round_


class _Story:
    """The time the demo's history is played at: a few days ago (``AGO``: the second batch of
    the review, ``chain``, is assigned and scored after its applications were accepted), read
    again at every step so that receipts and checks follow the events in order — or, in a demo
    database seeded again after its deadline, just before it, where a county's submission is
    still in time."""

    MARGIN = dt.timedelta(hours=1)
    AGO = dt.timedelta(days=3)

    def __init__(self, round_: Round) -> None:
        self.deadline = round_.submission_deadline

    def step(self):
        return clock.frozen(min(clock.now() - self.AGO, self.deadline - self.MARGIN))


def _application(
    report: SeedReport,
    *,
    round_: Round,
    demo: DemoApplication,
    organisation: Organisation,
    officer: User,
    city_officer: User,
) -> None:
    if find_application(round_, organisation, demo) is not None:
        return
    data = demo.form_data()
    if demo.story in (ACCEPTED, COPIED):
        data = _with_copied_plan(data, demo.county)
    story = _Story(round_)
    with story.step():
        application = create_demo_application(round_, organisation, officer, data)
    for state in demo.path:
        actor = officer if state == ApplicationState.SUBMITTED else city_officer
        reason = RETURN_REASON if state == ApplicationState.RETURNED else ""
        with story.step():
            transition(application, state, actor, reason)
    if demo.story:
        STORIES[demo.story](application, story, officer, city_officer)
    report.applications_created += 1


def find_application(
    round_: Round, organisation: Organisation, demo: DemoApplication
) -> Application | None:
    """The demo's application of ``demo`` in ``round_``, if it was made (its name is its key)."""
    return Application.objects.filter(
        round=round_, organisation=organisation, data__part1__cluster_name=demo.cluster_name
    ).first()


def create_demo_application(
    round_: Round, organisation: Organisation, officer: User, data: dict[str, Any]
) -> Application:
    """A draft of ``data`` created by the unit's officer, its evidence files uploaded."""
    data = dict(data)
    register = data.pop("evidence", {})  # filled by the uploads below, with the files' hashes
    application = create_application(
        round_=round_, organisation=organisation, actor=officer, data=data
    )
    upload_demo_evidence(application, register, officer)
    return application


# --- the desk's stories ---------------------------------------------------------------------

RECEIVED_BY = "市经信局收文室 王敏"
RECEIPT_NOTE = "密封完好，加盖公章；电子版光盘 1 张。"

RESUBMIT_REASON = (
    "研发人员占比与佐证材料不符，请核对；“存在的问题”过于笼统，请结合集群实际具体说明。"
)
# What 慈溪市 corrected before resubmitting, in the form's order: (path, new value) — the two
# things the city asked for.
RESUBMIT_CORRECTIONS: tuple[tuple[str, Any], ...] = (
    ("part3.rd_staff_share", 11.8),
    (
        "part8.problems",
        "一是高端模具钢、热流道核心部件进口依赖度仍在60%以上；二是中小模具企业数字化水平"
        "参差不齐，约四成企业尚未上云；三是高技能人才和复合型设计人才缺口约800人。",
    ),
)

# The 发展规划 passage COPY_SOURCE wrote and the COPIED application took over (with its own
# place name and a few commas changed, as a copy is usually touched up).
PLAN_PASSAGE = (
    "下一步，{place}将围绕汽车模具和精密注塑模具两条主线，推动龙头企业牵头组建模具产业创新"
    "联合体，共建共享五轴加工、模流分析和模具检测三类公共平台，每年组织不少于二十场供需对接"
    "活动，引导中小模具企业走专业化、精细化发展道路，力争到二〇二五年新增省级以上专精特新"
    "中小企业三十家。"
)
COPIED_PATH = "part8.key_tasks"  # 八、未来三年中小企业特色产业集群发展规划 · 重点任务


def _with_copied_plan(data: dict[str, Any], county: str) -> dict[str, Any]:
    """COPY_SOURCE's 发展规划 with PLAN_PASSAGE appended, or the copier's with it copied in."""
    passage = PLAN_PASSAGE.format(place=_place(county))
    if county != COPY_SOURCE:
        passage = passage.replace("，共建共享", "；共建共享").replace("，每年", "；每年")
    return with_value(data, COPIED_PATH, get_path(data, COPIED_PATH) + passage)


def _receipt(application: Application, city_officer: User) -> None:
    """The sealed paper set received complete (2 + 3), its electronic version's SHA-256 read
    off the disc and found identical to the submission's — through the desk's own form."""
    submission = latest_submission(application)
    form = ReceiptForm(
        {
            "received_on": clock.today().isoformat(),
            "received_by": RECEIVED_BY,
            "originals": ORIGINALS_REQUIRED,
            "copies": COPIES_REQUIRED,
            "package_sha256": submission.data_sha256,
            "note": RECEIPT_NOTE,
        }
    )
    if not form.is_valid():  # the demo's receipt must pass what an officer's passes
        raise RuntimeError(form.errors.as_text())
    record_receipt(application, city_officer, form.cleaned_data)


def _accepted(application: Application, story: _Story, officer: User, city: User) -> None:
    """Paper set received, formal check passed (the seal ticked by hand), 受理 with it."""
    with story.step():
        _receipt(application, city)
    with story.step():
        manual = {item["id"] for item in checklist(application.round) if not is_auto(item)}
        check = record_check(application, latest_submission(application), city, manual)
        if not check.passed:  # the demo's own application must pass every item
            raise RuntimeError("；".join(item["explanation"] for item in check.failed_items))
    with story.step():
        accept(application, city)


def accept_with_paper(
    application: Application,
    city: User,
    received: dt.datetime,
    accepted: dt.datetime,
    *,
    formal_check: bool = True,
) -> None:
    """The paper set received at ``received``, the formal check passed and 受理 at ``accepted``
    (``_accepted`` at explicit times, for the review's demo). ``formal_check`` False: accepted
    on the paper set alone, as the desk allows (the 2022 round, whose data years the one form
    version does not match)."""
    with clock.frozen(received):
        _receipt(application, city)
    if formal_check:
        with clock.frozen(accepted - dt.timedelta(minutes=30)):
            manual = {item["id"] for item in checklist(application.round) if not is_auto(item)}
            check = record_check(application, latest_submission(application), city, manual)
            if not check.passed:
                raise RuntimeError("；".join(item["explanation"] for item in check.failed_items))
    with clock.frozen(accepted):
        accept(application, city)


def _resubmitted(application: Application, story: _Story, officer: User, city: User) -> None:
    """Returned with a reason, the two things asked for corrected, resubmitted."""
    with story.step():
        send_back(application, city, RESUBMIT_REASON)
    with story.step():
        data = application.data
        changes = [
            Change(path, value, original=get_path(data, path))
            for path, value in RESUBMIT_CORRECTIONS
        ]
        _saved(application, changes, officer)
    with story.step():
        transition(application, ApplicationState.SUBMITTED, officer)


COMMENT_REASON = "请按批注逐项补充说明后重新提交。"
# The city's comments at two fields, and the county's reply to each (path, comment, reply,
# marked answered, what the county changed at the field or None).
FIELD_COMMENTS: tuple[tuple[str, str, str, bool, Any], ...] = (
    (
        "part3.rd_intensity",
        "近三年研发投入强度逐年提高，请附研发费用专项审计报告作为佐证。",
        "专项审计报告正在出具，预计下周上传后重新提交。",
        False,
        None,
    ),
    (
        "part8.safeguards",
        "专项资金未写明来源和年度安排，请补充财政预算安排依据。",
        "已补充：专项资金列入管委会年度财政预算，2023—2025年每年安排5000万元。",
        True,
        "成立由管委会分管领导任组长的集群培育工作专班，模具产业专项资金列入管委会年度财政"
        "预算，2023—2025年每年安排5000万元。",
    ),
)


def _commented(application: Application, story: _Story, officer: User, city: User) -> None:
    """Two comments at fields written while reading, sent with the return; the county answers
    both — one marked 已处理 with the field corrected, one a note that leaves it open."""
    with story.step():
        comments = [add_comment(application, city, path, text) for path, text, *_ in FIELD_COMMENTS]
    with story.step():
        send_back(application, city, COMMENT_REASON)
    with story.step():
        corrections = [
            Change(path, value, original=get_path(application.data, path))
            for path, _, _, _, value in FIELD_COMMENTS
            if value is not None
        ]
        _saved(application, corrections, officer)
        for comment, (_, _, answer, answered, _) in zip(comments, FIELD_COMMENTS, strict=True):
            reply(comment, officer, answer, answered=answered)


def _saved(application: Application, changes: list[Change], officer: User) -> None:
    result = save_changes(application, changes, officer)
    if result.conflicts or result.invalid:
        raise RuntimeError(f"演示数据的修改未能保存：{result.invalid or result.conflicts}")
    application.refresh_from_db()


def _copied(application: Application, story: _Story, officer: User, city: User) -> None:
    """Nothing beyond its submission: the copied passage is in its data (``_with_copied_plan``)."""


STORIES: dict[str, Callable[[Application, _Story, User, User], None]] = {
    ACCEPTED: _accepted,
    RESUBMITTED: _resubmitted,
    COPIED: _copied,
    COMMENTED: _commented,
}


def upload_demo_evidence(
    application: Application, register: dict[str, list[dict[str, Any]]], officer: User
) -> None:
    """A generated PDF for each file the register names, uploaded as the officer would."""
    labels = evidence_labels()
    for path, entries in register.items():
        for entry in entries:
            name = entry["name"]
            content = demo_pdf(
                name.rsplit(".", 1)[0], [f"栏目：{labels.get(path, path)}", f"文件名：{name}"]
            )
            upload = SimpleUploadedFile(name, content, content_type="application/pdf")
            result = upload_evidence(application, path, [upload], officer)
            if result.refused:  # the demo's own files must pass the checks every upload passes
                raise RuntimeError("；".join(result.refused))


def demo_form_data(county: str, cluster_name: str, *, town: str = "") -> dict[str, Any]:
    """The example form moved to ``county`` (and within it to ``town``, if given), renamed
    ``cluster_name`` and made its own.

    The example is a mould-making cluster in 北仑区; its place name recurs in the text, the
    department, company names and file names. Replacing it everywhere keeps a demo application
    coherent for whoever reads it: "北仑区" becomes the county as named ("慈溪市", never
    "慈溪区"), "北仑" its place name. The result is validated against the form schema again.

    The demo's applications are otherwise one example many times over, which the city's
    cross-application check would rightly flag as copies of each other, patent by patent. So
    each keeps only the opening of every narrative box (too short to count as a copied passage),
    and numbers its patents and standards and names its platforms as its own
    (``_made_distinct``); only the pair of ``_with_copied_plan`` shares a passage.

    A unit's second cluster (another round) lies in a ``town`` of the county: its enterprises,
    operator and platforms are named after the town, and its patents and standards numbered
    apart (``TOWN_NUMBERS``), so that it shares nothing with the unit's first.
    """
    example = example_application()
    data = example.model_dump(mode="json")
    old_place = _place(example.cover.county)
    data = _replace_in_strings(data, example.cover.county, _named_in_text(county))
    data = _replace_in_strings(data, old_place, town or _place(county))
    data["cover"]["county"] = county
    data["part1"]["cluster_name"] = cluster_name
    # The demo's evidence is generated as PDF (a scanned certificate or list is filed as one).
    for entries in data["evidence"].values():
        for entry in entries:
            stem, dot, suffix = entry["name"].rpartition(".")
            if dot and suffix.lower() != "pdf":
                entry["name"] = f"{stem}.pdf"
    data = _made_distinct(type(example), data, county, town)
    return type(example).model_validate(data).model_dump(mode="json")


# A narrative box is cut after the last clause that keeps it within this many characters (bar
# punctuation): well under form.overlap.MIN_CHARS, the shortest passage flagged as copied.
OPENING_CHARS = 40
_CLAUSE_END = re.compile(r"(?<=[，；。])")


def _opening(text: str) -> str:
    kept = ""
    for clause in _CLAUSE_END.split(text):
        if len(folded(kept + clause)) > OPENING_CHARS:
            break
        kept += clause
    if not kept:  # a first clause longer than the limit: cut it
        kept = text[:OPENING_CHARS]
    return kept.rstrip("，；、。") + "。"


def _unit_number(county: str) -> int:
    """1, 2, … for the demo's units in their official order; 0 for any other county."""
    counties = [name for name, _ in COUNTIES] + [name for _, name, _ in COMMITTEES]
    return counties.index(county) + 1 if county in counties else 0


_FIRST_NUMBER = re.compile(r"\d+")


# Added to the unit's number for a cluster in one of its towns (two digits: units go to 15).
TOWN_NUMBERS = 20


def _made_distinct(
    model: type, data: dict[str, Any], county: str, town: str = ""
) -> dict[str, Any]:
    """``data`` with its narrative boxes cut to their opening, its patent and standard numbers
    carrying the unit's number and its platforms named after its place (see demo_form_data)."""
    form = model.model_validate(data)
    for node in walk_model(form, "", (), FORM_2023.year_keys):
        text = node.value if node.spec.kind == Kind.NARRATIVE else None
        if isinstance(text, str) and len(folded(text)) > OPENING_CHARS:
            data = with_value(data, node.path, _opening(text))
    number = _unit_number(county) + (TOWN_NUMBERS if town else 0)
    part3 = data["part3"]
    for patent in part3["patents_list"]:
        if patent.get("number"):  # ZL2015 1 0000123.3 → ZL2015 1 05 00123.3 for unit 5
            head, serial = patent["number"][:7], patent["number"][7:]
            patent["number"] = f"{head}{number:02d}{serial[2:]}"
    for standard in part3["standards_list"]:
        if standard.get("code"):
            standard["code"] = _FIRST_NUMBER.sub(
                lambda found: f"{found.group()}{number:02d}", standard["code"], count=1
            )
    place, named = (town, town) if town else (_place(county), _named_in_text(county))
    for block in part3["platforms"].values():
        block["names"] = [
            name if place in name else f"{name.removesuffix('（宁波）')}（{named}）"
            for name in block["names"]
        ]
    return data


def _place(county: str) -> str:
    """ "北仑区" -> "北仑", "慈溪市" -> "慈溪", "宁波杭州湾新区" -> "杭州湾新区": the name as used
    inside other names (宁波北仑模具…)."""
    if county.startswith("宁波"):  # a committee's short name
        return county.removeprefix("宁波")
    return county[:-1] if county[-1:] in ("区", "县", "市") else county


def _named_in_text(county: str) -> str:
    """The county as the example's text names its own ("北仑区经济和信息化局")."""
    return _place(county) if county.startswith("宁波") else county


def _replace_in_strings(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {key: _replace_in_strings(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_in_strings(item, old, new) for item in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value

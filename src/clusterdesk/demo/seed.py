"""Demo data: the Ningbo units, one user per role and unit, the 2023 round, a few applications.

Idempotent: everything is looked up by its natural key (unit name, username, round name, cluster
name) and only created when missing; nothing that exists is changed, not even a password.
Applications are moved through ``workflow.transition`` so that their history is real, and their
evidence files (small generated PDFs, ``demo.evidence``) are uploaded through the evidence domain
like an officer's, so that every download, preview and package of the demo works.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from clusterdesk.accounts.enums import OrganisationKind, Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.demo.evidence import demo_pdf
from clusterdesk.documents.appendix import evidence_labels
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.example import example_application
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

EXPERTS: tuple[str, ...] = ("expert1", "expert2")

RETURN_REASON = "请补充近三年研发经费投入的佐证材料，并核对规上企业数与中小企业数。"


@dataclass(frozen=True)
class DemoApplication:
    county: str  # a district ("XX区"), see demo_form_data
    path: tuple[ApplicationState, ...]  # states to move through after the draft is created

    @property
    def cluster_name(self) -> str:
        return f"宁波{_place(self.county)}模具中小企业特色产业集群（模具产业）"


DEMO_APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication("海曙区", ()),
    DemoApplication("江北区", (ApplicationState.SUBMITTED,)),
    DemoApplication("镇海区", (ApplicationState.SUBMITTED, ApplicationState.RETURNED)),
    DemoApplication("鄞州区", (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)),
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
    logins: list[Login] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(
            (
                self.organisations_created,
                self.users_created,
                self.rounds_created,
                self.applications_created,
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
        for username in EXPERTS:
            _user(report, username, Role.EXPERT, pool)
        round_ = _round(report)
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
    return report


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
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        report.users_created += 1
    # Report the account as it is, in case someone edited it since the first run.
    unit = user.organisation.name if user.organisation else "—"
    report.logins.append(Login(user.username, user.get_role_display(), unit))
    return user


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


def _application(
    report: SeedReport,
    *,
    round_: Round,
    demo: DemoApplication,
    organisation: Organisation,
    officer: User,
    city_officer: User,
) -> None:
    exists = Application.objects.filter(
        round=round_, organisation=organisation, data__part1__cluster_name=demo.cluster_name
    ).exists()
    if exists:
        return
    data = demo_form_data(demo.county, demo.cluster_name)
    register = data.pop("evidence", {})  # filled by the uploads below, with the files' hashes
    application = create_application(
        round_=round_, organisation=organisation, actor=officer, data=data
    )
    _upload_evidence(application, register, officer)
    # The demo round's deadline is in the past: its history is played as of a few days before it.
    with clock.frozen(round_.submission_deadline - dt.timedelta(days=4)):
        for state in demo.path:
            actor = officer if state == ApplicationState.SUBMITTED else city_officer
            reason = RETURN_REASON if state == ApplicationState.RETURNED else ""
            transition(application, state, actor, reason)
    report.applications_created += 1


def _upload_evidence(
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


def demo_form_data(county: str, cluster_name: str) -> dict[str, Any]:
    """The example form moved to ``county`` and renamed ``cluster_name``.

    The example is a mould-making cluster in 北仑区; its place name recurs in the text, the
    department, company names and file names. Replacing it everywhere keeps a demo application
    coherent for whoever reads it. Demo counties are districts like the example's, so "北仑区"
    becomes "海曙区" and never "海曙市". The result is validated against the form schema again.
    """
    example = example_application()
    data = _replace_in_strings(
        example.model_dump(mode="json"), _place(example.cover.county), _place(county)
    )
    data["part1"]["cluster_name"] = cluster_name
    # The demo's evidence is generated as PDF (a scanned certificate or list is filed as one).
    for entries in data["evidence"].values():
        for entry in entries:
            stem, dot, suffix = entry["name"].rpartition(".")
            if dot and suffix.lower() != "pdf":
                entry["name"] = f"{stem}.pdf"
    return type(example).model_validate(data).model_dump(mode="json")


def _place(county: str) -> str:
    """ "北仑区" -> "北仑": the name as used inside other names (宁波北仑模具…)."""
    return county[:-1] if county[-1:] in ("区", "县", "市") else county


def _replace_in_strings(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {key: _replace_in_strings(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_in_strings(item, old, new) for item in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value

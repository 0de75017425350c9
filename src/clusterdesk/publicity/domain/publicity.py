"""公示: the city starts it for the round's proposed clusters; it runs for 5 working days by
China's official calendar (``panel.workdays``: the start day is day 1 and must be a working
day); the public page lists what a 公示 shows and nothing more.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Max, QuerySet

from clusterdesk.accounts.models import User
from clusterdesk.county.domain.documents import title_year
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.documents.publicity_notice import NoticeLine, PublicityNotice, title_text
from clusterdesk.errors import DomainError
from clusterdesk.panel import workdays
from clusterdesk.publicity.models import MAX_SHORT, Decision, Publicity, PublicityItem
from clusterdesk.publicity.permissions import DECIDE
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round

WORKING_DAYS = 5  # 公示期 5 个工作日 (the notice)
ISSUER = "宁波市经济和信息化局"


class PublicityRefused(DomainError):
    """The 公示 was not started; ``message`` says why (naming the field)."""


def today() -> dt.date:
    return clock.today()


def title_for(round_: Round) -> str:
    return title_text(title_year(round_), recheck=is_recheck(round_))


def is_recheck(round_: Round) -> bool:
    """A 复核 round's 公示 lists clusters to pass 复核, not clusters to certify."""
    return round_.kind == RoundKind.RECHECK


def leading_industry(application: Application) -> str:
    """主导产业 as a 公示 lists it: 附件1's 主导产业 (e.g. 模具), else the industry the name
    carries by the notice's naming rule (“…产业集群（模具产业）”), else 主导产业所属产业类型."""
    data = application.data if isinstance(application.data, dict) else {}
    attachment1 = data.get("attachment1")
    named = attachment1.get("leading_industry") if isinstance(attachment1, dict) else None
    if isinstance(named, str) and named.strip():
        return named.strip()
    match = re.search(r"[（(]([^（）()]+)[）)]\s*$", str(application))
    return match.group(1) if match else (application.listed_industry or "")


def latest_proposals(applications: list[Application]) -> dict[int, int]:
    """Application id → the id of its latest 拟认定 event."""
    rows = (
        ApplicationEvent.objects.filter(application__in=applications, to_state=State.PROPOSED)
        .values("application_id")
        .annotate(latest=Max("pk"))
    )
    return {row["application_id"]: row["latest"] for row in rows}


def awaiting_publicity(round_: Round) -> list[Application]:
    """The round's proposed applications whose current proposal no 公示 has covered yet."""
    proposed = list(
        Application.objects.filter(round=round_, state=State.PROPOSED)
        .select_related("organisation")
        .order_by("listed_name", "pk")
    )
    proposals = latest_proposals(proposed)
    covered = set(
        PublicityItem.objects.filter(proposal_id__in=proposals.values()).values_list(
            "proposal_id", flat=True
        )
    )
    return [app for app in proposed if proposals.get(app.pk) not in covered]


def start_publicity(
    round_: Round,
    starts_on: dt.date | None,
    contact: str,
    actor: User,
    *,
    working_days: int = WORKING_DAYS,
    issuer: str = ISSUER,
) -> Publicity:
    """Start the 公示 of ``round_``'s proposed clusters on ``starts_on`` (a working day)."""
    denied = DECIDE.refusal(actor)
    if denied:
        raise PublicityRefused(denied)
    if starts_on is None:
        raise PublicityRefused("公示开始日期：请填写日期。")
    try:
        ends_on = workdays.period_end(starts_on, working_days)
    except workdays.NotAWorkingDay as not_working:
        raise PublicityRefused(f"公示开始日期：{not_working.message}") from not_working
    except workdays.CalendarNotCovered as unknown:
        raise PublicityRefused(f"公示开始日期：{unknown.message}") from unknown
    contact = contact.strip()
    if not contact:
        raise PublicityRefused(
            "异议受理联系人及方式：请填写（如：中小企业处 张三 0574-00000000）。"
        )
    if len(contact) > MAX_SHORT:
        raise PublicityRefused(f"异议受理联系人及方式：不能超过 {MAX_SHORT} 字。")
    latest = Decision.objects.filter(round=round_).order_by("-held_on").first()
    if latest is not None and starts_on < latest.held_on:
        raise PublicityRefused(
            f"公示开始日期：不能早于会审日期{workdays.chinese_date(latest.held_on)}。"
        )
    with transaction.atomic():
        # Two officers starting at once must not both list the same clusters (PostgreSQL).
        list(Round.objects.select_for_update().filter(pk=round_.pk).values("pk"))
        applications = awaiting_publicity(round_)
        if not applications:
            raise PublicityRefused("本轮次没有待公示的拟认定集群，请先完成会审。")
        publicity = Publicity.objects.create(
            round=round_,
            title=title_for(round_),
            starts_on=starts_on,
            ends_on=ends_on,
            working_days=working_days,
            contact=contact,
            issuer=issuer,
            started_by=actor,
            # When it was recorded, like the workflow's events; ``starts_on`` is the business date.
            started_at=clock.now(),
        )
        proposals = latest_proposals(applications)
        for position, app in enumerate(applications, start=1):
            PublicityItem.objects.create(
                publicity=publicity,
                application=app,
                proposal_id=proposals[app.pk],
                position=position,
                cluster_name=str(app)[:MAX_SHORT],
                unit=app.organisation.name,
                county=app.organisation.county,
                industry=leading_industry(app)[:MAX_SHORT],
            )
    return publicity


def publicity_for(application: Application) -> Publicity | None:
    """The 公示 of ``application``'s current proposal (its latest 拟认定), or None — an
    earlier 公示 of a proposal since taken back does not count."""
    proposal = latest_proposals([application]).get(application.pk)
    if proposal is None:
        return None
    return (
        Publicity.objects.filter(items__application=application, items__proposal_id=proposal)
        .order_by("-started_at", "-pk")
        .first()
    )


def ended_publicities(round_: Round) -> list[Publicity]:
    """The round's 公示 whose period is over (today after ``ends_on``)."""
    return list(Publicity.objects.filter(round=round_, ends_on__lt=today()))


def current_publicities(on: dt.date | None = None) -> QuerySet[Publicity]:
    """公示 running on ``on`` (today): what the public page lists."""
    on = on or today()
    return (
        Publicity.objects.filter(starts_on__lte=on, ends_on__gte=on)
        .select_related("round")
        .prefetch_related("items")
    )


def public_publicities() -> QuerySet[Publicity]:
    """公示 that have started (running or over): their notices stay public."""
    return Publicity.objects.filter(starts_on__lte=today())


def publicities_of(round_: Round) -> list[Publicity]:
    return list(
        Publicity.objects.filter(round=round_).prefetch_related("items").order_by("-started_at")
    )


def status_of(publicity: Publicity, on: dt.date | None = None) -> str:
    on = on or today()
    if on < publicity.starts_on:
        return "未开始"
    if on <= publicity.ends_on:
        return "公示中"
    return "已结束"


def notice_of(publicity: Publicity) -> PublicityNotice:
    """What the notice document says: only what a 公示 shows."""
    return PublicityNotice(
        title=publicity.title,
        year=title_year(publicity.round),
        lines=[
            NoticeLine(
                position=item.position,
                cluster_name=item.cluster_name,
                unit=item.unit,
                county=item.county,
                industry=item.industry,
            )
            for item in publicity.items.all()
        ],
        starts_on=publicity.starts_on,
        ends_on=publicity.ends_on,
        working_days=publicity.working_days,
        contact=publicity.contact,
        issuer=publicity.issuer,
        issued_on=publicity.starts_on,
        recheck=is_recheck(publicity.round),
    )


def in_publicity(publicity: Publicity, application_id: int | None) -> Application | None:
    item = publicity.items.filter(application_id=application_id).select_related("application")
    found = item.first() if application_id else None
    return found.application if found else None

"""The demo's expert pool (专家库): eight experts of Ningbo's universities, institutes, trade
bodies and firms, one with a declared conflict of interest (回避) at a 奉化区 enterprise.

Their accounts are made like every other demo account; their profiles are recorded as the city's
additions to the pool (``EXPERT_CREATED``) and the conflict is declared by the expert through the
review app's door (``declare_conflict``). The accounts expert1 and expert2 predate the pool: in a
database seeded before it they get their profile and nothing else of them changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.review.domain.events import record
from clusterdesk.review.domain.experts import declare_conflict
from clusterdesk.review.enums import EventAction, Relation
from clusterdesk.review.models import ExpertProfile


@dataclass(frozen=True)
class DemoExpert:
    username: str
    name: str
    organisation: str
    title: str
    fields: tuple[str, ...]
    phone: str


EXPERTS: tuple[DemoExpert, ...] = (
    DemoExpert(
        "expert1",
        "陈立新",
        "宁波大学机械工程与力学学院",
        "教授",
        ("模具", "精密制造", "先进制造业"),
        "0574-87600311",
    ),
    DemoExpert(
        "expert2",
        "王海燕",
        "宁波工程学院经济与管理学院",
        "教授",
        ("产业经济", "产业集群", "中小企业"),
        "0574-87081226",
    ),
    DemoExpert(
        "expert3",
        "李建国",
        "中国科学院宁波材料技术与工程研究所",
        "研究员",
        ("新材料", "模具钢", "模具"),
        "0574-86685102",
    ),
    DemoExpert(
        "expert4",
        "张晓梅",
        "宁波市企业联合会",
        "高级经济师",
        ("中小企业", "企业管理", "专精特新"),
        "0574-87195536",
    ),
    DemoExpert(
        "expert5",
        "刘伟",
        "宁波市模具行业协会",
        "正高级工程师",
        ("模具", "注塑成型", "汽车零部件"),
        "0574-86302718",
    ),
    DemoExpert(
        "expert6",
        "赵丽华",
        "浙江万里学院商学院",
        "教授",
        ("数字化转型", "产业经济", "服务业"),
        "0574-88222940",
    ),
    DemoExpert(
        "expert7",
        "孙志强",
        "宁波市智能制造技术研究院",
        "正高级工程师",
        ("智能制造", "工业互联网", "模具"),
        "0574-87911605",
    ),
    DemoExpert(
        "expert8",
        "周敏",
        "宁波天衡会计师事务所",
        "高级会计师、注册会计师",
        ("财务审计", "绿色低碳", "中小企业"),
        "0574-87296653",
    ),
)

# expert5 advises an enterprise named in 奉化区's application: the assignment refuses them there.
USERNAMES = tuple(demo.username for demo in EXPERTS)

CONFLICTED = "expert5"
CONFLICT_COUNTERPART = "宁波奉化合力模具有限公司"
CONFLICT_RELATION = Relation.ADVISER
CONFLICT_SINCE = dt.date(2021, 3, 1)
CONFLICT_NOTE = "担任该公司模具技术顾问，签有技术咨询协议，至今有效。"


def seed_profiles(city: User) -> int:
    """Each demo expert's profile where their account has none yet; how many were created.
    The accounts themselves are made like every other demo account (``seed._user``: the pool as
    their unit, the shared password)."""
    created = 0
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    have = set(
        ExpertProfile.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
    )
    for demo in EXPERTS:
        user = users.get(demo.username)
        if user is not None and user.pk not in have:
            _profile_for_existing(user, demo, city)
            created += 1
    _declare_conflict()
    return created


def _profile_for_existing(user: User, demo: DemoExpert, city: User) -> None:
    """The expert's profile, recorded as the city's addition to the pool (as ``create_expert``
    records it, which would make the account too)."""
    with transaction.atomic():
        ExpertProfile.objects.create(
            user=user,
            name=demo.name,
            organisation_name=demo.organisation,
            title=demo.title,
            fields=list(demo.fields),
            phone=demo.phone,
        )
        record(
            EventAction.EXPERT_CREATED,
            city,
            expert=user,
            detail={"name": demo.name, "organisation_name": demo.organisation},
        )


def _conflict_declared() -> bool:
    return ExpertProfile.objects.filter(
        user__username=CONFLICTED, conflicts__counterpart=CONFLICT_COUNTERPART
    ).exists()


def _declare_conflict() -> None:
    if _conflict_declared():
        return
    profile = ExpertProfile.objects.get(user__username=CONFLICTED)
    declare_conflict(
        profile,
        actor=profile.user,  # the expert declares it themself
        counterpart=CONFLICT_COUNTERPART,
        relation=CONFLICT_RELATION,
        started_on=CONFLICT_SINCE,
        note=CONFLICT_NOTE,
    )

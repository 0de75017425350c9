"""Managing rounds: who may, what a valid round is, and the audited create/update/open/close.

``Round.clean()`` already checks the order of the data years and that the reference date falls in
the last data year; :func:`round_problems` adds the rules that need the form versions, the
criteria profiles or the round's applications. Every change writes a ``RoundEvent`` in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.errors import DomainError
from clusterdesk.form.criteria import (
    Profile,
    Threshold,
    list_profiles,
    load_profile,
    unset_thresholds,
)
from clusterdesk.form.criteria.metrics import fmt_threshold
from clusterdesk.form.versions import FORM_VERSIONS
from clusterdesk.rounds.enums import RoundAction, RoundKind, RoundStatus
from clusterdesk.rounds.models import Round, RoundEvent
from clusterdesk.rounds.permissions import MANAGE, THRESHOLDS

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")

EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "first_data_year",
    "last_data_year",
    "reference_date",
    "submission_deadline",
    "county_limit",
    "form_version",
    "criteria_profile",
)
# Applications already filled in against these; changing them would silently re-label their data.
FROZEN_ONCE_APPLIED: tuple[str, ...] = (
    "first_data_year",
    "last_data_year",
    "reference_date",
    "form_version",
)


def round_management_refusal(user: User) -> str | None:
    """Why ``user`` may not create, edit, open or close rounds."""
    return MANAGE.refusal(user)


def manageable_rounds(user: User) -> QuerySet[Round]:
    """The rounds ``user`` may manage: all of them for the city bureau, none for anyone else."""
    if round_management_refusal(user):
        return Round.objects.none()
    return Round.objects.all()


def form_version_choices() -> list[tuple[str, str]]:
    return [
        (version.id, f"{version.id}年版（数据年度{_years(version.data_years)}）")
        for version in FORM_VERSIONS.values()
    ]


def criteria_profile_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The profiles a round may use: not the templates (other provinces' figures, to copy from),
    except the round's ``current`` one, which it keeps."""
    return [
        (profile.id, profile.name)
        for profile in list_profiles()
        if not profile.template or profile.id == current
    ]


def template_profiles() -> list[Profile]:
    """Other provinces' variants, offered only as templates to copy (README: 认定标准与阈值)."""
    return [profile for profile in list_profiles() if profile.template]


# Data years a round may ask for: wide enough for any real call, narrow enough to be checked.
DATA_YEARS = range(2000, 2101)


def round_problems(values: Mapping[str, Any], existing: Round | None = None) -> dict[str, str]:
    """Field -> Chinese message for each rule ``values`` break; checks only the values present.

    ``existing`` is the round as stored, when ``values`` would change it.
    """
    problems: dict[str, str] = {}
    first, last = values.get("first_data_year"), values.get("last_data_year")
    reference = values.get("reference_date")
    deadline = values.get("submission_deadline")

    for field, year in (("first_data_year", first), ("last_data_year", last)):
        if year is not None and year not in DATA_YEARS:
            problems[field] = f"数据年度应在{DATA_YEARS[0]}—{DATA_YEARS[-1]}年之间。"
    if "first_data_year" in problems or "last_data_year" in problems:
        # The checks below would build the range of years: 2020–10²⁰ must not get that far.
        first = last = None

    limit = values.get("county_limit")
    if limit is not None and limit < 1:
        problems["county_limit"] = "每个申报单位限报数至少为 1。"

    if deadline is not None:
        if timezone.is_naive(deadline):
            problems["submission_deadline"] = "申报截止时间必须注明时区（北京时间）。"
        elif reference is not None and deadline.astimezone(SHANGHAI).date() <= reference:
            problems["submission_deadline"] = (
                f"申报截止时间应晚于数据年度：不能早于或等于数据基准日（{_date(reference)}）。"
            )

    profile = values.get("criteria_profile")
    current = existing.criteria_profile if existing is not None else None
    if profile is not None and profile not in dict(criteria_profile_choices(current)):
        templates = {template.id: template.name for template in template_profiles()}
        if profile in templates:
            problems["criteria_profile"] = (
                f"“{templates[profile]}”仅供复制参考，不能直接用于本市的申报轮次。"
            )
        else:
            problems["criteria_profile"] = f"认定标准“{profile}”不存在，请从列表中选择。"

    version_id = values.get("form_version")
    version = FORM_VERSIONS.get(version_id) if version_id is not None else None
    if version_id is not None and version is None:
        problems["form_version"] = f"申报表版本“{version_id}”不存在，请从列表中选择。"
    elif version is not None and first is not None and last is not None and first <= last:
        years = tuple(range(first, last + 1))
        if years != version.data_years:
            problems["form_version"] = (
                f"申报表{version.id}年版的数据年度为{_years(version.data_years)}，"
                f"与本轮的数据年度{_years(years)}不一致：请调整数据年度，或选择相应版本的申报表。"
            )

    if existing is not None and existing.pk is not None:
        problems.update(_frozen_problems(values, existing))
    return problems


def create_round(*, actor: User, values: Mapping[str, Any]) -> Round:
    """Create a round, open for applications, and record who created it."""
    _check_manager(actor)
    _validate_keys(values)
    problems = round_problems(values)
    round_ = Round(status=RoundStatus.OPEN)
    _assign(round_, values)
    _raise_problems(round_, problems)
    with transaction.atomic():
        round_.save()
        _record(round_, RoundAction.CREATED, actor, note="新建并开放申报")
    logger.info("round %s (%s) created by %s", round_.pk, round_.name, actor.username)
    return round_


def update_round(round_: Round, *, actor: User, values: Mapping[str, Any]) -> Round:
    """Change a round's settings; records which fields changed. Status is not changed here."""
    _check_manager(actor)
    with transaction.atomic():
        current = Round.objects.select_for_update().get(pk=round_.pk)
        _validate_keys(values)
        changed = [name for name in values if getattr(current, name) != values[name]]
        problems = round_problems(values, existing=current)
        _assign(current, values)
        _raise_problems(current, problems)
        if not changed:
            return current
        dropped = _drop_unfit_thresholds(current)
        current.save()
        labels = "、".join(str(Round._meta.get_field(name).verbose_name) for name in changed)
        _record(current, RoundAction.UPDATED, actor, note=f"修改了：{labels}{dropped}")
    logger.info("round %s updated by %s: %s", current.pk, actor.username, ", ".join(changed))
    return current


# --- thresholds the profile leaves unset --------------------------------------------------------


def threshold_refusal(user: User) -> str | None:
    """Why ``user`` may not set a round's criteria thresholds."""
    return THRESHOLDS.refusal(user)


@dataclass(frozen=True)
class ThresholdSetting:
    threshold: Threshold
    value: str | None  # as set for the round, e.g. "5"; None: unset (未评估)


def threshold_settings(round_: Round) -> list[ThresholdSetting]:
    """Each threshold the round's profile leaves unset, with the round's value if it set one."""
    stored = round_.criteria_thresholds or {}
    profile = load_profile(round_.criteria_profile)
    return [ThresholdSetting(t, stored.get(t.key)) for t in unset_thresholds(profile)]


def set_thresholds(round_: Round, *, actor: User, values: Mapping[str, Decimal | None]) -> Round:
    """Set (a number) or clear (None) the round's unset thresholds; records old → new."""
    problem = threshold_refusal(actor)
    if problem:
        raise DomainError(problem)
    with transaction.atomic():
        current = Round.objects.select_for_update().get(pk=round_.pk)
        known = {s.threshold.key: s for s in threshold_settings(current)}
        unknown = set(values) - set(known)
        if unknown:
            raise ValueError(f"not unset thresholds of {current.criteria_profile}: {unknown}")
        stored = dict(current.criteria_thresholds or {})
        changes = []
        for key, value in values.items():
            text = None if value is None else fmt_threshold(value)
            if stored.get(key) == text:
                continue
            threshold = known[key].threshold
            unit = threshold.unit or ""
            old = f"{stored[key]}{unit}" if key in stored else "未设定"
            new = f"{text}{unit}" if text is not None else "未设定"
            changes.append(f"{threshold.metric}（{threshold.op}）：{old}→{new}")
            if text is None:
                stored.pop(key, None)
            else:
                stored[key] = text
        if not changes:
            return current
        current.criteria_thresholds = stored
        current.save(update_fields=["criteria_thresholds"])
        _record(current, RoundAction.THRESHOLDS, actor, note="；".join(changes))
    logger.info("round %s thresholds set by %s: %s", current.pk, actor.username, stored)
    round_.criteria_thresholds = current.criteria_thresholds
    return current


def _drop_unfit_thresholds(round_: Round) -> str:
    """A new profile may leave other thresholds unset: the round keeps the values that still
    name one, and the event says which it dropped."""
    stored = round_.criteria_thresholds or {}
    if not stored:
        return ""
    fit = {t.key for t in unset_thresholds(load_profile(round_.criteria_profile))}
    dropped = sorted(set(stored) - fit)
    if not dropped:
        return ""
    round_.criteria_thresholds = {k: v for k, v in stored.items() if k in fit}
    return f"（新认定标准中没有的阈值设定已移除：{'、'.join(dropped)}）"


def open_refusal(round_: Round, now: dt.datetime | None = None) -> str | None:
    if round_.is_open:
        return f"申报轮次“{round_}”已在开放申报。"
    if round_.submission_deadline <= (now or timezone.now()):
        deadline = round_.submission_deadline.astimezone(SHANGHAI)
        return (
            f"申报截止时间（{_date(deadline.date())} {deadline:%H:%M}）已过，"
            "请先修改截止时间再开放申报。"
        )
    return None


def close_refusal(round_: Round) -> str | None:
    if not round_.is_open:
        return f"申报轮次“{round_}”已关闭。"
    return None


def open_round(round_: Round, *, actor: User) -> Round:
    return _set_status(round_, actor, RoundStatus.OPEN)


def close_round(round_: Round, *, actor: User) -> Round:
    return _set_status(round_, actor, RoundStatus.CLOSED)


def _set_status(round_: Round, actor: User, status: RoundStatus) -> Round:
    _check_manager(actor)
    with transaction.atomic():
        current = Round.objects.select_for_update().get(pk=round_.pk)
        opening = status == RoundStatus.OPEN
        problem = open_refusal(current) if opening else close_refusal(current)
        if problem:
            raise DomainError(problem)
        current.status = status
        current.save(update_fields=["status"])
        _record(current, RoundAction.OPENED if opening else RoundAction.CLOSED, actor)
    logger.info("round %s %s by %s", current.pk, status, actor.username)
    round_.status = current.status
    return current


def _check_manager(actor: User) -> None:
    problem = round_management_refusal(actor)
    if problem:
        raise DomainError(problem)


def _validate_keys(values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable round fields: {sorted(unknown)}")


def _assign(round_: Round, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(round_, name, value)


def _raise_problems(round_: Round, problems: dict[str, str]) -> None:
    """Model rules (fields, order of years, uniqueness) plus ``problems``, reported together."""
    errors: dict[str, list[str]] = {}
    try:
        # The database enforces the check constraints; round_problems words them in Chinese.
        round_.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    for field, message in problems.items():
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


def _frozen_problems(values: Mapping[str, Any], existing: Round) -> dict[str, str]:
    changed = [
        name
        for name in FROZEN_ONCE_APPLIED
        if name in values and values[name] != getattr(existing, name)
    ]
    if not changed:
        return {}
    count = existing.applications.count()
    if not count:
        return {}
    return {
        name: (
            f"本轮已有 {count} 份申报，不能再修改{Round._meta.get_field(name).verbose_name}"
            "（已填报的数据按原设置填写）。"
        )
        for name in changed
    }


def _record(round_: Round, action: RoundAction, actor: User, note: str = "") -> RoundEvent:
    return RoundEvent.objects.create(round=round_, action=action, actor=actor, note=note)


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _years(years: tuple[int, ...]) -> str:
    return f"{years[0]}—{years[-1]}年"


def open_rounds() -> QuerySet[Round]:
    """Declaration rounds accepting applications, the one closing first on top. An annual
    report's round is not one: its reports are started per cluster on the 年度报告 page."""
    return Round.objects.filter(status=RoundStatus.OPEN, kind=RoundKind.DECLARATION).order_by(
        "submission_deadline", "pk"
    )


def reviewed_rounds() -> QuerySet[Round]:
    """The rounds the review machinery works on (declarations and 复核), never an annual
    report's round (its reports are accepted on the monitoring pages): the round selectors of
    review, scoring, hearings, 会审与公示 and the registry."""
    return Round.objects.exclude(kind=RoundKind.ANNUAL)


def reviewed_rounds_open_first() -> list[Round]:
    """``reviewed_rounds``, open ones first, each group newest deadline first (the selector of
    会审与公示 and of the 发文 pages)."""
    rounds = list(reviewed_rounds().order_by("-submission_deadline", "-pk"))
    return [r for r in rounds if r.status == RoundStatus.OPEN] + [
        r for r in rounds if r.status != RoundStatus.OPEN
    ]

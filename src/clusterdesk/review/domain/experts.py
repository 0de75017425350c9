"""The expert pool (专家库) and each expert's conflict register: the audited doors.

An expert is a ``User`` with the role 专家 and an ``ExpertProfile``, created together by the city
bureau: the username and an initial password the city sets (checked by the project's password
validators; the expert changes it after logging in, like every user).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.errors import DomainError
from clusterdesk.review.domain.events import check, record
from clusterdesk.review.enums import EventAction, Relation
from clusterdesk.review.models import MAX_FIELDS, ConflictDeclaration, ExpertProfile

PROFILE_FIELDS = ("name", "organisation_name", "title", "fields", "phone")
MAX_DECLARATIONS = 100


def clean_fields(fields: Iterable[str] | str) -> list[str]:
    """专业领域 from a list or from text separated by 、，, ; or new lines; de-duplicated."""
    if isinstance(fields, str):
        for separator in "，,；;\n\r":
            fields = fields.replace(separator, "、")
        fields = fields.split("、")
    cleaned: list[str] = []
    for item in fields:
        text = item.strip()
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_FIELDS:
        raise ValidationError({"fields": f"专业领域最多填写 {MAX_FIELDS} 项。"})
    if any(len(item) > 30 for item in cleaned):
        raise ValidationError({"fields": "每项专业领域不能超过 30 个字。"})
    return cleaned


def create_expert(
    *,
    actor: User,
    username: str,
    password: str,
    name: str,
    organisation_name: str,
    title: str = "",
    fields: Iterable[str] | str = (),
    phone: str = "",
    email: str = "",
) -> ExpertProfile:
    """Create the expert's account (role 专家) and profile in one transaction, recorded."""
    check("review.manage", actor)
    username = (username or "").strip()
    user = User(username=username, role=Role.EXPERT, email=(email or "").strip())
    user.last_name = (name or "").strip()
    profile = ExpertProfile(
        user=user,
        name=(name or "").strip(),
        organisation_name=(organisation_name or "").strip(),
        title=(title or "").strip(),
        phone=(phone or "").strip(),
    )
    errors: dict[str, list[str]] = {}
    try:
        profile.fields = clean_fields(fields)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault("username" if key == "__all__" else key, []).extend(messages)
    if not password:
        errors.setdefault("password", []).append("请设置初始密码。")
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    try:
        profile.full_clean(exclude=["user", "fields"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": f"用户名“{username}”已被使用。"})
        user.set_password(password)
        user.save()
        profile.user = user
        profile.save()
        record(
            EventAction.EXPERT_CREATED,
            actor,
            expert=user,
            detail={"name": profile.name, "organisation_name": profile.organisation_name},
        )
    return profile


def update_expert(profile: ExpertProfile, *, actor: User, **values) -> ExpertProfile:
    """Change the expert's profile; the event lists old → new."""
    check("review.manage", actor)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    if "fields" in values:
        values["fields"] = clean_fields(values["fields"])
    with transaction.atomic():
        current = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        changes = []
        for key, raw in values.items():
            value = raw.strip() if isinstance(raw, str) else raw
            if getattr(current, key) != value:
                label = ExpertProfile._meta.get_field(key).verbose_name
                changes.append(f"{label}：{_show(getattr(current, key))}→{_show(value)}")
                setattr(current, key, value)
        current.full_clean(exclude=["user"])
        if not changes:
            return current
        current.save()
        if "name" in values:
            User.objects.filter(pk=current.user_id).update(last_name=current.name)
        record(EventAction.EXPERT_UPDATED, actor, expert=current.user, reason="；".join(changes))
    return current


def set_active(
    profile: ExpertProfile, *, actor: User, active: bool, reason: str = ""
) -> ExpertProfile:
    """Deactivate (no new assignments, no access to the review) or reactivate an expert."""
    check("review.manage", actor)
    with transaction.atomic():
        current = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        if current.active == active:
            state = "在库" if active else "已停用"
            raise DomainError(f"专家“{current.name}”{state}，无需重复操作。")
        current.active = active
        current.save(update_fields=["active"])
        action = EventAction.EXPERT_ACTIVATED if active else EventAction.EXPERT_DEACTIVATED
        record(action, actor, expert=current.user, reason=(reason or "").strip()[:300])
    return current


def expert_pool(*, q: str = "", field: str = "", active: str = "") -> QuerySet[ExpertProfile]:
    """The pool filtered: ``q`` in name, unit or username; ``field`` among the fields (text);
    ``active`` "yes"/"no"/"" ."""
    experts = ExpertProfile.objects.select_related("user").order_by("name", "pk")
    if q:
        experts = experts.filter(
            Q(name__icontains=q)
            | Q(organisation_name__icontains=q)
            | Q(user__username__icontains=q)
        )
    if active == "yes":
        experts = experts.filter(active=True)
    elif active == "no":
        experts = experts.filter(active=False)
    if field:
        # The JSON list is searched in Python: portable between SQLite and PostgreSQL, and the
        # pool is a few hundred people at most.
        keep = [e.pk for e in experts if any(field in item for item in e.fields or [])]
        experts = experts.filter(pk__in=keep)
    return experts


# --- the conflict register ----------------------------------------------------------------------


def declare_conflict(
    profile: ExpertProfile,
    *,
    actor: User,
    counterpart: str,
    relation: str,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    note: str = "",
) -> ConflictDeclaration:
    """The expert (or the city, for them) declares a relation to a unit or enterprise."""
    _check_own_or_city(profile, actor)
    counterpart = (counterpart or "").strip()
    errors: dict[str, str] = {}
    if not counterpart:
        errors["counterpart"] = "请填写单位/企业名称。"
    elif len(counterpart) > 100:
        errors["counterpart"] = "单位/企业名称不能超过 100 个字。"
    if relation not in Relation.values:
        errors["relation"] = "请从列表中选择关系（任职、顾问、持股、合作或其他）。"
    if started_on and ended_on and ended_on < started_on:
        errors["ended_on"] = "结束日期不能早于起始日期。"
    if len((note or "").strip()) > 200:
        errors["note"] = "说明不能超过 200 个字。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if profile.conflicts.count() >= MAX_DECLARATIONS:
            raise DomainError(f"每位专家最多登记 {MAX_DECLARATIONS} 条利益关联。")
        declaration = ConflictDeclaration.objects.create(
            expert=profile,
            counterpart=counterpart,
            relation=relation,
            started_on=started_on,
            ended_on=ended_on,
            note=(note or "").strip(),
        )
        record(
            EventAction.CONFLICT_DECLARED,
            actor,
            expert=profile.user,
            reason=f"{counterpart}（{relation}）",
            detail=_declaration_detail(declaration),
        )
    return declaration


def end_conflict(
    declaration: ConflictDeclaration, *, actor: User, ended_on: dt.date
) -> ConflictDeclaration:
    """An ongoing relation ended on ``ended_on`` (it still counts for the years of the rule)."""
    _check_own_or_city(declaration.expert, actor)
    if ended_on is None:
        raise ValidationError({"ended_on": "请填写结束日期。"})
    with transaction.atomic():
        current = ConflictDeclaration.objects.select_for_update().get(pk=declaration.pk)
        if current.ended_on is not None:
            raise DomainError(f"与“{current.counterpart}”的关联已于 {current.ended_on} 结束。")
        if current.started_on and ended_on < current.started_on:
            raise ValidationError({"ended_on": "结束日期不能早于起始日期。"})
        current.ended_on = ended_on
        current.save(update_fields=["ended_on"])
        record(
            EventAction.CONFLICT_ENDED,
            actor,
            expert=current.expert.user,
            reason=f"{current.counterpart}（{current.relation}）于 {ended_on} 结束",
            detail=_declaration_detail(current),
        )
    return current


def _check_own_or_city(profile: ExpertProfile, actor: User) -> None:
    from clusterdesk.accounts.permissions import may  # noqa: PLC0415

    if may("review.manage", actor):
        return
    check("review.expert", actor)
    if profile.user_id != actor.pk:
        raise DomainError("只能登记本人的利益关联。")


def _declaration_detail(declaration: ConflictDeclaration) -> dict:
    return {
        "declaration": declaration.pk,
        "counterpart": declaration.counterpart,
        "relation": declaration.relation,
        "started_on": declaration.started_on.isoformat() if declaration.started_on else None,
        "ended_on": declaration.ended_on.isoformat() if declaration.ended_on else None,
    }


def _show(value) -> str:
    if isinstance(value, list):
        return "、".join(value) or "（空）"
    return str(value) or "（空）"

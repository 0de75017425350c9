"""Which organisation a user of each role may belong to (pure rules, shared by clean() and domain).

Returns a Chinese explanation when the pairing is not allowed, ``None`` when it is.
"""

from __future__ import annotations

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS, OrganisationKind, Role

# role -> (organisation required?, kinds allowed). An admin or an expert may stand alone.
_ROLE_ORGANISATIONS: dict[str, tuple[bool, frozenset[str]]] = {
    Role.COUNTY_OFFICER: (True, COUNTY_LEVEL_KINDS),
    Role.CITY_OFFICER: (True, frozenset({OrganisationKind.CITY_BUREAU})),
    Role.EXPERT: (False, frozenset({OrganisationKind.EXPERT_POOL})),
    Role.ADMIN: (False, frozenset(OrganisationKind.values)),
}


def organisation_problem(role: str, organisation_kind: str | None) -> str | None:
    """Why a user with ``role`` cannot belong to an organisation of ``organisation_kind``."""
    if role not in _ROLE_ORGANISATIONS:
        return f"未知角色：{role}"
    required, kinds = _ROLE_ORGANISATIONS[role]
    role_label = Role(role).label
    if organisation_kind is None:
        return f"“{role_label}”用户必须指定所属单位。" if required else None
    if organisation_kind not in kinds:
        allowed = "、".join(OrganisationKind(kind).label for kind in sorted(kinds))
        return f"“{role_label}”用户的所属单位必须是：{allowed}。"
    return None

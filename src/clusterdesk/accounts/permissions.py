"""May this user do this (to this object), and if not, why — answered in one place.

A rule is a named list of checks; each check is a predicate and the Chinese refusal it gives, and
the first check that fails says why. Each app declares its rules in its own ``permissions.py``
(loaded by its AppConfig), built from the shared checks below, and everything that asks — views
(``accounts.access.require``), domain doors, the workflow, templates (``{% may %}``) and tests —
asks ``refusal(name, user, obj)`` or ``may(...)``. The queries that scope lists
(``visible_applications``) are the SQL twins of the view rules; tests/accounts/test_permissions.py
checks that both agree for every role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from clusterdesk.accounts.enums import Role

Predicate = Callable[[Any, Any], bool]  # (user, obj) → allowed?
Message = str | Callable[[Any, Any], str]


@dataclass(frozen=True)
class Check:
    allows: Predicate
    refusal: Message

    def why_not(self, user: Any, obj: Any) -> str | None:
        if self.allows(user, obj):
            return None
        return self.refusal(user, obj) if callable(self.refusal) else self.refusal


@dataclass(frozen=True)
class Rule:
    name: str
    checks: tuple[Check, ...]

    def refusal(self, user: Any, obj: Any = None) -> str | None:
        for check in self.checks:
            problem = check.why_not(user, obj)
            if problem:
                return problem
        return None


RULES: dict[str, Rule] = {}


def rule(name: str, *checks: Check) -> Rule:
    """Declare the rule ``name`` (once: a second declaration is a programming error)."""
    if name in RULES:
        raise ValueError(f"rule {name!r} is declared twice")
    RULES[name] = Rule(name, checks)
    return RULES[name]


def refusal(name: str, user: Any, obj: Any = None) -> str | None:
    """Why ``user`` may not do ``name`` (to ``obj``), in Chinese; None if they may."""
    return RULES[name].refusal(user, obj)


def may(name: str, user: Any, obj: Any = None) -> bool:
    return refusal(name, user, obj) is None


# --- checks the apps build their rules from ----------------------------------------------------

SIGNED_IN = Check(lambda user, _: bool(user and user.is_authenticated), "请先登录。")
ACTIVE = Check(lambda user, _: user.is_active, "您的账户已停用。")


def role_in(roles: Iterable[str], refusal: Message) -> Check:
    allowed = frozenset(roles)
    return Check(lambda user, _: user.role in allowed, refusal)


def role_not(role: str, refusal: Message) -> Check:
    return Check(lambda user, _: user.role != role, refusal)


def county_officer(refusal: Message) -> Check:
    """A county officer with a unit (an officer without one can do no county's work)."""
    return Check(
        lambda user, _: user.role == Role.COUNTY_OFFICER and user.organisation_id is not None,
        refusal,
    )

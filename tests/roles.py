"""Every kind of visitor an access test must try, by name, for ``pytest.mark.parametrize``.

``county`` and ``other_county`` are officers of two different counties; tests that create county
data create it for ``county``'s organisation (pass ``home`` below) and expect ``other_county`` to
see none of it.
"""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import Organisation, User
from tests.factories import make_admin, make_city_officer, make_county_officer, make_user

ROLES = ("anonymous", "county", "other_county", "city", "expert", "admin")
MANAGERS = ("city", "admin")
NOT_MANAGERS = ("county", "other_county", "expert")


def user_for(role: str, home: Organisation | None = None) -> User | None:
    """A saved user for ``role`` (``None`` for anonymous); ``home`` is ``county``'s unit."""
    if role == "anonymous":
        return None
    if role == "county":
        return make_county_officer(home)
    if role == "other_county":
        return make_county_officer()
    if role == "city":
        return make_city_officer()
    if role == "expert":
        return make_user(Role.EXPERT)
    if role == "admin":
        return make_admin()
    raise ValueError(role)


def log_in(client, role: str, home: Organisation | None = None) -> User | None:
    user = user_for(role, home)
    if user is not None:
        client.force_login(user)
    return user

"""Roles and organisation kinds (leaf module: imports nothing from the project)."""

from django.db import models


class Role(models.TextChoices):
    COUNTY_OFFICER = "county_officer", "区县经信部门"
    CITY_OFFICER = "city_officer", "市经信局"
    EXPERT = "expert", "专家"
    ADMIN = "admin", "系统管理员"


class OrganisationKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", "市经信局"
    COUNTY = "county", "区（县、市）经信局"
    COMMITTEE = "committee", "管委会经信部门"
    EXPERT_POOL = "expert_pool", "专家库"


# Both apply in their own right for "their" territory: the notice addresses
# "各区（县、市）经信局，各管委会经信部门".
COUNTY_LEVEL_KINDS: frozenset[str] = frozenset(
    {OrganisationKind.COUNTY, OrganisationKind.COMMITTEE}
)

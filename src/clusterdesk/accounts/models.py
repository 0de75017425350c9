from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS, OrganisationKind, Role
from clusterdesk.accounts.rules import organisation_problem

_COUNTY_LEVEL = Q(kind__in=sorted(COUNTY_LEVEL_KINDS))


class Organisation(models.Model):
    """A unit that users belong to: the city bureau, a county-level unit, an expert pool."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=20, choices=OrganisationKind.choices)
    county = models.CharField(
        "所在区（县、市）",
        max_length=30,
        blank=True,
        help_text="区县级单位和管委会必填，如“海曙区”“宁波国家高新区”；其他单位留空。",
    )
    position = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="列表和汇总表中的顺序，数字小的在前。"
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ("position", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            # A county-level unit is identified by its county; other units have none.
            models.CheckConstraint(
                condition=(_COUNTY_LEVEL & ~Q(county="")) | (~_COUNTY_LEVEL & Q(county="")),
                name="organisation_county_iff_county_level",
            ),
            models.UniqueConstraint(
                fields=["county"], condition=~Q(county=""), name="organisation_county_unique"
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_county_level(self) -> bool:
        return self.kind in COUNTY_LEVEL_KINDS

    def clean(self) -> None:
        super().clean()
        if self.is_county_level and not self.county:
            raise ValidationError({"county": "区县级单位和管委会必须填写所在区（县、市）。"})
        if not self.is_county_level and self.county:
            raise ValidationError({"county": "只有区县级单位和管委会填写所在区（县、市）。"})


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser` does not ask for a role; a superuser is a system administrator.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属单位",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = (
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            # The database cannot see the organisation's kind; clean() checks that part.
            models.CheckConstraint(
                condition=~Q(role__in=[Role.COUNTY_OFFICER, Role.CITY_OFFICER])
                | Q(organisation__isnull=False),
                name="user_officer_has_organisation",
            ),
        )

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name}（{self.username}）" if full_name else self.username

    def get_full_name(self) -> str:
        # Chinese names are written family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    def clean(self) -> None:
        super().clean()
        kind = self.organisation.kind if self.organisation_id else None
        problem = organisation_problem(self.role, kind)
        if problem:
            raise ValidationError({"organisation": problem})

"""Build one valid row of any model, for tests that must cover every model of a kind (every
``AppendOnly`` model) without a hand-kept list: the rows are made from the field definitions.

Required foreign keys point at existing rows (a unique one at a new row), built the same way
when none exists, optional ones are left empty; values satisfy the fields' choices and
lengths, dates increase in field order (so "ends after start" holds). ``OVERRIDES`` holds
what the field definitions cannot tell (a check constraint's pattern or range); a model whose
row cannot be built makes the test fail naming it, so a new model is never silently left out.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from clusterdesk.notifications.enums import REMINDER_DAYS
from tests import factories

_counter = itertools.count(1)

# Values the field types cannot tell: check constraints with a pattern, range or order.
OVERRIDES: dict[str, dict[str, Any]] = {
    "evidence.Blob": {"sha256": lambda: f"{next(_counter):064x}", "size": 1},
    "monitoring.ClusterReport": {"year": 2024},
    "notifications.Reminder": {"kind": lambda: next(iter(REMINDER_DAYS))},
    "registry.RegistrySettings": {"validity_years": 3, "recommendation_quota": 1},
    "scoring.ScoringSettings": {"disagreement_margin": decimal.Decimal("10")},
    "tracking.TrackingSettings": {
        "lagging": decimal.Decimal("0.9"),
        "serious": decimal.Decimal("0.5"),
    },
    "review.ReviewSettings": {"experts_per_application": 3, "conflict_years": 3},
}


# The project's own factories, for the rows every other one hangs on.
FACTORIES: dict[str, Any] = {
    "accounts.Organisation": factories.make_organisation,
    "accounts.User": factories.make_city_officer,
    "rounds.Round": factories.make_round,
    "declarations.Application": factories.make_application,
}


def any_row(model: type[models.Model], *, fresh: bool = True, **fields: Any) -> models.Model:
    """A new row of ``model`` (or, with ``fresh=False``, an existing one if there is any);
    ``fields`` set chosen columns (by attname), e.g. a value a constraint must refuse."""
    if not fresh and (row := model._default_manager.order_by("pk").first()) is not None:
        return row
    label = model._meta.label
    if label in FACTORIES and not fields:
        return FACTORIES[label]()
    overrides = {**OVERRIDES.get(label, {}), **fields}
    values: dict[str, Any] = {}
    start = timezone.now()
    for position, field in enumerate(model._meta.concrete_fields):
        if field.primary_key or field.name in overrides:
            continue
        values[field.attname] = _value(field, start + dt.timedelta(days=position))
    for name, value in overrides.items():
        values[name] = value() if callable(value) else value
    return model._default_manager.create(**values)


def fresh_value(field: models.Field) -> Any:
    """A value for ``field`` that no row holds yet (a new row for a foreign key)."""
    if field.is_relation:
        return any_row(field.related_model).pk
    return _value(field, timezone.now())


def _value(field: models.Field, moment: dt.datetime) -> Any:
    if field.is_relation:
        if field.null:  # left empty: no chains of optional links (a renewal's renewed one)
            return None
        target = field.related_model
        return any_row(target, fresh=field.unique).pk
    if field.choices:
        return field.choices[0][0]
    n = next(_counter)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.DateTimeField):
        return moment
    if isinstance(field, models.DateField):
        return timezone.localdate(moment)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(1)
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.DurationField):
        return dt.timedelta(days=1)
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else {}
    if isinstance(field, models.BinaryField):
        return b"x"
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(field, models.EmailField):
        return f"u{n}@example.com"
    if isinstance(field, (models.CharField, models.TextField, models.FileField)):
        text = f"x{n}"
        return text[: field.max_length] if field.max_length else text
    raise TypeError(f"{field.model._meta.label}.{field.name}: no value for {type(field).__name__}")

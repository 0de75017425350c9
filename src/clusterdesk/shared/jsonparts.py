"""Replacing some top-level keys of a stored JSON object in the database itself.

An application's form is one JSON object of about 50–120 KB; an autosave changes one box of one
part. Writing the whole object back sends it, has the database parse it and compress it again,
and costs the application a full serialisation; ``WithParts`` sends only the changed parts and
lets the database put them in place (``jsonb_set`` on PostgreSQL, ``json_set`` on SQLite).
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import F, Func, JSONField


class WithParts(Func):
    """``field`` with each key of ``parts`` (top-level) set to the given JSON value."""

    output_field = JSONField()

    def __init__(self, field: str, parts: dict[str, Any]) -> None:
        if not parts:
            raise ValueError("WithParts needs at least one part")
        self.parts = parts
        super().__init__(F(field))

    def _stored(self) -> list[tuple[str, str]]:
        # Compact, non-ASCII kept: what the database parses is as small as the JSON can be.
        return [
            (key, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            for key, value in self.parts.items()
        ]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        params = list(params)
        for key, text in self._stored():
            sql = f"jsonb_set({sql}, ARRAY[%s], %s::jsonb)"
            params += [key, text]
        return sql, params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        params = list(params)
        pairs = []
        for key, text in self._stored():
            pairs.append("%s, json(%s)")
            params += ["$." + json.dumps(key), text]  # a quoted key: any name is taken as is
        return f"json_set({sql}, {', '.join(pairs)})", params

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        raise NotImplementedError(
            f"WithParts is written for PostgreSQL and SQLite, not {connection.vendor!r}"
        )

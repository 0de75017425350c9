"""Test harness only: let Django's test flush empty the append-only tables.

After a transactional test (``django_db(transaction=True)``) Django empties every table: DELETE
on SQLite, TRUNCATE on PostgreSQL, both refused by the append-only triggers
(``clusterdesk.shared.appendonly``). Around that flush — and nowhere else — the triggers are
dropped and put back in the same transaction, so no test runs against an unprotected table.
Production code has no such path: it would have to drop the triggers, a schema change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.db.backends.base.operations import BaseDatabaseOperations

from clusterdesk.shared import appendonly

_django_flush = BaseDatabaseOperations.execute_sql_flush


def _flush_around_triggers(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
    connection = self.connection
    tables = set(connection.introspection.table_names())
    models = [m for m in appendonly.append_only_models() if m._meta.db_table in tables]
    with transaction.atomic(using=connection.alias):
        for model in models:
            appendonly.remove(connection, model._meta.db_table)
        _django_flush(self, sql_list)
        appendonly.install_all(connection, models)


@contextmanager
def flush_allowed() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", _flush_around_triggers)
        yield

"""Pages of a list: ``?limit=&offset=``, bounded so that one request bounds its work."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from pydantic import BaseModel, Field

from clusterdesk.api.schemas import MAX_LIMIT, MAX_OFFSET


class Paging(BaseModel):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


def page_of(rows: QuerySet, paging: Paging) -> dict[str, Any]:
    """``count`` and the page's rows (as a list: read once) of an ordered queryset."""
    items = list(rows[paging.offset : paging.offset + paging.limit])
    return {"count": rows.count(), "limit": paging.limit, "offset": paging.offset, "items": items}

"""Which choices of a 会审 depart from the rank order (pure).

Proposing a cluster while a better-ranked one is not proposed departs from the order, and so
does leaving out a cluster while a worse-ranked one is proposed: each such choice needs a
reason in the minutes. Equal ranks (ties) never depart; an unranked cluster counts as ranked
below every ranked one.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable


def departures(choices: Iterable[tuple[Hashable, int | None, bool]]) -> set[Hashable]:
    """The keys of the choices ``(key, rank, proposed)`` that depart from the rank order."""
    rows = [(key, math.inf if rank is None else rank, proposed) for key, rank, proposed in choices]
    worst_proposed = max((rank for _, rank, proposed in rows if proposed), default=-math.inf)
    best_left_out = min((rank for _, rank, proposed in rows if not proposed), default=math.inf)
    return {
        key
        for key, rank, proposed in rows
        if (proposed and rank > best_left_out) or (not proposed and rank < worst_proposed)
    }

"""Reading ids that arrive as text (query strings, form fields) without trusting them."""

from __future__ import annotations

# Database ids are 64-bit; 18 digits always fit, so a longer string cannot name a row and is
# refused before it reaches a query (where it would overflow).
_MAX_DIGITS = 18


def object_id(raw: object) -> int | None:
    """The id that ``raw`` spells in ASCII digits, or None for anything else.

    ``str.isdigit()`` alone is not enough: it accepts "²" and other digits that ``int()``
    refuses, which turned a crafted form field into a 500.
    """
    if not isinstance(raw, str) or not 0 < len(raw) <= _MAX_DIGITS:
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)

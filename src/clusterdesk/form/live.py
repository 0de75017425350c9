"""What a web page needs to preview the rules while a box is typed in, before any save.

The rules are in ``rules.py``. The page only needs a few facts, read off the same field metadata, to
show the same verdict at once: a box's limit and how its characters are counted, how many
decimals a number may have, when its 佐证材料 upload appears, and the words of the hints. The
page carries them as data attributes; ``form-live.js`` applies what they name and knows no
rule of its own. After each save the server's findings replace the preview. ``tests/js`` runs
the script on the same values as these functions to check that the two agree.
"""

from __future__ import annotations

from .fields import NONE_WORD, NUMBER_KINDS, TEXT_KINDS, Evidence, FieldSpec, Kind
from .loading import TYPE_MESSAGES
from .numbers import KNOWN_UNITS, NONE_WORDS
from .rules import DECIMAL_PLACES, DECIMALS_NOTE, YES

# How rules.char_count counts a 字: white space is not counted, every other code point is one.
COUNT_NON_SPACE = "non-space"

# evidence_needed() as a test of the box's value: ticked | is:<option> | positive | not:<word>.
EVIDENCE_TRIGGERS: dict[Evidence, str] = {
    Evidence.IF_TICKED: "ticked",
    Evidence.IF_YES: f"is:{YES}",
    Evidence.IF_POSITIVE: "positive",
    Evidence.ALWAYS: f"not:{NONE_WORD}",  # once there is something to prove: 无 proves nothing
}

# The hints under a number box, as the save would answer: refused (not a number, not whole) or
# found (too many decimals); and the words the save reads in a number box (numbers.read_number):
# 无 and its variants, the units that may follow a number. On the page: data-hint-<key> of
# #application-form (the words space-separated).
NUMBER_HINTS: dict[str, str] = {
    "number": TYPE_MESSAGES["decimal_parsing"],
    "integer": TYPE_MESSAGES["int_parsing"],
    "decimals": DECIMALS_NOTE,
    "none": " ".join(sorted(NONE_WORDS, key=lambda word: word != NONE_WORD)),
    "units": " ".join(sorted(KNOWN_UNITS, key=len, reverse=True)),
}


def box_attributes(spec: FieldSpec) -> dict[str, str]:
    """The data attributes (without ``data-``) that a box of this field carries."""
    if spec.kind in NUMBER_KINDS:
        return {"decimals": str(0 if spec.kind == Kind.COUNT else DECIMAL_PLACES)}
    if spec.kind in TEXT_KINDS and spec.max_chars:
        return {"max-chars": str(spec.max_chars), "count": COUNT_NON_SPACE}
    return {}


def evidence_trigger(kind: Evidence) -> str | None:
    """When the upload beside a box shows, as ``data-evidence-when``; None: the box has none."""
    return EVIDENCE_TRIGGERS.get(kind)

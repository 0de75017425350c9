"""The official labels (tests/data/labels.txt, copied from the notice) and how they compare."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

LABELS_FILE = Path(__file__).parent / "data" / "labels.txt"


def normalise(text: str) -> str:
    """NFKC, no white space, and all double quotes alike — as labels.txt says to compare."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return re.sub('[“”"]', '"', text)


@cache
def official_labels(section: str) -> tuple[str, ...]:
    labels: list[str] = []
    current = None
    for raw in LABELS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        match = re.match(r"#\s*\[([\w-]+)\]", line)
        if match:
            current = match.group(1)
        elif line and not line.startswith("#") and current == section:
            labels.append(line)
    return tuple(labels)

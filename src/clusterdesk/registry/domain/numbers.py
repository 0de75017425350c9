"""文号 and 细分领域 compared as a reader would: brackets, widths and spaces do not matter."""

from __future__ import annotations

import re
import unicodedata

# 〔2023〕, [2023], 【2023】, (2023) and （2023） are the same year bracket in a 文号.
_OPENING = "〔[【［(（〖「"
_CLOSING = "〕]】］)）〗」"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPENING, "〔"), **dict.fromkeys(_CLOSING, "〕")})
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
# “模具”, “模具产业” and “模具行业” are one 细分领域.
_FIELD_SUFFIX = re.compile(r"(产业集群|产业|行业)$")


def clean_number(text: str) -> str:
    """The 文号 as it will be printed: trimmed, inner white space removed, brackets 〔〕."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).translate(_BRACKETS)


def number_key(text: str) -> str:
    """What two 文号 must share to be the same number."""
    return clean_number(text).casefold()


def field_key(text: str | None) -> str:
    """A 细分领域 (the 主导产业 as written) reduced for comparison: "" when none is given."""
    plain = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "")).casefold()
    return _FIELD_SUFFIX.sub("", plain) or plain

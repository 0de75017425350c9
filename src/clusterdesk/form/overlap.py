"""Cross-application checks (a 虚假申报 aid): copied passages and identifiers claimed twice.

Across all applications indexed (this round's and earlier rounds'), an ``OverlapIndex`` flags

- 文本雷同: a passage of narrative text (≥ ``min_chars`` characters) found in two applications,
  also with small edits (punctuation changed, a word swapped), shown side by side as written;
- 专利号重复 / 标准号重复 / 企业重复 / 平台重复: the same patent number, standard number,
  enterprise or platform name claimed by two applications, both shown as written.

How the text check stays fast as rounds accumulate: each narrative box is normalised (NFKC,
lower case, punctuation and spaces dropped, so a changed comma changes nothing) and cut into
character shingles of ``k`` characters, hashed with numpy. Winnowing (Schleimer et al., the MOSS
method) keeps the minimum hash of every ``w`` consecutive shingles as the box's fingerprints, so
any common run of ``k + w - 1`` characters shares at least one fingerprint, at a fraction of the
shingles' cost. The fingerprints of all boxes sit in sorted arrays (a small recent one, merged
into the large one now and then): a new submission looks its fingerprints up by binary search
(no pairwise comparison with every earlier application), and only the boxes sharing three
fingerprints close together with it are aligned, with rapidfuzz's bit-parallel LCS
(``Indel.opcodes``), to find the copied passages and their offsets. A fingerprint held by more
than ``COMMON`` boxes is a stock phrase of the trade and selects nothing.

What never counts: the form's own text (labels, notes, 填报说明) is masked before shingling, so
echoing the template's guidance flags nothing; common phrases (打造具有国际竞争力的 …) are far
shorter than ``min_chars``. Applications of one ``family`` (the same cluster applying again in a
later round) are not compared with each other.

The state is plain data (``to_json``/``from_json``): each application's narrative boxes and
claims as written (not its whole form), and the flags; fingerprints are recomputed on load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any, NamedTuple

import numpy as np
from pydantic import BaseModel
from rapidfuzz.distance import Indel

from .fields import Kind, form_fields
from .schema import Application
from .schema.innovation import PatentItem, Platforms, StandardItem
from .schema.instructions import INSTRUCTIONS
from .walk import walk_model

STATE_VERSION = 1
SHINGLE = 10  # characters per shingle (k)
WINDOW = 12  # shingles per winnowing window (w): every common run of 21 characters is seen
MIN_CHARS = 50  # the shortest passage flagged, in characters without punctuation
MIN_SHARED = 3  # fingerprints two boxes must share, close together, before they are aligned
# A fingerprint held by more boxes than this is a stock phrase of the trade (专精特新中小企业
# 数量…), not a copy: it selects no candidates (MOSS ignores such fingerprints alike).
COMMON = 30
RECENT = 1 << 17  # fingerprints in the index's recent level before it is merged into the rest
ANCHOR = 5  # the shortest identical run that anchors a passage
GAP = 12  # the largest edit between two anchors of one passage (characters on either side)
DENSITY = 0.75  # identical characters in a passage, at least
ALIGN_LIMIT = 10_000  # characters of a box aligned: over three times the longest official limit
ROUNDS = 3  # passages per pair of boxes, found one after another (also in swapped order)
# The shortest normalised patent or standard number taken as one: shorter is a typo or 无.
MIN_NUMBER = 6


class FlagKind(StrEnum):
    TEXT = "文本雷同"
    PATENT = "专利号重复"
    STANDARD = "标准号重复"
    ENTERPRISE = "企业重复"
    PLATFORM = "平台重复"


@dataclass(frozen=True, slots=True)
class Side:
    """One application's part of a flag: where, and what it says there as written."""

    key: str
    label: str  # the application as the officer knows it (cluster name, county, round)
    place: str  # 八、…发展规划 · 发展成效, never a path
    text: str  # the passage or the identifier as written
    start: int | None = None  # the passage's offsets in the box's text as written
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    earlier: Side  # the application indexed first
    later: Side  # the application whose indexing raised the flag
    value: str = ""  # the normalised identifier, or for a passage 181字相同

    def involves(self, key: str) -> bool:
        return key in (self.earlier.key, self.later.key)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "earlier": asdict(self.earlier),
            "later": asdict(self.later),
            "value": self.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Flag:
        return cls(
            FlagKind(data["kind"]), Side(**data["earlier"]), Side(**data["later"]), data["value"]
        )


# --- normalisation and fingerprints ------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")  # letters, digits and CJK characters; punctuation and spaces split
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)
_NONE = np.uint64(np.iinfo(np.uint64).max)


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` without punctuation and spaces, NFKC and lower case, with each character's
    offset in ``text`` (so a passage found here is shown as written)."""
    out: list[str] = []
    offsets: list[int] = []
    for match in _WORD.finditer(text):
        run = match.group()
        folded = unicodedata.normalize("NFKC", run).lower()
        if len(folded) == len(run):  # the common case: one character for one
            out.append(folded)
            offsets.extend(range(match.start(), match.end()))
            continue
        for index, char in enumerate(run, match.start()):  # ligatures, circled numbers …
            for piece in unicodedata.normalize("NFKC", char).lower():
                if piece.isalnum():
                    out.append(piece)
                    offsets.append(index)
    return "".join(out), offsets


def folded(text: str) -> str:
    """What ``normalise`` makes of ``text``, without the offsets (which only a flag needs):
    the common case in a few calls into C."""
    joined = "".join(_WORD.findall(text))
    out = unicodedata.normalize("NFKC", joined).lower()
    return out if len(out) == len(joined) else normalise(text)[0]


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """A stable 64-bit hash of every ``k`` characters of a normalised text (numpy, no loop over
    the text: a polynomial over the code points, then mixed)."""
    if len(text) < k:
        return np.empty(0, dtype=np.uint64)
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(points) - k + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(k):
        hashes = hashes * _BASE + points[offset : offset + count]
    hashes ^= hashes >> np.uint64(29)
    hashes *= _MIX
    hashes ^= hashes >> np.uint64(32)
    return hashes


def winnow(hashes: np.ndarray, w: int = WINDOW) -> np.ndarray:
    """The positions winnowing keeps: the minimum of every ``w`` consecutive hashes."""
    if not len(hashes):
        return np.empty(0, dtype=np.int64)
    if len(hashes) <= w:
        return np.array([int(np.argmin(hashes))], dtype=np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(hashes, w)
    chosen = windows.argmin(axis=1) + np.arange(len(windows))  # never decreasing
    return chosen[np.concatenate(([True], chosen[1:] != chosen[:-1]))]


@dataclass(slots=True)
class _Box:
    """One narrative box of one application, ready to compare."""

    path: str
    place: str
    text: str  # as written
    norm: str  # normalised, template text masked out (``\0``)
    fingerprints: np.ndarray  # distinct hashes, sorted, template shingles excluded
    positions: np.ndarray  # where each fingerprint first stands in ``norm``


@cache
def _template_hashes() -> np.ndarray:
    """The shingles of the form's own text: labels, notes and the 填报说明."""
    texts = [*INSTRUCTIONS, *_template_texts(Application)]
    found = [shingle_hashes(normalise(text)[0]) for text in texts]
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.uint64)


def _template_texts(model: type[BaseModel], seen: set[type] | None = None) -> Iterator[str]:
    seen = set() if seen is None else seen
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        yield from (text for text in (info.title, info.description) if text)
        for spec_name, spec in form_fields(model):
            if spec_name == name:
                yield from (text for text in (spec.label, spec.note) if text)
        for inner in _models_in(info.annotation):
            yield from _template_texts(inner, seen)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)


def _boxes(items: list[tuple[str, str, str]]) -> list[_Box]:
    """(path, place, text as written) of an application's narrative boxes, ready to compare.

    All boxes of one application are hashed in one numpy pass (the per-call cost of numpy, not
    the characters, is what a box of 200 characters costs): shingles that cross from one box
    into the next are never fingerprints."""
    if not items:
        return []
    normalised = [folded(text) for _, _, text in items]
    joined = "".join(normalised)
    lengths = np.array([len(norm) for norm in normalised], dtype=np.int64)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    hashes = shingle_hashes(joined)
    if not len(hashes):
        return [
            _Box(*item, norm, _EMPTY, _NOWHERE)
            for item, norm in zip(items, normalised, strict=True)
        ]
    # The box each shingle starts in; a shingle that runs past its box's end is no shingle.
    owner = np.repeat(np.arange(len(items)), lengths)[: len(hashes)]
    valid = np.arange(len(hashes)) + SHINGLE <= ends[owner]
    template = _in_template(hashes) & valid
    masked = np.zeros(len(joined), dtype=bool)
    if template.any():
        # The characters of every template shingle never match in the alignment either.
        marks = np.zeros(len(joined) + 1, dtype=np.int32)
        first = np.flatnonzero(template)
        np.add.at(marks, first, 1)
        np.add.at(marks, first + SHINGLE, -1)
        masked = np.cumsum(marks[:-1]) > 0
    hashes = np.where(valid & ~template, hashes, _NONE)
    chosen = winnow(hashes)
    chosen = chosen[hashes[chosen] != _NONE]
    # Each box's distinct fingerprints with their first position, for all boxes at once.
    kept, owners = hashes[chosen], owner[chosen]
    order = np.lexsort((chosen, kept, owners))
    kept, owners, chosen = kept[order], owners[order], chosen[order]
    first = np.ones(len(kept), dtype=bool)
    first[1:] = (kept[1:] != kept[:-1]) | (owners[1:] != owners[:-1])
    kept, owners, chosen = kept[first], owners[first], chosen[first]
    bounds = np.searchsorted(owners, np.arange(len(items) + 1)).tolist()
    out = []
    for number, ((path, place, text), norm) in enumerate(zip(items, normalised, strict=True)):
        start, end = int(starts[number]), int(ends[number])
        hidden = masked[start:end]
        if hidden.any():
            norm = "".join(  # noqa: PLW2901 - the box's text with the template masked
                "\0" if hide else char for char, hide in zip(norm, hidden, strict=True)
            )
        mine = slice(bounds[number], bounds[number + 1])
        out.append(_Box(path, place, text, norm, kept[mine], chosen[mine] - start))
    return out


_EMPTY = np.empty(0, dtype=np.uint64)
_NOWHERE = np.empty(0, dtype=np.int64)


_SIEVE_BITS = np.uint64((1 << 16) - 1)


@cache
def _template_sieve() -> np.ndarray:
    """Which low 16 bits some template shingle has: most shingles are ruled out by one lookup."""
    sieve = np.zeros(1 << 16, dtype=bool)
    sieve[(_template_hashes() & _SIEVE_BITS).astype(np.intp)] = True
    return sieve


def _in_template(hashes: np.ndarray) -> np.ndarray:
    """``np.isin(hashes, _template_hashes())``, without sorting anything per call."""
    template = _template_hashes()
    out = np.zeros(len(hashes), dtype=bool)
    maybe = np.flatnonzero(_template_sieve()[(hashes & _SIEVE_BITS).astype(np.intp)])
    if len(maybe) and len(template):
        found = np.minimum(np.searchsorted(template, hashes[maybe]), len(template) - 1)
        out[maybe] = template[found] == hashes[maybe]
    return out


# --- identifiers -------------------------------------------------------------------------------

_NOT_PATENT = re.compile(r"[^0-9A-Z]")
_NOT_STANDARD = re.compile(r"[^0-9A-Z.\-]")
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―－﹣−", "-"))


def patent_key(number: str) -> str:
    """ZL 2020 1 0123456.7, ZL202010123456.7 and ＺＬ２０２０１０１２３４５６．７ are one patent."""
    text = (number if number.isascii() else unicodedata.normalize("NFKC", number)).upper()
    return _NOT_PATENT.sub("", text).removeprefix("ZL")


def standard_key(code: str) -> str:
    """GB/T 1234-2020, GB/T1234—2020 and ＧＢ／Ｔ　１２３４－２０２０ are one standard."""
    text = unicodedata.normalize("NFKC", code).upper().translate(_DASHES)
    return _NOT_STANDARD.sub("", text)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A name compared exactly, bar width, case, spaces and punctuation (（宁波） = (宁波))."""
    return normalise(name)[0]


_ENTERPRISE = re.compile(r"(公司|厂|集团|合作社|商行|企业)$")


class _Claim(NamedTuple):  # a tuple: an application makes hundreds of them
    kind: FlagKind
    key: str  # normalised
    text: str  # as written
    place: str


OPERATOR = "part1.operator"  # 集群运营管理机构


@dataclass(frozen=True, slots=True)
class _Slot:
    """A box the checks read: its path (as attribute names), place and what it holds."""

    names: tuple[str, ...]
    place: str
    role: str  # narrative, list, platforms, operator

    @property
    def path(self) -> str:
        return ".".join(self.names)

    def value(self, form: BaseModel) -> Any:
        for name in self.names:
            form = getattr(form, name, None)  # type: ignore[assignment]
        return form


@cache
def _slots(model: type[BaseModel]) -> tuple[_Slot, ...]:
    """The boxes of a form the checks read, found once per schema by walking an empty form
    (reading them by path then costs a few attribute lookups, not a walk of every field)."""
    out = []
    for node in walk_model(model(), "", (), ()):
        place = " · ".join((*node.context, node.label))
        names = tuple(node.path.split("."))
        if node.spec.kind == Kind.NARRATIVE:
            out.append(_Slot(names, place, "narrative"))
        elif node.spec.kind == Kind.LIST:
            out.append(_Slot(names, place, "list"))
        elif isinstance(node.value, Platforms):
            out.append(_Slot(names, place, "platforms"))
        elif node.path == OPERATOR:
            out.append(_Slot(names, place, "operator"))
    return tuple(out)


def _claims(form: BaseModel) -> list[_Claim]:
    """The identifiers an Attachment 2 claims, found by their models wherever they sit.

    Each identifier once (the first row that claims it: a holder of 300 patents is one
    enterprise), and only what is one: 无, 暂无 or a stray digit are no identifier."""
    out: list[_Claim] = []
    seen: set[tuple[FlagKind, str]] = set()

    def claim(kind: FlagKind, key: str, text: str, place: str, shortest: int = 4) -> None:
        if len(key) >= shortest and (kind, key) not in seen:
            seen.add((kind, key))
            out.append(_Claim(kind, key, text, place))

    for slot in _slots(type(form)):
        value, place = slot.value(form), slot.place
        if slot.role == "operator" and isinstance(value, str):
            claim(FlagKind.ENTERPRISE, name_key(value), value, place)
        elif slot.role == "platforms":
            for name in value.names:
                claim(FlagKind.PLATFORM, name_key(name), name, f"{place} · 名称")
        if slot.role != "list":
            continue
        for row, item in enumerate(value or (), 1):
            if isinstance(item, PatentItem):
                number = item.number
                if (  # inline, not claim(): the hot loop
                    number
                    and len(key := patent_key(number)) >= MIN_NUMBER
                    and (FlagKind.PATENT, key) not in seen
                ):
                    seen.add((FlagKind.PATENT, key))
                    out.append(_Claim(FlagKind.PATENT, key, number, f"{place} · 第{row}行"))
                holder = item.holder and name_key(item.holder)
                if (
                    holder
                    and (FlagKind.ENTERPRISE, holder) not in seen
                    and _ENTERPRISE.search(holder)
                ):
                    text, where = f"{item.holder}（权利人）", f"{place} · 第{row}行"
                    claim(FlagKind.ENTERPRISE, holder, text, where)
            elif isinstance(item, StandardItem) and item.code:
                text = f"{item.code}（{item.role}）"
                key = standard_key(item.code)
                claim(FlagKind.STANDARD, key, text, f"{place} · 第{row}行", MIN_NUMBER)
    return out


# --- passages ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passage:
    """A copied passage: its spans in the two normalised texts and its identical characters."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    same: int


def passages(a: str, b: str, *, min_chars: int = MIN_CHARS, rounds: int = ROUNDS) -> list[Passage]:
    """The passages two normalised texts share (masked characters ``\\0`` never match).

    rapidfuzz aligns the texts (LCS); identical runs of at least ``ANCHOR`` characters, no more
    than ``GAP`` apart on either side, make one passage. A passage is kept with ``min_chars``
    identical characters at ``DENSITY``. Found passages are masked and the texts aligned again,
    so passages copied in another order are found too."""
    found: list[Passage] = []
    for _ in range(rounds):
        new = _align(a, b, min_chars)
        if not new:
            break
        found += new
        a_chars, b_chars = list(a), list(b)
        for passage in new:
            a_chars[passage.a_start : passage.a_end] = "\0" * (passage.a_end - passage.a_start)
            b_chars[passage.b_start : passage.b_end] = "\1" * (passage.b_end - passage.b_start)
        a, b = "".join(a_chars), "".join(b_chars)
    return sorted(found, key=lambda passage: passage.a_start)


def _align(a: str, b: str, min_chars: int) -> list[Passage]:
    # The LCS keeps a bit matrix of len(a) × len(b) / 64 words: bounded, so a box pasted to the
    # schema's hard cap (ten times the official limit) costs megabytes, not a hundred.
    a, b = a[:ALIGN_LIMIT], b[:ALIGN_LIMIT]
    b = b.replace("\0", "\1")  # a masked character is unlike every other, also a masked one
    anchors = [
        (op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(a, b)
        if op.tag == "equal" and op.src_end - op.src_start >= ANCHOR
    ]
    out = []
    run: list[tuple[int, int, int, int]] = []
    for anchor in [*anchors, None]:
        if (
            anchor is not None
            and run
            and anchor[0] - run[-1][1] <= GAP
            and anchor[2] - run[-1][3] <= GAP
        ):
            run.append(anchor)
            continue
        if run:
            same = sum(end - start for start, end, _, _ in run)
            span = max(run[-1][1] - run[0][0], run[-1][3] - run[0][2])
            if same >= min_chars and same >= DENSITY * span:
                out.append(
                    _extend(a, b, Passage(run[0][0], run[-1][1], run[0][2], run[-1][3], same))
                )
        run = [anchor] if anchor is not None else []
    return out


def _extend(a: str, b: str, passage: Passage) -> Passage:
    """The passage grown over identical characters at its edges, which the alignment may have
    matched elsewhere (集群 is everywhere)."""
    a_start, a_end, b_start, b_end, same = (
        passage.a_start,
        passage.a_end,
        passage.b_start,
        passage.b_end,
        passage.same,
    )
    while a_start and b_start and a[a_start - 1] == b[b_start - 1]:
        a_start, b_start, same = a_start - 1, b_start - 1, same + 1
    while a_end < len(a) and b_end < len(b) and a[a_end] == b[b_end]:
        a_end, b_end, same = a_end + 1, b_end + 1, same + 1
    return Passage(a_start, a_end, b_start, b_end, same)


# --- the index ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    key: str
    label: str
    family: str
    boxes: list[_Box]
    claims: list[_Claim]
    box_ids: list[int] = field(default_factory=list)  # its boxes' ids in the index

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "family": self.family,
            "boxes": [[box.path, box.place, box.text] for box in self.boxes],
            "claims": [[c.kind.value, c.key, c.text, c.place] for c in self.claims],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> _Entry:
        return cls(
            data["key"],
            data["label"],
            data["family"],
            _boxes([(path, place, text) for path, place, text in data["boxes"]]),
            [_Claim(FlagKind(kind), key, text, place) for kind, key, text, place in data["claims"]],
        )


@dataclass
class OverlapIndex:
    """Every application indexed so far, and the flags between them (see the module)."""

    min_chars: int = MIN_CHARS
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _flags: list[Flag] = field(default_factory=list)
    # All boxes' fingerprints with the box each belongs to (an id into _box_ids), in two sorted
    # levels: the recent ones (small: a new submission is merged into it cheaply) and the rest,
    # into which the recent level is merged when it grows past RECENT.
    _levels: list[tuple[np.ndarray, np.ndarray]] = field(
        default_factory=lambda: [(_EMPTY, _NOWHERE), (_EMPTY, _NOWHERE)]
    )
    _box_ids: dict[int, tuple[str, int]] = field(default_factory=dict)
    _next_id: int = 0
    _claimed: dict[tuple[FlagKind, str], dict[str, _Claim]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    @property
    def flags(self) -> list[Flag]:
        return list(self._flags)

    def flags_of(self, key: str) -> list[Flag]:
        return [flag for flag in self._flags if flag.involves(key)]

    def add(
        self,
        key: str,
        label: str,
        form: BaseModel | Mapping[str, Any],
        *,
        family: str | None = None,
    ) -> list[Flag]:
        """Index an application (replacing an earlier version of it) and return its flags
        against everything indexed before. ``family`` groups one cluster's applications across
        rounds, which are not compared with each other (default: the key alone)."""
        if key in self._entries:
            self.remove(key)
        model = form if isinstance(form, BaseModel) else Application.model_validate(form)
        texts = [
            (slot.path, slot.place, slot.value(model))
            for slot in _slots(type(model))
            if slot.role == "narrative"
        ]
        boxes = _boxes([item for item in texts if isinstance(item[2], str) and item[2].strip()])
        claims = _claims(model)
        entry = _Entry(key, label, family or key, boxes, claims)
        flags = self._text_flags(entry) + self._claim_flags(entry)
        self._insert(entry)
        self._flags += flags
        return flags

    def remove(self, key: str) -> None:
        """Forget an application (withdrawn, deleted) and every flag it took part in."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for box_id in entry.box_ids:
            del self._box_ids[box_id]
        gone = np.array(entry.box_ids, dtype=np.int64)
        self._levels = [
            (hashes[keep], owners[keep])
            for hashes, owners in self._levels
            for keep in [~np.isin(owners, gone)]
        ]
        for claim in entry.claims:
            holders = self._claimed.get((claim.kind, claim.key), {})
            holders.pop(key, None)
            if not holders:
                self._claimed.pop((claim.kind, claim.key), None)
        self._flags = [flag for flag in self._flags if not flag.involves(key)]

    # --- state ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Plain data (JSON-ready): what each application contributed as written (its narrative
        boxes and its claims, not the whole form), in order, and the flags."""
        return {
            "version": STATE_VERSION,
            "min_chars": self.min_chars,
            "entries": [entry.as_json() for entry in self._entries.values()],
            "flags": [flag.as_json() for flag in self._flags],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OverlapIndex:
        """The index ``to_json`` wrote; fingerprints are recomputed, flags kept as they were."""
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"雷同检查索引版本不符：{data.get('version')}")
        index = cls(min_chars=data["min_chars"])
        for item in data["entries"]:
            index._insert(_Entry.from_json(item))
        index._flags = [Flag.from_json(flag) for flag in data["flags"]]
        return index

    # --- inside --------------------------------------------------------------------------

    def _insert(self, entry: _Entry) -> None:
        self._entries[entry.key] = entry
        hashes, owners = [_EMPTY], [_NOWHERE]
        for number, box in enumerate(entry.boxes):
            box_id = self._next_id
            self._next_id += 1
            self._box_ids[box_id] = (entry.key, number)
            entry.box_ids.append(box_id)
            hashes.append(box.fingerprints)
            owners.append(np.full(len(box.fingerprints), box_id, dtype=np.int64))
        new_hashes, new_owners = np.concatenate(hashes), np.concatenate(owners)
        order = np.argsort(new_hashes)
        new_hashes, new_owners = new_hashes[order], new_owners[order]
        (recent, recent_owners), (rest, rest_owners) = self._levels
        at = np.searchsorted(recent, new_hashes)
        recent, recent_owners = (
            np.insert(recent, at, new_hashes),
            np.insert(recent_owners, at, new_owners),
        )
        if len(recent) > RECENT:
            # Two sorted runs: the stable sort merges them in linear time.
            merged, merged_owners = (
                np.concatenate((rest, recent)),
                np.concatenate((rest_owners, recent_owners)),
            )
            order = np.argsort(merged, kind="stable")
            rest, rest_owners = merged[order], merged_owners[order]
            recent, recent_owners = _EMPTY, _NOWHERE
        self._levels = [(recent, recent_owners), (rest, rest_owners)]
        for claim in entry.claims:
            self._claimed.setdefault((claim.kind, claim.key), {}).setdefault(entry.key, claim)

    def _candidates(self, entry: _Entry) -> list[tuple[int, int]]:
        """(box of ``entry``, indexed box) sharing at least ``MIN_SHARED`` fingerprints within
        ``2 × min_chars`` characters of the new box (a passage, not scattered phrases). All
        boxes of the entry are looked up at once."""
        boxes = [box for box in entry.boxes if len(box.fingerprints)]
        if not boxes:
            return []
        numbers = [number for number, box in enumerate(entry.boxes) if len(box.fingerprints)]
        query = np.concatenate([box.fingerprints for box in boxes])
        where = np.concatenate([box.positions for box in boxes])
        which = np.repeat(np.array(numbers), [len(box.fingerprints) for box in boxes])
        order = np.argsort(query)  # sorted keys: the binary searches walk memory in order
        query, where, which = query[order], where[order], which[order]
        found = [
            (np.searchsorted(hashes, query, "left"), np.searchsorted(hashes, query, "right"))
            for hashes, _ in self._levels
        ]
        common = sum(right - left for left, right in found) > COMMON
        hit_query, hit_owner = [], []
        for (left, right), (_, owners) in zip(found, self._levels, strict=True):
            counts = np.where(common, 0, right - left)
            total = int(counts.sum())
            if not total:
                continue
            starts = np.repeat(left - np.cumsum(counts) + counts, counts)
            hit_owner.append(owners[starts + np.arange(total)])
            hit_query.append(np.repeat(np.arange(len(query)), counts))
        if not hit_owner:
            return []
        queries, owners = np.concatenate(hit_query), np.concatenate(hit_owner)
        mine, at = which[queries], where[queries]
        order = np.lexsort((at, owners, mine))  # by new box, indexed box, position
        mine, owners, at = mine[order], owners[order], at[order]
        span = MIN_SHARED - 1
        if len(owners) <= span:
            return []
        close = (
            (mine[span:] == mine[:-span])
            & (owners[span:] == owners[:-span])
            & (at[span:] - at[:-span] <= 2 * self.min_chars)
        )
        pairs = {
            (int(a), int(b)) for a, b in zip(mine[span:][close], owners[span:][close], strict=True)
        }
        return sorted(pairs)

    def _text_flags(self, entry: _Entry) -> list[Flag]:
        flags = []
        for number, box_id in self._candidates(entry):
            other_key, other_number = self._box_ids[box_id]
            other = self._entries[other_key]
            if other.family == entry.family:
                continue
            box, earlier = entry.boxes[number], other.boxes[other_number]
            for passage in passages(earlier.norm, box.norm, min_chars=self.min_chars):
                flags.append(_text_flag(other, earlier, entry, box, passage))
        return flags

    def _claim_flags(self, entry: _Entry) -> list[Flag]:
        flags = []
        for claim in entry.claims:
            for other_key, earlier in self._claimed.get((claim.kind, claim.key), {}).items():
                other = self._entries[other_key]
                if other.family == entry.family:
                    continue
                flags.append(
                    Flag(
                        claim.kind,
                        Side(other.key, other.label, earlier.place, earlier.text),
                        Side(entry.key, entry.label, claim.place, claim.text),
                        claim.key,
                    )
                )
        return flags


def _span(box: _Box, start: int, end: int) -> tuple[int, int]:
    """A normalised span's offsets in the text as written."""
    offsets = normalise(box.text)[1]
    last = len(offsets) - 1
    return offsets[min(start, last)], offsets[min(end - 1, last)] + 1


def _text_flag(
    earlier: _Entry, earlier_box: _Box, later: _Entry, later_box: _Box, passage: Passage
) -> Flag:
    a_start, a_end = _span(earlier_box, passage.a_start, passage.a_end)
    b_start, b_end = _span(later_box, passage.b_start, passage.b_end)
    return Flag(
        FlagKind.TEXT,
        Side(
            earlier.key,
            earlier.label,
            earlier_box.place,
            earlier_box.text[a_start:a_end],
            a_start,
            a_end,
        ),
        Side(
            later.key, later.label, later_box.place, later_box.text[b_start:b_end], b_start, b_end
        ),
        f"{passage.same}字相同",
    )

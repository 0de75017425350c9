"""Field metadata: what the official form says about each box, attached to the schema once.

Every field of the form schema is declared through one of the constructors below. They put the
official label in the field's ``title`` and everything the 填报说明 rules need (kind, unit, limits,
evidence, whether 无 is the answer when nothing applies) under ``x-form`` in the JSON Schema, so
the web form, the validator, the documents and the Word import all read the same declaration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.fields import FieldInfo

from .numbers import NONE_COUNT, NONE_NUMBER, NONE_WORD, NoneCount, NoneDecimal, is_none_word


class Kind(StrEnum):
    TEXT = "text"  # a name, a person, a phone number: one line
    NARRATIVE = "narrative"  # a counted free text (200字以内 …)
    AMOUNT = "amount"  # money or output: 亿元, 万元, ≥ 0
    SHARE = "share"  # a part of a whole in %: 0–100
    GROWTH = "growth"  # a change in %: may be negative, not below −100
    COUNT = "count"  # whole things: enterprises, patents, platforms
    AREA = "area"  # 平方公里
    INTENSITY = "intensity"  # a ratio with a unit of its own (吨二氧化碳/万元, 件/万人)
    CHOICE = "choice"  # one of the printed options (是/否/不涉及 …)
    TICK = "tick"  # one checkbox of a group
    DATE = "date"
    SECTION = "section"  # a part or a block that holds other fields
    LIST = "list"  # a 清单: rows the form asks to be listed


NUMBER_KINDS = frozenset(
    {Kind.AMOUNT, Kind.SHARE, Kind.GROWTH, Kind.COUNT, Kind.AREA, Kind.INTENSITY}
)
TEXT_KINDS = frozenset({Kind.TEXT, Kind.NARRATIVE})

# The official 无 (``numbers.NONE_WORD``): the answer to a required field when nothing applies
# (填报说明 2); a number box holds it too (see ``numbers`` for the rule).

# Sane ranges per kind. A value outside is an error: nobody's cluster covers 10,000 km², and
# a share above 100% is a typo. Growth may be negative but a fall of more than 100% is impossible.
RANGES: dict[Kind, tuple[Decimal, Decimal]] = {
    Kind.AMOUNT: (Decimal(0), Decimal(10_000_000)),
    Kind.SHARE: (Decimal(0), Decimal(100)),
    Kind.GROWTH: (Decimal(-100), Decimal(1000)),
    Kind.COUNT: (Decimal(0), Decimal(1_000_000)),
    Kind.AREA: (Decimal("0.01"), Decimal(10_000)),
    Kind.INTENSITY: (Decimal(0), Decimal(100_000)),
}


class Evidence(StrEnum):
    """When the form asks for 佐证材料 (or a 清单) for a field."""

    NONE = "none"
    IF_TICKED = "if-ticked"  # （注：勾选需提供佐证材料）
    IF_YES = "if-yes"  # □是 □否（如涉及，需提供佐证材料）
    IF_POSITIVE = "if-positive"  # a count that needs its evidence when it is not zero
    ALWAYS = "always"  # （需提供相关佐证材料）
    # A 清单 each row of which needs its own files (典型案例), filed under the row's path
    # (``form.row_evidence``); the list's own rules say when a row lacks them.
    PER_ROW = "per-row"


@dataclass(frozen=True)
class FieldSpec:
    label: str
    kind: Kind
    unit: str | None = None
    note: str | None = None  # official text printed with the label, e.g. （200字以内）
    max_chars: int | None = None
    required: bool = True
    evidence: Evidence = Evidence.NONE
    yearly: bool = False  # one value per data year (the form's year columns)
    # Not required when a sibling field holds this value, e.g. a rate of a 非工业集群.
    not_applicable_when: tuple[str, str] | None = None

    def as_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v not in (None, False)}
        data["required"] = self.required
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FieldSpec:
        values = dict(data)
        values["kind"] = Kind(values["kind"])
        values["evidence"] = Evidence(values.get("evidence", Evidence.NONE))
        if values.get("not_applicable_when"):
            values["not_applicable_when"] = tuple(values["not_applicable_when"])
        return cls(**values)


def json_number(value: Decimal) -> int | float | str:
    """A Decimal as the JSON number people read and write (for values, findings, reports);
    无 (``NONE_NUMBER``) stays the word 无."""
    if isinstance(value, NoneDecimal):
        return NONE_WORD
    # JSON numbers, not strings: the files are written and read by people. Values keep at most
    # two decimals (填报说明 2), which a float carries exactly through repr.
    return int(value) if value == value.to_integral_value() else float(value)


def _json_count(value: int) -> int | str:
    return NONE_WORD if isinstance(value, NoneCount) else value


def _decimal_or_none_word(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    return NONE_NUMBER if is_none_word(value) else handler(value)


def _count_or_none_word(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    return NONE_COUNT if is_none_word(value) else handler(value)


# A number box: a Decimal, or 无 (read as NONE_NUMBER, stored as "无"; numbers.py has the rule).
Number = Annotated[
    Decimal,
    WrapValidator(_decimal_or_none_word),
    PlainSerializer(json_number, return_type=int | float | str, when_used="json"),
]
# A count box: a whole number, or 无 (NONE_COUNT).
Count = Annotated[
    int,
    WrapValidator(_count_or_none_word),
    PlainSerializer(_json_count, return_type=int | str, when_used="json"),
]

# The value of a year column (``yearly``): one value per data year, keyed by the year.
YearKey = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
YearNumbers = dict[YearKey, Number | None]
YearCounts = dict[YearKey, Count | None]


class FormModel(BaseModel):
    """Base of every part of the form: unknown fields are refused, never silently dropped."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_enum_values=True, frozen=False
    )


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class EvidenceFile(FormModel):
    """A 佐证材料 file attached to one item of the form; the file itself lives in storage."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    sha256: Sha256 | None = None
    size: int | None = None


def evidence_register(description: str = "按栏目路径登记的佐证材料文件") -> Any:
    """The ``evidence`` field of a form's root: files keyed by the path of the box they prove,
    apart from the values, so a value's type never changes because it needs a file."""
    return Field(default_factory=dict, title="佐证材料", description=description)


# The column that names a row of a 清单 (专利号, 标准编号, 企业名称): two versions of a list are
# matched row by row on it, so a row inserted at the top is one row added, not every row changed.
ROW_KEY = "x-row-key"


def row_key(model: type[BaseModel]) -> str | None:
    """The field of a 清单 row model marked ``ROW_KEY``, if it has one."""
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(ROW_KEY):
            return name
    return None


# Hard caps: what the schema refuses outright, whoever sends it (autosave, import, command line).
# A text over its official limit is only a finding the officer fixes; a text ten times over is
# not a draft but an attack or a paste gone wrong, and stored it would slow every page that
# reads the application. The floor leaves short boxes (联系人, 20字) room for a pasted paragraph.
HARD_CAP_FACTOR = 10
HARD_CAP_FLOOR = 500
# A 清单 longer than this is refused: the largest clusters list a few thousand patents.
MAX_LIST_ROWS = 5000


def hard_cap(max_chars: int) -> int:
    """The most characters a text box with the official limit ``max_chars`` can hold at all."""
    return max(max_chars * HARD_CAP_FACTOR, HARD_CAP_FLOOR)


def form_field(
    spec: FieldSpec,
    *,
    default: Any = None,
    default_factory: Any = None,
    max_length: int | None = None,
) -> Any:
    extra = {"x-form": spec.as_json()}
    if spec.unit:
        extra["x-unit"] = spec.unit
    kwargs: dict[str, Any] = {"title": spec.label, "json_schema_extra": extra}
    if max_length is not None:
        kwargs["max_length"] = max_length
    if spec.note:
        kwargs["description"] = spec.note
    if default_factory is not None:
        return Field(default_factory=default_factory, **kwargs)
    return Field(default=default, **kwargs)


def text(label: str, *, note: str | None = None, required: bool = True, max_chars: int = 100):
    return form_field(
        FieldSpec(label, Kind.TEXT, note=note, required=required, max_chars=max_chars),
        max_length=hard_cap(max_chars),
    )


def narrative(
    label: str,
    max_chars: int = 200,
    *,
    note: str | None = None,
    evidence: Evidence = Evidence.NONE,
    required: bool = True,
):
    return form_field(
        FieldSpec(
            label,
            Kind.NARRATIVE,
            note=note,
            max_chars=max_chars,
            evidence=evidence,
            required=required,
        ),
        max_length=hard_cap(max_chars),
    )


def number(
    label: str,
    kind: Kind,
    unit: str | None = None,
    *,
    note: str | None = None,
    evidence: Evidence = Evidence.NONE,
    not_applicable_when: tuple[str, str] | None = None,
):
    return form_field(
        FieldSpec(
            label,
            kind,
            unit=unit,
            note=note,
            evidence=evidence,
            not_applicable_when=not_applicable_when,
        )
    )


def yearly(label: str, kind: Kind, unit: str | None = None, *, note: str | None = None):
    return form_field(
        FieldSpec(label, kind, unit=unit, note=note, yearly=True), default_factory=dict
    )


def choice(label: str, *, note: str | None = None, evidence: Evidence = Evidence.NONE):
    return form_field(FieldSpec(label, Kind.CHOICE, note=note, evidence=evidence))


def tick(label: str):
    """One checkbox: ticking it asks for evidence (（注：勾选需提供佐证材料）)."""
    return form_field(
        FieldSpec(label, Kind.TICK, required=False, evidence=Evidence.IF_TICKED), default=False
    )


def date_field(label: str, *, note: str | None = None, required: bool = True):
    return form_field(FieldSpec(label, Kind.DATE, note=note, required=required))


def section(label: str, model: type[BaseModel], *, note: str | None = None, max_chars=None):
    spec = FieldSpec(label, Kind.SECTION, note=note, required=False, max_chars=max_chars)
    return form_field(spec, default_factory=model)


def listing(label: str, *, note: str | None = None):
    return form_field(
        FieldSpec(label, Kind.LIST, note=note, required=False),
        default_factory=list,
        max_length=MAX_LIST_ROWS,
    )


@cache
def spec_of(model: type[BaseModel], name: str) -> FieldSpec:
    info: FieldInfo = model.model_fields[name]
    extra = info.json_schema_extra
    if not isinstance(extra, dict) or "x-form" not in extra:
        raise LookupError(f"{model.__name__}.{name} is not a form field")
    return FieldSpec.from_json(extra["x-form"])  # type: ignore[arg-type]


def form_fields(model: type[BaseModel]) -> list[tuple[str, FieldSpec]]:
    """The declared form fields of a model, in the form's order."""
    out = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "x-form" in extra:
            out.append((name, spec_of(model, name)))
    return out

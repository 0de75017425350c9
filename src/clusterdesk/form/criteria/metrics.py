"""The metric registry: named, typed readings of an application that criteria profiles compare.

A profile names a metric (``total_output``, ``quality_firms_top`` …); the metric knows which field
it reads (its path, for findings), the field's official label and how to read the value as Decimal,
a 是/否 choice or a count of ticked boxes. Adding a metric is one entry in ``METRICS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from ..display import show
from ..fields import form_fields, spec_of
from ..numbers import NONE_NUMBER, NoneCount, NoneDecimal
from ..schema import Application
from ..schema.basics import Basics
from ..schema.cover import SummaryRow
from ..schema.digital import Digital, DigitalServiceWork, NewModelWork
from ..schema.governance import Governance, GovernanceWork, PublicServices, ServicePlatforms
from ..schema.green import Green, GreenServiceCapabilities, ResourceUseWork
from ..schema.industry import LeadingIndustry, QualityBrandWork, ResourceSharingWork
from ..schema.innovation import CollaborativeInnovationWork, Innovation
from ..schema.openness import InternationalActivities, Openness

Years = tuple[str, ...]
Reader = Callable[[Application, Years], Any]


class MetricKind(StrEnum):
    NUMBER = "number"  # Decimal, shown with two decimals
    COUNT = "count"  # Decimal holding a whole number
    CHOICE = "choice"  # one printed option, e.g. 是 / 否
    TICKS = "ticks"  # how many boxes of a checkbox group are ticked (a count)
    TEXT = "text"  # free text, only shown to reviewers


NUMERIC_KINDS = frozenset({MetricKind.NUMBER, MetricKind.COUNT, MetricKind.TICKS})


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    label: str  # official label; ``{last}`` stands for the last data year
    path: str  # the field the metric reads; ``{last}`` as in label
    kind: MetricKind
    read: Reader  # -> value, or for a yearly metric a dict year -> value
    yearly: bool = False
    unit: str | None = None
    total: int | None = None  # for TICKS: how many boxes the group has

    def path_for(self, years: Years, year: str | None = None) -> str:
        path = self.path.format(last=years[-1])
        return f"{path}.{year}" if year else path

    def label_for(self, years: Years, year: str | None = None) -> str:
        label = self.label.format(last=years[-1])
        return f"{label}（{year}年）" if year else label


def as_decimal(value: Any) -> Decimal | None:
    """A form number as Decimal; floats go through str so 35.2 stays 35.2."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, NoneCount):
        return NONE_NUMBER  # 无 counts as 0 and still prints 无 (numbers.py)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return None


def fmt(value: Any, kind: MetricKind = MetricKind.NUMBER) -> str:
    """A value as the messages print it (``display.show``): numbers with two decimals, counts
    whole, 无 as 无, a year column year by year; a choice or a text quoted inside a sentence."""
    if value is None:
        return "（未填写）"
    if isinstance(value, str) and kind in (MetricKind.CHOICE, MetricKind.TEXT):
        return f"“{value}”"
    computed = isinstance(value, Decimal) and not isinstance(value, NoneDecimal)
    if computed and kind == MetricKind.NUMBER and value.is_finite():
        # Computed figures (sums, rates) may carry many digits: two decimals, as printed.
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return show(value, integer=kind in (MetricKind.COUNT, MetricKind.TICKS))


def fmt_threshold(value: Decimal | str) -> str:
    """A threshold as the profile wrote it: 40, 13.5, “是”."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return f"“{value}”"


# --- readers ---------------------------------------------------------------------------------


def _yearly(part: str, name: str) -> Reader:
    def read(app: Application, years: Years) -> dict[str, Decimal | None]:
        column = getattr(getattr(app, part), name)
        return {year: as_decimal(column.get(year)) for year in years}

    return read


def _scalar(part: str, name: str) -> Reader:
    def read(app: Application, years: Years) -> Decimal | None:
        return as_decimal(getattr(getattr(app, part), name))

    return read


def _choice(part: str, name: str) -> Reader:
    def read(app: Application, years: Years) -> str | None:
        return getattr(getattr(app, part), name)

    return read


def _last_sum(*names: str) -> Reader:
    """The sum of part 二 counts in the last data year; missing if any of them is missing."""

    def read(app: Application, years: Years) -> Decimal | None:
        total = Decimal(0)
        for name in names:
            value = as_decimal(getattr(app.part2, name).get(years[-1]))
            if value is None:
                return None
            total += value
        return total

    return read


def _platform_count(app: Application, years: Years) -> Decimal | None:
    platforms = app.part3.platforms
    counts = [p.count for p in (platforms.national, platforms.provincial, platforms.other)]
    if all(count is None for count in counts):
        return None
    return Decimal(sum(count or 0 for count in counts))


def _standards_count(app: Application, years: Years) -> Decimal | None:
    """Standards led or joined over the data years (the table's cells; blank cells count 0)."""
    seen = False
    total = 0
    for year in years:
        cell = app.part3.standards.get(year)
        if cell is None:
            continue
        for category in (cell.international, cell.national, cell.industry, cell.group):
            for count in (category.led, category.joined):
                if count is not None:
                    seen = True
                    total += count
    return Decimal(total) if seen else None


def _ticks(getter: Callable[[Application], BaseModel], group: type[BaseModel]) -> Reader:
    names = tuple(name for name, _ in form_fields(group))

    def read(app: Application, years: Years) -> Decimal:
        boxes = getter(app)
        return Decimal(sum(1 for name in names if getattr(boxes, name)))

    return read


def _label(model: type[BaseModel], name: str) -> str:
    return spec_of(model, name).label


# --- the registry ----------------------------------------------------------------------------

METRICS: dict[str, Metric] = {}


def _add(metric: Metric) -> None:
    METRICS[metric.name] = metric


def _add_yearly(name: str, part: str, model: type[BaseModel], kind: MetricKind) -> None:
    spec = spec_of(model, name)
    _add(Metric(name, spec.label, f"{part}.{name}", kind, _yearly(part, name), True, spec.unit))


def _add_scalar(name: str, part: str, model: type[BaseModel], kind: MetricKind) -> None:
    spec = spec_of(model, name)
    reader = _choice(part, name) if kind in (MetricKind.CHOICE, MetricKind.TEXT) else None
    _add(
        Metric(
            name, spec.label, f"{part}.{name}", kind, reader or _scalar(part, name), unit=spec.unit
        )
    )


def _add_ticks(name: str, path: str, owner: type[BaseModel], group: type[BaseModel]) -> None:
    part, field = path.split(".", 1)

    def getter(app: Application) -> BaseModel:
        return getattr(getattr(app, part), field)

    total = len(form_fields(group))
    _add(
        Metric(
            name, _label(owner, field), path, MetricKind.TICKS, _ticks(getter, group), total=total
        )
    )


def _register() -> None:
    number, count, choice = MetricKind.NUMBER, MetricKind.COUNT, MetricKind.CHOICE
    # 一、基本情况
    _add_scalar("area_km2", "part1", Basics, number)
    for name in (
        "industry_type",
        "not_prohibited",
        "no_major_incidents",
        "no_violations",
        "energy_efficiency",
        "water_efficiency",
        "provincial_cluster",
    ):
        _add_scalar(name, "part1", Basics, choice)
    _add_scalar("operator", "part1", Basics, MetricKind.TEXT)
    _add_scalar("leading_industry", "attachment1", SummaryRow, MetricKind.TEXT)
    # 二、主导产业情况
    for name in ("total_output", "sme_output_share", "leading_output_share"):
        _add_yearly(name, "part2", LeadingIndustry, number)
    _add_yearly("leading_output_growth", "part2", LeadingIndustry, number)
    _add_scalar("leading_output_cagr", "part2", LeadingIndustry, number)
    for name in (
        "enterprises",
        "smes",
        "specialised_smes",
        "little_giants",
        "single_champions",
        "high_tech_and_innovative",
    ):
        _add_yearly(name, "part2", LeadingIndustry, count)
    champions = _label(LeadingIndustry, "single_champions")
    giants = _label(LeadingIndustry, "little_giants")
    specialised = _label(LeadingIndustry, "specialised_smes")
    high_tech = _label(LeadingIndustry, "high_tech_and_innovative")
    _add(
        Metric(
            "quality_firms_top",
            f"{champions}＋{giants}（{{last}}年）",
            "part2.single_champions.{last}",
            count,
            _last_sum("single_champions", "little_giants"),
            unit="家",
        )
    )
    _add(
        Metric(
            "quality_firms_broad",
            f"{specialised}＋{high_tech}（{{last}}年）",
            "part2.specialised_smes.{last}",
            count,
            _last_sum("specialised_smes", "high_tech_and_innovative"),
            unit="家",
        )
    )
    _add_scalar("chain_map", "part2", LeadingIndustry, choice)
    _add_ticks(
        "resource_sharing_work", "part2.resource_sharing_work", LeadingIndustry, ResourceSharingWork
    )
    _add_ticks("quality_brand_work", "part2.quality_brand_work", LeadingIndustry, QualityBrandWork)
    # 三、创新能力情况
    _add_yearly("rd_intensity", "part3", Innovation, number)
    _add_yearly("rd_growth", "part3", Innovation, number)
    for name in ("rd_staff_share", "patent_growth", "patents_per_10k"):
        _add_scalar(name, "part3", Innovation, number)
    _add_scalar("patents", "part3", Innovation, count)
    _add(
        Metric(
            "platform_count",
            "创新平台建设情况·数量（国家级＋省级＋其他）",
            "part3.platforms",
            count,
            _platform_count,
            unit="个",
        )
    )
    _add(
        Metric(
            "standards_count",
            "集群中小企业近三年主持或参与制修订标准数量（合计）",
            "part3.standards",
            count,
            _standards_count,
            unit="项",
        )
    )
    _add_ticks(
        "collaborative_innovation_work",
        "part3.collaborative_innovation_work",
        Innovation,
        CollaborativeInnovationWork,
    )
    # 四、数字化升级情况
    _add_scalar("cloud_adoption", "part4", Digital, number)
    _add_scalar("industrial_internet", "part4", Digital, number)
    _add_scalar("software_rising", "part4", Digital, choice)
    _add_ticks("digital_service_work", "part4.digital_service_work", Digital, DigitalServiceWork)
    _add_ticks("new_model_work", "part4.new_model_work", Digital, NewModelWork)
    # 五、绿色化转型情况
    _add_scalar("carbon_monitoring", "part5", Green, choice)
    _add_yearly("carbon_intensity", "part5", Green, number)
    _add_scalar("energy_reduction", "part5", Green, number)
    _add_scalar("solid_waste_use", "part5", Green, number)
    _add_scalar("water_reuse", "part5", Green, number)
    # Both are printed 是否高于行业平均水平: name the rate each one belongs to.
    for name, rate in (
        ("solid_waste_above_average", "solid_waste_use"),
        ("water_reuse_above_average", "water_reuse"),
    ):
        label = f"{_label(Green, rate)}·{_label(Green, name)}"
        _add(Metric(name, label, f"part5.{name}", choice, _choice("part5", name)))
    _add_ticks("resource_use_work", "part5.resource_use_work", Green, ResourceUseWork)
    _add_ticks(
        "green_service_capabilities",
        "part5.green_service_capabilities",
        Green,
        GreenServiceCapabilities,
    )
    # 六、开放合作情况
    _add_ticks(
        "international_activities",
        "part6.international_activities",
        Openness,
        InternationalActivities,
    )
    _add_scalar("overseas_branches", "part6", Openness, count)
    _add_yearly("export_growth", "part6", Openness, number)
    # 七、治理和服务水平
    _add_ticks("service_platforms", "part7.service_platforms", Governance, ServicePlatforms)
    _add_ticks("public_services", "part7.public_services", Governance, PublicServices)
    _add_ticks("governance_work", "part7.governance_work", Governance, GovernanceWork)


_register()

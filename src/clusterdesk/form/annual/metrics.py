"""A report's actual value of each numeric 2025 target of part 八 (rules a–g), for monitoring.

The names are those of ``schema.plan.Targets``. 优质中小企业数量 is read as the declaration's
consistency check reads its baseline: 专精特新 + “小巨人” + 单项冠军. 集群产值年均增速 (a) is a rate
between years, so it is not a value of one report: ``output_growth`` computes it between two.
无 counts 0 (``form.numbers``); a missing figure is None.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..criteria.metrics import as_decimal
from ..targets import compound_rate

QUALITY_PARTS = ("specialised_smes", "little_giants", "single_champions")


def target_actuals(report: Any) -> dict[str, Decimal | None]:
    """``{target name: the report's value}`` for the numeric targets b–g, and 集群总产值 as
    ``output`` (亿元)."""
    figures = report.figures
    parts = [getattr(figures.industry, name) for name in QUALITY_PARTS]
    quality = None if any(part is None for part in parts) else Decimal(sum(parts))
    return {
        "output": as_decimal(figures.industry.total_output),
        "quality_smes": quality,
        "rd_spending": as_decimal(figures.innovation.rd_spending),
        "patents": as_decimal(figures.innovation.patents),
        "industrial_internet": as_decimal(figures.digital.industrial_internet),
        "co2_emissions": as_decimal(figures.green.co2_emissions),
        "energy_intensity": as_decimal(figures.green.energy_intensity),
    }


def output_growth(earlier: Decimal | None, later: Decimal | None, years: int) -> Decimal | None:
    """Compound yearly growth in % of 集群总产值 over ``years`` years (None where it cannot be
    computed), as rule a measures it."""
    if earlier is None or later is None or earlier <= 0 or later < 0 or years <= 0:
        return None
    return compound_rate(earlier, later, years)

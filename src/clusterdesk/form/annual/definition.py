"""The annual report as a form the engine runs (walk, 填报说明 rules, loading, pages)."""

from __future__ import annotations

from ..definition import FormDefinition, PageSpec
from .rules import case_rules, change_rules, extra_rules, sme_count
from .schema import PART_TITLES, REPORT_TITLE, AnnualReport
from .version import ANNUAL_2024

ANNUAL_REPORT_2024 = FormDefinition(
    key=ANNUAL_2024.id,
    title=REPORT_TITLE,
    model=AnnualReport,
    version=ANNUAL_2024,
    pages=tuple(PageSpec(key, title) for key, title in PART_TITLES.items()),
    rules=(case_rules, change_rules, extra_rules),
    reviews=(sme_count,),
)

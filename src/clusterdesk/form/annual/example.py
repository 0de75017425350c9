"""An empty report, the example cluster's reports on 2023 and 2024, and pre-filling a new report.

The examples continue ``form.example`` (北仑模具, certified on its 2023 declaration): their
figures follow the plan's stage targets (集群产值突破136亿元 in 2023, 152亿元 in 2024), agree with
one another (parts ≤ enterprises) and with the declaration (no change of identity, output on its
trajectory), so each validates clean and each test breaks one thing.
"""

from __future__ import annotations

import copy
from typing import Any

from ..schema import Application
from ..walk import version_of
from .schema import AnnualReport
from .version import ANNUAL_2024

CLUSTER = "宁波北仑模具中小企业特色产业集群（模具产业）"
OPERATOR = "宁波北仑模具产业园区管理委员会"


def _evidence(name: str) -> list[dict[str, Any]]:
    return [{"name": name}]


_BASE: dict[str, Any] = {
    "form_version": ANNUAL_2024.id,
    "basics": {
        "year": 2023,
        "cluster_name": CLUSTER,
        "leading_industry": "模具",
        "operator": OPERATOR,
        "area_km2": 36.5,
        "contact": "陈立群",
        "phone": "13805740123",
    },
    "work": {
        "industry": (
            "实施强链补链工程，引进高端模具钢和热流道项目6个，总投资21.3亿元；新增专精特新"
            "中小企业9家，链主企业带动上下游配套率提升到81%。"
        ),
        "innovation": (
            "模具产业技术研究院挂牌运行，组建一体化压铸模具创新联合体，实施揭榜挂帅项目7项，"
            "新增有效发明专利71件。"
        ),
        "digital": (
            "模具行业工业互联网平台新接入企业186家、设备1500余台，新建数字化车间5个，"
            "完成中小企业数字化诊断210家。"
        ),
        "green": (
            "推广热处理余热回收和切削液集中再生，完成节能诊断52家次，二氧化碳排放量和"
            "单位工业产值能耗持续下降。"
        ),
        "openness": "新设境外分支机构2个，组团参加德国欧洲模具展和中博会，签订国际订单4.6亿元。",
        "governance": (
            "模具产业发展促进中心完成换届，公共服务平台年服务企业3200余家次，"
            "满意度97%，建立中小企业诉求直通机制。"
        ),
        "extra": [
            {
                "direction": "其它",
                "indicator": "模具出口交货值",
                "unit": "亿元",
                "target": "26.00",
                "actual": "20.40",
            }
        ],
    },
    "cases": {
        "items": [
            {
                "title": "一体化压铸模具联合攻关",
                "text": (
                    "集群龙头企业联合6家中小企业和宁波大学组建创新联合体，攻克6000吨级一体化"
                    "压铸模具随形冷却和快速换模技术，模具寿命提高40%，已为3家整车企业批量供货。"
                ),
            },
            {
                "title": "共享热处理中心降本增效",
                "text": (
                    "园区共享真空热处理中心向中小企业开放，全年服务企业420家次，企业热处理成本"
                    "平均降低18%，余热回收年节约标准煤1100吨。"
                ),
            },
        ]
    },
    "outlook": {
        "problems": (
            "一是高端模具钢仍部分依赖进口；二是小微企业数字化改造资金不足；"
            "三是复合型设计人才缺口较大。"
        ),
        "measures": (
            "一是推进模具钢国产替代验证；二是设立数字化改造专项贷款；"
            "三是与职业院校共建模具设计人才实训基地。"
        ),
    },
    "changes": {"any_change": "否", "items": []},
    # Each case's files under the case (form.row_evidence).
    "evidence": {
        "cases.items.0": _evidence("创新联合体协议及验收报告.pdf"),
        "cases.items.1": _evidence("共享热处理中心运营报告.pdf"),
    },
}

# The figures of each year: output on the plan's path (121.80 in 2022 → 136.50 → 152.80).
_FIGURES: dict[int, dict[str, Any]] = {
    2023: {
        "industry": {
            "total_output": 136.5,
            "sme_output_share": 86.5,
            "leading_output_share": 82.3,
            "leading_output_growth": 12.47,
            "enterprises": 2035,
            "smes": 1998,
            "specialised_smes": 76,
            "little_giants": 14,
            "single_champions": 4,
            "high_tech_and_innovative": 268,
        },
        "innovation": {
            "rd_spending": 42100,
            "rd_intensity": 3.72,
            "rd_growth": 11.1,
            "patents": 457,
            "platforms": 7,
            "standards": 5,
        },
        "digital": {
            "industrial_internet": 43.6,
            "cloud_adoption": 72.4,
            "software_spending": 4680.5,
            "software_rising": "是",
        },
        "green": {"co2_emissions": 41.2, "carbon_intensity": 0.34, "energy_intensity": 0.14},
    },
    2024: {
        "industry": {
            "total_output": 152.8,
            "sme_output_share": 86.2,
            "leading_output_share": 82.6,
            "leading_output_growth": 12.42,
            "enterprises": 2090,
            "smes": 2049,
            "specialised_smes": 86,
            "little_giants": 16,
            "single_champions": 5,
            "high_tech_and_innovative": 301,
        },
        "innovation": {
            "rd_spending": 46800,
            "rd_intensity": 3.86,
            "rd_growth": 11.16,
            "patents": 528,
            "platforms": 8,
            "standards": 6,
        },
        "digital": {
            "industrial_internet": 44.8,
            "cloud_adoption": 75.1,
            "software_spending": 5210,
            "software_rising": "是",
        },
        "green": {"co2_emissions": 38.6, "carbon_intensity": 0.3, "energy_intensity": 0.14},
    },
}
EXAMPLE_YEARS = tuple(_FIGURES)


def empty_report() -> AnnualReport:
    """A new report with nothing filled (its version set)."""
    return AnnualReport()


def example_report_data(year: int = 2023) -> dict[str, Any]:
    """The example cluster's report on ``year`` (2023 or 2024) as the JSON the form keeps."""
    data = copy.deepcopy(_BASE)
    data["basics"]["year"] = year
    data["figures"] = copy.deepcopy(_FIGURES[year])
    if year == 2024:
        data["work"]["extra"][0]["actual"] = "22.80"
    return data


def example_report(year: int = 2023) -> AnnualReport:
    """A fresh copy of the example report on ``year``: callers may change it freely."""
    return AnnualReport.model_validate(example_report_data(year))


def example_reports() -> list[AnnualReport]:
    """The example cluster's reports, oldest first."""
    return [example_report(year) for year in EXAMPLE_YEARS]


# --- pre-filling ----------------------------------------------------------------------------------

# What carries over from one year to the next: who the cluster is and who reports, and the plan's
# own indicators (their names, units and targets); never a figure, a text of the year, a case or
# a change.
CARRIED = ("cluster_name", "leading_industry", "operator", "area_km2", "contact", "phone")


def prefill(declaration: Application, previous: AnnualReport | None = None) -> AnnualReport:
    """A new report pre-filled from the declaration and the previous report (if any): the year
    after the previous report's (or after the declaration's last data year) when this report
    version covers it; the basics from the previous report, else from the declaration; the
    plan's extra indicators with their targets (this year's values left to fill)."""
    report = AnnualReport()
    base_year = version_of(declaration).base_year
    last = previous.basics.year if previous and previous.basics.year else base_year
    if last + 1 in ANNUAL_2024.data_years:
        report.basics.year = last + 1
    if previous is not None:
        for name in CARRIED:
            setattr(report.basics, name, getattr(previous.basics, name))
    else:
        part1 = declaration.part1
        report.basics.cluster_name = part1.cluster_name
        report.basics.leading_industry = declaration.attachment1.leading_industry
        report.basics.operator = part1.operator
        report.basics.area_km2 = part1.area_km2
        report.basics.contact = part1.operator_contact
        report.basics.phone = part1.operator_phone
    rows = declaration.part8.goals.targets.extra
    report.work.extra = [
        {  # type: ignore[list-item]
            "direction": row.direction,
            "indicator": row.indicator,
            "unit": row.unit,
            "target": row.target,
        }
        for row in rows
    ]
    return report

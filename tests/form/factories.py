"""A small, fully filled, valid application for the form tests.

Kept deliberately small; it may later give way to the shared example (clusterdesk.form.example).
Every required field is filled, every 清单 agrees with its count and every box that asks for
佐证材料 has a file, so check_rules() finds nothing and each test breaks exactly one thing.
"""

from __future__ import annotations

from typing import Any

from clusterdesk.form.schema import Application

YEARS = ("2020", "2021", "2022")
TEXT = "集群围绕模具主导产业开展相关工作，成效明显。"
NUMERIC_TARGETS = (
    "output_growth",
    "quality_smes",
    "rd_spending",
    "patents",
    "industrial_internet",
    "co2_emissions",
    "energy_intensity",
)


def _years(*values: Any) -> dict[str, Any]:
    return dict(zip(YEARS, values, strict=True))


def _standards() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One 国家/主持 standard in every data year, and the 清单 that lists them."""
    zero = {"led": 0, "joined": 0}
    counts = {
        year: {
            "international": zero,
            "national": {"led": 1, "joined": 0},
            "industry": zero,
            "group": zero,
        }
        for year in YEARS
    }
    items = [
        {"year": int(year), "category": "国家", "role": "主持", "name": f"模具标准{year}"}
        for year in YEARS
    ]
    return counts, items


def full_application_data() -> dict[str, Any]:
    counts, items = _standards()
    numeric = {"baseline": 10, "target": 12}
    return {
        "cover": {"county": "北仑区", "declared_on": "2023-05-10", "contact": "张三 0574-1234567"},
        "part1": {
            "cluster_name": "宁波市北仑区模具产业集群",
            "department": "北仑区经济和信息化局",
            "department_contact": "李四",
            "department_phone": "0574-11111111",
            "operator": "北仑模具产业园区管理委员会",
            "operator_contact": "王五",
            "operator_phone": "0574-22222222",
            "area_km2": "12.50",
            "industry_type": "第二产业",
            "not_prohibited": "是",
            "no_major_incidents": "是",
            "no_violations": "是",
            "energy_efficiency": "不涉及",
            "water_efficiency": "不涉及",
            "provincial_cluster": "是",
        },
        "part2": {
            "total_output": _years("100.00", "110.00", "121.00"),
            "sme_output_share": _years(80, 81, 82),
            "leading_output_share": _years(70, 71, 72),
            "leading_output_growth": _years("-5.50", "11.58", "11.50"),
            "leading_output_cagr": "5.50",
            "enterprises": _years(500, 510, 520),
            "smes": _years(480, 490, 500),
            "specialised_smes": _years(20, 25, 30),
            "little_giants": _years(2, 3, 4),
            "single_champions": _years(0, 1, 1),
            "high_tech_and_innovative": _years(50, 60, 70),
            "chain_map": "是",
            "chain_cultivation": TEXT,
            "supply_chain_risk": TEXT,
            "resource_sharing": TEXT,
            "resource_sharing_work": {"shared_workshops": True},
            "collaboration": TEXT,
            "quality_brand": "无",
        },
        "part3": {
            "rd_intensity": _years("3.10", "3.20", "3.30"),
            "rd_growth": _years(10, 12, "-3.25"),
            "standards": counts,
            "standards_list": items,
            "platforms": {
                "national": {"count": 0},
                "provincial": {"count": 1, "names": ["宁波模具创新中心"]},
                "other": {"count": 0},
            },
            "sme_employees": 30000,
            "rd_staff_share": "8.00",
            "patent_growth": "15.00",
            "patents_per_10k": "0.67",
            "patents": 2,
            "patents_list": [{"title": "一种注塑模具"}, {"title": "一种压铸模具"}],
            "collaborative_innovation": TEXT,
            "collaborative_innovation_work": {"academia": True},
        },
        "part4": {
            "cloud_adoption": 60,
            "industrial_internet": 40,
            "software_rising": "是",
            "software_spending": _years(500, 600, 700),
            "digital_services": TEXT,
            "new_models": TEXT,
        },
        "part5": {
            "carbon_monitoring": "否",
            "carbon_intensity": _years("0.50", "0.48", "0.45"),
            "carbon_formula": "二氧化碳排放总量÷集群总产值",
            "carbon_work": TEXT,
            "energy_reduction": "4.00",
            "solid_waste_use": None,
            "solid_waste_above_average": "非工业集群，不适用",
            "water_reuse": 90,
            "water_reuse_above_average": "是",
            "resource_use": TEXT,
            "green_services": "无",
        },
        "part6": {
            "international": TEXT,
            "overseas_branches": 0,
            "export_growth": _years(5, 6, 7),
            "fdi_growth": _years(-10, 0, 10),
        },
        "part7": {"overview": TEXT, "public_services": {"training": True}},
        "part8": {
            "overview": TEXT,
            "achievements": TEXT,
            "problems": TEXT,
            "approach": TEXT,
            "goals": {
                "targets": dict.fromkeys(NUMERIC_TARGETS, numeric)
                | {
                    "openness": {"baseline": "无", "target": TEXT},
                    "governance": {"baseline": "无", "target": TEXT},
                },
                "stages": {"first": TEXT, "second": TEXT, "third": TEXT},
            },
            "key_tasks": TEXT,
            "safeguards": TEXT,
        },
        "part9": {"accepted": True, "responsible_person": "赵六", "signed_on": "2023-05-09"},
        "attachment1": {"leading_industry": "模具", "established": "2005-03", "summary": TEXT},
        "evidence": {
            path: [{"name": f"{path}.pdf"}]
            for path in (
                "part2.chain_map",
                "part2.resource_sharing_work.shared_workshops",
                "part3.collaborative_innovation_work.academia",
                "part5.carbon_work",
                "part7.public_services.training",
            )
        },
    }


def full_application() -> Application:
    return Application.model_validate(full_application_data())

"""A complete, realistic application: the demo data and the fixture every test starts from.

The cluster is invented but of real magnitudes for a county-level mould-making cluster in Ningbo
(北仑 calls itself 中国模具之都). The figures agree with one another the way a careful filler's
would: leading-industry growth follows from total output × share, the three-year mean is the
compound mean of the yearly rates, the patent density follows from patents and staff, and the
2025 targets meet rules a–g of the notice.
"""

from __future__ import annotations

from itertools import product
from typing import Any

from .schema import Application

_PATENT_SUBJECTS = (
    "汽车保险杠注塑模具",
    "精密冲压级进模",
    "压铸模具",
    "热流道系统",
    "模具随形冷却水路",
    "大型覆盖件拉延模",
    "多腔精密注塑模",
    "模具型腔表面",
    "铝合金压铸件",
    "模架",
    "斜顶抽芯机构",
    "模温控制装置",
    "模具钢",
    "电火花加工电极",
    "五轴数控加工夹具",
    "一体化压铸模具",
    "汽车门板模具",
    "家电外壳模具",
    "新能源电池壳体模具",
    "光学镜片模具",
    "连接器端子模具",
    "模具排气结构",
)
_PATENT_ASPECTS = (
    "及其制造方法",
    "的快速换模装置",
    "的智能检测系统",
    "的热处理工艺",
    "的激光熔覆修复方法",
    "的寿命预测方法",
    "的顶出机构",
    "的冷却结构",
    "的加工方法",
    "的装配工装",
    "的表面强化工艺",
    "的仿真优化方法",
    "的定位结构",
    "的防粘模涂层",
    "的在线监测装置",
    "的脱模结构",
    "的浇注系统",
    "的数字孪生调试方法",
)
_HOLDERS = ("精诚", "华腾", "凯达", "甬模", "合力", "东海")
PATENT_COUNT = 386
SME_EMPLOYEES = 52680


def _patents() -> list[dict[str, Any]]:
    pairs = list(product(_PATENT_SUBJECTS, _PATENT_ASPECTS))[:PATENT_COUNT]
    return [
        {
            "kind": "发明专利",
            "title": f"一种{subject}{aspect}",
            "number": f"ZL20{15 + i % 8}1{i:07d}.{i % 10}",
            "holder": f"宁波北仑{_HOLDERS[i % len(_HOLDERS)]}模具有限公司",
        }
        for i, (subject, aspect) in enumerate(pairs)
    ]


_STANDARDS = [
    # (year, category, role, name, code)
    (2020, "国家", "参与", "塑料注射模 零件 第1部分：推杆", "GB/T 4169.1-2020"),
    (2020, "行业", "主持", "汽车覆盖件冲压模具 技术条件", "JB/T 13891-2020"),
    (2020, "行业", "参与", "压铸模 技术条件", "JB/T 3376-2020"),
    (2020, "团体", "主持", "注塑模具随形冷却水路设计规范", "T/ZZB 1802-2020"),
    (2021, "国家", "参与", "冲模 滑动导向模架", "GB/T 2851-2021"),
    (2021, "行业", "主持", "精密级进模 通用技术条件", "JB/T 14102-2021"),
    (2021, "团体", "主持", "模具企业数字化车间建设指南", "T/CDMIA 0032-2021"),
    (2021, "团体", "参与", "热流道系统 质量分级", "T/ZZB 2250-2021"),
    (2022, "国际", "参与", "Injection moulds — Guide pillars", "ISO 8017:2022"),
    (2022, "国家", "主持", "塑料注射模 技术条件", "GB/T 12554-2022"),
    (2022, "行业", "参与", "一体化压铸模具 验收规范", "JB/T 14588-2022"),
    (2022, "团体", "主持", "汽车模具碳足迹核算方法", "T/NBSA 0107-2022"),
    (2022, "团体", "参与", "模具钢真空热处理工艺规范", "T/ZZB 2871-2022"),
]


def _standards_table() -> dict[str, Any]:
    keys = {"国际": "international", "国家": "national", "行业": "industry", "团体": "group"}
    table: dict[str, Any] = {}
    for year in ("2020", "2021", "2022"):
        table[year] = {field: {"led": 0, "joined": 0} for field in keys.values()}
    for year, category, role, _name, _code in _STANDARDS:
        cell = table[str(year)][keys[category]]
        cell["led" if role == "主持" else "joined"] += 1
    return table


def _evidence(name: str) -> list[dict[str, Any]]:
    return [{"name": name}]


EXAMPLE: dict[str, Any] = {
    "form_version": "2023",
    "cover": {
        "county": "北仑区",
        "declared_on": "2023-04-10",
        "contact": "王海峰 0574-86781234",
    },
    "part1": {
        "cluster_name": "宁波北仑模具中小企业特色产业集群（模具产业）",
        "department": "宁波市北仑区经济和信息化局",
        "department_contact": "王海峰",
        "department_phone": "0574-86781234",
        "operator": "宁波北仑模具产业园区管理委员会",
        "operator_contact": "陈立群",
        "operator_phone": "13805740123",
        "area_km2": 36.5,
        "industry_type": "第二产业",
        "not_prohibited": "是",
        "no_major_incidents": "是",
        "no_violations": "是",
        "energy_efficiency": "不涉及",
        "water_efficiency": "不涉及",
        "provincial_cluster": "是",
    },
    "part2": {
        "total_output": {"2020": 92.4, "2021": 108.6, "2022": 121.8},
        "sme_output_share": {"2020": 88.2, "2021": 87.6, "2022": 86.9},
        "leading_output_share": {"2020": 80.5, "2021": 81.2, "2022": 82.0},
        "leading_output_growth": {"2020": 8.6, "2021": 18.55, "2022": 13.26},
        "leading_output_cagr": 13.4,
        "enterprises": {"2020": 1860, "2021": 1925, "2022": 1980},
        "smes": {"2020": 1832, "2021": 1894, "2022": 1946},
        "specialised_smes": {"2020": 38, "2021": 52, "2022": 67},
        "little_giants": {"2020": 6, "2021": 9, "2022": 12},
        "single_champions": {"2020": 2, "2021": 3, "2022": 4},
        "high_tech_and_innovative": {"2020": 145, "2021": 182, "2022": 236},
        "chain_map": "是",
        "chain_cultivation": (
            "围绕汽车模具、家电模具、精密注塑模具三条主链，绘制产业链图谱和招商地图，"
            "建立链长制，近三年引进模具钢材、热流道、数控装备等配套项目27个，总投资58.6亿元，"
            "培育链主企业5家，带动上下游中小企业协同配套率提升至78%。"
        ),
        "supply_chain_risk": (
            "每年开展供应链风险评估，梳理模具钢、热流道元件、高端数控系统等12类关键物料的"
            "进口依赖度，建立重点企业库存预警和替代供应商清单，2022年关键材料国产替代率达到64%。"
        ),
        "resource_sharing": (
            "依托园区共享制造中心开放五轴加工、三坐标测量、真空热处理等设备186台套，"
            "年服务中小企业1200余家次，设备平均利用率由52%提升到71%。"
        ),
        "resource_sharing_work": {
            "integrated_mechanism": True,
            "shared_manufacturing": True,
            "joint_purchasing": True,
            "shared_workshops": False,
        },
        "collaboration": (
            "与宁波汽车零部件先进制造业集群、吉利汽车、均胜电子等龙头企业建立配套合作机制，"
            "联合开展一体化压铸模具攻关，近三年集群企业进入龙头企业供应链142家次。"
        ),
        "quality_brand": (
            "推行卓越绩效和精益管理，培育浙江制造品牌企业9家，“北仑模具”集体商标注册使用，"
            "组织质量诊断服务60余次，模具一次试模合格率提高到93%。"
        ),
        "quality_brand_work": {
            "quality_promotion": True,
            "collective_trademark": True,
            "brand_operation": True,
            "quality_infrastructure": True,
        },
    },
    "part3": {
        "rd_intensity": {"2020": 3.12, "2021": 3.35, "2022": 3.58},
        "rd_growth": {"2020": 9.8, "2021": 15.6, "2022": 12.4},
        "standards": _standards_table(),
        "standards_list": [
            {"year": y, "category": c, "role": r, "name": n, "code": code}
            for y, c, r, n, code in _STANDARDS
        ],
        "platforms": {
            "national": {"count": 1, "names": ["国家模具产品质量检验检测中心（宁波）"]},
            "provincial": {
                "count": 3,
                "names": [
                    "浙江省模具产业创新服务综合体",
                    "浙江省精密模具重点企业研究院",
                    "浙江省汽车模具工程技术研究中心",
                ],
            },
            "other": {
                "count": 2,
                "names": ["宁波市模具行业公共技术服务平台", "北仑区模具数字化设计中心"],
            },
        },
        "sme_employees": SME_EMPLOYEES,
        "rd_staff_share": 12.6,
        "patent_growth": 16.2,
        "patents_per_10k": 73.27,
        "patents": PATENT_COUNT,
        "patents_list": _patents(),
        "collaborative_innovation": (
            "联合宁波大学、中科院宁波材料所共建模具产业技术研究院，组建一体化压铸模具创新联合体，"
            "实施揭榜挂帅项目18项，突破大型薄壁件压铸、模具快速修复等关键技术11项。"
        ),
        "collaborative_innovation_work": {
            "technology_roadmap": True,
            "problem_list": True,
            "incentives": True,
            "innovation_consortium": True,
            "academia": True,
        },
    },
    "part4": {
        "cloud_adoption": 68.5,
        "industrial_internet": 42.3,
        "software_rising": "是",
        "software_spending": {"2020": 2860, "2021": 3420.5, "2022": 4105.8},
        "digital_services": (
            "引入数字化服务商23家，为中小模具企业提供CAD/CAE/CAM一体化设计、MES排产、"
            "设备联网等服务，完成数字化诊断426家，建成模具行业工业互联网平台。"
        ),
        "digital_service_work": {
            "solution_providers": True,
            "common_solutions": True,
            "integration_management": True,
            "maturity_assessment": True,
        },
        "new_models": (
            "建成省级智能工厂3家、数字化车间17个，模具行业工业互联网平台接入设备5200余台，"
            "推广云化设计和远程运维等新模式，试模周期平均缩短22%。"
        ),
        "new_model_work": {
            "national_pilots": False,
            "provincial_pilots": True,
            "promotion": True,
        },
    },
    "part5": {
        "carbon_monitoring": "是",
        "carbon_intensity": {"2020": 0.42, "2021": 0.39, "2022": 0.36},
        "carbon_formula": (
            "单位产值二氧化碳排放量＝集群二氧化碳排放总量（吨）÷集群工业总产值（万元）"
        ),
        "carbon_work": (
            "建立集群能耗和碳排放在线监测平台，覆盖规上企业216家，开展碳达峰碳中和政策宣讲"
            "12场，组织38家企业完成碳排放核算。"
        ),
        "energy_reduction": 8.6,
        "solid_waste_use": 92.4,
        "solid_waste_above_average": "是",
        "water_reuse": 88.5,
        "water_reuse_above_average": "是",
        "resource_use": (
            "推广热处理余热回收和切削液集中再生，建成废旧模具钢回收利用线2条，"
            "年回收利用废钢3.2万吨，工业用水重复利用率逐年提升。"
        ),
        "resource_use_work": {
            "waste_heat": True,
            "water_cascade": True,
            "waste_grading": True,
        },
        "green_services": (
            "引入节能服务公司和碳核算机构6家，为企业提供节能诊断、清洁生产审核、碳足迹核算服务，"
            "近三年完成节能诊断153家次。"
        ),
        "green_service_capabilities": {
            "green_manufacturing": True,
            "energy_diagnosis": True,
            "cleaner_production": True,
            "energy_systems": False,
            "carbon_accounting": True,
        },
    },
    "part6": {
        "international": (
            "集群企业与德国、日本、墨西哥等国汽车及家电企业建立长期配套关系，"
            "连续三年组团参加中国国际中小企业博览会和德国欧洲模具展，引进海外高端人才团队4个。"
        ),
        "international_activities": {
            "cooperation_mechanism": True,
            "overseas_parks": False,
            "imported_know_how": True,
            "expos": True,
            "hosted_conferences": True,
        },
        "overseas_branches": 14,
        "export_growth": {"2020": -3.2, "2021": 21.5, "2022": 9.8},
        "fdi_growth": {"2020": 5.1, "2021": 12.3, "2022": -4.6},
    },
    "part7": {
        "overview": (
            "成立模具产业发展促进中心，实行园区、行业协会、龙头企业共商共建共享机制，"
            "建成中小企业公共服务平台，年服务企业3000余家次，服务满意度96%。"
        ),
        "service_platforms": {
            "national_demo": False,
            "provincial_demo": True,
            "own_platform": True,
        },
        "public_services": {
            "information": True,
            "entrepreneurship": True,
            "innovation": True,
            "training": True,
            "marketing": True,
            "financing": True,
            "consulting": True,
        },
        "governance_work": {
            "promotion_body": True,
            "rights_protection": True,
            "service_evaluation": True,
        },
    },
    "part8": {
        "overview": (
            "北仑模具产业起步于上世纪八十年代，现有模具及相关企业1980家，其中中小企业1946家，"
            "2022年集群总产值121.80亿元，主导产业产值占比82.00%，汽车模具和精密注塑模具"
            "产量约占全国的十分之一。区政府出台模具产业高质量发展三年行动计划，设立专项资金，"
            "培育专精特新中小企业67家、专精特新“小巨人”企业12家、制造业单项冠军企业4家，"
            "“北仑模具”集体商标获准注册，产业链供应链配套体系完整，居细分领域全国前列。"
        ),
        "achievements": (
            "主导产业优势持续提升，近三年主导产业产值年均增长13.40%；创新活力增强，"
            "研发投入强度提高到3.58%，有效发明专利386件；数字化升级加快，企业上云比例68.50%；"
            "绿色低碳转型成效明显，单位产值二氧化碳排放量由0.42吨/万元降至0.36吨/万元；"
            "开放合作不断深化，在境外设立分支机构14个；公共服务平台年服务企业3000余家次。"
        ),
        "problems": (
            "一是高端模具钢、热流道核心部件仍依赖进口；二是中小企业数字化水平参差不齐，"
            "工业互联网平台应用普及率有待提高；三是高技能人才和复合型设计人才短缺。"
        ),
        "approach": (
            "坚持专业化、特色化、集群化发展，以汽车模具和精密注塑模具为主攻方向，"
            "强化创新驱动、数字赋能和绿色转型，打造国内领先、国际知名的模具产业集群。"
        ),
        "goals": {
            "targets": {
                "output_growth": {"baseline": 13.4, "target": 12},
                "quality_smes": {"baseline": 83, "target": 120},
                "rd_spending": {"baseline": 37892.22, "target": 52000},
                "patents": {"baseline": 386, "target": 600},
                "industrial_internet": {"baseline": 42.3, "target": 46},
                "co2_emissions": {"baseline": 43.85, "target": 35.8},
                "energy_intensity": {"baseline": 0.15, "target": 0.13},
                "openness": {
                    "baseline": "境外分支机构14个，参加国际展会年均6场",
                    "target": "境外分支机构达到20个，建立1个国际合作机制",
                },
                "governance": {
                    "baseline": "建有省级中小企业公共服务示范平台1个",
                    "target": "争创国家中小企业公共服务示范平台1个",
                },
                "extra": [
                    {
                        "direction": "其它",
                        "indicator": "模具出口交货值",
                        "unit": "亿元",
                        "baseline": "18.60",
                        "target": "26.00",
                    }
                ],
            },
            "stages": {
                "first": "集群产值突破136亿元，新增优质中小企业12家，工业互联网普及率达到43%。",
                "second": "集群产值突破152亿元，新增优质中小企业12家，工业互联网普及率达到45%。",
                "third": "集群产值突破170亿元，优质中小企业达到120家，工业互联网普及率达到46%。",
            },
        },
        "key_tasks": (
            "一是实施强链补链工程，引进高端模具钢和热流道项目；二是实施创新提能工程，"
            "建设模具产业技术研究院；三是实施数字赋能工程，推进模具行业工业互联网平台全覆盖；"
            "四是实施绿色低碳工程，推广余热回收和清洁生产；五是实施开放合作工程。"
        ),
        "safeguards": (
            "成立由区政府分管领导任组长的集群培育工作专班，设立每年5000万元模具产业专项资金，"
            "完善人才引育政策，建立集群发展监测评价和年度考核机制。"
        ),
    },
    "part9": {
        "accepted": True,
        "responsible_person": "周建明",
        "signed_on": "2023-04-10",
        "provincial_opinion": None,
    },
    "attachment1": {
        "leading_industry": "模具",
        "established": "2005-06",
        "summary": (
            "北仑模具集群以汽车模具、精密注塑模具为主导，现有企业1980家，2022年产值121.80亿元，"
            "拥有专精特新“小巨人”企业12家、单项冠军企业4家，建有国家级检测中心和省级创新服务"
            "综合体，是全国重要的模具生产基地。"
        ),
    },
    "evidence": {
        "part2.chain_map": _evidence("北仑模具产业链图谱.pdf"),
        "part2.resource_sharing_work.integrated_mechanism": _evidence("产供销协同协作机制文件.pdf"),
        "part2.resource_sharing_work.shared_manufacturing": _evidence("共享制造中心运营协议.pdf"),
        "part2.resource_sharing_work.joint_purchasing": _evidence("模具钢集中采购协议.pdf"),
        "part2.quality_brand_work.quality_promotion": _evidence("质量诊断服务记录.pdf"),
        "part2.quality_brand_work.collective_trademark": _evidence("北仑模具集体商标注册证.jpg"),
        "part2.quality_brand_work.brand_operation": _evidence("品牌运营管理办法.docx"),
        "part2.quality_brand_work.quality_infrastructure": _evidence("检测认证服务证明.pdf"),
        "part3.collaborative_innovation_work.technology_roadmap": _evidence("技术路线图.pdf"),
        "part3.collaborative_innovation_work.problem_list": _evidence("技术难点清单.xlsx"),
        "part3.collaborative_innovation_work.incentives": _evidence("揭榜挂帅实施办法.pdf"),
        "part3.collaborative_innovation_work.innovation_consortium": _evidence(
            "创新联合体协议.pdf"
        ),
        "part3.collaborative_innovation_work.academia": _evidence("产学研合作协议.pdf"),
        "part4.digital_service_work.solution_providers": _evidence("数字化服务商名录.pdf"),
        "part4.digital_service_work.common_solutions": _evidence("数字化诊断报告汇总.pdf"),
        "part4.digital_service_work.integration_management": _evidence("两化融合贯标证书.pdf"),
        "part4.digital_service_work.maturity_assessment": _evidence("成熟度评估报告.pdf"),
        "part4.new_model_work.provincial_pilots": _evidence("省级智能工厂认定文件.pdf"),
        "part4.new_model_work.promotion": _evidence("新模式推广活动记录.pdf"),
        "part5.carbon_monitoring": _evidence("碳排放监测平台说明.pdf"),
        "part5.carbon_work": _evidence("碳达峰宣讲与核算材料.pdf"),
        "part5.resource_use_work.waste_heat": _evidence("余热回收项目验收报告.pdf"),
        "part5.resource_use_work.water_cascade": _evidence("水资源循环利用说明.pdf"),
        "part5.resource_use_work.waste_grading": _evidence("废钢回收利用线证明.pdf"),
        "part5.green_service_capabilities.green_manufacturing": _evidence("绿色制造服务合同.pdf"),
        "part5.green_service_capabilities.energy_diagnosis": _evidence("节能诊断服务记录.pdf"),
        "part5.green_service_capabilities.cleaner_production": _evidence("清洁生产审核报告.pdf"),
        "part5.green_service_capabilities.carbon_accounting": _evidence("碳足迹核算报告.pdf"),
        "part6.international_activities.cooperation_mechanism": _evidence("国际合作协议.pdf"),
        "part6.international_activities.imported_know_how": _evidence("海外人才团队引进证明.pdf"),
        "part6.international_activities.expos": _evidence("中博会参展证明.jpg"),
        "part6.international_activities.hosted_conferences": _evidence(
            "国际模具技术交流会材料.pdf"
        ),
        "part6.overseas_branches": _evidence("境外分支机构清单.xlsx"),
        "part7.service_platforms.provincial_demo": _evidence("省级示范平台认定文件.pdf"),
        "part7.service_platforms.own_platform": _evidence("公共服务平台运营报告.pdf"),
        **{
            f"part7.public_services.{name}": _evidence(f"公共服务记录-{label}.pdf")
            for name, label in (
                ("information", "信息服务"),
                ("entrepreneurship", "创业辅导"),
                ("innovation", "创新支持"),
                ("training", "人员培训"),
                ("marketing", "市场营销"),
                ("financing", "投融资服务"),
                ("consulting", "管理咨询"),
            )
        },
        "part7.governance_work.promotion_body": _evidence("模具产业发展促进中心章程.pdf"),
        "part7.governance_work.rights_protection": _evidence("中小企业权益保护机制文件.pdf"),
        "part7.governance_work.service_evaluation": _evidence("公共服务考核办法.pdf"),
    },
}


def example_application() -> Application:
    """A fresh copy of the example: callers may change it freely."""
    return Application.model_validate(EXAMPLE)


def example_json() -> dict[str, Any]:
    return example_application().model_dump(mode="json")


def example_resubmission() -> dict[str, Any]:
    """The example as a county corrects it after the city returned it: edits in every part.

    A figure changed in one year of many year columns, a text in every part rewritten, one
    cleared, boxes unticked, patents added, removed and changed, the standards re-ordered and
    one changed, every evidence file replaced by a new version. The revision diff's tests and
    its benchmark compare it with ``example_json()``.
    """
    data = example_json()
    for part in ("part1", "part2", "part3", "part4", "part5", "part6", "part7", "part8"):
        for name, value in data[part].items():
            if isinstance(value, dict) and isinstance(value.get("2021"), int | float):
                value["2021"] = round(value["2021"] + 1, 2)  # one year of each year column
            elif isinstance(value, str) and len(value) > 20:
                data[part][name] = value + "（已按审核意见补充）"
    data["cover"]["contact"] = "王海峰 0574-86781235"
    data["part1"]["operator_contact"] = None
    data["attachment1"]["summary"] += "（已更正）"
    data["part9"]["responsible_person"] = "周建民"
    ticks = data["part3"]["collaborative_innovation_work"]
    ticks["technology_roadmap"] = False
    patents = data["part3"]["patents_list"]
    for row in patents[::10]:
        row["holder"] = row["holder"].replace("模具有限公司", "精密模具股份有限公司")
    del patents[:5]
    patents[100:100] = [
        {
            "kind": "发明专利",
            "title": f"一种模具补充专利{i}",
            "number": f"ZL2023{i:07d}.1",
            "holder": "宁波北仑精诚模具有限公司",
        }
        for i in range(5)
    ]
    standards = data["part3"]["standards_list"]
    standards.reverse()
    standards[0]["name"] += "（修订）"
    data["evidence"] = {
        box: [{"name": f"（更新）{file['name']}", "sha256": f"{i:064x}", "size": 1024 + i}]
        for i, (box, files) in enumerate(data["evidence"].items())
        for file in files[:1]
    }
    return data

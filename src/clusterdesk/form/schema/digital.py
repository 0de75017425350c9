"""四、数字化升级情况."""

from __future__ import annotations

from ..fields import FormModel, Kind, Number, choice, narrative, number, section, tick, yearly
from .common import YearNumbers, YesNo
from .industry import TICK_NOTE


class DigitalServiceWork(FormModel):
    solution_providers: bool = tick("引入了数字化系统解决方案服务商")
    common_solutions: bool = tick("开展了数字化共性解决方案开发和诊断等服务")
    integration_management: bool = tick("开展了两化融合管理体系推广工作")
    maturity_assessment: bool = tick(
        "开展了智能制造能力成熟度评估或数据管理能力成熟度评估等推广工作"
    )


class NewModelWork(FormModel):
    national_pilots: bool = tick("建有国家智能制造、工业互联网以及其它国家新模式新业态试点示范项目")
    provincial_pilots: bool = tick(
        "建有省级智能制造、工业互联网以及其它国家新模式新业态试点示范项目"
    )
    promotion: bool = tick("开展了智能制造、工业互联网等新模式新业态创新应用推广")


class Digital(FormModel):
    cloud_adoption: Number | None = number("企业上云比例（%）", Kind.SHARE, "%")
    industrial_internet: Number | None = number(
        "集群工业互联网平台应用普及率（%）", Kind.SHARE, "%"
    )
    software_rising: YesNo | None = choice("工业软件应用率稳步提升")
    software_spending: YearNumbers = yearly("工业软件采购金额（万元）", Kind.AMOUNT, "万元")
    digital_services: str | None = narrative("数字化服务总体情况", note="（200字以内）")
    digital_service_work: DigitalServiceWork = section(
        "集群已开展的数字化服务工作", DigitalServiceWork, note=TICK_NOTE
    )
    new_models: str | None = narrative(
        "智能制造、工业互联网以及其它新模式新业态试点示范建设或应用情况",
        note="数字化新模式新业态推广情况（200字以内）",
    )
    new_model_work: NewModelWork = section(
        "集群已开展的数字化新模式新业态推广工作", NewModelWork, note=TICK_NOTE
    )

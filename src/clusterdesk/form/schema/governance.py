"""七、治理和服务水平."""

from __future__ import annotations

from ..fields import FormModel, narrative, section, tick
from .industry import TICK_NOTE


class ServicePlatforms(FormModel):
    national_demo: bool = tick("建设或引入国家中小企业公共服务示范平台")
    provincial_demo: bool = tick("建设或引入省级中小企业公共服务示范平台")
    own_platform: bool = tick("建立了中小企业公共服务平台")


class PublicServices(FormModel):
    information: bool = tick("信息服务")
    entrepreneurship: bool = tick("创业辅导")
    innovation: bool = tick("创新支持")
    training: bool = tick("人员培训")
    marketing: bool = tick("市场营销")
    financing: bool = tick("投融资服务")
    consulting: bool = tick("管理咨询")


class GovernanceWork(FormModel):
    promotion_body: bool = tick("建立了专业化发展促进机构、开展共商共建共享")
    rights_protection: bool = tick("建立了中小企业合法权益保护机制")
    service_evaluation: bool = tick("建立了公共服务效果考核机制")


class Governance(FormModel):
    overview: str | None = narrative("治理和服务水平情况", note="（200字以内）")
    service_platforms: ServicePlatforms = section(
        "中小企业公共服务平台建设情况",
        ServicePlatforms,
        note="集群已建设的中小企业公共服务平台：" + TICK_NOTE,
    )
    public_services: PublicServices = section(
        "集群提供中小企业公共服务情况",
        PublicServices,
        note="集群已提供的中小企业公共服务：" + TICK_NOTE,
    )
    governance_work: GovernanceWork = section(
        "集群治理情况", GovernanceWork, note="集群开展的治理工作：" + TICK_NOTE
    )

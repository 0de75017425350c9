"""The open API, version 1 (/api/v1/): its routers, its token, its docs page.

The docs page is django-ninja's Swagger UI from our own static files ("ninja" is an installed
app), so it runs under the site's CSP (scripts and styles from 'self' only).
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from clusterdesk.api import errors
from clusterdesk.api.auth import token_auth
from clusterdesk.api.endpoints import (
    applications,
    evidence,
    registry,
    reports,
    roundexport,
    rounds,
    submissions,
)

api = NinjaAPI(
    title="中小企业特色产业集群申报认定平台 开放接口",
    version="1",
    description=(
        "以 Authorization: Bearer <令牌> 调用；令牌由系统管理员签发。"
        "每个令牌的数据范围与其用户在网页上的相同：区县只看本单位，市局看全部。"
    ),
    urls_namespace="api-v1",
    auth=token_auth,
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (rounds, roundexport, applications, submissions, evidence, reports, registry):
    api.add_router("", module.router)

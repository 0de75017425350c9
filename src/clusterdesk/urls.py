from django.contrib import admin
from django.urls import include, path

from clusterdesk.web import health

admin.site.site_header = "中小企业特色产业集群申报认定平台 · 管理后台"
admin.site.site_title = "集群申报认定平台管理后台"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", include("clusterdesk.portal.urls")),
    path("accounts/", include("clusterdesk.accounts.urls")),
    path("admin/", admin.site.urls),
    path("rounds/", include("clusterdesk.rounds.urls")),
    path("county/", include("clusterdesk.county.urls")),
    path("intake/", include("clusterdesk.intake.urls")),
    path("exports/", include("clusterdesk.exports.urls")),
    path("review/", include("clusterdesk.review.urls")),
    path("scoring/", include("clusterdesk.scoring.urls")),
    path("hearings/", include("clusterdesk.hearings.urls")),
    path("publicity/", include("clusterdesk.publicity.urls")),
    path("gongshi/", include("clusterdesk.publicity.public_urls")),
    path("registry/", include("clusterdesk.registry.urls")),
    path("certified/", include("clusterdesk.registry.public_urls")),
    path("revocation/", include("clusterdesk.revocation.urls")),
    path("monitoring/", include("clusterdesk.monitoring.urls")),
    path("tracking/", include("clusterdesk.tracking.urls")),
    path("recheck/", include("clusterdesk.recheck.urls")),
    path("applications/", include("clusterdesk.declarations.urls")),
    path("evidence/", include("clusterdesk.evidence.urls")),
    path("notifications/", include("clusterdesk.notifications.urls")),
    path("api/", include("clusterdesk.api.urls")),  # the open API, /api/v1/
    # Probes (README "make serve"); web.health.HealthMiddleware answers them first.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# Chinese error pages with the request id (clusterdesk.web.errors); 429 is templates/429.html.
handler400 = "clusterdesk.web.errors.bad_request"
handler403 = "clusterdesk.web.errors.permission_denied"
handler404 = "clusterdesk.web.errors.page_not_found"
handler500 = "clusterdesk.web.errors.server_error"

"""认定与推荐 under /registry/: the registry, 发文 per round, 择优推荐."""

from django.urls import path

from clusterdesk.registry.views import city

app_name = "registry"

urlpatterns = [
    path("", city.registry_page, name="list"),
    path("export.xlsx", city.registry_export, name="export"),
    path("rounds/<int:pk>/publish/", city.publish_page, name="publish"),
    path("rounds/<int:pk>/settings/", city.settings_change, name="settings"),
    path("recommend/", city.recommend_page, name="recommend"),
    path(
        "recommendations/<int:pk>/package.zip",
        city.recommendation_package,
        name="package",
    ),
]

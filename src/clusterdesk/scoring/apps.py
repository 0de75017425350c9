"""The rubric per round, the experts' score sheets, their aggregation and the ranking."""

from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "clusterdesk.scoring"
    label = "scoring"
    verbose_name = "专家评分"

    def ready(self) -> None:
        from clusterdesk.scoring import permissions  # noqa: F401, PLC0415 - declares its rules

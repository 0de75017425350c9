"""Targets against actuals: each certified cluster's 2025 targets followed year by year, the
city-wide dashboard, the lagging list and the annual monitoring report."""

from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "clusterdesk.tracking"
    label = "tracking"
    verbose_name = "目标监测"

    def ready(self) -> None:
        from clusterdesk.tracking import permissions  # noqa: F401, PLC0415 - declares its rules

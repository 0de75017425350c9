"""The expert pool, conflicts of interest (回避), review phases and the assignment of experts."""

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "clusterdesk.review"
    label = "review"
    verbose_name = "专家评审"

    def ready(self) -> None:
        from clusterdesk.review import permissions  # noqa: F401, PLC0415 - declares its rules

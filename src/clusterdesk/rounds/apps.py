from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "clusterdesk.rounds"
    label = "rounds"
    verbose_name = "申报轮次记录"

    def ready(self) -> None:
        from clusterdesk.rounds import permissions  # noqa: F401, PLC0415 - declares its rules

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "clusterdesk.intake"
    label = "intake"
    verbose_name = "市局审核"

    def ready(self) -> None:
        from clusterdesk.intake import permissions  # noqa: F401, PLC0415 - declares its rules

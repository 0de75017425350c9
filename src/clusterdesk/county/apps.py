from django.apps import AppConfig


class CountyConfig(AppConfig):
    name = "clusterdesk.county"
    label = "county"
    verbose_name = "区县申报"

    def ready(self) -> None:
        from clusterdesk.county import permissions  # noqa: F401, PLC0415 - declares its rules

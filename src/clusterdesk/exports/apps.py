from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "clusterdesk.exports"
    label = "exports"
    verbose_name = "导出文件"

    def ready(self) -> None:
        from clusterdesk.exports import permissions  # noqa: F401, PLC0415 - declares its rules

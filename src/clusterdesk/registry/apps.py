"""发文 certification with its 文号, the registry of certified clusters and the 择优推荐."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "clusterdesk.registry"
    label = "registry"
    verbose_name = "认定与推荐"

    def ready(self) -> None:
        from clusterdesk.registry import permissions  # noqa: F401, PLC0415 - declares its rules

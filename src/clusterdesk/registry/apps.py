from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "clusterdesk.registry"
    label = "registry"
    verbose_name = "认定与推荐"

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "clusterdesk.portal"
    label = "portal"
    verbose_name = "门户"

from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "clusterdesk.declarations"
    label = "declarations"
    verbose_name = "申报与认定"

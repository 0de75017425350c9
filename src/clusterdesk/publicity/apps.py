from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "clusterdesk.publicity"
    label = "publicity"
    verbose_name = "会审与公示"

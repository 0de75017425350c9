from django.apps import AppConfig


class CountyConfig(AppConfig):
    name = "clusterdesk.county"
    label = "county"
    verbose_name = "区县申报"

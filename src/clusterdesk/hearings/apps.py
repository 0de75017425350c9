from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "clusterdesk.hearings"
    label = "hearings"
    verbose_name = "答辩与走访"

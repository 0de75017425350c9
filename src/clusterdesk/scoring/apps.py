from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "clusterdesk.scoring"
    label = "scoring"
    verbose_name = "专家评分"

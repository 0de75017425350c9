from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "clusterdesk.review"
    label = "review"
    verbose_name = "专家评审"

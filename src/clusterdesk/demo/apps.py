from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "clusterdesk.demo"
    label = "demo"
    verbose_name = "演示数据"

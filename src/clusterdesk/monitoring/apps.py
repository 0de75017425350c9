"""集群培育: the certified clusters' annual reports (年度发展情况报告), their reporting window,
reminders, the city's review and the decisions on reported major changes."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "clusterdesk.monitoring"
    label = "monitoring"
    verbose_name = "年度报告"

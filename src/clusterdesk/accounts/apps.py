from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clusterdesk.accounts"
    label = "accounts"
    verbose_name = "用户与单位"

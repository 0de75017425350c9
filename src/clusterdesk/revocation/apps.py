"""撤销认定: revoking a certification at any time, with its reason class, 文号 and 通报."""

from django.apps import AppConfig


class RevocationConfig(AppConfig):
    name = "clusterdesk.revocation"
    label = "revocation"
    verbose_name = "撤销认定"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DeclarationsConfig(AppConfig):
    name = "clusterdesk.declarations"
    label = "declarations"
    verbose_name = "申报与认定"

    def ready(self) -> None:
        from clusterdesk.declarations import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.shared.appendonly import reinstall_after_migrate  # noqa: PLC0415

        # For every app (rounds too): put back triggers a table rebuild may have dropped.
        post_migrate.connect(reinstall_after_migrate, dispatch_uid="clusterdesk-append-only")

"""撤销认定: revoking a certification at any time, with its reason class, 文号 and 通报."""

from django.apps import AppConfig


class RevocationConfig(AppConfig):
    name = "clusterdesk.revocation"
    label = "revocation"
    verbose_name = "撤销认定"

    def ready(self) -> None:
        from clusterdesk.registry.domain import registry  # noqa: PLC0415
        from clusterdesk.revocation import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.revocation.domain.registry_notes import registry_notes  # noqa: PLC0415

        if registry_notes not in registry.ROW_NOTES_FROM_ABOVE:
            registry.ROW_NOTES_FROM_ABOVE.append(registry_notes)

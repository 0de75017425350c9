"""撤销认定: revoking a certification at any time, with its reason class, 文号 and 通报."""

from django.apps import AppConfig


class RevocationConfig(AppConfig):
    name = "clusterdesk.revocation"
    label = "revocation"
    verbose_name = "撤销认定"

    def ready(self) -> None:
        from clusterdesk.declarations import workflow  # noqa: PLC0415
        from clusterdesk.registry.domain import registry  # noqa: PLC0415
        from clusterdesk.revocation import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.revocation.domain.guard import only_by_revoke  # noqa: PLC0415
        from clusterdesk.revocation.domain.registry_notes import registry_notes  # noqa: PLC0415

        # ready() can run twice in one process: register once.
        if registry_notes not in registry.ROW_NOTES_FROM_ABOVE:
            registry.ROW_NOTES_FROM_ABOVE.append(registry_notes)
        # The workflow may not import this app: 撤销认定 asks the guard registered here, so
        # the only way to 已撤销 is revoke(), which records the decision (domain/guard.py).
        guards = workflow.GUARDS_FROM_ABOVE.setdefault(
            (workflow.State.CERTIFIED, workflow.State.REVOKED), []
        )
        if only_by_revoke not in guards:
            guards.append(only_by_revoke)

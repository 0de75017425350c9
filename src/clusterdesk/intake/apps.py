from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "clusterdesk.intake"
    label = "intake"
    verbose_name = "市局审核"

    def ready(self) -> None:
        from clusterdesk.declarations import workflow  # noqa: PLC0415
        from clusterdesk.intake import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.intake.domain.digest import digest_move  # noqa: PLC0415
        from clusterdesk.intake.domain.overlap import index_move  # noqa: PLC0415

        # The workflow may not import this app: it calls what is registered here (the
        # pre-check digest of each new submission). ready() can run twice in one process.
        if digest_move not in workflow.AFTER_EVERY_MOVE:
            workflow.AFTER_EVERY_MOVE.append(digest_move)
        # The cross-application checks index each new submission once the move has committed.
        if index_move not in workflow.AFTER_EVERY_MOVE:
            workflow.AFTER_EVERY_MOVE.append(index_move)

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "clusterdesk.notifications"
    label = "notifications"
    verbose_name = "通知与提醒"

    def ready(self) -> None:
        from clusterdesk.declarations import workflow  # noqa: PLC0415
        from clusterdesk.notifications import permissions  # noqa: F401, PLC0415 - its rules
        from clusterdesk.notifications.domain import notify_move  # noqa: PLC0415

        # The workflow may not import this app (it sits above declarations): it calls what is
        # registered here. ready() can run twice in one process (tests), hence the check.
        if notify_move not in workflow.AFTER_EVERY_MOVE:
            workflow.AFTER_EVERY_MOVE.append(notify_move)

"""集群培育: the certified clusters' annual reports (年度发展情况报告), their reporting window,
reminders, the city's review and the decisions on reported major changes."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "clusterdesk.monitoring"
    label = "monitoring"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from clusterdesk.county.domain import selfcheck  # noqa: PLC0415
        from clusterdesk.declarations import workflow  # noqa: PLC0415
        from clusterdesk.monitoring import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.monitoring.domain import changes, reports  # noqa: PLC0415
        from clusterdesk.notifications import domain as notifications  # noqa: PLC0415
        from clusterdesk.rounds.enums import RoundKind  # noqa: PLC0415

        # The self-check of a report shows its consistency with the declaration and earlier
        # reports (warnings; they do not block the submission).
        selfcheck.EXTRA_FINDINGS_FROM_ABOVE.append(reports.consistency_findings)
        # Reminders of an annual round: units whose certified clusters have no report yet.
        notifications.PENDING_FROM_ABOVE.setdefault(RoundKind.ANNUAL, []).append(
            reports.units_without_report
        )
        notifications.LINK_OF_KIND[RoundKind.ANNUAL] = "monitoring:county"
        # A submitted report with major changes opens the city's case; an accepted one is told.
        workflow.AFTER_EVERY_MOVE.append(changes.open_case_on_submit)
        workflow.AFTER_EVERY_MOVE.append(changes.notify_accepted)

"""现场答辩 (defence) schedules and records, and 实地走访 (site visits) with their findings."""

from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "clusterdesk.hearings"
    label = "hearings"
    verbose_name = "答辩与走访"

    def ready(self) -> None:
        from clusterdesk.hearings import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.hearings.domain.visits import ranking_flags  # noqa: PLC0415
        from clusterdesk.scoring.domain import ranking  # noqa: PLC0415

        # The ranking may not import this app: it asks the functions registered here for the
        # flags of its applications (实地走访：不属实 / 部分属实). ready() can run twice.
        if ranking_flags not in ranking.RANKING_FLAGS:
            ranking.RANKING_FLAGS.append(ranking_flags)

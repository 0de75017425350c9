"""The 会审 decision, the 公示 of the proposed clusters and the objections (异议) to it."""

from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "clusterdesk.publicity"
    label = "publicity"
    verbose_name = "会审与公示"

    def ready(self) -> None:
        from clusterdesk.declarations import workflow  # noqa: PLC0415
        from clusterdesk.publicity import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.publicity.domain.guard import certification_guard  # noqa: PLC0415

        # The workflow may not import this app: 认定 asks the guard registered here (once:
        # ready() can run twice in one process).
        guards = workflow.GUARDS_FROM_ABOVE.setdefault(
            (workflow.State.PROPOSED, workflow.State.CERTIFIED), []
        )
        if certification_guard not in guards:
            guards.append(certification_guard)

"""复核 at expiry: a round of its own kind that reuses the review machinery (experts, conflicts,
phases, rubric, 会审, 公示, 发文), with outcomes 通过 / 限期整改 / 撤销."""

from django.apps import AppConfig


def _register(hooks: list, hook) -> None:
    # ready() can run twice in one process: register once.
    if hook not in hooks:
        hooks.append(hook)


class RecheckConfig(AppConfig):
    name = "clusterdesk.recheck"
    label = "recheck"
    verbose_name = "复核"

    def ready(self) -> None:
        # The apps below may not import this one: they ask the hooks registered here.
        from clusterdesk.declarations import workflow  # noqa: PLC0415
        from clusterdesk.publicity.domain import ranking  # noqa: PLC0415
        from clusterdesk.recheck import permissions  # noqa: F401, PLC0415 - declares its rules
        from clusterdesk.recheck.domain import material, outcomes  # noqa: PLC0415
        from clusterdesk.recheck.domain.registry_notes import renewal_notes  # noqa: PLC0415
        from clusterdesk.registry.domain import publish, registry  # noqa: PLC0415
        from clusterdesk.scoring.domain import application as scoring_page  # noqa: PLC0415

        _register(publish.TERMS_FROM_ABOVE, outcomes.renewal_terms)
        _register(registry.ROW_NOTES_FROM_ABOVE, renewal_notes)
        _register(ranking.HELD_FROM_ABOVE, outcomes.held_out)
        for edge in (
            (workflow.State.UNDER_REVIEW, workflow.State.REJECTED),
            (workflow.State.PROPOSED, workflow.State.REJECTED),
        ):
            _register(
                workflow.GUARDS_FROM_ABOVE.setdefault(edge, []), outcomes.refuse_only_by_revocation
            )
        _register(scoring_page.MATERIAL_FROM_ABOVE, material.expert_material)

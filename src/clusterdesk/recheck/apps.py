"""复核 at expiry: a round of its own kind that reuses the review machinery (experts, conflicts,
phases, rubric, 会审, 公示, 发文), with outcomes 通过 / 限期整改 / 撤销."""

from django.apps import AppConfig


class RecheckConfig(AppConfig):
    name = "clusterdesk.recheck"
    label = "recheck"
    verbose_name = "复核"

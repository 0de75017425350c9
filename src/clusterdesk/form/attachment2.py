"""The 2023 Attachment 2 (中小企业特色产业集群申报表) as a form the engine runs.

Its key is what rounds store in ``form_version`` ("2023") and what the form's own
``form_version`` field holds, so stored data keeps its meaning. Its Word render and parse
(``clusterdesk.documents``) are written for this form only.
"""

from __future__ import annotations

from typing import Any

from .consistency import check_consistency
from .definition import FormDefinition, PageSpec
from .findings import Finding
from .schema import FORM_TITLE, PART_TITLES, Application
from .schema.checks import established, lists
from .schema.cover import location
from .schema.instructions import INSTRUCTIONS
from .targets import check_targets
from .versions import FORM_2023


def _consistency(definition: FormDefinition, application: Application) -> list[Finding]:
    return check_consistency(application)


def _extras(application: Application, page: str) -> dict[str, Any]:
    if page == "cover":
        return {"instructions": INSTRUCTIONS}
    if page == "attachment1":  # the cells of the Attachment 1 row that other parts fill
        return {
            "summary": {
                "cluster_name": application.part1.cluster_name,
                "operator": application.part1.operator,
                "location": location(application.cover.county),
            }
        }
    return {}


ATTACHMENT2_2023 = FormDefinition(
    key=FORM_2023.id,
    title=FORM_TITLE,
    model=Application,
    version=FORM_2023,
    # The official order: cover, parts 一–九, then the Attachment 1 row.
    pages=(
        PageSpec("cover", "封面"),
        *(PageSpec(key, title) for key, title in PART_TITLES.items()),
        PageSpec("attachment1", "附件1 推荐汇总表"),
    ),
    rules=(established, lists),
    reviews=(_consistency,),
    profile_checks=(check_targets,),
    page_extras=_extras,
)

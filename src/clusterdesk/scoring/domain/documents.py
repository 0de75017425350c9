"""The data of the 专家评分表 and the 评审汇总表, read from the models for the pure renderers in
``documents.scoresheet``."""

from __future__ import annotations

from django.utils import timezone

from clusterdesk.documents.scoresheet import SheetDocument, SheetLine, SummaryDocument, SummaryRow
from clusterdesk.panel.aggregate import METHODS
from clusterdesk.panel.rubric import OPINIONS, Rubric
from clusterdesk.review.models import Assignment
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.domain.application import anonymised
from clusterdesk.scoring.domain.ranking import RankedApplication, closed_scored_phases
from clusterdesk.scoring.domain.settings import scoring_settings
from clusterdesk.scoring.models import ScoreSheet, SheetStatus

UNNAMED = "（未填集群名称）"


def expert_identity(user) -> tuple[str, str, str]:
    profile = getattr(user, "expert_profile", None)
    if profile is None:
        return user.get_full_name() or user.username, "", ""
    return profile.name, profile.organisation_name, profile.title


def county_of(application) -> str:
    organisation = application.organisation
    return organisation.county or organisation.name


def cluster_name(application) -> str:
    name = getattr(application, "name", None)
    if name is None:
        name = application.cluster_name
    return name or UNNAMED


def sheet_document(
    assignment: Assignment, sheet: ScoreSheet, rubric: Rubric, *, show_county: bool
) -> SheetDocument:
    name, organisation, title = expert_identity(assignment.expert)
    phase = assignment.phase
    anonymise = anonymised(phase.round)
    submitted = sheet.status == SheetStatus.SUBMITTED
    return SheetDocument(
        round_name=phase.round.name,
        phase_name=phase.name,
        cluster_name=cluster_name(assignment.application),
        county="" if (anonymise and not show_county) else county_of(assignment.application),
        expert_name=name,
        expert_organisation=organisation,
        expert_title=title,
        lines=[
            SheetLine(
                name=aspect.name,
                weight=f"{aspect.weight.normalize():f}",
                range_text=aspect.range_text,
                score=str(sheet.scores.get(aspect.key, "")),
                comment=str(sheet.comments.get(aspect.key, "")),
            )
            for aspect in rubric.aspects
        ],
        total=f"{sheet.total:.2f}" if submitted and sheet.total is not None else "",
        opinion=OPINIONS.get(sheet.opinion, ""),
        opinion_reason=sheet.opinion_reason,
        status="已提交" if submitted else "草稿（未提交）",
        submitted_at=(
            timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M")
            if sheet.submitted_at
            else ""
        ),
    )


def summary_document(round_: Round, ranking: list[RankedApplication]) -> SummaryDocument:
    settings = scoring_settings(round_)
    columns = max((len(row.totals) for row in ranking), default=0)
    rows = []
    for row in ranking:
        figures = row.figures
        flags = []
        if row.disagreement:
            flags.append(f"专家意见分歧（极差 {row.spread} 分）")
        if row.not_recommended:
            flags.append(f"{row.not_recommended} 位专家不推荐")
        if figures and figures.notes:
            flags.extend(figures.notes)
        if row.assigned > len(row.totals):
            flags.append(f"{row.assigned - len(row.totals)} 位专家未提交")
        flags.extend(row.flags)
        rank = "—" if row.rank is None else f"{row.rank}{'（并列）' if row.tied else ''}"
        rows.append(
            SummaryRow(
                rank=rank,
                cluster_name=cluster_name(row.application),
                county=county_of(row.application),
                totals=[f"{total.total:.2f}" for total in row.totals],
                mean=f"{figures.mean}" if figures else "",
                median=f"{figures.median}" if figures else "",
                trimmed=f"{figures.trimmed}" if figures else "",
                spread=f"{figures.spread}" if figures else "",
                flags="；".join(flags),
            )
        )
    return SummaryDocument(
        round_name=round_.name,
        phases="、".join(phase.name for phase in closed_scored_phases(round_)),
        method=METHODS[settings.aggregate],
        margin=f"{settings.disagreement_margin.normalize():f}",
        expert_columns=columns,
        rows=rows,
    )

"""What is stored about applications. Behaviour lives in workflow.py and domain/."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils.timezone import localtime

from clusterdesk.accounts.models import Organisation
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState, RevisionSource
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from clusterdesk.shared.appendonly import AppendOnly, AppendOnlyError  # noqa: F401 - re-exported for the apps built on it

# An annual report's form versions (``annual-2024``) and how a report and a 复核 are named.
ANNUAL_FORMS = "annual-"
ANNUAL_TITLE = RoundKind.ANNUAL.label  # 年度发展情况报告
RECHECK_MARK = RoundKind.RECHECK.label  # 复核


class Application(models.Model):
    """One cluster declared by a county-level unit in a round; ``data`` is the form as JSON.

    ``state`` and ``version`` are not editable here: they change only through
    ``clusterdesk.declarations.workflow.transition``.
    """

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name="申报轮次"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="申报单位",
    )
    state = models.CharField(
        "状态",
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        editable=False,
    )
    data = models.JSONField("申报表数据", default=dict, blank=True)
    # 集群名称 and 主导产业所属产业类型 as columns of their own, kept by the database from ``data``
    # (generated, so no way of writing the form can forget them): the city's lists filter, sort
    # and show them by index without reading any form (each is about 120 KB of JSON).
    listed_name = models.GeneratedField(
        expression=KT("data__part1__cluster_name"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="集群名称",
    )
    listed_industry = models.GeneratedField(
        expression=KT("data__part1__industry_type"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="主导产业所属产业类型",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_applications",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField(
        "版本号", default=1, editable=False, help_text="每次保存加一，用于发现并发修改。"
    )

    class Meta:
        verbose_name = "集群申报"
        verbose_name_plural = "集群申报"
        ordering = ("round", "organisation__position", "pk")
        indexes = (
            models.Index(
                fields=["round", "organisation", "state"], name="application_round_org_state"
            ),
            # A unit's applications in creation order per round (the dashboard's rows): without
            # it SQLite walks the round's index, i.e. every unit's rows, to avoid a sort.
            models.Index(fields=["organisation", "round", "id"], name="application_org_round_id"),
            models.Index(fields=["round", "listed_name", "id"], name="application_round_name"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(state__in=ApplicationState.values), name="application_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="application_version_positive"
            ),
        )

    def __str__(self) -> str:
        """How every page names it: the cluster, and what the application is of the cluster —
        宁波北仑模具产业集群 2025年度发展情况报告, 宁波北仑模具产业集群（复核）.

        Read from what is loaded only, so that naming a row never costs a query: the form's JSON
        (or what the database read out of it, ``forms.without_data``) and the round when it came
        with the application (``select_related("round")``, as the scoped queries do).
        """
        return self._named(None)

    @property
    def heading(self) -> str:
        """As ``str``, for a page's heading: a declaration not named yet is （未填集群名称）."""
        return self._named("（未填集群名称）")

    def _named(self, unnamed: str | None) -> str:
        kind = self._loaded_round_kind()
        report = self._report_fields(annual=kind == RoundKind.ANNUAL)
        if kind == RoundKind.ANNUAL or (kind is None and report is not None):
            name, year = report or ("", None)
            if kind == RoundKind.ANNUAL:  # an annual round collects one year (its last)
                year = self.round.last_data_year
            title = f"{year}{ANNUAL_TITLE}" if year else ANNUAL_TITLE
            return f"{name} {title}" if name else f"{self.organisation}的{title}（未命名）"
        name = self.cluster_name
        if kind == RoundKind.RECHECK:
            return f"{name or self.organisation}（{RECHECK_MARK}）"
        return name or unnamed or f"{self.organisation}的申报（未命名）"

    def _loaded_round_kind(self) -> str | None:
        round_ = self._state.fields_cache.get("round")
        return round_.kind if round_ is not None else None

    def _report_fields(self, *, annual: bool) -> tuple[str, int | None] | None:
        """(集群名称, 报告年度) of an annual report's form (its ``basics``); None for another
        form. ``annual``: the round says it is one (then the form is read even if deferred)."""
        if "data" in self.__dict__ or (annual and "json_form_version" not in self.__dict__):
            data: Any = self.data or {}
            version = data.get("form_version")
            basics = data.get("basics") if isinstance(data.get("basics"), dict) else {}
            name, year = basics.get("cluster_name"), basics.get("year")
        else:  # read out of the JSON by the database (forms.without_data)
            version = self.__dict__.get("json_form_version")
            name, year = (
                self.__dict__.get("json_report_name"),
                self.__dict__.get("json_report_year"),
            )
        if not isinstance(version, str) or not version.startswith(ANNUAL_FORMS):
            return None
        year = int(year) if str(year or "").isdigit() else None
        return (name if isinstance(name, str) else ""), year

    @property
    def cluster_name(self) -> str:
        """集群名称 as typed in part one of the form, or "" while it is still empty."""
        if "data" not in self.__dict__ and "json_cluster_name" in self.__dict__:
            # The data was not loaded; the database read the name out of it (``named()``).
            name = self.__dict__["json_cluster_name"]
            return name if isinstance(name, str) else ""
        part1: Any = (self.data or {}).get("part1") or {}
        name = part1.get("cluster_name") if isinstance(part1, dict) else None
        return name if isinstance(name, str) else ""

    def clean(self) -> None:
        super().clean()
        if self.organisation_id and not self.organisation.is_county_level:
            raise ValidationError({"organisation": "申报单位必须是区（县、市）经信局或管委会。"})


class ApplicationEvent(AppendOnly):
    """An audit record of one state change: who, when, from what, to what and why. Append-only."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="events", verbose_name="集群申报"
    )
    # Empty for the event that records the creation of the application.
    from_state = models.CharField(
        "原状态", max_length=20, choices=ApplicationState.choices, blank=True
    )
    to_state = models.CharField("新状态", max_length=20, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="application_events",
        verbose_name="操作人",
    )
    reason = models.TextField("理由", blank=True)
    at = models.DateTimeField("时间", default=clock.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "申报记录"
        verbose_name_plural = "申报记录"
        ordering = ("at", "pk")
        # The workflow's states only; "" is the creation event's missing "from".
        constraints = (
            models.CheckConstraint(
                condition=Q(from_state__in=[*ApplicationState.values, ""])
                & Q(to_state__in=ApplicationState.values),
                name="application_event_states_valid",
            ),
        )

    def __str__(self) -> str:
        source = self.get_from_state_display() or "新建"
        return f"{source} → {self.get_to_state_display()}"


class Submission(AppendOnly):
    """What was submitted, exactly as it was: an immutable snapshot taken with the event.

    Written by the workflow in the same transaction as the move to 已提交; never changed or deleted.
    ``data_sha256`` is the SHA-256 of the canonical JSON of ``data`` (keys sorted, UTF-8, no
    spaces), so a printed or exported copy can be matched to the record.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="submissions", verbose_name="集群申报"
    )
    event = models.OneToOneField(
        ApplicationEvent,
        on_delete=models.PROTECT,
        related_name="submission",
        verbose_name="申报记录",
    )
    data = models.JSONField("提交时的申报表数据")
    evidence = models.JSONField(
        "提交时的佐证材料", default=list, help_text="每个文件的栏目、文件名、SHA-256 和大小。"
    )
    data_sha256 = models.CharField("数据 SHA-256", max_length=64)
    application_version = models.PositiveIntegerField("提交时的版本号")
    submitted_at = models.DateTimeField("提交时间", editable=False, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="提交人",
    )

    class Meta:
        verbose_name = "提交快照"
        verbose_name_plural = "提交快照"
        ordering = ("submitted_at", "pk")

    def __str__(self) -> str:
        return f"{self.application}（{localtime(self.submitted_at):%Y-%m-%d %H:%M}）"


class Revision(AppendOnly):
    """One save of an application's form: who changed what, when and how. Append-only.

    Written by the editing door in the transaction that saves the form, so every figure in the
    form can be traced to the person who entered it. ``changes`` lists each changed box as
    ``{"path", "before", "after"}`` (a 清单 or an evidence item as a whole).
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="revisions", verbose_name="集群申报"
    )
    version = models.PositiveIntegerField("保存后的版本号")
    source = models.CharField("方式", max_length=10, choices=RevisionSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name="修改人",
    )
    at = models.DateTimeField("时间", default=clock.now, editable=False)
    changes = models.JSONField("修改内容", default=list)

    class Meta:
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"
        ordering = ("application", "version")
        constraints = (
            models.UniqueConstraint(
                fields=["application", "version"], name="revision_one_per_version"
            ),
            models.CheckConstraint(
                condition=Q(source__in=RevisionSource.values), name="revision_source_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.application} 第{self.version}版"


class SummaryHeader(models.Model):
    """The lines above the table of Attachment 1, as one county-level unit writes them per round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="summary_headers", verbose_name="申报轮次"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="summary_headers",
        verbose_name="申报单位",
    )
    department = models.CharField("区（县、市）中小企业主管部门", max_length=100, blank=True)
    contact = models.CharField("联系人", max_length=30, blank=True)
    mobile = models.CharField("手机", max_length=20, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "推荐汇总表表头"
        verbose_name_plural = "推荐汇总表表头"
        constraints = (
            models.UniqueConstraint(
                fields=["round", "organisation"], name="summary_header_one_per_round_org"
            ),
        )

    def __str__(self) -> str:
        return f"{self.organisation} · {self.round}"


class CommentStatus(models.TextChoices):
    """Where a comment of the city stands; drafts are the city's alone until a return."""

    DRAFT = "draft", "待随退回发出"
    OPEN = "open", "待区县处理"
    ANSWERED = "answered", "区县已处理"
    CLOSED = "closed", "已关闭"


class Comment(models.Model):
    """The city's comment (审核意见) on a field, a part or the whole application.

    ``path`` is the field's path (``part2.total_output.2021``), a part's key (``part2``) or ""
    for the application as a whole; ``place`` keeps the official label it had when written, so a
    later form version cannot rename what the county was told. Written as a draft while the
    application is submitted; the return that sends it to the county publishes it
    (``returned_with``, ``returned_snapshot``). The text never changes; the county's answers are
    ``CommentReply`` rows (append-only); only the status moves.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="comments", verbose_name="集群申报"
    )
    path = models.CharField("栏目路径", max_length=300, blank=True)
    place = models.CharField("栏目", max_length=500)
    text = models.TextField("审核意见")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name="提出人",
    )
    created_at = models.DateTimeField("提出时间", default=clock.now, editable=False)
    status = models.CharField(
        "状态", max_length=10, choices=CommentStatus.choices, default=CommentStatus.DRAFT
    )
    returned_with = models.ForeignKey(
        ApplicationEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="随此退回发出",
    )
    returned_snapshot = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="被退回的提交快照",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_comments",
        verbose_name="关闭人",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ("application", "created_at", "pk")
        indexes = (
            # The dashboards count open comments per application, the inbox filters on them.
            models.Index(fields=["application", "status"], name="comment_application_status"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.place}：{self.text[:20]}"

    @property
    def published(self) -> bool:
        return self.status != CommentStatus.DRAFT


class CommentReply(AppendOnly):
    """The county's answer to a comment: who, when, what, and whether it marks it answered."""

    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="replies", verbose_name="审核意见"
    )
    text = models.TextField("回复")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comment_replies",
        verbose_name="回复人",
    )
    at = models.DateTimeField("回复时间", default=clock.now, editable=False)
    answered = models.BooleanField("标记已处理", default=False)

    class Meta:
        verbose_name = "审核意见回复"
        verbose_name_plural = "审核意见回复"
        ordering = ("comment", "at", "pk")

    def __str__(self) -> str:
        return f"{self.comment_id}：{self.text[:20]}"

"""The sealed paper set (纸质材料): recording its receipt against the submission it is for.

The electronic version the county hands in with the paper set is compared by SHA-256 with the
submission's ``data_sha256`` — the fingerprint printed with the snapshot on the desk and the
county's timeline. The package's own manifest.json cannot serve: it carries the time it was
built and covers every application of the unit, so no two builds share its SHA-256.
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import QuerySet

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.declarations.workflow import TransitionRefused
from clusterdesk.intake.models import PaperReceipt
from clusterdesk.intake.permissions import DECIDE

SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_COUNT = 99  # a paper set is five copies; three digits is a typo


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}须为整数。",
            "min_value": f"{label}不能为负数。",
            "max_value": f"{label}不能超过 {MAX_COUNT} 份。",
        },
    )


class ReceiptForm(forms.Form):
    received_on = forms.DateField(
        label="收到日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "请填写收到日期。",
            "invalid": "收到日期格式不正确，请按 2023-04-20 的格式填写。",
        },
    )
    received_by = forms.CharField(
        label="签收人",
        max_length=50,
        error_messages={
            "required": "请填写签收人。",
            "max_length": "签收人不能超过 50 个字。",
        },
    )
    originals = _count_field("正本份数")
    copies = _count_field("副本份数")
    package_sha256 = forms.CharField(
        label="电子版 SHA-256",
        required=False,
        max_length=200,
        error_messages={"max_length": "电子版 SHA-256 应为 64 位十六进制字符。"},
    )
    note = forms.CharField(
        label="备注",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        max_length=2000,
        error_messages={"max_length": "备注不能超过 2000 字。"},
    )

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        today = clock.today()
        if value > today:
            raise forms.ValidationError(f"收到日期不能晚于今天（{today:%Y-%m-%d}）。")
        return value

    def clean_received_by(self):
        value = self.cleaned_data["received_by"].strip()
        if not value:
            raise forms.ValidationError("请填写签收人。")
        return value

    def clean_package_sha256(self):
        value = "".join(self.cleaned_data["package_sha256"].split()).lower()
        if value and not SHA256.fullmatch(value):
            raise forms.ValidationError(
                "电子版 SHA-256 应为 64 位十六进制字符（0-9、a-f），请从电子版核对后重新填写。"
            )
        return value


def latest_submission(application: Application) -> Submission | None:
    return (
        Submission.objects.filter(application=application)
        .defer("data")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def receipts(application: Application) -> QuerySet[PaperReceipt]:
    """Every receipt of the application, latest first (the first is the one that counts)."""
    return (
        PaperReceipt.objects.filter(application=application)
        .select_related("recorded_by", "submission")
        .order_by("-at", "-pk")
    )


def record_receipt(application: Application, user: User, cleaned: dict) -> PaperReceipt:
    """A new receipt for the application's latest submission (it supersedes earlier ones)."""
    problem = DECIDE.refusal(user)
    if problem:
        raise TransitionRefused(problem)
    submission = latest_submission(application)
    if submission is None:
        raise TransitionRefused("该申报尚未提交，没有可对应的提交快照，不能登记纸质材料。")
    sha = cleaned.get("package_sha256") or ""
    return PaperReceipt.objects.create(
        application=application,
        submission=submission,
        received_on=cleaned["received_on"],
        received_by=cleaned["received_by"],
        originals=cleaned["originals"],
        copies=cleaned["copies"],
        package_sha256=sha,
        matches=(sha == submission.data_sha256) if sha else None,
        note=cleaned.get("note") or "",
        recorded_by=user,
        at=clock.now(),
    )

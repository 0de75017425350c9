"""The city's and the expert's forms: Chinese labels, bounded sizes."""

from __future__ import annotations

from django import forms

from clusterdesk.review.enums import Relation
from clusterdesk.review.models import MAX_CONFLICT_YEARS, MAX_EXPERTS_PER_APPLICATION
from clusterdesk.rounds.forms import ShanghaiDateTimeField

REQUIRED = {"required": "请填写此项。"}


class ExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=30, error_messages=REQUIRED)
    organisation_name = forms.CharField(label="工作单位", max_length=100, error_messages=REQUIRED)
    title = forms.CharField(label="职称", max_length=50, required=False)
    fields = forms.CharField(
        label="专业领域",
        max_length=600,
        required=False,
        help_text="产业或细分领域，用顿号或逗号分隔，如“模具、汽车零部件、第二产业”。",
    )
    phone = forms.CharField(label="联系电话", max_length=40, required=False)


class NewExpertForm(ExpertForm):
    username = forms.CharField(
        label="登录用户名", max_length=150, error_messages=REQUIRED, help_text="专家登录时使用。"
    )
    password = forms.CharField(
        label="初始密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages=REQUIRED,
        help_text="至少 12 个字符，不能是常见密码或纯数字；请告知专家登录后修改。",
    )
    email = forms.EmailField(label="电子邮箱", required=False, help_text="用于接收评审任务通知。")

    field_order = ("username", "password", "name", "organisation_name", "title", "fields", "phone")


class ConflictForm(forms.Form):
    counterpart = forms.CharField(label="单位/企业名称", max_length=100, error_messages=REQUIRED)
    relation = forms.ChoiceField(
        label="关系",
        choices=Relation.choices,
        error_messages={"invalid_choice": "请从列表中选择关系。", **REQUIRED},
    )
    started_on = forms.DateField(
        label="起始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请填写有效的日期，如 2020-03-01。"},
    )
    ended_on = forms.DateField(
        label="结束日期",
        required=False,
        help_text="仍在持续的留空。",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请填写有效的日期，如 2022-12-31。"},
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class EndConflictForm(forms.Form):
    ended_on = forms.DateField(
        label="结束日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请填写有效的结束日期，如 2023-03-31。", **REQUIRED},
    )


class SettingsForm(forms.Form):
    experts_per_application = forms.IntegerField(
        label="每份申报的评审专家数",
        min_value=1,
        max_value=MAX_EXPERTS_PER_APPLICATION,
        error_messages={
            "min_value": "每份申报至少 1 名专家。",
            "max_value": f"每份申报最多 {MAX_EXPERTS_PER_APPLICATION} 名专家。",
            "invalid": "请填写整数。",
            **REQUIRED,
        },
    )
    conflict_years = forms.IntegerField(
        label="回避期限（年）",
        min_value=0,
        max_value=MAX_CONFLICT_YEARS,
        help_text="专家申报的关联在数据基准日前若干年内仍在持续的，须回避。",
        error_messages={
            "min_value": "回避期限不能为负数。",
            "max_value": f"回避期限最多 {MAX_CONFLICT_YEARS} 年。",
            "invalid": "请填写整数。",
            **REQUIRED,
        },
    )
    anonymise_county = forms.BooleanField(label="匿名评审（专家看不到申报单位）", required=False)


class PhaseForm(forms.Form):
    name = forms.CharField(label="阶段名称", max_length=50, error_messages=REQUIRED)
    opens_at = ShanghaiDateTimeField(
        label="开始时间", required=False, error_messages={"invalid": "请填写有效的开始时间。"}
    )
    closes_at = ShanghaiDateTimeField(
        label="结束时间", required=False, error_messages={"invalid": "请填写有效的结束时间。"}
    )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "结束时间应晚于开始时间。")
        return data


def _reason(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=300,
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不能超过 300 个字。",
        },
    )


class RemovalForm(forms.Form):
    reason = _reason("撤换理由")


class RecusalForm(forms.Form):
    reason = _reason("回避理由")


class ManualForm(forms.Form):
    application = forms.IntegerField(
        error_messages={"required": "请选择申报。", "invalid": "请选择申报。"}
    )
    expert = forms.IntegerField(
        error_messages={"required": "请选择专家。", "invalid": "请选择专家。"}
    )
    reason = forms.CharField(
        label="分配理由",
        max_length=300,
        error_messages={
            "required": "请填写分配理由。",
            "max_length": "分配理由不能超过 300 个字。",
        },
    )


class ReplaceForm(forms.Form):
    expert = forms.IntegerField(required=False, error_messages={"invalid": "请选择专家。"})
    reason = forms.CharField(label="理由", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("expert") and not (data.get("reason") or "").strip():
            self.add_error("reason", "人工指定专家时请填写理由。")
        return data

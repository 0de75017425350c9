"""The forms of the hearings pages: they read what was typed (dates, times, choices) with
Chinese messages; the rules about it (overlaps, the phase's dates, notes for 不属实) are the
domain's."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application
from clusterdesk.hearings.domain import defence, visits
from clusterdesk.hearings.models import Conclusion


class ApplicationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.cluster_name or '（未填集群名称）'}（{obj.organisation}）"


class ExpertChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        profile = getattr(obj, "expert_profile", None)
        if profile is not None:
            return f"{profile.name}（{profile.organisation_name}）"
        return obj.get_full_name() or obj.username


def _application_field(queryset, label: str) -> ApplicationChoice:
    return ApplicationChoice(
        queryset=queryset,
        label=label,
        empty_label="请选择申报",
        error_messages={
            "required": "请选择申报。",
            "invalid_choice": "所选申报不在本轮可安排的申报之中，请重新选择。",
        },
    )


class SlotForm(forms.Form):
    date = forms.DateField(
        label="答辩日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "请填写答辩日期。",
            "invalid": "答辩日期格式不正确，请按 2023-05-16 的格式填写。",
        },
    )
    start = forms.TimeField(
        label="开始时间",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "请填写开始时间。",
            "invalid": "开始时间格式不正确，如 09:00。",
        },
    )
    end = forms.TimeField(
        label="结束时间",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "请填写结束时间。",
            "invalid": "结束时间格式不正确，如 09:40。",
        },
    )
    place = forms.CharField(
        label="答辩地点",
        required=False,
        max_length=defence.MAX_PLACE,
        error_messages={"max_length": f"答辩地点不能超过 {defence.MAX_PLACE} 个字。"},
    )
    online_link = forms.CharField(
        label="线上会议链接（可选）",
        required=False,
        max_length=defence.MAX_LINK,
        error_messages={"max_length": f"线上会议链接不能超过 {defence.MAX_LINK} 个字符。"},
    )

    def __init__(self, *args, applications=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if applications is not None:
            self.fields = {
                "application": _application_field(applications, "申报"),
                **self.fields,
            }

    def clean(self):
        cleaned = super().clean()
        date, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if date and start and end:
            zone = timezone.get_current_timezone()
            cleaned["starts_at"] = dt.datetime.combine(date, start, tzinfo=zone)
            cleaned["ends_at"] = dt.datetime.combine(date, end, tzinfo=zone)
            if end <= start:
                self.add_error("end", "结束时间必须晚于开始时间。")
        return cleaned

    @classmethod
    def initial_for(cls, slot) -> dict:
        start, end = defence.local(slot.starts_at), defence.local(slot.ends_at)
        return {
            "date": start.date(),
            "start": start.time(),
            "end": end.time(),
            "place": slot.place,
            "online_link": slot.online_link,
        }


ATTENDANCE = (("yes", "到场"), ("no", "缺席"))


class DefenceRecordForm(forms.Form):
    attended = forms.ChoiceField(
        label="到场情况",
        choices=ATTENDANCE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择到场情况：到场或缺席。",
            "invalid_choice": "请选择到场或缺席。",
        },
    )
    attendees = forms.CharField(
        label="到场人员（姓名、单位、职务）",
        required=False,
        max_length=defence.MAX_ATTENDEES,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        error_messages={"max_length": f"到场人员不能超过 {defence.MAX_ATTENDEES} 个字。"},
    )
    notes = forms.CharField(
        label="备注",
        required=False,
        max_length=defence.MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"max_length": f"备注不能超过 {defence.MAX_NOTES} 个字。"},
    )


def experts_queryset():
    return (
        User.objects.filter(role=Role.EXPERT, is_active=True, expert_profile__active=True)
        .select_related("expert_profile")
        .order_by("pk")
    )


class VisitPlanForm(forms.Form):
    planned_on = forms.DateField(
        label="走访日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "请填写走访日期。",
            "invalid": "走访日期格式不正确，请按 2023-05-20 的格式填写。",
        },
    )
    members = forms.CharField(
        label="走访人员（市、区县经信部门人员等，姓名和单位）",
        required=False,
        max_length=visits.MAX_MEMBERS,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        error_messages={"max_length": f"走访人员不能超过 {visits.MAX_MEMBERS} 个字。"},
    )

    def __init__(self, *args, applications=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = {}
        if applications is not None:
            fields["application"] = _application_field(applications, "申报")
        fields.update(self.fields)
        fields["experts"] = ExpertChoice(
            queryset=experts_queryset(),
            label="走访专家（专家库）",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "所选专家不在专家库中，请重新选择。"},
        )
        self.fields = fields


class VisitRecordForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="核查结论",
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择核查结论：属实、部分属实或不属实。",
            "invalid_choice": "请选择核查结论：属实、部分属实或不属实。",
        },
    )
    notes = forms.CharField(
        label="结论说明（部分属实、不属实时必填）",
        required=False,
        max_length=visits.MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"max_length": f"结论说明不能超过 {visits.MAX_NOTES} 字。"},
    )

    def __init__(self, *args, aspects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = {}
        for aspect in aspects:
            fields[f"finding_{aspect.key}"] = forms.CharField(
                label=aspect.name,
                required=False,
                max_length=visits.MAX_FINDING,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                error_messages={
                    "max_length": f"“{aspect.name}”的核查情况不能超过 {visits.MAX_FINDING} 字。"
                },
            )
        fields.update(self.fields)
        self.fields = fields
        self.aspects = list(aspects)

    def findings(self) -> dict[str, str]:
        return {a.key: self.cleaned_data.get(f"finding_{a.key}", "") for a in self.aspects}

    @classmethod
    def initial_for(cls, visit) -> dict:
        initial = {f"finding_{key}": text for key, text in (visit.findings or {}).items()}
        initial.update(conclusion=visit.conclusion or None, notes=visit.notes)
        return initial


class AutoScheduleForm(forms.Form):
    """按序号自动排期: every unscheduled application, one after another."""

    date = SlotForm.base_fields["date"]
    first_start = forms.TimeField(
        label="第一场开始时间",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "请填写第一场开始时间。",
            "invalid": "第一场开始时间格式不正确，如 09:00。",
        },
    )
    minutes = forms.IntegerField(
        label="每场时长（分钟）",
        min_value=defence.MIN_MINUTES,
        max_value=defence.MAX_MINUTES,
        initial=30,
        error_messages={
            "required": "请填写每场时长。",
            "invalid": "每场时长须为整数（分钟）。",
            "min_value": f"每场时长不能少于 {defence.MIN_MINUTES} 分钟。",
            "max_value": f"每场时长不能超过 {defence.MAX_MINUTES} 分钟。",
        },
    )
    gap = forms.IntegerField(
        label="两场间隔（分钟）",
        min_value=0,
        max_value=defence.MAX_GAP,
        initial=10,
        error_messages={
            "required": "请填写两场间隔（可填 0）。",
            "invalid": "两场间隔须为整数（分钟）。",
            "min_value": "两场间隔不能为负数。",
            "max_value": f"两场间隔不能超过 {defence.MAX_GAP} 分钟。",
        },
    )
    place = SlotForm.base_fields["place"]
    online_link = SlotForm.base_fields["online_link"]

"""The city officer's form for a round: Chinese labels, Beijing-time deadline, version choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from clusterdesk.rounds.domain import (
    EDITABLE_FIELDS,
    SHANGHAI,
    ThresholdSetting,
    criteria_profile_choices,
    form_version_choices,
    round_problems,
)
from clusterdesk.rounds.models import Round

_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ShanghaiDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown as Beijing time, whatever timezone is active."""

    input_formats = (_DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
    widget = forms.DateTimeInput(format=_DATETIME_LOCAL, attrs={"type": "datetime-local"})

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(SHANGHAI):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value.astimezone(SHANGHAI)
        return value


class RoundForm(forms.ModelForm):
    submission_deadline = ShanghaiDateTimeField(
        label="申报截止时间", help_text="北京时间，如 2023-04-14 17:00。"
    )
    county_limit = forms.IntegerField(
        label="每个申报单位限报数",
        min_value=1,
        max_value=99,
        help_text="每个区（县、市）或管委会最多申报的集群数。",
        error_messages={"min_value": "每个申报单位限报数至少为 1。"},
    )
    form_version = forms.ChoiceField(label="申报表版本", choices=form_version_choices)
    criteria_profile = forms.ChoiceField(label="认定标准", choices=criteria_profile_choices)

    class Meta:
        model = Round
        fields = EDITABLE_FIELDS
        widgets = {  # noqa: RUF012 - the Meta API Django defines
            "reference_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Templates are not offered; a round that already holds one keeps it as a choice.
        current = self.instance.criteria_profile if self.instance.pk else None
        self.fields["criteria_profile"].choices = criteria_profile_choices(current)
        if current is None:  # a new round: the model's default, ningbo-2023
            self.fields["criteria_profile"].initial = self.instance.criteria_profile

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        existing = self.instance if self.instance.pk else None
        for field, message in round_problems(cleaned, existing=existing).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class ThresholdsForm(forms.Form):
    """One box per threshold the round's profile leaves unset; blank leaves it unset (未评估)."""

    def __init__(self, settings: list[ThresholdSetting], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        for setting in settings:
            threshold = setting.threshold
            unit = f"，单位：{threshold.unit}" if threshold.unit else ""
            self.fields[threshold.key] = forms.DecimalField(
                label=f"{threshold.metric}（{threshold.op}{unit}）",
                required=False,
                max_digits=12,
                decimal_places=2,
                initial=setting.value,
                help_text=(
                    f"{threshold.aspect} · {threshold.rule}"
                    + (f"。{threshold.note}" if threshold.note else "")
                    + "。留空表示不设阈值（未评估）。"
                ),
                error_messages={
                    "invalid": "请填写数字，如 5 或 10.5。",
                    "max_decimal_places": "最多保留两位小数。",
                    "max_digits": "数字过大。",
                },
            )

"""The Attachment 1 header a county writes per round, editable by administrators with the same
rule as the county's dashboard form."""

from django import forms
from django.contrib import admin

from clusterdesk.county.domain.documents import MOBILE
from clusterdesk.declarations.models import SummaryHeader


class SummaryHeaderForm(forms.ModelForm):
    class Meta:
        model = SummaryHeader
        fields = ("round", "organisation", "department", "contact", "mobile")

    def clean_mobile(self) -> str:
        # The rule of the county's dashboard form (domain.documents.save_summary_header).
        mobile = "".join(self.cleaned_data["mobile"].split())
        if mobile:
            MOBILE(mobile)
        return mobile


@admin.register(SummaryHeader)
class SummaryHeaderAdmin(admin.ModelAdmin):
    form = SummaryHeaderForm
    list_display = ("organisation", "round", "department", "contact", "mobile", "updated_at")
    list_filter = ("round",)
    list_select_related = ("organisation", "round")
    search_fields = ("organisation__name", "department", "contact")

"""Issuing and revoking API tokens in the admin. The secret is shown once, in the message
after saving; the admin keeps only its hash and prefix."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from clusterdesk.api import tokens
from clusterdesk.api.models import ApiToken
from clusterdesk.errors import DomainError


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    actions = ("revoke_selected",)
    readonly_fields = ("prefix", "created_at", "expires_at", "revoked_at", "last_used_at")

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        if obj is None:  # issuing: who and what for; valid DEFAULT_DAYS days
            return ("user", "name")
        return ("user", "name", *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        return ("user", *self.readonly_fields) if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # revoked, never deleted: the list says who held which token when

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = tokens.issue(obj.user, obj.name)
        obj.pk = issued.token.pk
        obj.__dict__.update(issued.token.__dict__)
        messages.warning(
            request,
            f"已签发令牌“{issued.token.name}”（{tokens.DEFAULT_DAYS} 天内有效）：{issued.secret}"
            " —— 只显示这一次，请立即复制交给使用者。",
        )

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("admin:api_apitoken_add"))

    @admin.action(description="吊销所选令牌")
    def revoke_selected(self, request: HttpRequest, queryset) -> None:
        revoked = sum(tokens.revoke(token) for token in queryset)
        messages.success(request, f"已吊销 {revoked} 个令牌。")

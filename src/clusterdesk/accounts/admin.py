from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count

from clusterdesk.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "county", "position", "user_count")
    list_filter = ("kind",)
    search_fields = ("name", "county")
    ordering = ("position", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_user_count=Count("users"))

    @admin.display(description="用户数", ordering="_user_count")
    def user_count(self, obj: Organisation) -> int:
        return obj._user_count


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation__kind", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        ("角色与单位", {"fields": ["role", "organisation"]}),
        ("个人信息", {"fields": ["last_name", "first_name", "email"]}),
        (
            "权限",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "role",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    )

    @admin.display(description="姓名")
    def get_full_name(self, obj: User) -> str:
        return obj.get_full_name()

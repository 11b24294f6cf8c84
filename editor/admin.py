from __future__ import annotations

from django.contrib import admin

from editor import models as m


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.PlaybookVersion
    extra = 0
    fields = ["number", "author", "message", "draft", "created"]
    readonly_fields = ["number", "author", "message", "draft", "created"]
    can_delete = False


@admin.register(m.Playbook)
class PlaybookAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "repo", "category", "playbook_type", "active", "latest_version", "update_time"]
    list_filter = ["repo", "playbook_type", "active"]
    search_fields = ["name", "description"]
    filter_horizontal = ["teams"]
    inlines = [VersionInline]


@admin.register(m.Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "description"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(m.PlaybookVersion)
class PlaybookVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["playbook", "number", "author", "draft", "created"]


@admin.register(m.CustomFunction)
class CustomFunctionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "repo", "builtin", "update_time"]
    search_fields = ["name"]

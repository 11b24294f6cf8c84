from __future__ import annotations

from django.contrib import admin

from engine import models as m


@admin.register(m.Container)
class ContainerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "name", "label", "severity", "status", "owner", "artifact_count", "create_time"]
    list_filter = ["label", "severity", "status"]
    search_fields = ["name", "source_data_identifier"]


@admin.register(m.Artifact)
class ArtifactAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "name", "label", "container", "severity", "source_data_identifier", "hash"]
    list_filter = ["label"]
    search_fields = ["name", "source_data_identifier", "hash"]
    readonly_fields = ["hash"]  # the hash never changes after creation


@admin.register(m.Note)
class NoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "title", "container", "note_type", "author", "create_time"]


@admin.register(m.Tag)
class TagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    search_fields = ["name"]


@admin.register(m.CustomList)
class CustomListAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "owner", "update_time"]


class AppActionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.AppAction
    extra = 0
    fields = ["name", "type", "read_only", "description"]


@admin.register(m.App)
class AppAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "version", "product_vendor", "builtin"]
    search_fields = ["name", "appid", "product_vendor"]
    inlines = [AppActionInline]


@admin.register(m.AppAction)
class AppActionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "app", "type", "read_only"]
    search_fields = ["name", "app__name"]


@admin.register(m.Asset)
class AssetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "app", "disabled"]
    # The raw configuration holds encrypted secrets; it is edited through the API.
    exclude = ["configuration"]


@admin.register(m.PlaybookRun)
class PlaybookRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "playbook", "container", "status", "start_time", "end_time"]
    list_filter = ["status"]


@admin.register(m.ActionRun)
class ActionRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "name", "action", "status", "playbook_run", "create_time"]


@admin.register(m.AppRun)
class AppRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "action_run", "asset", "status", "simulated"]


@admin.register(m.RunEvent)
class RunEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["run", "seq", "kind", "created"]


@admin.register(m.RunData)
class RunDataAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["run", "key"]


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "name", "prefix", "create_time", "last_used"]
    readonly_fields = ["digest", "prefix"]

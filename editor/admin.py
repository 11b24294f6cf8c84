from __future__ import annotations

from django import forms
from django.contrib import admin

from editor import models as m
from editor.activation import ActivationRefused, refuse_if_invalid


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.PlaybookVersion
    extra = 0
    fields = ["number", "author", "message", "draft", "created"]
    readonly_fields = ["number", "author", "message", "draft", "created"]
    can_delete = False


class PlaybookForm(forms.ModelForm):  # type: ignore[type-arg]
    """Ticking "active" goes through the same check as every other way of activating (the
    admin builds the form's fields from the model)."""

    instance: m.Playbook

    def clean_active(self) -> bool:
        active = bool(self.cleaned_data.get("active"))
        if active and self.instance.pk is None:
            raise forms.ValidationError("a new playbook has no version to activate yet: save it inactive first")
        if active and not self.instance.active:
            try:
                refuse_if_invalid(self.instance)
            except ActivationRefused as exc:
                raise forms.ValidationError(exc.message) from None
        return active


@admin.register(m.Playbook)
class PlaybookAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PlaybookForm
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
    # A version never changes once saved: its module was compiled from these when it was
    # (Playbook.save_version), and an edit here would leave the module behind.
    readonly_fields = ["playbook", "number", "json_text", "python", "compiled", "compile_error", "compiler_version",
                       "created"]


@admin.register(m.CustomFunction)
class CustomFunctionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "repo", "builtin", "update_time"]
    search_fields = ["name"]

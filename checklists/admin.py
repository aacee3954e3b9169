from django.contrib import admin

from .models import (
    Answer,
    AssessmentRound,
    ChecklistVersion,
    ScaleLevel,
    Section,
    SelfAssessment,
    Statement,
)


class ImmutableWhenUsed:
    """A checklist version that a round uses can no longer be changed or deleted."""

    def _version(self, obj):
        if obj is None:
            return None
        return obj if isinstance(obj, ChecklistVersion) else obj.version

    def has_change_permission(self, request, obj=None):
        version = self._version(obj)
        if version is not None and version.is_in_use:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        version = self._version(obj)
        if version is not None and version.is_in_use:
            return False
        return super().has_delete_permission(request, obj)


class ScaleLevelInline(ImmutableWhenUsed, admin.TabularInline):
    model = ScaleLevel
    extra = 0


class SectionInline(ImmutableWhenUsed, admin.TabularInline):
    model = Section
    extra = 0


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ImmutableWhenUsed, admin.ModelAdmin):
    list_display = ["name", "imported_at", "imported_by"]
    readonly_fields = ["imported_at", "imported_by", "source_name"]
    inlines = [ScaleLevelInline, SectionInline]


@admin.register(Statement)
class StatementAdmin(ImmutableWhenUsed, admin.ModelAdmin):
    list_display = ["number", "text", "section", "version"]
    list_filter = ["version"]
    search_fields = ["text", "text_en"]

    def has_add_permission(self, request):
        return False  # statements come from an imported workbook, as a whole version


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "due_on", "version"]
    list_filter = ["programme"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.assessments.exists():
            return ["programme", "version"]
        return []


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["statement", "level", "needs_improvement", "comment", "carried_over"]
    raw_id_fields = ["statement"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_submitted:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "round", "status", "submitted_at"]
    list_filter = ["status", "round__programme"]
    inlines = [AnswerInline]
    raw_id_fields = ["prefilled_from"]

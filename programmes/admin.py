from django.contrib import admin

from .models import Assignment, Cluster, ClusterMembership, Organisation, Programme


class ClusterInline(admin.TabularInline):
    model = Cluster
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]
    inlines = [ClusterInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "kolada_id"]
    list_filter = ["kind"]
    search_fields = ["name", "kolada_id"]


class ClusterMembershipInline(admin.TabularInline):
    model = ClusterMembership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]
    inlines = [ClusterMembershipInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Roles are given, handed over and ended on the programme's pages, where SKR's role is
    guarded and the person is told; here only an administrator may change them."""

    list_display = ["person", "role", "organisation", "programme", "is_substitute", "ended_at"]
    list_filter = ["role", "programme", "is_substitute"]
    list_select_related = ["person", "organisation", "programme"]
    search_fields = ["person__full_name", "person__email", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
    raw_id_fields = ["handed_over_to"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

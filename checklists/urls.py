from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("checklists/", views.VersionListView.as_view(), name="version_list"),
    path("checklists/import/", views.VersionUploadView.as_view(), name="version_upload"),
    path("checklists/<int:pk>/", views.VersionDetailView.as_view(), name="version_detail"),
    path("checklists/<int:pk>/delete/", views.version_delete, name="version_delete"),
    path(
        "programmes/<int:pk>/self-assessments/",
        views.ProgrammeResultsView.as_view(),
        name="programme_results",
    ),
    path(
        "programmes/<int:pk>/self-assessment-rounds/new/",
        views.RoundFormView.as_view(),
        name="round_create",
    ),
    path(
        "self-assessment-rounds/<int:round_pk>/edit/",
        views.RoundFormView.as_view(),
        name="round_update",
    ),
    path(
        "self-assessment-rounds/<int:round_pk>/organisations/<int:organisation_pk>/",
        views.RoundOrganisationView.as_view(),
        name="round_organisation",
    ),
    path(
        "self-assessment-rounds/<int:round_pk>/organisations/<int:organisation_pk>/start/",
        views.assessment_start,
        name="assessment_start",
    ),
    path(
        "clusters/<int:pk>/self-assessments/",
        views.ClusterResultsView.as_view(),
        name="cluster_results",
    ),
    path(
        "clusters/<int:pk>/self-assessments.xlsx",
        views.cluster_results_xlsx,
        name="cluster_results_xlsx",
    ),
    path(
        "programmes/<int:programme_pk>/organisations/<int:organisation_pk>/self-assessments/",
        views.OrganisationResultsView.as_view(),
        name="organisation_results",
    ),
    path(
        "programmes/<int:programme_pk>/organisations/<int:organisation_pk>/self-assessments.xlsx",
        views.organisation_results_xlsx,
        name="organisation_results_xlsx",
    ),
    path(
        "self-assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"
    ),
    path(
        "self-assessments/<int:pk>/statements/<int:statement>/",
        views.answer_save,
        name="answer_save",
    ),
    path("self-assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("self-assessments/<int:pk>/reopen/", views.assessment_reopen, name="assessment_reopen"),
    path("self-assessments/<int:pk>/workbook.xlsx", views.assessment_xlsx, name="assessment_xlsx"),
    path(
        "self-assessments/<int:pk>/upload/",
        views.AssessmentUploadView.as_view(),
        name="assessment_upload",
    ),
]

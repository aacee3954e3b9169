from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    path(
        "clusters/<int:pk>/organisations/add/",
        views.ClusterAddOrganisationView.as_view(),
        name="cluster_add_organisation",
    ),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path("programmes/<int:pk>/", views.ProgrammeManageView.as_view(), name="programme_manage"),
    path(
        "programmes/<int:pk>/overview/",
        views.ProgrammeOverviewView.as_view(),
        name="programme_overview",
    ),
    path(
        "programmes/<int:pk>/overview/timeline/",
        views.ProgrammeOverviewView.as_view(timeline=True),
        name="programme_timeline",
    ),
    path(
        "programmes/<int:pk>/overview/export.xlsx",
        views.ProgrammeOverviewExportView.as_view(),
        name="programme_overview_xlsx",
    ),
    path(
        "programmes/<int:pk>/report.pdf",
        views.ProgrammeOverviewExportView.as_view(document="pdf"),
        name="programme_report_pdf",
    ),
    path(
        "programmes/<int:pk>/participants.xlsx",
        views.ProgrammeParticipantsExportView.as_view(),
        name="programme_participants_xlsx",
    ),
    path(
        "programmes/<int:pk>/clusters/new/",
        views.ClusterCreateView.as_view(),
        name="cluster_create",
    ),
    path(
        "programmes/<int:pk>/organisations/new/",
        views.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "programmes/<int:pk>/people/invite/",
        views.PersonInviteView.as_view(),
        name="person_invite",
    ),
    path(
        "assignments/<int:pk>/hand-over/",
        views.AssignmentHandOverView.as_view(),
        name="assignment_hand_over",
    ),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path(
        "programmes/<int:programme_pk>/organisations/<int:organisation_pk>/fact-sheet/",
        views.FactSheetView.as_view(),
        name="fact_sheet",
    ),
    path(
        "programmes/<int:programme_pk>/organisations/<int:organisation_pk>/fact-sheet/edit/",
        views.FactSheetUpdateView.as_view(),
        name="fact_sheet_update",
    ),
    path(
        "clusters/<int:pk>/fact-sheets/",
        views.ClusterFactSheetsView.as_view(),
        name="cluster_fact_sheets",
    ),
]

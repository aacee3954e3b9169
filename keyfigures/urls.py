from django.urls import path

from . import views

app_name = "keyfigures"

ORGANISATION = "programmes/<int:programme_pk>/organisations/<int:organisation_pk>/key-figures/"

urlpatterns = [
    path(ORGANISATION, views.OrganisationKpisView.as_view(), name="organisation_kpis"),
    path(f"{ORGANISATION}add/", views.kpi_add, name="kpi_add"),
    path(f"{ORGANISATION}own/", views.OwnKpiCreateView.as_view(), name="own_kpi_create"),
    path(f"{ORGANISATION}upload/", views.ValuesUploadView.as_view(), name="values_upload"),
    path("key-figures/<int:pk>/threshold/", views.ThresholdView.as_view(), name="threshold"),
    path("key-figures/<int:pk>/values/", views.YearValuesView.as_view(), name="year_values"),
    path("key-figures/<int:pk>/fetch/", views.kpi_fetch, name="kpi_fetch"),
    path("key-figures/<int:pk>/remove/", views.kpi_remove, name="kpi_remove"),
    path("clusters/<int:pk>/key-figures/", views.ClusterKpisView.as_view(), name="cluster_kpis"),
    path("clusters/<int:pk>/key-figures/<int:kpi_pk>/shared/", views.kpi_share, name="kpi_share"),
    path(
        "key-figures/<int:pk>/cause-worksheet/",
        views.CauseWorksheetView.as_view(),
        name="cause_worksheet",
    ),
    path(
        "key-figures/<int:pk>/cause-worksheet.xlsx",
        views.CauseWorksheetExportView.as_view(),
        name="cause_worksheet_xlsx",
    ),
    path(
        "programmes/<int:programme_pk>/organisations/<int:organisation_pk>/fact-sheet/population/",
        views.fact_sheet_population,
        name="fact_sheet_population",
    ),
]

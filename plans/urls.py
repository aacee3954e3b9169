from django.urls import path

from . import views

app_name = "plans"

ORGANISATION = "programmes/<int:programme_pk>/organisations/<int:organisation_pk>/improvement-plan/"

urlpatterns = [
    path(ORGANISATION, views.PlanView.as_view(), name="plan"),
    path(f"{ORGANISATION}new/", views.ActionFormView.as_view(), name="action_create"),
    path("improvement-actions/<int:pk>/", views.ActionFormView.as_view(), name="action_update"),
    path("improvement-actions/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path(
        "clusters/<int:pk>/improvement-plans/",
        views.ClusterPlansView.as_view(),
        name="cluster_plans",
    ),
]

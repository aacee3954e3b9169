from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/plan/", views.MeetingPlanView.as_view(), name="meeting_plan"),
    path(
        "meetings/<int:pk>/agenda/add/",
        views.AgendaItemFormView.as_view(),
        name="agenda_item_add",
    ),
    path("meetings/<int:pk>/agenda.pdf", views.meeting_agenda_pdf, name="agenda_pdf"),
    path("meetings/<int:pk>/agenda.docx", views.meeting_agenda_docx, name="agenda_docx"),
    path(
        "meetings/<int:pk>/presentation/<int:organisation_pk>.pptx",
        views.meeting_presentation_pptx,
        name="presentation_pptx",
    ),
    path("meetings/<int:pk>/feedback.docx", views.meeting_feedback_docx, name="feedback_docx"),
    path(
        "meetings/<int:pk>/documents/upload/",
        views.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        "agenda-items/<int:item>/edit/",
        views.AgendaItemFormView.as_view(),
        name="agenda_item_edit",
    ),
    path("meetings/<int:pk>/agenda/slots/", views.agenda_slots, name="agenda_slots"),
    path("agenda-items/<int:pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("agenda-items/<int:pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path(
        "checklist-tasks/<int:pk>/toggle/",
        views.checklist_task_toggle,
        name="checklist_task_toggle",
    ),
    path(
        "preparations/<int:pk>/organisations/<int:organisation>/toggle/",
        views.preparation_toggle,
        name="preparation_toggle",
    ),
    path(
        "meetings/<int:pk>/registrations/",
        views.MeetingRegistrationsView.as_view(),
        name="meeting_registrations",
    ),
    path("meetings/<int:pk>/outbox/", views.MeetingOutboxView.as_view(), name="meeting_outbox"),
    path("outbox/<int:pk>/resend/", views.mail_resend, name="mail_resend"),
    path(
        "meetings/<int:pk>/outbox/resend/",
        views.meeting_mails_resend,
        name="meeting_mails_resend",
    ),
    path(
        "meetings/<int:pk>/registrations.xlsx",
        views.meeting_registrations_xlsx,
        name="registrations_xlsx",
    ),
    path("r/<str:token>/", views.RegistrationView.as_view(), name="registration"),
    path("e/<str:token>/", views.EvaluationView.as_view(), name="evaluation"),
    path(
        "programmes/<int:pk>/evaluations/",
        views.ProgrammeEvaluationsView.as_view(),
        name="programme_evaluations",
    ),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
]

"""Every route × every kind of user, generated from the URL resolver.

A new route fails ``test_every_route_is_in_the_matrix`` until someone decides here who may
use it. Other-cluster participants must get 404 on everything of a cluster they are not in.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import client_for

ROLES = ["anonymous", "other_cluster_participant", "participant", "key_person", "project_manager"]

LOGIN = 302  # anonymous users are sent to the login page


def _cluster(w):
    return {"pk": w.cluster.pk}


def _programme(w):
    return {"pk": w.programme.pk}


def _member_org(w):
    return {"pk": w.benchmarking_organisation.pk}


def _mentor_org(w):
    return {"pk": w.mentor.pk}


def _participant_assignment(w):
    return {"pk": w.participant.assignments.get().pk}


def _token(w):
    return {"token": "not-a-valid-token"}


def _none(w):
    return {}


def _meeting(w):
    return {"pk": w.cluster.meetings.first().pk}


def _agenda_item(w):
    return {"pk": w.cluster.meetings.first().agenda_items.first().pk}


def _agenda_item_edit(w):
    return {"item": _agenda_item(w)["pk"]}


def _task(w):
    return {"pk": w.cluster.meetings.first().checklist_tasks.first().pk}


def _preparation(w):
    preparation = w.cluster.meetings.first().preparations.first()
    return {"pk": preparation.pk, "organisation": w.mentor.pk}


def _document(w):
    from django.core.files.base import ContentFile

    from meetings.models import MeetingDocument

    document = MeetingDocument(
        meeting=w.cluster.meetings.first(),
        kind="notes",
        title="Minnesanteckningar",
        original_name="notes.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=w.key_person,
    )
    document.file.save("notes.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"pk": document.pk}


def _failed_mail(w):
    from outbox.models import OutgoingMail

    mail = OutgoingMail.objects.create(
        purpose="meeting_invitation",
        to_email="x@kommun.example",
        subject="Inbjudan",
        body_text="Hej",
        state="failed",
        last_error="550 no such user",
        meeting=w.cluster.meetings.first(),
    )
    return {"pk": mail.pk}


def _registration_token(w):
    from meetings.models import Registration

    registration = Registration.objects.create(
        meeting=w.cluster.meetings.first(), person=w.participant
    )
    return {"token": registration.token}


def _checklist(w):
    """The example checklist, a round, and the mentor organisation's self-assessment in it."""
    if not hasattr(w, "_checklist"):
        import datetime

        from checklists import services
        from checklists.models import AssessmentRound

        from .checklists.conftest import example_upload

        version = services.import_checklist(example_upload(), name="Checklista")
        round_ = AssessmentRound.objects.create(
            programme=w.programme, version=version, name="Nuläge", due_on=datetime.date(2026, 9, 1)
        )
        assessment = services.start_assessment(round_, w.mentor)
        w._checklist = (version, round_, assessment)
    return w._checklist


def _version(w):
    return {"pk": _checklist(w)[0].pk}


def _round(w):
    return {"round_pk": _checklist(w)[1].pk}


def _round_member_org(w):
    return {"round_pk": _checklist(w)[1].pk, "organisation_pk": w.benchmarking_organisation.pk}


def _round_mentor_org(w):
    return {"round_pk": _checklist(w)[1].pk, "organisation_pk": w.mentor.pk}


def _programme_member_org(w):
    return {"programme_pk": w.programme.pk, "organisation_pk": w.benchmarking_organisation.pk}


def _assessment(w):
    return {"pk": _checklist(w)[2].pk}


def _assessment_statement(w):
    assessment = _checklist(w)[2]
    return {"pk": assessment.pk, "statement": assessment.answers.first().statement_id}


def _programme_mentor_org(w):
    return {"programme_pk": w.programme.pk, "organisation_pk": w.mentor.pk}


def _mentor_kpi(w):
    from keyfigures import services

    if not hasattr(w, "_kpi"):
        w._kpi = services.add_own_kpi(w.programme, w.mentor, title="Andel kvinnor bland chefer")
    return {"pk": w._kpi.pk}


def _cluster_mentor_kpi(w):
    return {"pk": w.cluster.pk, "kpi_pk": w.mentor.kpis.get(pk=_mentor_kpi(w)["pk"]).kpi_id}


def _mentor_action(w):
    from plans import services

    action = services.create_action(w.programme, w.mentor, user=None, title="Fler kvinnor")
    return {"pk": action.pk}


def _meeting_mentor(w):
    return {"pk": w.cluster.meetings.first().pk, "organisation_pk": w.mentor.pk}


# route name: (method, kwargs builder, {role: expected status})
MATRIX = {
    "programmes:home": ("get", _none, [LOGIN, 200, 200, 200, 200]),
    "programmes:cluster_detail": ("get", _cluster, [LOGIN, 404, 200, 200, 200]),
    "programmes:cluster_add_organisation": ("get", _cluster, [LOGIN, 404, 403, 403, 200]),
    "programmes:organisation_detail": ("get", _member_org, [LOGIN, 404, 200, 200, 200]),
    # The key person edits their own organisation (the mentor here), nobody else's.
    "programmes:organisation_update": ("get", _mentor_org, [LOGIN, 404, 403, 200, 200]),
    "programmes:programme_manage": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:programme_overview": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:programme_timeline": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:programme_overview_xlsx": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:programme_report_pdf": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:programme_participants_xlsx": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:cluster_create": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:organisation_create": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:person_invite": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "programmes:assignment_hand_over": (
        "get",
        _participant_assignment,
        [LOGIN, 404, 403, 403, 200],
    ),
    # Another cluster's people are not even visible: 404.
    "programmes:assignment_end": ("get", _participant_assignment, [LOGIN, 404, 403, 403, 200]),
    "accounts:login": ("get", _none, [200, 302, 302, 302, 302]),
    "accounts:logout": ("post", _none, [302, 302, 302, 302, 302]),
    "accounts:login_link_request": ("get", _none, [200, 200, 200, 200, 200]),
    "accounts:login_link": ("get", _token, [400, 400, 400, 400, 400]),
    "accounts:account": ("get", _none, [LOGIN, 200, 200, 200, 200]),
    "set_language": ("post", _none, [302, 302, 302, 302, 302]),
    "healthz": ("get", _none, [200, 200, 200, 200, 200]),
    "livez": ("get", _none, [200, 200, 200, 200, 200]),
    "meetings:meeting_detail": ("get", _meeting, [LOGIN, 404, 200, 200, 200]),
    "meetings:meeting_plan": ("get", _meeting, [LOGIN, 404, 403, 200, 200]),
    "meetings:agenda_item_add": ("get", _meeting, [LOGIN, 404, 403, 200, 200]),
    "meetings:agenda_pdf": ("get", _meeting, [LOGIN, 404, 200, 200, 200]),
    "meetings:agenda_docx": ("get", _meeting, [LOGIN, 404, 200, 200, 200]),
    "meetings:presentation_pptx": ("get", _meeting_mentor, [LOGIN, 404, 200, 200, 200]),
    "meetings:feedback_docx": ("get", _meeting, [LOGIN, 404, 200, 200, 200]),
    "meetings:document_upload": ("get", _meeting, [LOGIN, 404, 200, 200, 200]),
    "meetings:agenda_item_edit": ("get", _agenda_item_edit, [LOGIN, 404, 403, 200, 200]),
    "meetings:agenda_item_move": ("post", _agenda_item, [LOGIN, 404, 403, 302, 302]),
    "meetings:agenda_item_delete": ("post", _agenda_item, [LOGIN, 404, 403, 302, 302]),
    "meetings:agenda_slots": ("post", _meeting, [LOGIN, 404, 403, 302, 302]),
    "meetings:checklist_task_toggle": ("post", _task, [LOGIN, 404, 403, 302, 302]),
    # Each organisation's key person ticks its own preparations (the mentor's here).
    "meetings:preparation_toggle": ("post", _preparation, [LOGIN, 404, 403, 302, 302]),
    "meetings:document_download": ("get", _document, [LOGIN, 404, 200, 200, 200]),
    # Uploaded by the key person: they and the planners may delete it, others not.
    "meetings:document_delete": ("post", _document, [LOGIN, 404, 403, 302, 302]),
    # Counts for planners; names and needs only for SKR and the host's key persons.
    "meetings:meeting_registrations": ("get", _meeting, [LOGIN, 404, 403, 200, 200]),
    "meetings:meeting_outbox": ("get", _meeting, [LOGIN, 404, 403, 200, 200]),
    "meetings:mail_resend": ("post", _failed_mail, [LOGIN, 404, 403, 302, 302]),
    "meetings:meeting_mails_resend": ("post", _meeting, [LOGIN, 404, 403, 302, 302]),
    # The personal link from the invitation is the credential: no login needed.
    "meetings:registration": ("get", _registration_token, [200, 200, 200, 200, 200]),
    "meetings:evaluation": ("get", _registration_token, [200, 200, 200, 200, 200]),
    # Named list with special needs: SKR and the host's key persons (no host set here).
    "meetings:registrations_xlsx": ("get", _meeting, [LOGIN, 404, 403, 403, 200]),
    "meetings:programme_evaluations": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    # Checklist versions are SKR's; rounds are the programme's project manager's.
    "checklists:version_list": ("get", _none, [LOGIN, 403, 403, 403, 200]),
    "checklists:version_upload": ("get", _none, [LOGIN, 403, 403, 403, 200]),
    "checklists:version_detail": ("get", _version, [LOGIN, 403, 403, 403, 200]),
    "checklists:version_delete": ("post", _version, [LOGIN, 403, 403, 403, 302]),
    "checklists:programme_results": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "checklists:round_create": ("get", _programme, [LOGIN, 403, 403, 403, 200]),
    "checklists:round_update": ("get", _round, [LOGIN, 403, 403, 403, 200]),
    # Everyone in the cluster sees its self-assessments and results.
    "checklists:round_organisation": ("get", _round_member_org, [LOGIN, 404, 200, 200, 200]),
    "checklists:cluster_results": ("get", _cluster, [LOGIN, 404, 200, 200, 200]),
    "checklists:cluster_results_xlsx": ("get", _cluster, [LOGIN, 404, 200, 200, 200]),
    "checklists:organisation_results": (
        "get",
        _programme_member_org,
        [LOGIN, 404, 200, 200, 200],
    ),
    "checklists:organisation_results_xlsx": (
        "get",
        _programme_member_org,
        [LOGIN, 404, 200, 200, 200],
    ),
    # A draft (as here) is its organisation's and SKR's; the cluster sees it once submitted.
    "checklists:assessment_detail": ("get", _assessment, [LOGIN, 404, 403, 200, 200]),
    "checklists:assessment_xlsx": ("get", _assessment, [LOGIN, 404, 403, 200, 200]),
    # Only the organisation's own people fill in its self-assessment (the mentor's here);
    # its key person submits and reopens.
    "checklists:assessment_start": ("post", _round_mentor_org, [LOGIN, 404, 403, 302, 403]),
    "checklists:answer_save": ("post", _assessment_statement, [LOGIN, 404, 403, 302, 403]),
    "checklists:assessment_submit": ("post", _assessment, [LOGIN, 404, 403, 302, 403]),
    "checklists:assessment_reopen": ("post", _assessment, [LOGIN, 404, 403, 302, 403]),
    "checklists:assessment_upload": ("get", _assessment, [LOGIN, 404, 403, 200, 403]),
    # Key figures: the cluster sees them; the organisation's key persons and SKR change them.
    "keyfigures:organisation_kpis": ("get", _programme_member_org, [LOGIN, 404, 200, 200, 200]),
    "keyfigures:cluster_kpis": ("get", _cluster, [LOGIN, 404, 200, 200, 200]),
    "keyfigures:kpi_add": ("post", _programme_mentor_org, [LOGIN, 404, 403, 302, 302]),
    "keyfigures:own_kpi_create": ("get", _programme_mentor_org, [LOGIN, 404, 403, 200, 200]),
    "keyfigures:values_upload": ("get", _programme_mentor_org, [LOGIN, 404, 403, 200, 200]),
    "keyfigures:threshold": ("get", _mentor_kpi, [LOGIN, 404, 403, 200, 200]),
    "keyfigures:year_values": ("get", _mentor_kpi, [LOGIN, 404, 403, 200, 200]),
    "keyfigures:kpi_fetch": ("post", _mentor_kpi, [LOGIN, 404, 403, 302, 302]),
    "keyfigures:kpi_remove": ("post", _mentor_kpi, [LOGIN, 404, 403, 302, 302]),
    # The cause worksheet is shared in the cluster; the key person and SKR write it.
    "keyfigures:cause_worksheet": ("get", _mentor_kpi, [LOGIN, 404, 200, 200, 200]),
    "keyfigures:cause_worksheet_xlsx": ("get", _mentor_kpi, [LOGIN, 404, 200, 200, 200]),
    # Key persons of the cluster (and SKR) agree on which key figures are shared.
    "keyfigures:kpi_share": ("post", _cluster_mentor_kpi, [LOGIN, 404, 403, 302, 302]),
    "keyfigures:fact_sheet_population": (
        "post",
        _programme_mentor_org,
        [LOGIN, 404, 403, 302, 302],
    ),
    # Fact sheets: the cluster reads them; the organisation's key person and SKR fill them in.
    "programmes:fact_sheet": ("get", _programme_member_org, [LOGIN, 404, 200, 200, 200]),
    "programmes:fact_sheet_update": ("get", _programme_mentor_org, [LOGIN, 404, 403, 200, 200]),
    "programmes:cluster_fact_sheets": ("get", _cluster, [LOGIN, 404, 200, 200, 200]),
    # Improvement plans: the cluster sees them; the organisation's people and SKR change them.
    "plans:plan": ("get", _programme_member_org, [LOGIN, 404, 200, 200, 200]),
    "plans:cluster_plans": ("get", _cluster, [LOGIN, 404, 200, 200, 200]),
    "plans:action_create": ("get", _programme_mentor_org, [LOGIN, 404, 403, 200, 200]),
    "plans:action_update": ("get", _mentor_action, [LOGIN, 404, 403, 200, 200]),
    "plans:follow_up_add": ("post", _mentor_action, [LOGIN, 404, 403, 302, 302]),
}


def _route_names(patterns=None, namespace=""):
    """Names of every route, except Django admin's (it has its own permission system)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"Route {pattern.pattern} has no name"
            yield f"{namespace}{pattern.name}"


def test_every_route_is_in_the_matrix():
    assert set(_route_names()) == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_route_answers_each_role_as_the_rules_say(world, route, role):
    method, kwargs, expected = MATRIX[route]
    client = client_for(world.user(role))
    url = reverse(route, kwargs=kwargs(world))

    response = getattr(client, method)(url)
    response.close()

    assert response.status_code == expected[ROLES.index(role)]
    if response.status_code == LOGIN and role == "anonymous" and method == "get":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_post_without_csrf_token_is_refused(world, route):
    _method, kwargs, _expected = MATRIX[route]
    client = client_for(world.project_manager)
    client.handler.enforce_csrf_checks = True

    response = client.post(reverse(route, kwargs=kwargs(world)), {})

    assert response.status_code == 403
    assert b"data-csrf-failure" in response.content

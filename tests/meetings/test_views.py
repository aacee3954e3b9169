import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings.enums import MeetingKind
from meetings.models import AgendaItem, MeetingDocument, Registration

from ..conftest import client_for
from ..factories import make_cluster

TODAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def meeting(world):
    return world.cluster.meetings.get(kind=MeetingKind.STARTUP)


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@time_machine.travel(TODAY, tick=False)
def test_key_person_plans_meeting(world, meeting):
    client = client_for(world.key_person)

    response = client.post(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}),
        {
            "date": "2027-01-20",
            "start_time": "09:30",
            "end_time": "16:00",
            "host": world.mentor.pk,
            "venue": "Stadshuset",
            "venue_address": "Fyristorg 1",
            "remote_link": "https://meet.example.se/abc",
            "accessibility": ["step_free", "hearing_loop"],
        },
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.date, meeting.host, meeting.accessibility) == (
        datetime.date(2027, 1, 20),
        world.mentor,
        ["step_free", "hearing_loop"],
    )


@time_machine.travel(TODAY, tick=False)
def test_plan_with_past_date_shows_message_and_keeps_input(world, meeting):
    client = client_for(world.key_person)

    response = client.post(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}),
        {"date": "2026-01-20", "start_time": "09:30", "end_time": "16:00", "venue": "Nytt"},
    )

    assert response.status_code == 200
    assert "redan passerat" in str(response.context["form"].errors["date"])
    assert 'value="Nytt"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.venue == ""


def test_participant_sees_agenda_but_cannot_plan(world, meeting):
    client = client_for(world.participant)

    page = client.get(meeting.get_absolute_url())
    plan = client.get(reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}))

    first_item = meeting.agenda_items.first()
    assert page.status_code == 200
    assert first_item.title in page.content.decode()
    assert "agenda_item_move" not in page.content.decode()
    assert plan.status_code == 403


def test_agenda_item_that_ends_before_it_starts_is_refused(world, meeting):
    client = client_for(world.key_person)
    count = meeting.agenda_items.count()

    response = client.post(
        reverse("meetings:agenda_item_add", kwargs={"pk": meeting.pk}),
        {"title": "Fika", "start": "11:00", "end": "10:30", "format": "break"},
    )

    assert response.status_code == 200
    assert "slutar innan det börjar" in str(response.context["form"].errors["end"])
    assert meeting.agenda_items.count() == count


def test_agenda_item_added_with_start_and_end(world, meeting):
    client = client_for(world.key_person)

    client.post(
        reverse("meetings:agenda_item_add", kwargs={"pk": meeting.pk}),
        {
            "title": "Extra fika",
            "start": "15:00",
            "end": "15:20",
            "format": "break",
            "responsible_organisation": world.mentor.pk,
        },
    )

    item = meeting.agenda_items.last()
    assert (item.title, item.fixed_start, item.duration) == ("Extra fika", datetime.time(15), 20)
    assert item.responsible_organisation == world.mentor


def test_agenda_item_edit_keeps_values(world, meeting):
    client = client_for(world.key_person)
    item = meeting.agenda_items.first()

    client.post(
        reverse("meetings:agenda_item_edit", kwargs={"item": item.pk}),
        {"title": "Välkommen och fika", "duration": "45", "format": "break"},
    )

    item.refresh_from_db()
    assert (item.title, item.duration) == ("Välkommen och fika", 45)


def test_htmx_move_returns_the_agenda_partial(world, meeting):
    client = client_for(world.key_person)
    second = meeting.agenda_items.all()[1]

    response = client.post(
        reverse("meetings:agenda_item_move", kwargs={"pk": second.pk}),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith('<div id="agenda">')
    assert meeting.agenda_items.first() == second


def test_move_without_javascript_redirects_to_agenda(world, meeting):
    client = client_for(world.key_person)
    second = meeting.agenda_items.all()[1]

    response = client.post(
        reverse("meetings:agenda_item_move", kwargs={"pk": second.pk}), {"direction": "up"}
    )

    assert response.status_code == 302
    assert response.url.endswith("#agenda")


def test_checklist_task_marked_done_by_key_person(world, meeting):
    client = client_for(world.key_person)
    task = meeting.checklist_tasks.first()

    response = client.post(
        reverse("meetings:checklist_task_toggle", kwargs={"pk": task.pk}),
        {"done": "1"},
        HTTP_HX_REQUEST="true",
    )

    task.refresh_from_db()
    assert response.status_code == 200
    assert task.done_by == world.key_person
    assert f'id="task-{task.pk}"' in response.content.decode()


def test_participant_cannot_tick_checklist(world, meeting):
    task = meeting.checklist_tasks.first()

    response = client_for(world.participant).post(
        reverse("meetings:checklist_task_toggle", kwargs={"pk": task.pk}), {"done": "1"}
    )

    task.refresh_from_db()
    assert response.status_code == 403
    assert task.done_at is None


def test_key_person_marks_own_organisation_preparation(world, meeting):
    preparation = meeting.preparations.first()
    client = client_for(world.key_person)
    url = reverse(
        "meetings:preparation_toggle",
        kwargs={"pk": preparation.pk, "organisation": world.mentor.pk},
    )

    response = client.post(url, {"done": "1"})

    assert response.status_code == 302
    assert preparation.done.get().organisation == world.mentor


def test_preparation_of_organisation_outside_cluster_is_404(world, meeting):
    other = world.other_cluster.memberships.first().organisation
    url = reverse(
        "meetings:preparation_toggle",
        kwargs={"pk": meeting.preparations.first().pk, "organisation": other.pk},
    )

    assert client_for(world.project_manager).post(url, {"done": "1"}).status_code == 404


def test_upload_of_renamed_executable_is_refused(world, meeting):
    client = client_for(world.participant)
    fake = SimpleUploadedFile("presentation.pdf", b"MZ\x90\x00" + b"\x00" * 100)

    response = client.post(
        reverse("meetings:document_upload", kwargs={"pk": meeting.pk}),
        {"file": fake, "kind": "presentation", "title": "Vår presentation"},
    )

    assert response.status_code == 200
    assert "inte en PDF" in str(response.context["form"].errors["file"])
    assert not MeetingDocument.objects.exists()


def test_upload_with_name_not_matching_content_is_refused(world, meeting):
    client = client_for(world.participant)
    fake = SimpleUploadedFile("presentation.docx", PDF_BYTES)

    response = client.post(
        reverse("meetings:document_upload", kwargs={"pk": meeting.pk}),
        {"file": fake, "kind": "presentation"},
    )

    assert response.status_code == 200
    assert not MeetingDocument.objects.exists()


def test_upload_and_download_within_the_cluster_only(world, meeting):
    client = client_for(world.participant)
    content = _docx_bytes()  # generated once: a .docx carries the time it was written
    upload = SimpleUploadedFile("Anteckningar.docx", content)

    client.post(
        reverse("meetings:document_upload", kwargs={"pk": meeting.pk}),
        {"file": upload, "kind": "notes", "organisation": world.benchmarking_organisation.pk},
    )
    document = MeetingDocument.objects.get()
    own = client_for(world.key_person).get(document.get_absolute_url())
    other = client_for(world.other_participant).get(document.get_absolute_url())

    assert "Anteckningar" not in document.file.name
    assert document.file.name.endswith(".docx")
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == content
    assert "Anteckningar.docx" in own["Content-Disposition"]
    assert other.status_code == 404


def test_cluster_page_lists_overdue_tasks(world, meeting):
    from meetings import services

    with time_machine.travel(TODAY, tick=False):
        services.plan_meeting(
            meeting,
            date=datetime.date(2026, 11, 30),
            start_time=None,
            end_time=None,
            host=None,
            venue="",
            venue_address="",
            remote_link="",
            accessibility=[],
        )
        response = client_for(world.participant).get(world.cluster.get_absolute_url())

    assert len(response.context["overdue_tasks"]) >= 1


@pytest.mark.parametrize("extra_items", [0, 27])
def test_meeting_page_queries_do_not_grow_with_agenda(
    world, meeting, extra_items, django_assert_num_queries
):
    items = list(meeting.agenda_items.all())
    AgendaItem.objects.filter(pk__in=[i.pk for i in items[3:]]).delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=10 + n,
            title=f"Punkt {n}",
            duration=5,
            format="plenary",
            responsible_organisation=world.mentor,
        )
        for n in range(extra_items)
    )
    client = client_for(world.key_person)

    with django_assert_num_queries(13):
        response = client.get(meeting.get_absolute_url())

    assert len(response.context["schedule"]) == 3 + extra_items


def test_other_cluster_meeting_is_not_visible(world):
    other_meeting = make_cluster(world.programme).meetings.first()

    response = client_for(world.participant).get(other_meeting.get_absolute_url())

    assert response.status_code == 404


def test_preparations_show_who_has_described_itself_and_posted_a_presentation(world, meeting):
    from meetings.models import MeetingDocument

    mentor = world.mentor
    mentor.description = "Fakta om oss"
    mentor.save()
    MeetingDocument.objects.create(
        meeting=meeting,
        organisation=world.benchmarking_organisation,
        kind="presentation",
        title="Vår presentation",
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
    )

    response = client_for(world.participant).get(meeting.get_absolute_url())

    described, presented = response.context["posted_material"]
    by_org = {m.organisation: done for m, done in described.cells}
    assert by_org == {mentor: True, world.benchmarking_organisation: False}
    assert {m.organisation: done for m, done in presented.cells} == {
        mentor: False,
        world.benchmarking_organisation: True,
    }


def test_participant_uploads_only_for_own_organisation(world, meeting):
    client = client_for(world.participant)
    upload = SimpleUploadedFile("x.pdf", PDF_BYTES)

    response = client.post(
        reverse("meetings:document_upload", kwargs={"pk": meeting.pk}),
        {"file": upload, "kind": "presentation", "organisation": world.mentor.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert list(response.context["form"].fields["organisation"].queryset) == [
        world.benchmarking_organisation
    ]
    assert not MeetingDocument.objects.exists()


def test_preparation_for_the_mentor_cannot_be_ticked_for_another_organisation(world, meeting):
    mentor_only = meeting.preparations.filter(who="mentor").first()
    url = reverse(
        "meetings:preparation_toggle",
        kwargs={"pk": mentor_only.pk, "organisation": world.benchmarking_organisation.pk},
    )

    response = client_for(world.project_manager).post(url, {"done": "1"})

    assert response.status_code == 404
    assert not mentor_only.done.exists()


def test_editing_item_keeps_responsible_person_whose_role_ended(world, meeting):
    from programmes import services as programme_services

    item = meeting.agenda_items.first()
    item.responsible_person = world.participant
    item.save()
    programme_services.end_assignment(world.participant.assignments.get())

    client_for(world.key_person).post(
        reverse("meetings:agenda_item_edit", kwargs={"item": item.pk}),
        {
            "title": "Ny rubrik",
            "duration": "30",
            "format": "plenary",
            "responsible_person": world.participant.pk,
        },
    )

    item.refresh_from_db()
    assert (item.title, item.responsible_person) == ("Ny rubrik", world.participant)


def test_long_file_name_is_shortened_for_the_title(world, meeting):
    client = client_for(world.participant)
    upload = SimpleUploadedFile("a" * 240 + ".pdf", PDF_BYTES)

    client.post(
        reverse("meetings:document_upload", kwargs={"pk": meeting.pk}),
        {"file": upload, "kind": "notes"},
    )

    assert len(MeetingDocument.objects.get().title) == 200


def test_corrupt_office_file_is_refused_with_a_message(world, meeting):
    client = client_for(world.participant)
    corrupt = SimpleUploadedFile("x.docx", b"PK\x03\x04" + b"\x00" * 200)

    response = client.post(
        reverse("meetings:document_upload", kwargs={"pk": meeting.pk}),
        {"file": corrupt, "kind": "notes"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_key_person_cannot_tick_another_organisations_preparation(world, meeting):
    """Planning the cluster's meetings is not doing another organisation's homework."""
    preparation = meeting.preparations.filter(who="each_organisation").first()
    url = reverse(
        "meetings:preparation_toggle",
        kwargs={"pk": preparation.pk, "organisation": world.benchmarking_organisation.pk},
    )
    page = client_for(world.key_person).get(meeting.get_absolute_url()).text

    response = client_for(world.key_person).post(url, {"done": "1"})

    assert response.status_code == 403
    assert not preparation.done.exists()
    assert f'action="{url}"' not in page  # no button for it either


def test_project_manager_may_tick_any_organisations_preparation(world, meeting):
    preparation = meeting.preparations.filter(who="each_organisation").first()
    url = reverse(
        "meetings:preparation_toggle",
        kwargs={"pk": preparation.pk, "organisation": world.benchmarking_organisation.pk},
    )

    response = client_for(world.project_manager).post(url, {"done": "1"})

    assert response.status_code == 302
    assert preparation.done.get().organisation == world.benchmarking_organisation


def test_a_held_meeting_offers_no_registration(world, meeting):
    meeting.starts_at = timezone.now() - datetime.timedelta(days=2)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=6)
    meeting.save()
    Registration.objects.get_or_create(meeting=meeting, person=world.participant)

    page = client_for(world.participant).get(meeting.get_absolute_url()).text

    assert "Anmäl dig eller ändra ditt svar" not in page
    assert "Anmälan är stängd: träffen har redan börjat eller ägt rum." in page
